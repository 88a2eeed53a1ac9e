"""QRG 4 (i) SOCSO + EIS, (ii) SOCSO, (iii) EIS: the pending list, drafts, data entry, the text-file
upload, SUBMIT / CONFIRM, and the ACR/ECR they generate."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, File, Form, Request, UploadFile
from starlette.responses import RedirectResponse, Response

from mock_portal.amounts import parse_ringgit
from mock_portal.contribution import rates
from mock_portal.contribution.documents import SCHEME_TITLES, month_label, parts
from mock_portal.contribution.rules import check_upload, month_problem
from mock_portal.contribution.store import Contributions, Submission
from mock_portal.pages import RecordId, render
from mock_portal.portal import portal_of
from mock_portal.sessions import CsrfChecked, LoggedIn
from mock_portal.state import Employer

router = APIRouter(prefix="/employer/contribution")
SLUGS = {"socso-eis": "socso+eis", "socso": "socso", "eis": "eis"}
SLUG_OF = {v: k for k, v in SLUGS.items()}
PENDING_MONTHS = 12
STATUSES = {
    "": "-",
    "B": "B - New employee",
    "H": "H - Left",
    "M": "M - Died",
    "S": "S - PERKESO sick leave",
    "T": "T - Unpaid leave",
}
SUBMITTED = "Contribution has been successfully submitted."
ERRORS_SHOWN = 100  # a junk file has an error per line: the page lists the first ones
INCOMPLETE = "Please complete the wage details of every employee before you submit."


def _store(request: Request) -> Contributions:
    return portal_of(request).store.contributions


def _today(request: Request) -> date:
    return portal_of(request).config.current_date()


def _redirect(path: str) -> RedirectResponse:
    return RedirectResponse(path, status_code=303)


def _not_found(request: Request, employer: Employer) -> Response:
    return render(
        request,
        "error.html",
        status_code=404,
        employer=employer,
        title="404 Not Found",
        message="Rekod tidak dijumpai.",
    )


def _pending_months(request: Request, employer: Employer, scheme: str) -> list[str]:
    today = _today(request)
    store = _store(request)
    months = []
    year, mon = today.year, today.month
    for _ in range(PENDING_MONTHS):
        month = f"{year:04d}-{mon:02d}"
        if not store.live_schemes(employer.code, month) & set(parts(scheme)):
            months.append(month)
        year, mon = (year - 1, 12) if mon == 1 else (year, mon - 1)
    return months


@router.get("")
async def contribution_home(request: Request, employer: Employer = LoggedIn) -> Response:
    return render(request, "contribution/index.html", employer=employer)


@router.get("/{slug}")
async def scheme_page(request: Request, slug: str, employer: Employer = LoggedIn) -> Response:
    scheme = SLUGS.get(slug)
    if scheme is None:
        return _not_found(request, employer)
    alert = request.session.pop("contribution_alert", None)
    status = request.session.pop("contribution_status", None)
    return render(
        request,
        "contribution/scheme.html",
        employer=employer,
        slug=slug,
        scheme=scheme,
        title=SCHEME_TITLES[scheme],
        pending=_pending_months(request, employer, scheme),
        drafts=_store(request).unsubmitted(employer.code, scheme),
        month_label=month_label,
        alert=alert,
        status=status,
    )


def _back_to_scheme(
    request: Request, slug: str, alert: str | None = None, status: str | None = None
) -> Response:
    if alert:
        request.session["contribution_alert"] = alert
    if status:
        request.session["contribution_status"] = status
    return _redirect(f"/employer/contribution/{slug}")


@router.post("/{slug}/entry", dependencies=[CsrfChecked])
async def start_entry(
    request: Request, slug: str, month: str = Form(""), employer: Employer = LoggedIn
) -> Response:
    """The pending list's edit icon (or the arrears form): a draft of the month's employees."""
    scheme = SLUGS.get(slug)
    if scheme is None or len(month) != 7 or month[4] != "-":
        return _back_to_scheme(
            request, slug if scheme else "socso-eis", alert="Please choose a contribution month (YYYY-MM)."
        )
    store = _store(request)
    problem = month_problem(month, _today(request), store.live_schemes(employer.code, month), scheme)
    if problem:
        return _back_to_scheme(request, slug, alert=problem)
    existing = next(
        (d for d in store.unsubmitted(employer.code, scheme) if d.month == month and d.mode == "entry"), None
    )
    if existing:
        return _redirect(f"/employer/contribution/submissions/{existing.id}")
    staff = portal_of(request).store.employees.employees_of(employer.code, month)
    lines = [
        {"employee_id": e.id, "id_number": e.socso_no, "name": e.name, "wages_sen": None}
        for e in staff
        if rates.covered(e, month, socso="socso" in scheme, eis="eis" in scheme)
    ]
    sid = store.new_submission(employer.code, scheme, month, "entry", lines)
    return _redirect(f"/employer/contribution/submissions/{sid}")


@router.get("/{slug}/textfile")
async def textfile_page(request: Request, slug: str, employer: Employer = LoggedIn) -> Response:
    scheme = SLUGS.get(slug)
    if scheme is None:
        return _not_found(request, employer)
    return render(
        request,
        "contribution/textfile.html",
        employer=employer,
        slug=slug,
        scheme=scheme,
        title=SCHEME_TITLES[scheme],
    )


@router.post("/{slug}/textfile", dependencies=[CsrfChecked])
async def upload(
    request: Request, slug: str, textfile: UploadFile | None = File(None), employer: Employer = LoggedIn
) -> Response:
    scheme = SLUGS.get(slug)
    if scheme is None:
        return _not_found(request, employer)
    page = dict(employer=employer, slug=slug, scheme=scheme, title=SCHEME_TITLES[scheme])
    if textfile is None or not textfile.filename:
        return render(
            request, "contribution/textfile.html", status_code=422, alert="Please choose a text file.", **page
        )
    if not textfile.filename.lower().endswith(".txt"):
        return render(
            request,
            "contribution/textfile.html",
            status_code=422,
            alert="Only text files (.txt) are accepted.",
            **page,
        )
    portal = portal_of(request)
    store = _store(request)
    checked = check_upload(
        await textfile.read(),
        scheme,
        employer.code,
        portal.store.employees,
        _today(request),
        lambda month: store.live_schemes(employer.code, month),
    )
    if checked.errors:
        return render(
            request,
            "contribution/textfile.html",
            status_code=422,
            errors=checked.errors[:ERRORS_SHOWN],
            alert=f"The text file {textfile.filename} was rejected: {len(checked.errors)} error(s)"
            + (f" (the first {ERRORS_SHOWN} are listed)." if len(checked.errors) > ERRORS_SHOWN else "."),
            **page,
        )
    sid = store.new_submission(
        employer.code, scheme, checked.month, "textfile", checked.lines or [], file_name=textfile.filename
    )
    return render(
        request,
        "contribution/textfile.html",
        uploaded=sid,
        filename=textfile.filename,
        status=f"The text file {textfile.filename} has been uploaded successfully.",
        **page,
    )


def _owned(request: Request, employer: Employer, sid: int) -> Submission | None:
    return _store(request).submission(employer.code, sid)


@router.get("/submissions/{sid}")
async def submission_page(request: Request, sid: RecordId, employer: Employer = LoggedIn) -> Response:
    submission = _owned(request, employer, sid)
    if submission is None:
        return _not_found(request, employer)
    store = _store(request)
    lines = store.lines(sid)
    return render(
        request,
        "contribution/submission.html",
        employer=employer,
        sub=submission,
        lines=lines,
        title=SCHEME_TITLES[submission.scheme],
        slug=SLUG_OF[submission.scheme],
        month_label=month_label,
        statuses=STATUSES,
        documents=[d for d in store.documents(employer.code) if d.submission_id == sid],
        alert=request.session.pop("contribution_alert", None),
        status=request.session.pop("contribution_status", None),
    )


def _back_to_submission(
    request: Request, sid: int, alert: str | None = None, status: str | None = None
) -> Response:
    if alert:
        request.session["contribution_alert"] = alert
    if status:
        request.session["contribution_status"] = status
    return _redirect(f"/employer/contribution/submissions/{sid}")


@router.get("/submissions/{sid}/lines/{line_id}")
async def line_page(
    request: Request, sid: RecordId, line_id: RecordId, employer: Employer = LoggedIn
) -> Response:
    submission = _owned(request, employer, sid)
    line = _store(request).line(sid, line_id) if submission else None
    if submission is None or line is None or submission.mode != "entry":
        return _not_found(request, employer)
    return render(
        request,
        "contribution/line.html",
        employer=employer,
        sub=submission,
        line=line,
        title=SCHEME_TITLES[submission.scheme],
        month_label=month_label,
        statuses=STATUSES,
    )


@router.post("/submissions/{sid}/lines/{line_id}", dependencies=[CsrfChecked])
async def save_line(
    request: Request,
    sid: RecordId,
    line_id: RecordId,
    wages: str = Form(""),
    employment_status: str = Form(""),
    employer: Employer = LoggedIn,
) -> Response:
    submission = _owned(request, employer, sid)
    store = _store(request)
    line = store.line(sid, line_id) if submission else None
    if submission is None or line is None or submission.status not in ("draft", "completed"):
        return _not_found(request, employer)
    sen = parse_ringgit(wages)
    if sen is None or employment_status not in STATUSES:
        return render(
            request,
            "contribution/line.html",
            status_code=422,
            employer=employer,
            sub=submission,
            line=line,
            title=SCHEME_TITLES[submission.scheme],
            month_label=month_label,
            statuses=STATUSES,
            alert="Wages (RM) must be an amount such as 1700.00.",
        )
    employee = portal_of(request).store.employees.find_employee(employer.code, line.employee_id or 0)
    assert employee is not None
    s = rates.shares(
        employee, sen, submission.month, socso="socso" in submission.scheme, eis="eis" in submission.scheme
    )
    store.save_line(
        line_id,
        sen,
        employment_status,
        {
            "socso_employer": s.socso_employer,
            "socso_employee": s.socso_employee,
            "eis_employer": s.eis_employer,
            "eis_employee": s.eis_employee,
            "skbbk_employee": s.skbbk_employee,
        },
    )
    store.set_status(sid, "draft", saved=False)  # an edit undoes SAVE DRAFT / COMPLETE
    return _back_to_submission(request, sid, status=f"Wage details of {line.name} updated.")


@router.post("/submissions/{sid}/save", dependencies=[CsrfChecked])
async def save_draft(request: Request, sid: RecordId, employer: Employer = LoggedIn) -> Response:
    submission = _owned(request, employer, sid)
    if submission is None or submission.status not in ("draft", "completed"):
        return _not_found(request, employer)
    _store(request).set_status(sid, submission.status, saved=True)
    return _back_to_submission(request, sid, status="Draft has been saved.")


@router.post("/submissions/{sid}/complete", dependencies=[CsrfChecked])
async def complete(request: Request, sid: RecordId, employer: Employer = LoggedIn) -> Response:
    submission = _owned(request, employer, sid)
    if submission is None or submission.status not in ("draft", "completed"):
        return _not_found(request, employer)
    store = _store(request)
    if any(line.wages_sen is None for line in store.lines(sid)):
        return _back_to_submission(request, sid, alert=INCOMPLETE)
    if not submission.saved:
        return _back_to_submission(request, sid, alert="Please SAVE DRAFT before you complete.")
    store.set_status(sid, "completed")
    return _back_to_submission(request, sid, status="Contribution is complete and ready to submit.")


@router.post("/submissions/{sid}/remove", dependencies=[CsrfChecked])
async def remove_draft(request: Request, sid: RecordId, employer: Employer = LoggedIn) -> Response:
    submission = _owned(request, employer, sid)
    if submission is None or submission.status == "submitted":
        return _not_found(request, employer)
    _store(request).set_status(sid, "removed")
    return _back_to_scheme(request, SLUG_OF[submission.scheme], status="Draft has been removed.")


def _submit_problem(request: Request, employer: Employer, submission: Submission) -> str | None:
    store = _store(request)
    if submission.status == "submitted":
        return f"Contribution for {month_label(submission.month)} has already been submitted."
    problem = month_problem(
        submission.month,
        _today(request),
        store.live_schemes(employer.code, submission.month),
        submission.scheme,
    )
    if problem:
        return problem
    if submission.mode == "entry":
        if any(line.wages_sen is None for line in store.lines(submission.id)):
            return INCOMPLETE
        if submission.scheme == "socso+eis" and not submission.saved:
            return "Please SAVE DRAFT before you submit."
        if submission.scheme != "socso+eis" and submission.status != "completed":
            return "Please SAVE DRAFT and COMPLETE before you submit."
    return None


@router.post("/submit/{sid}", dependencies=[CsrfChecked])
async def submit(request: Request, sid: RecordId, employer: Employer = LoggedIn) -> Response:
    """SUBMIT: the combined variant generates its documents now, the others ask to CONFIRM."""
    submission = _owned(request, employer, sid)
    if submission is None or submission.status == "removed":
        return _not_found(request, employer)
    problem = _submit_problem(request, employer, submission)
    if problem:
        return _back_to_submission(request, sid, alert=problem)
    if submission.scheme != "socso+eis":
        lines = _store(request).lines(sid)
        return render(
            request,
            "contribution/confirm.html",
            employer=employer,
            sub=submission,
            lines=lines,
            title=SCHEME_TITLES[submission.scheme],
            month_label=month_label,
        )
    return _generate(request, employer, submission)


@router.post("/confirm/{sid}", dependencies=[CsrfChecked])
async def confirm(request: Request, sid: RecordId, employer: Employer = LoggedIn) -> Response:
    submission = _owned(request, employer, sid)
    if submission is None or submission.status == "removed" or submission.scheme == "socso+eis":
        return _not_found(request, employer)
    problem = _submit_problem(request, employer, submission)
    if problem:
        return _back_to_submission(request, sid, alert=problem)
    return _generate(request, employer, submission)


def _generate(request: Request, employer: Employer, submission: Submission) -> Response:
    store = _store(request)
    store.submit(submission, store.lines(submission.id))
    return _back_to_submission(request, submission.id, status=SUBMITTED)
