"""The steps every registration case goes through after its form (QRG 10 steps 8-11, QRG 11):
EIS start date → `SAVE & CONTINUE` → `ADD DOCUMENT` → `SAVE & CONTINUE` → `SUBMIT` →
"Proceed for Submission?" `CONFIRM` → the case's reference number; `CONFIRM` applies the case."""

from __future__ import annotations

import hashlib

from fastapi import APIRouter, Request
from starlette.datastructures import UploadFile
from starlette.responses import RedirectResponse, Response

from mock_portal.pages import RecordId, render
from mock_portal.portal import Portal, portal_of
from mock_portal.registration import employee_forms as ef
from mock_portal.registration.cases import Case
from mock_portal.registration.identifiers import foreign_worker_number
from mock_portal.sessions import CsrfChecked, LoggedIn
from mock_portal.state import Employer

router = APIRouter()
BASE = "/employer/registration/cases"
NO_DOCUMENT = "At least one supporting document is required."
DOCUMENT_LABELS = {"document_type": "Document Type", "document": "Document"}


def _case(request: Request, employer: Employer, case_id: int) -> Case | None:
    case = portal_of(request).store.cases.get(case_id)
    return case if case is not None and case.employer_code == employer.code else None


def _missing(request: Request, employer: Employer) -> Response:
    return render(
        request,
        "error.html",
        status_code=404,
        employer=employer,
        title="404 Not Found",
        message="Kes tidak wujud.",
    )


def _document_kind(case: Case) -> str:
    if case.kind == "resign":
        return "resign"
    return "employee-foreign" if case.data.get("foreign") else "employee-local"


def _title(case: Case) -> str:
    if case.kind == "resign":
        return "Update Employee Resign Date"
    return "ADD FOREIGN EMPLOYEE" if case.data.get("foreign") else "ADD EMPLOYEE"


@router.get(f"{BASE}/{{case_id}}/eis")
async def eis_page(request: Request, case_id: RecordId, employer: Employer = LoggedIn) -> Response:
    case = _case(request, employer, case_id)
    if case is None or case.kind != "employee":
        return _missing(request, employer)
    eis_start = (
        "Not applicable (foreign workers are not covered by EIS)"
        if case.data.get("foreign")
        else portal_of(request).config.current_date().isoformat()
    )
    return render(
        request,
        "registration/eis.html",
        employer=employer,
        case=case,
        title=_title(case),
        eis_start=eis_start,
    )


@router.post(f"{BASE}/{{case_id}}/eis", dependencies=[CsrfChecked])
async def eis_continue(request: Request, case_id: RecordId, employer: Employer = LoggedIn) -> Response:
    case = _case(request, employer, case_id)
    if case is None:
        return _missing(request, employer)
    return RedirectResponse(f"{BASE}/{case.id}/documents", status_code=303)


def _documents(
    request: Request, employer: Employer, case: Case, errors: dict[str, str], code: int = 200
) -> Response:
    return render(
        request,
        "registration/documents.html",
        status_code=code,
        employer=employer,
        case=case,
        title=_title(case),
        errors=errors,
        labels=DOCUMENT_LABELS,
        types=[(t, t) for t in ef.DOCUMENT_TYPES[_document_kind(case)]],
        values={},
    )


@router.get(f"{BASE}/{{case_id}}/documents")
async def documents_page(request: Request, case_id: RecordId, employer: Employer = LoggedIn) -> Response:
    case = _case(request, employer, case_id)
    return _missing(request, employer) if case is None else _documents(request, employer, case, {})


@router.post(f"{BASE}/{{case_id}}/documents", dependencies=[CsrfChecked])
async def add_document(request: Request, case_id: RecordId, employer: Employer = LoggedIn) -> Response:
    case = _case(request, employer, case_id)
    if case is None:
        return _missing(request, employer)
    form = await request.form()
    document, doc_type = form.get("document"), str(form.get("document_type", ""))
    errors = {}
    if doc_type not in ef.DOCUMENT_TYPES[_document_kind(case)]:
        errors["document_type"] = "Choose a document type."
    if not isinstance(document, UploadFile) or not document.filename:
        errors["document"] = "Choose a file to upload."
    if errors:
        return _documents(request, employer, case, errors, code=422)
    assert isinstance(document, UploadFile)
    content = await document.read()
    store = portal_of(request).store
    store.cases.add_document(
        case.id,
        {
            "type": doc_type,
            "filename": document.filename,
            "size": len(content),
            "sha256": hashlib.sha256(content).hexdigest(),
        },
    )
    return RedirectResponse(f"{BASE}/{case.id}/documents", status_code=303)


