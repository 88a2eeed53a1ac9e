"""Test/QA control of the payments (loopback only, under /_mock): the corporate FPX authoriser, EFT
verification, mandate approval, the mock bank's accounts, and a document's amount (to try limits)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Body, Depends, HTTPException, Request

from mock_portal.payments.outcomes import fail, fpx_transaction_id, settle
from mock_portal.payments.store import INITIATED, PENDING_AUTH, PENDING_VERIFICATION, Payment
from mock_portal.portal import Portal, portal_of
from mock_portal.routes.control import loopback_only

router = APIRouter(prefix="/_mock", dependencies=[Depends(loopback_only)])


def _open(portal: Portal, reference: str, method: str, status: str) -> Payment:
    payment = portal.store.payments.payment(reference)
    if payment is None or payment.method != method:
        raise HTTPException(status_code=404, detail=f"no {method} payment {reference}")
    if payment.status != status:
        raise HTTPException(status_code=409, detail=f"{reference} is {payment.status}, not {status}")
    return payment


def _view(payment: Payment) -> dict[str, Any]:
    return {
        "reference": payment.reference,
        "status": payment.status,
        "transaction_id": payment.transaction_id,
        "reason": payment.reason,
    }


@router.post("/fpx/{reference}/approve")
async def fpx_approve(request: Request, reference: str) -> dict[str, Any]:
    """The corporate authoriser approves: the account is debited (declined when short)."""
    portal = portal_of(request)
    payment = _open(portal, reference, "fpx", PENDING_AUTH)
    if not portal.store.payments.debit(payment.bank_user or "", payment.amount_sen):
        return _view(fail(portal, reference, "Insufficient funds (declined by the bank)."))
    return _view(await settle(portal, reference, transaction_id=fpx_transaction_id(portal)))


@router.post("/fpx/{reference}/reject")
async def fpx_reject(request: Request, reference: str) -> dict[str, Any]:
    portal = portal_of(request)
    _open(portal, reference, "fpx", PENDING_AUTH)
    return _view(fail(portal, reference, "Rejected by the authoriser."))


@router.post("/eft/{reference}/verify")
async def eft_verify(request: Request, reference: str) -> dict[str, Any]:
    """PERKESO saw the transfer arrive: the documents are paid and the receipt emailed."""
    portal = portal_of(request)
    _open(portal, reference, "eft", PENDING_VERIFICATION)
    return _view(await settle(portal, reference))


@router.post("/mandates/{reference}/{decision}")
async def mandate_decision(request: Request, reference: str, decision: str) -> dict[str, Any]:
    if decision not in ("approve", "reject"):
        raise HTTPException(status_code=404, detail="approve or reject")
    payments = portal_of(request).store.payments
    mandate = payments.mandate(reference)
    if mandate is None:
        raise HTTPException(status_code=404, detail=f"no mandate {reference}")
    if mandate.status != "Pending Approval":
        raise HTTPException(status_code=409, detail=f"{reference} is {mandate.status}")
    decided = payments.decide_mandate(reference, decision == "approve")
    assert decided is not None
    return {"reference": reference, "status": decided.status}


@router.post("/bank/accounts/{user}")
async def bank_account(
    request: Request, user: str, data: dict[str, Any] = Body(default_factory=dict)
) -> dict[str, Any]:
    """Set a mock bank account's balance (RM) and/or `no_return` (the bank never sends the browser back)."""
    balance = data.get("balance")
    account = portal_of(request).store.payments.set_account(
        user,
        None if balance is None else round(float(balance) * 100),
        None if data.get("no_return") is None else bool(data["no_return"]),
    )
    if account is None:
        raise HTTPException(status_code=404, detail=f"no bank account {user}")
    return {"user": account.user, "balance_sen": account.balance_sen, "no_return": account.no_return}


@router.post("/documents/{number}/amount")
async def document_amount(
    request: Request, number: str, data: dict[str, Any] = Body(default_factory=dict)
) -> dict[str, Any]:
    """QA: give an unpaid document another total (`amount_sen`), e.g. above the FPX limit."""
    store = portal_of(request).store
    document = store.contributions.document(number)
    if document is None:
        raise HTTPException(status_code=404, detail=f"no document {number}")
    store.db.execute(
        "UPDATE documents SET amount_sen = ? WHERE number = ?", (int(data["amount_sen"]), number)
    )
    return {"number": number, "amount_sen": int(data["amount_sen"])}


@router.post("/fpx/{reference}/complete")
async def fpx_complete(request: Request, reference: str) -> dict[str, Any]:
    """A person finished an open FPX transaction's bank pages in their own browser (the bot stopped
    at the bank's login page: no bank credentials). The money arrives: Successful, receipt emailed."""
    portal = portal_of(request)
    _open(portal, reference, "fpx", INITIATED)
    return _view(await settle(portal, reference, transaction_id=fpx_transaction_id(portal)))


@router.post("/documents/{number}/paid-at-counter")
async def paid_at_counter(request: Request, number: str) -> dict[str, Any]:
    """The bank counter took the cheque for a printed ACR/ECR (QRG 8): the document is paid."""
    store = portal_of(request).store
    document = store.contributions.document(number)
    if document is None:
        raise HTTPException(status_code=404, detail=f"no document {number}")
    if document.status != "unpaid":
        raise HTTPException(status_code=409, detail=f"{number} is {document.status}")
    paid = store.contributions.mark_paid(number, f"COUNTER-{number}")
    return {"number": number, "status": paid.status}
