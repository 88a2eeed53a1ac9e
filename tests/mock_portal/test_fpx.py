"""QRG 5 on the mock portal over HTTP: FPX PAYMENT, the mock FPX bank, its outcomes, Payment History."""

from __future__ import annotations

import pytest

from tests.mock_portal.browser import BENGKEL, HALIM, Visitor, alert, mails_to
from tests.mock_portal.contribution_helpers import HALIM_CODE
from tests.mock_portal.payment_helpers import (
    BENGKEL_BANK,
    HALIM_BANK,
    RESULT,
    bank_pay,
    control,
    fpx_to_bank,
    submitted,
)
from tests.support.portal import MockPortalProcess

BENGKEL_CODE = "E2303381002K"


@pytest.fixture
def halim_docs(visitor: Visitor, portal: MockPortalProcess) -> list[str]:
    visitor.login(HALIM)
    return [d["number"] for d in submitted(visitor, portal, "halim", HALIM_CODE)]


def test_personal_fpx_pays_both_documents_with_a_transaction_id_receipt_and_email(
    visitor: Visitor, portal: MockPortalProcess, halim_docs: list[str]
) -> None:
    # Given halim's unpaid ACR and ECR in the FPX cart, sent to the bank
    page = fpx_to_bank(visitor, halim_docs)
    assert page.url.path.startswith("/fpx-bank/") and "Bank Login" in page.text
    # When he logs in to the bank and confirms
    page = bank_pay(visitor, page, HALIM_BANK)
    # Then the portal shows the success with an FPX transaction id, both documents are paid
    assert RESULT.search(page.url.path) and "Payment Successful" in page.text
    [payment] = portal.state()["payments"]
    assert (
        payment["status"] == "Successful" and payment["transaction_id"] and payment["documents"] == halim_docs
    )
    assert {d["status"] for d in portal.state()["documents"]} == {"paid"}
    # And the receipt downloads and is emailed; the documents left the unpaid list; history shows it
    receipt = visitor.get(f"/employer/payment/receipts/{payment['reference']}")
    assert receipt.headers["content-type"] == "application/pdf"
    mails = mails_to(portal, HALIM, count=2)
    assert mails[-1]["Subject"] == f"Resit Pembayaran ASSIST {payment['reference']}"
    assert any(part.get_filename() == f"receipt-{payment['reference']}.pdf" for part in mails[-1].walk())
    assert "Tiada rekod." in visitor.get("/employer/payment/fpx").text
    history = visitor.get("/employer/payment/history").text
    assert payment["reference"] in history and "Successful" in history


def test_a_short_balance_is_declined_and_the_documents_stay_unpaid(
    visitor: Visitor, portal: MockPortalProcess, halim_docs: list[str]
) -> None:
    control(portal, "bank/accounts/halim.bank", {"balance": 0})
    page = bank_pay(visitor, fpx_to_bank(visitor, halim_docs), HALIM_BANK)
    assert "Payment Unsuccessful" in (alert(page) or "")
    assert portal.state()["payments"][0]["status"] == "Unsuccessful"
    assert {d["status"] for d in portal.state()["documents"]} == {"unpaid"}


def test_over_the_personal_limit_is_refused_before_the_bank(
    visitor: Visitor, portal: MockPortalProcess, halim_docs: list[str]
) -> None:
    control(portal, f"documents/{halim_docs[0]}/amount", {"amount_sen": 3_000_001})
    page = fpx_to_bank(visitor, halim_docs)
    assert page.status_code == 422 and "outside the FPX limit" in (alert(page) or "")
    assert portal.state()["payments"] == []


def test_corporate_fpx_waits_for_the_authoriser_then_is_paid(
    visitor: Visitor, portal: MockPortalProcess
) -> None:
    visitor.login(BENGKEL)
    docs = [d["number"] for d in submitted(visitor, portal, "bengkel", BENGKEL_CODE)]
    page = bank_pay(visitor, fpx_to_bank(visitor, docs, model="b2b", email=BENGKEL), BENGKEL_BANK)
    assert "Pending Authorisation" in page.text
    [payment] = portal.state()["payments"]
    assert payment["status"] == "Pending Authorisation"
    assert {d["status"] for d in portal.state()["documents"]} == {"unpaid"}
    approved = control(portal, f"fpx/{payment['reference']}/approve").json()
    assert approved["status"] == "Successful" and approved["transaction_id"]
    assert {d["status"] for d in portal.state()["documents"]} == {"paid"}
    assert control(portal, f"fpx/{payment['reference']}/reject").status_code == 409


def test_a_bank_that_never_returns_still_takes_the_money(
    visitor: Visitor, portal: MockPortalProcess, halim_docs: list[str]
) -> None:
    control(portal, "bank/accounts/halim.bank", {"no_return": True})
    page = bank_pay(visitor, fpx_to_bank(visitor, halim_docs), HALIM_BANK)
    assert page.url.path.startswith("/fpx-bank/") and "Processing your payment" in page.text
    assert portal.state()["payments"][0]["status"] == "Successful"
    assert "Successful" in visitor.get("/employer/payment/history").text


def test_wrong_bank_credentials_and_a_personal_account_for_corporate_are_refused(
    visitor: Visitor, portal: MockPortalProcess, halim_docs: list[str]
) -> None:
    page = fpx_to_bank(visitor, halim_docs)
    reference = page.url.path.rsplit("/", 1)[1]
    wrong = visitor.post(f"/fpx-bank/{reference}/login", {"user_id": "halim.bank", "password": "nope"})
    assert wrong.status_code == 401 and alert(wrong) == "Invalid User ID or Password."
    assert portal.state()["payments"][0]["status"] == "Pending"
