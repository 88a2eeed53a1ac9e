"""`My Sites` → `Registration`: the site page (`Update` menu, `Employee List`) and QRG 10's
`Update Add New Employee`: the add icon, `ADD EMPLOYEE` | `ADD FOREIGN EMPLOYEE`, the
`Identification No.` search that fills in a person PERKESO knows, `Register New Employee`, `SAVE`.
The case's next steps (EIS start date, documents, `SUBMIT`, `CONFIRM`) are in registration_cases.py.
"""

from __future__ import annotations

from dataclasses import asdict

from fastapi import APIRouter, Request
from starlette.responses import RedirectResponse, Response

from mock_portal.pages import render
from mock_portal.portal import Portal, portal_of
from mock_portal.registration import employee_forms as ef
from mock_portal.registration.identifiers import compact, mykad_birth_date, mykad_gender
from mock_portal.registration.people import known_person
from mock_portal.sessions import CsrfChecked, LoggedIn
from mock_portal.state import Employer

router = APIRouter()
BASE = "/employer/registration"
FOUND = "Employee found in PERKESO records: the details have been filled in."
NOT_FOUND = "No record found for this Identification No. Tick Register New Employee and complete the details."
ALREADY = "This employee is already registered with this employer."


@router.get(BASE)
async def registration_site(request: Request, employer: Employer = LoggedIn) -> Response:
    return render(request, "registration/site.html", employer=employer, title="Registration")


@router.get(f"{BASE}/employees")
async def employee_list(request: Request, employer: Employer = LoggedIn) -> Response:
    employees = portal_of(request).store.employees.employees_of(employer.code)
    return render(request, "registration/employees.html", employer=employer, employees=employees)


@router.get(f"{BASE}/update/new-employee")
async def new_employee_cases(request: Request, add: int = 0, employer: Employer = LoggedIn) -> Response:
    cases = portal_of(request).store.cases.of_employer(employer.code, "employee")
    return render(
        request, "registration/new_employee_cases.html", employer=employer, cases=cases, adding=bool(add)
    )


def _variant(kind: str) -> bool | None:
    """True for the foreign form, False for the local one, None for anything else."""
    return {"local": False, "foreign": True}.get(kind)


def _form(
    request: Request,
    employer: Employer,
    foreign: bool,
    values: dict[str, str],
    errors: dict[str, str],
    status: str | None = None,
    known: bool = False,
    code: int = 200,
) -> Response:
    return render(
        request,
        "registration/employee_form.html",
        status_code=code,
        employer=employer,
        foreign=foreign,
        title="ADD FOREIGN EMPLOYEE" if foreign else "ADD EMPLOYEE",
        labels=ef.labels(foreign),
        values=values,
        errors=errors,
        status=status,
        known=known,
        genders=ef.GENDERS,
        citizenships=ef.CITIZENSHIPS,
        nationalities=[(n, n) for n in ef.NATIONALITIES],
    )


@router.get(f"{BASE}/update/new-employee/add/{{kind}}")
async def add_employee_form(request: Request, kind: str, employer: Employer = LoggedIn) -> Response:
    foreign = _variant(kind)
    if foreign is None:
        return RedirectResponse(f"{BASE}/update/new-employee", status_code=303)
    return _form(request, employer, foreign, {"domestic": "1" if employer.kind == "domestic" else ""}, {})


def _person(portal: Portal, foreign: bool, id_number: str) -> dict[str, str] | None:
    """What PERKESO knows of the person: its registry of people, else any employer's records."""
    person = known_person(portal.config.seed_file, id_number)
    if person is not None:
        return {k: v for k, v in asdict(person).items() if k in ef.PERSON_FIELDS}
    row = portal.store.db.execute(
        "SELECT * FROM employees WHERE id_number = ? ORDER BY id LIMIT 1", (compact(id_number),)
    ).fetchone()
    if row is None:
        return None
    return {k: row[k] for k in ef.PERSON_FIELDS}


@router.post(f"{BASE}/update/new-employee/add/{{kind}}", dependencies=[CsrfChecked])
async def add_employee(request: Request, kind: str, employer: Employer = LoggedIn) -> Response:
    foreign = _variant(kind)
    if foreign is None:
        return RedirectResponse(f"{BASE}/update/new-employee", status_code=303)
    portal = portal_of(request)
    form = await request.form()
    values = {name: str(form.get(name, "")).strip() for name in ef.labels(foreign)}
    values["id_number"] = compact(values["id_number"])
    today = portal.config.current_date()
    errors: dict[str, str] = {}
    if problem := ef.check_id(foreign, values["id_number"]):
        errors["id_number"] = problem
    elif portal.store.employees.find_employee(employer.code, values["id_number"]) is not None:
        errors["id_number"] = ALREADY
    person = None if errors else _person(portal, foreign, values["id_number"])
    if person is not None:
        values.update(person)
        values["register_new"] = ""
    if form.get("action") == "search" or errors:
        status = None if errors else (FOUND if person else NOT_FOUND)
        return _form(
            request,
            employer,
            foreign,
            values,
            errors,
            status,
            known=person is not None,
            code=422 if errors else 200,
        )
    if person is None:
        if not values["register_new"]:
            errors["register_new"] = (
                "PERKESO has no record of this Identification No.: tick Register New Employee."
            )
        else:
            if not foreign and not values["gender"]:
                values["gender"] = mykad_gender(values["id_number"])
            if not foreign and not values["date_of_birth"]:
                values["date_of_birth"] = mykad_birth_date(values["id_number"]).isoformat()
            errors.update(ef.check_new_person(foreign, values, today))
    errors.update(ef.check_job(foreign, values, today))
    if errors:
        return _form(request, employer, foreign, values, errors, known=person is not None, code=422)
    data = {
        **values,
        "foreign": foreign,
        "known": person is not None,
        "domestic": "1" if values["domestic"] or employer.kind == "domestic" else "",
    }
    case = portal.store.cases.open("employee", employer.code, data)
    return RedirectResponse(f"{BASE}/cases/{case.id}/eis", status_code=303)
