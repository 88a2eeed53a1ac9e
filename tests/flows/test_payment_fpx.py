"""QRG 5 driven by the bot in real Chromium against the mock portal and its mock FPX bank: paid
exactly once, declined, corporate pending, over the limit, no bank credentials, no return."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.ledger import ABANDONED, AWAITING, DECLINED, PAID, UNKNOWN, Ledger
from bot.core.settings import Settings
from flows.payment import PaymentResult
from tests.flows.payment_support import control, pay_settings, payments, run_pay, submit_month
from tests.support.portal import MockPortalProcess

pytestmark = pytest.mark.timeout(180)


@pytest.fixture
def pay(demo_portfolio: Path, tmp_path: Path) -> Settings:
    return pay_settings(demo_portfolio, tmp_path)


def ledger_states(settings: Settings) -> list[str]:
    ledger = Ledger.of(settings)
    try:
        return [e.state for e in ledger.entries()]
    finally:
        ledger.close()


def test_personal_fpx_pays_the_month_once_with_receipt(
    pay: Settings, fresh_portal: MockPortalProcess
) -> None:
    # Given halim's October ACR and ECR, unpaid
    docs = submit_month(fresh_portal, pay, "halim")
    results: list[PaymentResult] = []
    # When the bot pays by FPX
    result = run_pay(pay, "halim", "fpx", results=results)
    # Then one Successful FPX payment covers both documents, with the receipt in the records folder
    assert result.status == "done", result.detail
    [payment] = payments(fresh_portal)
    assert payment["status"] == "Successful" and sorted(payment["documents"]) == sorted(
        d["number"] for d in docs
    )
    [entry] = results[0].made
    assert entry.state == PAID and entry.transaction_id == payment["transaction_id"]
    records = pay.records_dir / "halim" / "2026-10"
    assert Path(entry.receipt).parent == records and Path(entry.receipt).read_bytes().startswith(b"%PDF")
    # And the same command again pays nothing
    again = run_pay(pay, "halim", "fpx")
    assert again.status == "done" and "already paid" in again.detail
    assert len(payments(fresh_portal)) == 1


def test_declined_is_a_business_error_and_a_later_run_may_pay(
    pay: Settings, fresh_portal: MockPortalProcess
) -> None:
    submit_month(fresh_portal, pay, "halim")
    control(fresh_portal, "bank/accounts/halim.bank", {"balance": 0})
    result = run_pay(pay, "halim", "fpx")
    assert result.status == "failed" and result.error == "BusinessError" and "declined" in result.detail
    assert ledger_states(pay) == [DECLINED]
    control(fresh_portal, "bank/accounts/halim.bank", {"balance": 50000})
    assert run_pay(pay, "halim", "fpx").status == "done"
    assert [p["status"] for p in payments(fresh_portal)] == ["Unsuccessful", "Successful"]


def test_corporate_fpx_awaits_the_authoriser_then_reconcile_marks_it_paid(
    pay: Settings, fresh_portal: MockPortalProcess
) -> None:
    submit_month(fresh_portal, pay, "bengkel")
    result = run_pay(pay, "bengkel", "fpx")
    assert result.status == "needs-human" and "awaiting authoriser" in result.detail
    assert ledger_states(pay) == [AWAITING]
    # A rerun before approval pays nothing
    assert run_pay(pay, "bengkel", "fpx").status == "needs-human"
    [payment] = payments(fresh_portal)
    control(fresh_portal, f"fpx/{payment['reference']}/approve")
    after = run_pay(pay, "bengkel", "fpx")
    assert after.status == "done" and "already paid" in after.detail, after.detail
    assert ledger_states(pay) == [PAID] and len(payments(fresh_portal)) == 1


def test_over_the_fpx_limit_fails_before_any_bank_page(
    pay: Settings, fresh_portal: MockPortalProcess
) -> None:
    docs = submit_month(fresh_portal, pay, "halim")
    control(fresh_portal, f"documents/{docs[0]['number']}/amount", {"amount_sen": 3_000_001})
    result = run_pay(pay, "halim", "fpx")
    assert result.status == "failed" and "outside the FPX personal (B2C) limit" in result.detail
    assert payments(fresh_portal) == [] and ledger_states(pay) == []


def test_without_bank_credentials_the_bot_stops_at_the_bank_page(
    pay: Settings, fresh_portal: MockPortalProcess
) -> None:
    submit_month(fresh_portal, pay, "siti", scheme="socso")
    result = run_pay(pay, "siti", "fpx")
    assert result.status == "needs-human" and "no bank credentials" in result.detail
    [payment] = payments(fresh_portal)
    assert payment["reference"] in result.detail and payment["status"] == "Pending"
    assert ledger_states(pay) == [ABANDONED]


def test_a_transaction_left_at_the_bank_page_and_finished_by_a_person_is_paid_in_the_ledger(
    pay: Settings, fresh_portal: MockPortalProcess
) -> None:
    # Given siti's FPX left at the bank's login page (no bank credentials): abandoned in the ledger
    submit_month(fresh_portal, pay, "siti", scheme="socso")
    assert run_pay(pay, "siti", "fpx").status == "needs-human"
    [payment] = payments(fresh_portal)
    assert ledger_states(pay) == [ABANDONED]
    # When siti finishes that transaction at the bank in her own browser, and the bot pays again
    control(fresh_portal, f"fpx/{payment['reference']}/complete")
    after = run_pay(pay, "siti", "fpx")
    # Then the month is found paid, the ledger's entry of that reference is paid, no new payment
    assert after.status == "done" and "already paid" in after.detail, after.detail
    assert ledger_states(pay) == [PAID] and len(payments(fresh_portal)) == 1


def test_no_return_from_the_bank_is_unknown_and_the_next_pay_reconciles_and_pays_nothing(
    pay: Settings, fresh_portal: MockPortalProcess
) -> None:
    submit_month(fresh_portal, pay, "halim")
    control(fresh_portal, "bank/accounts/halim.bank", {"no_return": True})
    first = run_pay(pay, "halim", "fpx")
    assert first.status == "unknown-outcome" and first.exit_code == 2, first.detail
    assert ledger_states(pay) == [UNKNOWN]
    control(fresh_portal, "bank/accounts/halim.bank", {"no_return": False})
    second = run_pay(pay, "halim", "fpx")
    assert second.status == "done" and "reconciled" in second.detail and "already paid" in second.detail
    assert ledger_states(pay) == [PAID]
    assert len(payments(fresh_portal)) == 1
