"""The add-employee forms of QRG 3 / QRG 10 (local: MyKad; foreign: passport, nationality, permit)
and the resign-date form of QRG 11: labels, choices and checks, with the portal's messages."""

from __future__ import annotations

from datetime import date

from mock_portal.amounts import parse_ringgit
from mock_portal.registration.forms import REQUIRED, Errors, check_date, parse_date
from mock_portal.registration.identifiers import mykad_birth_date, mykad_problem, passport_problem

COMMON_LABELS = {
    "id_number": "Identification No.",
    "name": "Name",
    "date_of_birth": "Date of Birth",
    "gender": "Gender",
}
LOCAL_LABELS = {**COMMON_LABELS, "citizenship": "Citizenship"}
FOREIGN_LABELS = {
    **COMMON_LABELS,
    "nationality": "Nationality",
    "permit_no": "Permit (PLKS) No.",
    "permit_expiry": "Permit Expiry Date",
}
JOB_LABELS = {
    "employment_date": "Employment Start Date",
    "occupation": "Occupation",
    "wages": "Monthly Wages (RM)",
    "domestic": "Domestic Employee",
    "register_new": "Register New Employee",
}
PERSON_FIELDS = ("name", "date_of_birth", "gender", "citizenship", "nationality")
GENDERS = (("M", "Male"), ("F", "Female"))
CITIZENSHIPS = (("citizen", "Citizen"), ("pr", "Permanent Resident"))
NATIONALITIES = (
    "BANGLADESH",
    "CAMBODIA",
    "CHINA",
    "INDIA",
    "INDONESIA",
    "MYANMAR",
    "NEPAL",
    "PAKISTAN",
    "PHILIPPINES",
    "SRI LANKA",
    "THAILAND",
    "VIETNAM",
    "OTHERS",
)
DOCUMENT_TYPES = {
    "employee-local": ("Copy of MyKad", "Offer Letter", "Other"),
    "employee-foreign": ("Passport", "Work Permit (PLKS)", "Borang Pendaftaran Pekerja Asing", "Other"),
    "resign": ("Resignation Letter", "Termination Letter", "Death Certificate", "Other"),
}
RESIGN_LABELS = {
    "scope": "Employees",
    "employee": "Employee",
    "resign_date": "Resign Date",
    "reason": "Reason",
}
REASONS = (
    ("resigned", "Resigned"),
    ("retired", "Retired"),
    ("end-of-contract", "End of Contract"),
    ("dismissed", "Dismissed"),
    ("died", "Died"),
)


def labels(foreign: bool) -> dict[str, str]:
    return {**(FOREIGN_LABELS if foreign else LOCAL_LABELS), **JOB_LABELS}


def check_id(foreign: bool, id_number: str) -> str | None:
    if not id_number.strip():
        return REQUIRED
    return passport_problem(id_number) if foreign else mykad_problem(id_number)


def check_new_person(foreign: bool, values: dict[str, str], today: date) -> Errors:
    """The person's details, typed in because PERKESO does not know them (`Register New Employee`)."""
    errors: Errors = {}
    for name in ("name", "gender", "nationality" if foreign else "citizenship"):
        if not values.get(name, "").strip():
            errors[name] = REQUIRED
    born = check_date(errors, "date_of_birth", values.get("date_of_birth", ""), today)
    if (
        born
        and not foreign
        and not mykad_problem(values["id_number"])
        and born != mykad_birth_date(values["id_number"])
    ):
        errors["date_of_birth"] = "The date of birth does not match the MyKad number."
    return errors


def check_job(foreign: bool, values: dict[str, str], today: date) -> Errors:
    """Employment details: start date (not in the future), occupation, wages, permit."""
    errors: Errors = {}
    start = values.get("employment_date", "")
    if start.strip() and (parsed := parse_date(start)) and parsed > today:
        errors["employment_date"] = "The start date cannot be in the future."
    else:
        check_date(errors, "employment_date", start, today)
    if not values.get("occupation", "").strip():
        errors["occupation"] = REQUIRED
    wages = values.get("wages", "").strip()
    if wages and parse_ringgit(wages) is None:
        errors["wages"] = "Enter an amount in ringgit, e.g. 1700.00."
    if foreign:
        if not values.get("permit_no", "").strip():
            errors["permit_no"] = REQUIRED
        expiry = values.get("permit_expiry", "")
        if not expiry.strip():
            errors["permit_expiry"] = REQUIRED
        elif parse_date(expiry) is None:
            errors["permit_expiry"] = "Invalid date (YYYY-MM-DD)."
    return errors


def wages_sen(values: dict[str, str]) -> int:
    return parse_ringgit(values.get("wages", "")) or 0
