"""Faults of the payment side and of mail by probability: the FPX bank's errors and lost returns per
payment, duplicate mail with a probability, and FPX's time-out of a transaction left `Pending`."""

from __future__ import annotations

import time

import httpx
import pytest

from tests.mock_portal.browser import CAHAYA, HALIM, Visitor, mails_to
from tests.mock_portal.contribution_helpers import HALIM_CODE
from tests.mock_portal.payment_helpers import HALIM_BANK, bank_pay, fpx_to_bank, submitted
from tests.support.portal import MockPortalProcess


@pytest.fixture
def halim_docs(visitor: Visitor, portal: MockPortalProcess) -> list[str]:
    visitor.login(HALIM)
    return [d["number"] for d in submitted(visitor, portal, "halim", HALIM_CODE)]


def balance(portal: MockPortalProcess, user: str) -> int:
    return next(a["balance_sen"] for a in portal.state()["bank_accounts"] if a["user"] == user)


def test_duplicate_rate_duplicates_some_mails(visitor: Visitor, portal: MockPortalProcess) -> None:
    # Given half of the mails duplicated
    portal.set_faults({"seed": 2, "mail": {"duplicate_rate": 0.5}})
    # When ten passwords are asked for
    for _ in range(10):
        visitor.request_password(CAHAYA)
    # Then some, not all, arrive twice, and every copy is delivered
    duplicated = [m["duplicated"] for m in portal.state()["mails"]]
    assert len(duplicated) == 10 and 0 < sum(duplicated) < 10
    assert len(mails_to(portal, CAHAYA, count=10 + sum(duplicated))) == 10 + sum(duplicated)


def test_bank_errors_answer_before_the_bank_acts(
    visitor: Visitor, portal: MockPortalProcess, halim_docs: list[str]
) -> None:
    # Given halim logged in at the bank, then every bank page answering 502 (the portal's untouched)
    page = fpx_to_bank(visitor, halim_docs)
    reference = page.url.path.rsplit("/", 1)[1]
    before = balance(portal, HALIM_BANK[0])
    visitor.post(f"/fpx-bank/{reference}/login", {"user_id": HALIM_BANK[0], "password": HALIM_BANK[1]})
    portal.set_faults({"bank": {"error_rate": 1.0, "status": 502}})
    # When CONFIRM is pressed and the bank's page reloaded
    assert visitor.post(f"/fpx-bank/confirm/{reference}", {}).status_code == 502
    assert visitor.get(f"/fpx-bank/{reference}/confirm").status_code == 502
    assert visitor.get("/employer/payment/history").status_code == 200
    # Then nothing was debited and the transaction is still Pending
    assert balance(portal, HALIM_BANK[0]) == before
    assert [p["status"] for p in portal.state()["payments"]] == ["Pending"]
    # And once the bank is back, the same transaction goes through
    portal.set_faults({})
    assert visitor.get(f"/fpx-bank/{reference}/confirm").status_code == 200
    assert "Payment Successful" in visitor.post(f"/fpx-bank/confirm/{reference}", {}).text


def test_no_return_rate_loses_the_return_of_some_payments_that_were_all_debited(
    visitor: Visitor, portal: MockPortalProcess, halim_docs: list[str]
) -> None:
    # Given a bank that never returns after CONFIRM, drawn per payment
    portal.set_faults({"seed": 5, "bank": {"no_return_rate": 1.0}})
    before = balance(portal, HALIM_BANK[0])
    # When halim pays
    page = bank_pay(visitor, fpx_to_bank(visitor, halim_docs), HALIM_BANK)
    # Then the browser stays at the bank, yet the money moved and the portal knows it
    assert page.url.path.startswith("/fpx-bank/") and "Processing your payment" in page.text
    [payment] = portal.state()["payments"]
    assert payment["status"] == "Successful"
    assert balance(portal, HALIM_BANK[0]) == before - payment["amount_sen"]
    # And the account itself is not marked no_return: it is the payment that lost its return
    assert not next(a for a in portal.state()["bank_accounts"] if a["user"] == HALIM_BANK[0])["no_return"]


def test_a_pending_fpx_transaction_times_out_to_unsuccessful(
    visitor: Visitor, portal: MockPortalProcess, halim_docs: list[str]
) -> None:
    # Given an FPX time-out of 2 s and a transaction sent to the bank, never confirmed
    portal.set_faults({"fpx_pending_expiry_seconds": 2})
    page = fpx_to_bank(visitor, halim_docs)
    reference = page.url.path.rsplit("/", 1)[1]
    assert portal.state()["payments"][0]["status"] == "Pending"
    before = balance(portal, HALIM_BANK[0])
    # When the time-out passes
    time.sleep(2.5)
    visitor.get(page.url.path)  # the bank's page, for its form token
    # Then Payment History shows it Unsuccessful with FPX's reason, the bank refuses to confirm it,
    # nothing was debited and the documents can be paid with a new transaction
    history = visitor.get("/employer/payment/history").text
    assert reference in history and "Unsuccessful" in history
    [payment] = portal.state()["payments"]
    assert payment["status"] == "Unsuccessful" and "timed out" in payment["reason"]
    login = visitor.post(
        f"/fpx-bank/{reference}/login", {"user_id": HALIM_BANK[0], "password": HALIM_BANK[1]}
    )
    assert login.status_code == 409 and "no longer open" in login.text
    assert balance(portal, HALIM_BANK[0]) == before
    page = bank_pay(visitor, fpx_to_bank(visitor, halim_docs), HALIM_BANK)
    assert "Payment Successful" in page.text
    assert [p["status"] for p in portal.state()["payments"]] == ["Unsuccessful", "Successful"]


def test_bad_payment_faults_are_refused(portal: MockPortalProcess) -> None:
    for bad in (
        {"bank": {"error_rate": 2}},
        {"bank": {"status": 200}},
        {"bank": {"lost": True}},
        {"mail": {"duplicate_rate": -0.1}},
        {"fpx_pending_expiry_seconds": 0},
    ):
        assert httpx.post(f"{portal.base_url}/_mock/faults", json=bad).status_code == 400, bad


def test_the_expiry_from_the_command_line(tmp_path: object) -> None:
    # Given a portal started with --fpx-pending-expiry 1
    with MockPortalProcess(extra_args=["--fpx-pending-expiry", "1"]) as portal, Visitor(portal) as visitor:
        visitor.login(HALIM)
        docs = [d["number"] for d in submitted(visitor, portal, "halim", HALIM_CODE)]
        fpx_to_bank(visitor, docs)
        # When a second and a half passes, then the transaction has timed out
        time.sleep(1.5)
        assert [p["status"] for p in portal.state()["payments"]] == ["Unsuccessful"]
