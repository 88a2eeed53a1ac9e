"""QRG 7 driven by the bot: mandate enrolment (pending until the bank approves), a payment within the
mandate's limit ("Payment has been successfully initiated."), and an amount over it refused first."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.core.browser import EmployerSession
from bot.core.ledger import PAID, Ledger
from bot.core.settings import EmployerSettings, Settings
from bot.runner import run_for_employers
from flows.login import log_in
from flows.payment_dda import enroll_mandates
from tests.flows.payment_support import control, pay_settings, payments, run_pay, submit_month
from tests.support.portal import MockPortalProcess

pytestmark = pytest.mark.timeout(180)


def enroll(settings: Settings, name: str) -> str:
    async def work(session: EmployerSession, e: EmployerSettings, s: Settings) -> str:
        return "; ".join(await enroll_mandates(session, await log_in(session, e, s), e))

    [result] = asyncio.run(run_for_employers(settings, [settings.employer(name)], work))
    assert result.status == "done", result.detail
    return result.detail


def test_mandates_then_a_payment_within_the_limit_and_one_over_it(
    demo_portfolio: Path, fresh_portal: MockPortalProcess, tmp_path: Path
) -> None:
    settings = pay_settings(demo_portfolio, tmp_path)
    submit_month(fresh_portal, settings, "restoran")
    # Before any mandate, paying needs a person
    assert run_pay(settings, "restoran", "dda").status == "needs-human"
    # When the bot enrolls the mandates (SOCSO and EIS) with every QRG 7 field
    assert "pending" in enroll(settings, "restoran").lower()
    mandates = fresh_portal.state()["mandates"]
    assert sorted(m["scheme"] for m in mandates) == ["eis", "socso"]
    assert all(m["limit_sen"] == 500000 and m["max_frequency"] == 2 and m["phone"] for m in mandates)
    assert run_pay(settings, "restoran", "dda").status == "needs-human"  # still pending at the bank
    for m in mandates:
        control(fresh_portal, f"mandates/{m['reference']}/approve")
    # When the bot pays by direct debit
    result = run_pay(settings, "restoran", "dda")
    # Then both documents are paid, once each
    assert result.status == "done", result.detail
    assert [(p["method"], p["status"]) for p in payments(fresh_portal)] == [("dda", "Successful")] * 2
    ledger = Ledger.of(settings)
    assert [e.state for e in ledger.entries()] == [PAID, PAID]
    ledger.close()


def test_an_amount_over_the_mandate_limit_fails_before_any_debit(
    demo_portfolio: Path, fresh_portal: MockPortalProcess, tmp_path: Path
) -> None:
    settings = pay_settings(demo_portfolio, tmp_path)
    docs = submit_month(fresh_portal, settings, "tadika", scheme="eis")
    enroll(settings, "tadika")
    for mandate in fresh_portal.state()["mandates"]:
        control(fresh_portal, f"mandates/{mandate['reference']}/approve")
    control(fresh_portal, f"documents/{docs[0]['number']}/amount", {"amount_sen": 300001})
    result = run_pay(settings, "tadika", "dda")
    assert result.status == "failed" and "over the EIS mandate" in result.detail
    assert payments(fresh_portal) == []
