"""Retry where the fault is (bot/core/retry.py, flows/pages/base.py): a 5xx on a request that is safe
to repeat (a page, a list, a PDF, a POST whose repeat the portal's state makes safe) is repeated in
place, in the same logged-in session, against the mock portal's real faults (POST /_mock/faults).
The proof that it was in place: the flow ends with ONE login (a step-level retry logs in again)."""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.core.browser import EmployerSession
from bot.core.contributions import Month
from bot.core.settings import EmployerSettings, Settings
from bot.runner import run_for_employers
from flows.contribution import Outcome, contribute, prepare
from flows.payment import PaymentResult
from tests.flows.payment_support import pay_settings, payments, run_pay, submit_month
from tests.support.portal import MockPortalProcess

pytestmark = pytest.mark.timeout(300)


@pytest.fixture
def pay(demo_portfolio: Path, tmp_path: Path) -> Settings:
    return pay_settings(demo_portfolio, tmp_path)


def fault(path: str, method: str = "GET", times: int = 1, after: bool = False) -> dict[str, Any]:
    """One 503 (or `times`) on `path`, answered before the portal acts unless `after`."""
    return {"path": path, "method": method, "status": 503, "error_rate": 1.0, "times": times, "after": after}


def logins(portal: MockPortalProcess) -> int:
    """Successful logins so far (the Given-steps' own HTTP login counts too: compare differences)."""
    return len([a for a in portal.state()["login_attempts"] if a["outcome"] == "success"])


def applied(portal: MockPortalProcess) -> list[int]:
    """How often each fault struck (so that a test cannot pass without its fault)."""
    plan = httpx.get(f"{portal.base_url}/_mock/faults", timeout=10).json()
    return [route["applied"] for route in plan["routes"]]


def test_a_503_on_the_list_and_on_a_pdf_is_repeated_in_place_with_one_login(
    pay: Settings, fresh_portal: MockPortalProcess
) -> None:
    # Given halim's October ACR and ECR, and a portal that answers 503 once to the Payment list and
    # once to each PRINT (the PDF downloads)
    docs = submit_month(fresh_portal, pay, "halim")
    before = logins(fresh_portal)
    fresh_portal.set_faults(
        {
            "routes": [
                fault("/employer/payment"),
                *(fault(f"/employer/payment/documents/{d['number']}/print") for d in docs),
            ]
        }
    )
    # When the bot prepares the bank-counter pack (the list, each document's view, each PDF)
    result = run_pay(pay, "halim", "counter")
    # Then every fault struck, the pack is ready with both PDFs, and the bot logged in once
    assert applied(fresh_portal) == [1, 1, 1]
    assert result.status == "needs-human" and "bank-counter pack ready" in result.detail, result.detail
    pdfs = sorted(pay.records_dir.rglob("*.pdf"))
    assert len(pdfs) == 3 and all(p.read_bytes().startswith(b"%PDF") for p in pdfs), pdfs
    assert logins(fresh_portal) - before == 1


def test_fpx_is_paid_through_a_503_on_a_page_on_add_to_cart_and_on_the_receipt_with_one_login(
    pay: Settings, fresh_portal: MockPortalProcess
) -> None:
    # Given halim's October documents, and one 503 each on the FPX summary page, on ADD TO CART
    # (refused before the portal acted) and on the receipt's download
    submit_month(fresh_portal, pay, "halim")
    before = logins(fresh_portal)
    fresh_portal.set_faults(
        {
            "routes": [
                fault("/employer/payment/fpx/summary"),
                fault("/employer/payment/fpx/cart", "POST"),
                fault("/employer/payment/receipts/*"),
            ]
        }
    )
    results: list[PaymentResult] = []
    # When the bot pays by FPX
    result = run_pay(pay, "halim", "fpx", results=results)
    # Then every fault struck, and one Successful payment was made in one login, its receipt kept
    assert applied(fresh_portal) == [1, 1, 1]
    assert result.status == "done", result.detail
    assert [p["status"] for p in payments(fresh_portal)] == ["Successful"]
    [entry] = results[0].made
    assert Path(entry.receipt).read_bytes().startswith(b"%PDF")
    assert logins(fresh_portal) - before == 1


def test_add_to_cart_is_repeated_only_while_the_reloaded_cart_shows_it_did_not_act(
    pay: Settings, fresh_portal: MockPortalProcess
) -> None:
    # Given two ADD TO CARTs whose answers are lost after the handler ran: the mock keeps the cart
    # in the session cookie that the lost answer carried, so the portal's state is "not in the cart"
    submit_month(fresh_portal, pay, "halim")
    before = logins(fresh_portal)
    fresh_portal.set_faults({"routes": [fault("/employer/payment/fpx/cart", "POST", times=2, after=True)]})
    # When the bot pays by FPX
    result = run_pay(pay, "halim", "fpx")
    # Then each time the reloaded FPX page showed an empty cart, ADD TO CART was pressed again (the
    # third press went through), and the month is paid once, in one login
    assert applied(fresh_portal) == [2]
    assert result.status == "done", result.detail
    assert [p["status"] for p in payments(fresh_portal)] == ["Successful"]
    assert logins(fresh_portal) - before == 1


def test_a_post_that_may_have_acted_is_not_repeated_in_place(
    pay: Settings, fresh_portal: MockPortalProcess
) -> None:
    # Given a bank whose answer to CONFIRM (the click that moves money) is lost after it debited
    submit_month(fresh_portal, pay, "halim")
    before = logins(fresh_portal)
    fresh_portal.set_faults({"routes": [fault("/fpx-bank/confirm/*", "POST", after=True)]})
    # When the bot pays by FPX
    result = run_pay(pay, "halim", "fpx")
    # Then the outcome is unknown (reconciled by the next run), nothing was pressed twice and no
    # fresh login retried the step
    assert result.status == "unknown-outcome", result.detail
    assert logins(fresh_portal) - before == 1
    assert len(payments(fresh_portal)) == 1


def test_data_entry_goes_through_503s_on_its_pages_and_on_a_wage_save_with_one_login(
    settings: Settings, fresh_portal: MockPortalProcess
) -> None:
    # Given klinik's October payroll, and one 503 each on the Contribution menu, on a data-entry
    # page load and on a wage's SAVE (before the portal saved it)
    before = logins(fresh_portal)
    fresh_portal.set_faults(
        {
            "routes": [
                fault("/employer/contribution"),
                fault("/employer/contribution/submissions/*"),
                fault("/employer/contribution/submissions/*", "POST"),
            ]
        }
    )
    employer = settings.employer("klinik")
    month = Month(2026, 10)
    prepared = prepare(employer, month, "socso+eis", None, "entry", settings, today=date(2026, 11, 26))
    outcomes: list[Outcome] = []

    async def work(session: EmployerSession, emp: EmployerSettings, s: Settings) -> str:
        outcome = await contribute(session, emp, s, month=month, scheme="socso+eis", prepared=prepared)
        outcomes.append(outcome)
        return outcome.detail()

    # When the bot sends the month by data entry
    [result] = asyncio.run(run_for_employers(settings, [employer], work))
    # Then every fault struck, the month is submitted once, and in one login
    assert applied(fresh_portal) == [1, 1, 1]
    assert result.status == "done", result.detail
    assert outcomes[0].submitted and outcomes[0].mode == "entry"
    state = fresh_portal.state()
    assert [s["status"] for s in state["submissions"]] == ["submitted"]
    assert logins(fresh_portal) - before == 1
