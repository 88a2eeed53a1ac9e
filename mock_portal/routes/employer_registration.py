"""QRG 2 – employer registration, reached without logging in (the login page's "New Employer
Registration" link, like ASSIST's "Portal ID Registration (First Time User)").

Form → `SUBMIT` (checks, duplicate SSM / MyKad / email refused) → "Proceed for Submission?" →
`CONFIRM` → an employer code; the registered email becomes a login, and the bundled mail server
gets a mailbox for it so that the emailed passwords can be read.
"""

from __future__ import annotations

import hashlib
import logging

from fastapi import APIRouter, Request
from starlette.datastructures import UploadFile
from starlette.responses import RedirectResponse, Response

from mock_portal.logins import generate_password
from mock_portal.mail import Mailbox
from mock_portal.pages import RecordId, render
from mock_portal.portal import Portal, portal_of
from mock_portal.registration import forms
from mock_portal.registration.cases import Case
from mock_portal.registration.identifiers import compact, employer_code
from mock_portal.sessions import CsrfChecked

log = logging.getLogger(__name__)
router = APIRouter()
SESSION_KEY = "employer_registration_cases"
DOCUMENT_HINTS = {
    "normal": "SSM registration certificate (Form 9 / Form D / SSM e-Info).",
    "foreign-workers": "SSM registration certificate and the foreign-worker quota approval.",
    "domestic": "A copy of your MyKad (both sides).",
}


def _labels(kind: str) -> dict[str, str]:
    return {**forms.EMPLOYER_LABELS[kind], "document": forms.DOCUMENT_LABEL, **forms.MOCK_LABELS}


def _form_page(
    request: Request, kind: str, values: dict[str, str], errors: forms.Errors, status: int = 200
) -> Response:
    return render(
        request,
        "registration/employer_form.html",
        status_code=status,
        title=f"New Employer Registration: {forms.EMPLOYER_KINDS[kind]}",
        kind=kind,
        labels=_labels(kind),
        values=values,
        errors=errors,
        states=[(s, s) for s in forms.STATES],
        business_types=[(b, b) for b in forms.BUSINESS_TYPES],
        document_hint=DOCUMENT_HINTS[kind],
    )


def _not_found(request: Request) -> Response:
    return render(
        request, "error.html", status_code=404, title="404 Not Found", message="Halaman tidak wujud."
    )


def _duplicate_errors(portal: Portal, kind: str, values: dict[str, str]) -> forms.Errors:
    """Refuse a second registration of the same business, householder or login email."""
    db = portal.store.db
    errors: forms.Errors = {}
    if kind == "domestic":
        row = db.execute(
            "SELECT code FROM employers WHERE householder_id = ?", (compact(values["householder_id"]),)
        ).fetchone()
        if row:
            errors["householder_id"] = f"This MyKad is already registered as employer {row['code']}."
    else:
        row = db.execute(
            "SELECT code FROM employers WHERE ssm = ?", (values["ssm"].strip().upper(),)
        ).fetchone()
        if row:
            errors["ssm"] = (
                f"An employer with this SSM registration number is already registered ({row['code']})."
            )
    if portal.store.employers.by_email(values["email"]):
        errors["email"] = "This email address is already registered with ASSIST."
    return errors


@router.get("/employer/register")
async def choose_kind(request: Request) -> Response:
    return render(request, "registration/employer_types.html", kinds=forms.EMPLOYER_KINDS)


@router.get("/employer/register/{kind}")
async def employer_form(request: Request, kind: str) -> Response:
    if kind not in forms.EMPLOYER_KINDS:
        return _not_found(request)
    return _form_page(request, kind, {}, {})


@router.post("/employer/register/{kind}", dependencies=[CsrfChecked])
async def submit_employer(request: Request, kind: str) -> Response:
    if kind not in forms.EMPLOYER_KINDS:
        return _not_found(request)
    portal = portal_of(request)
    form = await request.form()
    values = {name: str(form.get(name, "")).strip() for name in _labels(kind) if name != "document"}
    errors = forms.check_employer(kind, values, portal.config.current_date())
    document = form.get("document")
    if not isinstance(document, UploadFile) or not document.filename:
        errors["document"] = "A supporting document is required."
    if not errors:
        errors = _duplicate_errors(portal, kind, values)
    if errors:
        return _form_page(request, kind, values, errors, status=422)
    assert isinstance(document, UploadFile)
    content = await document.read()
    case = portal.store.cases.open("employer", None, {**values, "kind": kind})
    portal.store.cases.add_document(
        case.id,
        {
            "type": forms.DOCUMENT_LABEL,
            "filename": document.filename,
            "size": len(content),
            "sha256": hashlib.sha256(content).hexdigest(),
        },
    )
    request.session[SESSION_KEY] = [*request.session.get(SESSION_KEY, []), case.id]
    return RedirectResponse(f"/employer/register/cases/{case.id}", status_code=303)


def _own_case(request: Request, case_id: int) -> Case | None:
    """The visitor's own registration case (the cookie session remembers which it opened)."""
    if case_id not in request.session.get(SESSION_KEY, []):
        return None
    return portal_of(request).store.cases.get(case_id)


@router.get("/employer/register/cases/{case_id}")
async def confirm_page(request: Request, case_id: RecordId) -> Response:
    case = _own_case(request, case_id)
    if case is None:
        return _not_found(request)
    if case.submitted:
        return render(request, "registration/employer_done.html", case=case, generated_password=None)
    kind = case.data["kind"]
    return render(
        request,
        "registration/employer_confirm.html",
        case=case,
        labels=_labels(kind),
        title=f"New Employer Registration: {forms.EMPLOYER_KINDS[kind]}",
    )


@router.post("/employer/register/cases/{case_id}/confirm", dependencies=[CsrfChecked])
async def confirm(request: Request, case_id: RecordId) -> Response:
    case = _own_case(request, case_id)
    if case is None:
        return _not_found(request)
    if case.submitted:  # CONFIRM pressed twice: the same answer, nothing registered twice
        return render(request, "registration/employer_done.html", case=case, generated_password=None)
    portal = portal_of(request)
    kind, data = case.data["kind"], case.data
    errors = _duplicate_errors(portal, kind, data)
    if errors:
        return _form_page(request, kind, data, errors, status=409)
    code = _new_code(portal, domestic=kind == "domestic")
    name = (data.get("employer_name") or data["householder_name"]).upper()
    password = data.get("mailbox_password") or generate_password()
    mailbox = Mailbox(user=data["email"], password=password, addresses=(data["email"],))
    portal.store.employers.add(
        code=code,
        name=name,
        email=data["email"],
        kind=kind,
        ssm=data.get("ssm", "").upper(),
        householder_id=compact(data.get("householder_id", "")),
        mailbox=mailbox,
    )
    try:
        await portal.mail_server.add_mailbox(mailbox)
    except ValueError as exc:  # the address already delivers to another mailbox: mail still arrives there
        log.warning("no new mailbox for %s: %s", data["email"], exc)
    portal.store.cases.submit(case.id, {"employer_code": code, "name": name})
    done = portal.store.cases.get(case.id)
    generated = None if data.get("mailbox_password") else password
    return render(request, "registration/employer_done.html", case=done, generated_password=generated)


def _new_code(portal: Portal, domestic: bool) -> str:
    """The next free employer code of the mock's registration office."""
    serial = 1 + int(portal.store.db.execute("SELECT COUNT(*) FROM employers").fetchone()[0])
    while portal.store.employer(code := employer_code(domestic, serial)) is not None:
        serial += 1
    return code
