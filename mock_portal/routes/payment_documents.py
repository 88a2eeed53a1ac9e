"""QRG 8 and 9 on `My Sites` → `Payment`: the generated ACR/ECR with view, PRINT, PRINT ACR/ECR
(PDF) and the delete icon (cancel an ACR, an ECR or both). The payment flows (FPX, EFT, DDA)
build on this page's list."""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from starlette.responses import RedirectResponse, Response

from mock_portal.contribution.documents import month_label
from mock_portal.contribution.slip import ROWS, slip_pdf
from mock_portal.contribution.store import Contributions, Document
from mock_portal.pages import render
from mock_portal.portal import portal_of
from mock_portal.sessions import CsrfChecked, LoggedIn
from mock_portal.state import Employer

router = APIRouter(prefix="/employer/payment")
REMOVED = '"Record" has been successfully removed'
PAID = "A paid ACR/ECR cannot be cancelled."


def _store(request: Request) -> Contributions:
    return portal_of(request).store.contributions


def _mine(request: Request, employer: Employer, number: str) -> Document | None:
    return _store(request).document(number, employer.code)


def _not_found(request: Request, employer: Employer) -> Response:
    return render(
        request,
        "error.html",
        status_code=404,
        employer=employer,
        title="404 Not Found",
        message="Rekod tidak dijumpai.",
    )


@router.get("")
async def payment_list(request: Request, employer: Employer = LoggedIn) -> Response:
    documents = _store(request).documents(employer.code)
    live = [d for d in documents if d.status != "cancelled"]
    # The combined slip pairs the live ACR and ECR of one submission.
    pairs = {}
    for d in live:
        pairs.setdefault(d.submission_id, []).append(d)
    return render(
        request,
        "payment/list.html",
        employer=employer,
        documents=live,
        month_label=month_label,
        pairs={k: v for k, v in pairs.items() if len(v) == 2},
        alert=request.session.pop("payment_alert", None),
        status=request.session.pop("payment_status", None),
    )


@router.get("/documents/{number}")
async def view(request: Request, number: str, employer: Employer = LoggedIn) -> Response:
    document = _mine(request, employer, number)
    if document is None:
        return _not_found(request, employer)
    return render(
        request, "payment/document.html", employer=employer, d=document, rows=ROWS, month_label=month_label
    )


def _pdf(employer: Employer, documents: list[Document], name: str) -> Response:
    return Response(
        slip_pdf(employer, documents),
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}.pdf"'},
    )


@router.get("/documents/{number}/print")
async def print_one(request: Request, number: str, employer: Employer = LoggedIn) -> Response:
    document = _mine(request, employer, number)
    if document is None or document.status == "cancelled":
        return _not_found(request, employer)
    return _pdf(employer, [document], document.number)


@router.get("/documents/{number}/print-combined")
async def print_combined(request: Request, number: str, employer: Employer = LoggedIn) -> Response:
    document = _mine(request, employer, number)
    if document is None or document.status == "cancelled":
        return _not_found(request, employer)
    pair = [d for d in _store(request).siblings(document) if d.status != "cancelled"]
    return _pdf(employer, pair, "_".join(d.number for d in pair))


@router.get("/documents/{number}/cancel")
async def cancel_page(request: Request, number: str, employer: Employer = LoggedIn) -> Response:
    document = _mine(request, employer, number)
    if document is None or document.status == "cancelled":
        return _not_found(request, employer)
    choices = [d for d in _store(request).siblings(document) if d.status != "cancelled"]
    return render(
        request,
        "payment/cancel.html",
        employer=employer,
        d=document,
        choices=choices,
        month_label=month_label,
    )


@router.post("/documents/{number}/cancel", dependencies=[CsrfChecked])
async def cancel(
    request: Request, number: str, choice: str = Form(""), employer: Employer = LoggedIn
) -> Response:
    document = _mine(request, employer, number)
    if document is None or document.status == "cancelled":
        return _not_found(request, employer)
    siblings = [d for d in _store(request).siblings(document) if d.status != "cancelled"]
    chosen = siblings if choice == "both" else [d for d in siblings if d.type == choice]
    if not chosen:
        return render(
            request,
            "payment/cancel.html",
            status_code=422,
            employer=employer,
            d=document,
            choices=siblings,
            month_label=month_label,
            alert="Please choose the ACR, the ECR or both.",
        )
    if any(d.status == "paid" for d in chosen):
        return render(
            request,
            "payment/cancel.html",
            status_code=409,
            employer=employer,
            d=document,
            choices=siblings,
            month_label=month_label,
            alert=PAID,
        )
    _store(request).cancel(d.number for d in chosen)
    request.session["payment_status"] = REMOVED
    return RedirectResponse("/employer/payment", status_code=303)


# Test/QA control (loopback only, like the rest of /_mock): mark a document paid, for the payment
# flows (QRG 5-8) until they exist, and for tests of "a paid document cannot be cancelled".
from fastapi import Body, Depends, HTTPException  # noqa: E402

from mock_portal.routes.control import loopback_only  # noqa: E402

control_router = APIRouter(prefix="/_mock", dependencies=[Depends(loopback_only)])


@control_router.post("/documents/{number}/paid")
async def mark_paid(
    request: Request, number: str, data: dict[str, str] = Body(default_factory=dict)
) -> dict[str, object]:
    try:
        document = _store(request).mark_paid(number, data.get("ref", "TEST-PAYMENT"))
    except KeyError as exc:
        raise HTTPException(status_code=404, detail=f"no document {number}") from exc
    except ValueError as exc:
        raise HTTPException(status_code=409, detail=str(exc)) from exc
    return {"number": document.number, "status": document.status, "payment_ref": document.payment_ref}
