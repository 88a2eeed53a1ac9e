"""The registration screens' fields (name → label) and their checks, with the portal's messages.

Every check returns `Errors`, field name → message; the templates show each message next to its
field (aria-describedby) and all of them, as "Label: message", in the page's role=alert summary.
"""

from __future__ import annotations

from datetime import date

from mock_portal.registration.identifiers import email_problem, mykad_problem, passport_problem, ssm_problem

Errors = dict[str, str]
REQUIRED = "This field is required."

STATES = (
    "JOHOR",
    "KEDAH",
    "KELANTAN",
    "MELAKA",
    "NEGERI SEMBILAN",
    "PAHANG",
    "PULAU PINANG",
    "PERAK",
    "PERLIS",
    "SELANGOR",
    "TERENGGANU",
    "SABAH",
    "SARAWAK",
    "WILAYAH PERSEKUTUAN KUALA LUMPUR",
    "WILAYAH PERSEKUTUAN LABUAN",
    "WILAYAH PERSEKUTUAN PUTRAJAYA",
)
BUSINESS_TYPES = (
    "Sole Proprietorship",
    "Partnership",
    "Private Limited Company (Sdn Bhd)",
    "Public Limited Company (Bhd)",
    "Limited Liability Partnership (LLP)",
    "Society / Association / NGO",
)
# The three QRG 2 forms: normal employer, employer of foreign workers, domestic-worker employer.
EMPLOYER_KINDS = {
    "normal": "Normal Employer",
    "foreign-workers": "Employer of Foreign Workers",
    "domestic": "Domestic Employer",
}
ADDRESS_LABELS = {
    "address1": "Address 1",
    "address2": "Address 2",
    "postcode": "Postcode",
    "city": "City",
    "state": "State",
}
BUSINESS_LABELS = {
    "employer_name": "Employer Name",
    "ssm": "SSM Registration No.",
    "business_type": "Type of Business",
    **ADDRESS_LABELS,
    "contact_name": "Contact Person",
    "phone": "Phone No.",
    "email": "Email Address",
    "first_hire": "Date First Employee Hired",
}
FOREIGN_WORKERS_LABELS = {**BUSINESS_LABELS, "foreign_workers": "Number of Foreign Workers"}
DOMESTIC_LABELS = {
    "householder_name": "Full Name",
    "householder_id": "MyKad No.",
    **ADDRESS_LABELS,
    "phone": "Phone No.",
    "email": "Email Address",
    "first_hire": "Date First Employee Hired",
}
EMPLOYER_LABELS = {
    "normal": BUSINESS_LABELS,
    "foreign-workers": FOREIGN_WORKERS_LABELS,
    "domestic": DOMESTIC_LABELS,
}
OPTIONAL = frozenset({"address2", "foreign_workers", "mailbox_password"})
DOCUMENT_LABEL = "Supporting Document"
MOCK_LABELS = {"mailbox_password": "Mailbox Password (mock portal only)"}

GENDERS = {"M": "Male", "F": "Female"}


def parse_date(value: str) -> date | None:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        return None


def check_date(errors: Errors, name: str, value: str, today: date, *, required: bool = True) -> date | None:
    """A YYYY-MM-DD field not in the future; the problem goes into `errors`."""
    if not value.strip():
        if required:
            errors[name] = REQUIRED
        return None
    parsed = parse_date(value)
    if parsed is None:
        errors[name] = "Invalid date (YYYY-MM-DD)."
    elif parsed > today:
        errors[name] = "The date cannot be in the future."
    return parsed


def check_required(errors: Errors, values: dict[str, str], labels: dict[str, str]) -> None:
    for name in labels:
        if name not in OPTIONAL and not values.get(name, "").strip():
            errors[name] = REQUIRED


def check_employer(kind: str, values: dict[str, str], today: date) -> Errors:
    """The employer registration form (QRG 2), before the duplicate checks."""
    errors: Errors = {}
    labels = EMPLOYER_LABELS[kind]
    check_required(errors, values, labels)
    if values.get("ssm") and (problem := ssm_problem(values["ssm"])):
        errors["ssm"] = problem
    if values.get("householder_id") and (problem := mykad_problem(values["householder_id"])):
        errors["householder_id"] = problem
    if values.get("email") and (problem := email_problem(values["email"])):
        errors["email"] = problem
    if values.get("postcode") and not (values["postcode"].isdigit() and len(values["postcode"]) == 5):
        errors["postcode"] = "Postcode must be 5 digits."
    if values.get("state") and values["state"] not in STATES:
        errors["state"] = "Choose a state from the list."
    if values.get("business_type") and values["business_type"] not in BUSINESS_TYPES:
        errors["business_type"] = "Choose a type of business from the list."
    if values.get("foreign_workers") and not values["foreign_workers"].isdigit():
        errors["foreign_workers"] = "Enter a whole number."
    check_date(errors, "first_hire", values.get("first_hire", ""), today)
    return errors


def check_identification(foreign: bool, id_number: str) -> str | None:
    """The `Identification No.` of the add-employee forms: a MyKad (local) or a passport (foreign)."""
    if not id_number.strip():
        return REQUIRED
    return passport_problem(id_number) if foreign else mykad_problem(id_number)