@router.post(f"{BASE}/{{case_id}}/documents/continue", dependencies=[CsrfChecked])
async def documents_continue(request: Request, case_id: RecordId, employer: Employer = LoggedIn) -> Response:
    case = _case(request, employer, case_id)
    if case is None:
        return _missing(request, employer)
    if not case.documents:
        return _documents(request, employer, case, {"document": NO_DOCUMENT}, code=422)
    return RedirectResponse(f"{BASE}/{case.id}", status_code=303)


def _summary(
    request: Request,
    employer: Employer,
    case: Case,
    confirming: bool = False,
    errors: dict[str, str] | None = None,
    code: int = 200,
) -> Response:
    portal = portal_of(request)
    names = {e.id_number: e.name for e in portal.store.employees.employees_of(employer.code)}
    return render(
        request,
        "registration/case_summary.html",
        status_code=code,
        employer=employer,
        case=case,
        title=_title(case),
        confirming=confirming,
        errors=errors or {},
        names=names,
        labels={**ef.labels(bool(case.data.get("foreign"))), **ef.RESIGN_LABELS, "document": "Document"},
        reasons=dict(ef.REASONS),
    )


@router.get(f"{BASE}/{{case_id}}")
async def summary(request: Request, case_id: RecordId, employer: Employer = LoggedIn) -> Response:
    case = _case(request, employer, case_id)
    return _missing(request, employer) if case is None else _summary(request, employer, case)


@router.post(f"{BASE}/{{case_id}}/submit", dependencies=[CsrfChecked])
async def submit(request: Request, case_id: RecordId, employer: Employer = LoggedIn) -> Response:
    case = _case(request, employer, case_id)
    if case is None:
        return _missing(request, employer)
    if not case.documents and not case.submitted:
        return _summary(request, employer, case, errors={"document": NO_DOCUMENT}, code=422)
    return _summary(request, employer, case, confirming=not case.submitted)


@router.post(f"{BASE}/{{case_id}}/confirm", dependencies=[CsrfChecked])
async def confirm(request: Request, case_id: RecordId, employer: Employer = LoggedIn) -> Response:
    case = _case(request, employer, case_id)
    if case is None:
        return _missing(request, employer)
    if not case.submitted:  # CONFIRM pressed twice applies the case once
        if not case.documents:
            return _summary(request, employer, case, errors={"document": NO_DOCUMENT}, code=422)
        portal = portal_of(request)
        problem = _apply(portal, employer, case)
        if problem:
            return _summary(request, employer, case, errors=problem, code=409)
    done = portal_of(request).store.cases.get(case.id)
    return render(request, "registration/case_done.html", employer=employer, case=done, title=_title(case))


def _apply(portal: Portal, employer: Employer, case: Case) -> dict[str, str] | None:
    """Make the case true in the state; the field problem when it no longer can be."""
    store = portal.store
    data = case.data
    if case.kind == "resign":
        for id_number in data["employees"]:
            store.employees.terminate_employee(employer.code, id_number, data["resign_date"], data["reason"])
        store.cases.submit(case.id, {"terminated": data["employees"]})
        return None
    if store.employees.find_employee(employer.code, data["id_number"]) is not None:
        return {"id_number": "This employee is already registered with this employer."}
    foreign = bool(data["foreign"])
    socso_no = _foreign_worker_number(portal, data["id_number"]) if foreign else data["id_number"]
    added = store.employees.add_employee(
        employer.code,
        id_type="passport" if foreign else "mykad",
        id_number=data["id_number"],
        name=data["name"],
        citizenship="foreign" if foreign else data.get("citizenship") or "citizen",
        date_of_birth=data["date_of_birth"],
        gender=data["gender"],
        employment_date=data["employment_date"],
        socso_no=socso_no,
        nationality=data.get("nationality") or "MALAYSIA",
        domestic=bool(data["domestic"]),
        occupation=data["occupation"].upper(),
        wages_sen=ef.wages_sen(data),
        registered_on=portal.config.current_date().isoformat(),  # the EIS start date (QRG 10 step 8)
    )
    store.cases.submit(
        case.id, {"socso_no": added.socso_no, "eis_start_date": None if foreign else added.registered_on}
    )
    return None


def _foreign_worker_number(portal: Portal, passport: str) -> str:
    """The worker's SSFW number: the one already issued (registered with another employer), else a new one."""
    db = portal.store.db
    row = db.execute(
        "SELECT socso_no FROM employees WHERE id_number = ? AND socso_no != id_number LIMIT 1", (passport,)
    ).fetchone()
    if row:
        return str(row["socso_no"])
    today = portal.config.current_date()
    serial = 1 + int(db.execute("SELECT COUNT(*) FROM employees WHERE citizenship = 'foreign'").fetchone()[0])
    while db.execute(
        "SELECT 1 FROM employees WHERE socso_no = ?", (number := foreign_worker_number(today.year, serial),)
    ).fetchone():
        serial += 1
    return number
