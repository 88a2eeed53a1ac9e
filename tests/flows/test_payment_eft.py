"""QRG 6 driven by the bot: one-time registration, the transfer recorded per scheme with its slip,
Pending Verification until PERKESO verifies, then `reconcile` marks it paid."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.core.browser import EmployerSession
from bot.core.ledger import PAID, SUBMITTED, Ledger
from bot.core.settings import EmployerSettings, Settings
from bot.runner import run_for_employers
from flows.payment import PayOptions, reconcile
from tests.flows.payment_support import control, pay_settings, payments, run_pay, submit_month
from tests.support.portal import MockPortalProcess

pytestmark = pytest.mark.timeout(180)


def test_eft_is_registered_recorded_per_scheme_and_reconciled_after_verification(
    demo_portfolio: Path, fresh_portal: MockPortalProcess, tmp_path: Path
) -> None:
    settings = pay_settings(demo_portfolio, tmp_path)
    submit_month(fresh_portal, settings, "klinik")
    slip = tmp_path / "slip-TRX0091.pdf"
    slip.write_bytes(b"%PDF-1.4 bank transfer slip")
    # Without a slip the transfer is a person's job
    assert run_pay(settings, "klinik", "eft").status == "needs-human"
    # When the bot records the transfer with the slip
    result = run_pay(settings, "klinik", "eft", PayOptions(slip=slip))
    # Then it registered once and recorded one EFT per scheme, pending verification
    assert result.status == "done", result.detail
    assert len(fresh_portal.state()["eft_registrations"]) == 1
    recorded = payments(fresh_portal)
    assert [(p["method"], p["status"], p["payer_reference"]) for p in recorded] == [
        ("eft", "Pending Verification", "slip-TRX0091")
    ] * 2
    ledger = Ledger.of(settings)
    assert [e.state for e in ledger.entries()] == [SUBMITTED, SUBMITTED]
    # And a second pay does not record it again
    assert run_pay(settings, "klinik", "eft", PayOptions(slip=slip)).status == "needs-human"
    assert len(payments(fresh_portal)) == 2
    # When PERKESO verifies both, reconcile marks them paid
    for p in recorded:
        control(fresh_portal, f"eft/{p['reference']}/verify")

    async def work(session: EmployerSession, e: EmployerSettings, s: Settings) -> str:
        return "; ".join(c.describe() for c in await reconcile(session, e, s, ledger))

    [done] = asyncio.run(run_for_employers(settings, [settings.employer("klinik")], work))
    assert done.status == "done", done.detail
    assert [e.state for e in ledger.entries()] == [PAID, PAID]
    ledger.close()
