"""The mock FPX bank: its own site under /fpx-bank/ (bank login, confirm), reached from the portal's
`PROCEED` and returning to the portal with the outcome.

Personal (B2C) payments are debited at `CONFIRM`: successful, or declined when the balance is short.
Corporate (B2B) payments wait for the authoriser (`POST /_mock/fpx/{reference}/approve|reject`).
An account with `no_return` debits and then never sends the browser back (a lost return); the
faults' `bank.no_return_rate` does the same to a share of the payments. A transaction nobody confirms
times out to `Unsuccessful` (mock_portal/payments/store.py), and its bank pages are then closed.
"""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from starlette.responses import RedirectResponse, Response

from mock_portal.pages import render
from mock_portal.payments.outcomes import fail, fpx_transaction_id, settle
from mock_portal.payments.rules import BUSINESS_MODELS
from mock_portal.payments.store import INITIATED, PENDING_AUTH, Payment
from mock_portal.portal import portal_of
from mock_portal.sessions import CsrfChecked

router = APIRouter(prefix="/fpx-bank")
MERCHANT = "PERTUBUHAN KESELAMATAN SOSIAL"


def _payment(request: Request, reference: str) -> Payment | None:
    """The FPX transaction, only for a browser logged in to the portal as its employer."""
    store = portal_of(request).store
    payment = store.payments.payment(reference)
    session = store.sessions.get(str(request.session.get("sid", "")))
    if session is None or payment is None or session.employer_code != payment.employer_code:
        return None
    return payment if payment.method == "fpx" else None


def _page(
    request: Request, template: str, payment: Payment | None, status_code: int = 200, **context: object
) -> Response:
    return render(
        request,
        f"bank/{template}",
        status_code=status_code,
        p=payment,
        merchant=MERCHANT,
        models=BUSINESS_MODELS,
        **context,
    )


def _closed(request: Request, payment: Payment | None) -> Response:
    return _page(
        request,
        "message.html",
        payment,
        409 if payment else 404,
        message="This FPX transaction is no longer open." if payment else "Unknown FPX transaction.",
    )


def _back_to_portal(reference: str) -> RedirectResponse:
    return RedirectResponse(f"/employer/payment/fpx/result/{reference}", status_code=303)


@router.get("/{reference}")
async def login_page(request: Request, reference: str) -> Response:
    payment = _payment(request, reference)
    if payment is None or payment.status != INITIATED:
        return _closed(request, payment)
    return _page(request, "login.html", payment)


@router.post("/{reference}/login", dependencies=[CsrfChecked])
async def login(
    request: Request, reference: str, user_id: str = Form(""), password: str = Form("")
) -> Response:
    payment = _payment(request, reference)
    if payment is None or payment.status != INITIATED:
        return _closed(request, payment)
    account = portal_of(request).store.payments.account(user_id.strip())
    if account is None or account.password != password:
        return _page(request, "login.html", payment, 401, alert="Invalid User ID or Password.")
    if account.corporate != (payment.business_model == "b2b"):
        kind = "corporate" if payment.business_model == "b2b" else "personal"
        return _page(
            request,
            "login.html",
            payment,
            403,
            alert=f"This account is not registered for {kind} internet banking.",
        )
    request.session[f"bank:{reference}"] = account.user
    return RedirectResponse(f"/fpx-bank/{reference}/confirm", status_code=303)


@router.get("/{reference}/confirm")
async def confirm_page(request: Request, reference: str) -> Response:
    payment = _payment(request, reference)
    user = request.session.get(f"bank:{reference}")
    if payment is None or payment.status != INITIATED or not user:
        return _closed(request, payment)
    return _page(request, "confirm.html", payment, account=portal_of(request).store.payments.account(user))


@router.post("/confirm/{reference}", dependencies=[CsrfChecked])
async def confirm(request: Request, reference: str) -> Response:
    portal = portal_of(request)
    payments = portal.store.payments
    payment = _payment(request, reference)
    user = request.session.pop(f"bank:{reference}", None)
    account = payments.account(user) if user else None
    if payment is None or payment.status != INITIATED or account is None:
        return _closed(request, payment)
    if payment.business_model == "b2b":
        payments.update(reference, status=PENDING_AUTH, bank_user=account.user)
    elif not payments.debit(account.user, payment.amount_sen):
        fail(portal, reference, "Insufficient funds (declined by the bank).")
    else:
        await settle(portal, reference, bank_user=account.user, transaction_id=fpx_transaction_id(portal))
    if account.no_return or portal.faults.bank_no_return():
        return _page(request, "processing.html", payment)
    return _back_to_portal(reference)


@router.post("/{reference}/cancel", dependencies=[CsrfChecked])
async def cancel(request: Request, reference: str) -> Response:
    payment = _payment(request, reference)
    if payment is None or payment.status != INITIATED:
        return _closed(request, payment)
    fail(portal_of(request), reference, "Cancelled by the buyer.")
    return _back_to_portal(reference)
