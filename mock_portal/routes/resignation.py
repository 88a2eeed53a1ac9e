"""QRG 11 – `Update Employee Resign Date`: `All` (everyone leaves on one date) or `Specific`
(one employee, chosen by IC / name / SOCSO number), resign date and reason → `SAVE & CONTINUE` →
documents → `SUBMIT` → `CONFIRM` → a "Request Case Update Number" (registration_cases.py).
The employee then leaves the contribution list from the month after the resign date."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import RedirectResponse, Response

from mock_portal.pages import render
from mock_portal.portal import portal_of
from mock_portal.registration import employee_forms as ef
from mock_portal.registration.forms import REQUIRED, check_date
from mock_portal.sessions import CsrfChecked, LoggedIn
from mock_portal.state import Employer

router = APIRouter()
PATH = "/employer/registration/update/resign"


def _page(
    request: Request, employer: Employer, values: dict[str, str], errors: dict[str, str], code: int = 200
) -> Response:
    active = [
        e for e in portal_of(request).store.employees.employees_of(employer.code) if e.terminated_on is None
    ]
    choices = [
        (e.id_number, f"{e.name} | IC/Passport {e.id_number} | SOCSO No. {e.socso_no}") for e in active
    ]
    return render(
        request,
        "registration/resign_form.html",
        status_code=code,
        employer=employer,
        title="Update Employee Resign Date",
        values=values,
        errors=errors,
        labels=ef.RESIGN_LABELS,
        choices=choices,
        reasons=ef.REASONS,
    )


@router.get(PATH)
async def resign_form(request: Request, employer: Employer = LoggedIn) -> Response:
    return _page(request, employer, {"scope": "specific"}, {})


@router.post(PATH, dependencies=[CsrfChecked])
async def save_resign(request: Request, employer: Employer = LoggedIn) -> Response:
    store = portal_of(request).store
    form = await request.form()
    values = {name: str(form.get(name, "")).strip() for name in ef.RESIGN_LABELS}
    errors: dict[str, str] = {}
    if values["scope"] not in ("all", "specific"):
        errors["scope"] = "Choose All or Specific."
    resign_date = check_date(
        errors, "resign_date", values["resign_date"], portal_of(request).config.current_date()
    )
    if values["reason"] not in dict(ef.REASONS):
        errors["reason"] = REQUIRED
    active = [e for e in store.employees.employees_of(employer.code) if e.terminated_on is None]
    if values["scope"] == "all":
        chosen = active
        if not chosen:
            errors["scope"] = "There are no active employees."
    else:
        employee = (
            store.employees.find_employee(employer.code, values["employee"]) if values["employee"] else None
        )
        if employee is None:
            errors["employee"] = REQUIRED if not values["employee"] else "Not an employee of this employer."
        elif employee.terminated_on is not None:
            errors["employee"] = f"This employee has already left (resign date {employee.terminated_on})."
        chosen = [employee] if employee is not None else []
    if resign_date is not None and "resign_date" not in errors:
        early = [e for e in chosen if resign_date.isoformat() < e.employment_date]
        if early:
            errors["resign_date"] = (
                "The resign date cannot be before the employment start date "
                f"({early[0].employment_date}, {early[0].name})."
            )
    if errors:
        return _page(request, employer, values, errors, code=422)
    assert resign_date is not None
    case = store.cases.open(
        "resign",
        employer.code,
        {
            "scope": values["scope"],
            "employees": [e.id_number for e in chosen],
            "resign_date": resign_date.isoformat(),
            "reason": values["reason"],
        },
    )
    return RedirectResponse(f"/employer/registration/cases/{case.id}/documents", status_code=303)
