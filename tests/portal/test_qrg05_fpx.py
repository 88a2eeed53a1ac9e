"""QRG 5 – Online payment by FPX: `FPX PAYMENT`'s unpaid ACR/ECR, the cart, the summary and the
Payment Information screen, and Payment History (read-only: the walk stops before `PROCEED` opens an
FPX transaction); a month paid end to end by the bot with the portal's transaction id and receipt
(mutation)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bot.core.browser import EmployerSession
from bot.core.errors import BusinessError
from bot.core.ledger import PAID
from bot.core.settings import EmployerSettings, Settings
from flows.pages.fpx import FpxDetailsRefusedPage, FpxResultPage
from flows.pages.home import HomePage
from flows.pages.payment_history import PENDING, PENDING_AUTH, PENDING_VERIFICATION, SUCCESSFUL, UNSUCCESSFUL
from flows.payment_fpx import pay_fpx
from tests.flows.payment_support import control
from tests.portal.conftest import drift_explained, expect_screen
from tests.portal.walks import walk_login, walk_to_payment
from tests.portal.walks_payment import (
    OCT,
    given_fpx_payment,
    ledger_in,
    payer,
    payment_list,
    pdf_text,
    records,
    submitted_month,
    unpaid_or_skip,
    walk_fpx_to_details,
    walk_to_fpx,
    walk_to_history,
)
from tests.support.portal import MockPortalProcess

pytestmark = pytest.mark.timeout(120)
STATUSES = {SUCCESSFUL, UNSUCCESSFUL, PENDING_AUTH, PENDING, PENDING_VERIFICATION}


@pytest.fixture
def qa_employer(qa_settings: Settings) -> EmployerSettings:
    """The test account paying by FPX: the portfolio's first with payment_method = "fpx"."""
    return payer(qa_settings, "fpx")


async def test_fpx_payment_lists_the_unpaid_acr_ecr(
    mock: MockPortalProcess | None,
    october: list[dict[str, Any]],
    qa_session: EmployerSession,
    qa_employer: EmployerSettings,
    qa_settings: Settings,
) -> None:
    # Given the account's documents on the Payment page
    before = records(mock)
    home = await walk_login(qa_session, qa_employer, qa_settings)
    payment, rows = await payment_list(home)
    assert {d["number"] for d in october} <= {r.number for r in rows}, rows
    # When it opens FPX PAYMENT (QRG 5 step 1)
    fpx = await walk_to_fpx(payment)
    await qa_session.step("fpx-payment")
    # Then the list to tick is exactly the Payment page's unpaid ACR/ECR
    assert sorted(await fpx.unpaid()) == sorted(r.number for r in rows if r.status == "UNPAID")
    # And nothing was recorded
    assert records(mock) == before


async def test_the_cart_summary_and_payment_information_screens(
    mock: MockPortalProcess | None,
    october: list[dict[str, Any]],
    qa_session: EmployerSession,
    qa_employer: EmployerSettings,
    qa_settings: Settings,
) -> None:
    # Given the account's unpaid ACR/ECR
    before = records(mock)
    home = await walk_login(qa_session, qa_employer, qa_settings)
    payment, rows = await payment_list(home)
    unpaid = unpaid_or_skip(rows)
    expected = {r.number: r.amount for r in unpaid}
    # When they are ticked, ADD TO CART, PROCEED TO SUMMARY, CONTINUE (QRG 5 steps 2-5)
    walk, _ = await walk_fpx_to_details(await walk_to_fpx(payment), sorted(expected))
    await qa_session.step("fpx-payment-information")
    # Then the cart and the summary hold exactly them, at the Payment page's amounts
    assert walk.cart.lines == expected and walk.cart.total == sum(expected.values()), walk
    assert walk.summary == walk.cart
    # And the Payment Information screen (Business Model, Email Address, Bank List, PROCEED) was there
    # (checked by the walk); nothing was recorded (the cart lives in the session) and nothing was paid
    assert records(mock) == before
    _, after = await payment_list(home)
    assert {r.number for r in after if r.status == "UNPAID"} >= set(expected)


async def test_a_refused_proceed_gives_the_reason_and_opens_no_fpx_transaction(
    mock: MockPortalProcess | None,
    october: list[dict[str, Any]],
    qa_session: EmployerSession,
    qa_employer: EmployerSettings,
    qa_settings: Settings,
) -> None:
    if mock is None:
        pytest.skip("needs a document above the FPX retail limit: set through the bundled mock's control API")
    # Given an unpaid document above the retail (B2C) FPX limit of RM30,000, in the cart at Payment Information
    control(mock, f"documents/{october[0]['number']}/amount", {"amount_sen": 3_000_001})
    before = records(mock)
    home = await walk_login(qa_session, qa_employer, qa_settings)
    payment, _ = await payment_list(home)
    _, details = await walk_fpx_to_details(await walk_to_fpx(payment), [october[0]["number"]])
    # When PROCEED is pressed as a retail (B2C) payer
    await details.fill("b2c", qa_employer.login_email, qa_employer.bank.bank)
    with pytest.raises(BusinessError, match="outside the FPX limit"):
        await details.proceed()
    # Then the form is shown again with the reason, as its page object declares it, and no FPX
    # transaction was opened
    await expect_screen(qa_session.page, FpxDetailsRefusedPage)
    assert records(mock) == before


@pytest.fixture
def paid_october(
    mock: MockPortalProcess | None, october: list[dict[str, Any]], qa_employer: EmployerSettings
) -> dict[str, Any] | None:
    """On the bundled mock, October paid by FPX (over HTTP), for Payment History to show."""
    return given_fpx_payment(mock, qa_employer, october)


async def test_payment_history_lists_each_payment_with_its_status(
    mock: MockPortalProcess | None,
    paid_october: dict[str, Any] | None,
    qa_session: EmployerSession,
    qa_employer: EmployerSettings,
    qa_settings: Settings,
) -> None:
    # Given the account's payments
    before = records(mock)
    home = await walk_login(qa_session, qa_employer, qa_settings)
    # When it opens Payment → Payment History
    history = await walk_to_history(await walk_to_payment(home))
    rows = await history.rows()
    await qa_session.step("payment-history")
    # Then every payment has a reference, a method, documents and a known status
    for row in rows:
        assert row.reference and row.method and row.documents and row.status in STATUSES, row
        assert row.transaction_id or row.status != SUCCESSFUL or row.method != "FPX", row
    # And (on the bundled mock) October's FPX payment is there as the portal recorded it
    if paid_october is not None:
        [row] = [r for r in rows if r.reference == paid_october["reference"]]
        assert (row.method, row.status, row.transaction_id, sorted(row.documents), row.amount) == (
            "FPX",
            SUCCESSFUL,
            paid_october["transaction_id"],
            sorted(paid_october["documents"]),
            paid_october["amount_sen"],
        )
    assert records(mock) == before


@pytest.mark.mutation
@pytest.mark.timeout(300)
async def test_a_month_is_paid_by_fpx_with_the_portals_transaction_id_and_receipt(
    qa_session: EmployerSession,
    qa_employer: EmployerSettings,
    qa_settings: Settings,
    tmp_path: Path,
) -> None:
    # Given October 2026 submitted (QRG 4) and unpaid
    rows = await submitted_month(qa_session, qa_employer, qa_settings)
    assert rows and all(r.status == "UNPAID" for r in rows), rows
    numbers, amount = sorted(r.number for r in rows), sum(r.amount for r in rows)
    home = HomePage(qa_session.page)
    payment = await walk_to_payment(home)
    # When the bot pays them by FPX: cart, summary, Payment Information, PROCEED, the bank's login, CONFIRM
    ledger = ledger_in(tmp_path)
    try:
        async with drift_explained(qa_session.page):
            entry = await pay_fpx(qa_session, qa_employer, payment, ledger, OCT, rows)
    finally:
        ledger.close()
    # Then the portal's outcome page shows the payment Successful with its FPX transaction id
    await expect_screen(qa_session.page, FpxResultPage)
    details = await FpxResultPage(qa_session.page).read()
    assert details["Status"] == SUCCESSFUL and details["FPX Transaction ID"] not in ("", "-"), details
    assert entry.state == PAID and entry.transaction_id == details["FPX Transaction ID"], entry
    assert sorted(details["Documents"].replace(",", " ").split()) == numbers, details
    # And its receipt (PDF) names the payment, the transaction id and the amount
    receipt = pdf_text(Path(entry.receipt))
    assert details["Reference No."] in receipt and details["FPX Transaction ID"] in receipt, receipt
    assert f"RM {amount / 100:,.2f}" in receipt, receipt
    # And Payment History and the Payment page say the same
    history = await walk_to_history(await walk_to_payment(home))
    [row] = [r for r in await history.rows() if r.reference == details["Reference No."]]
    assert (row.status, row.transaction_id, sorted(row.documents), row.amount) == (
        SUCCESSFUL,
        entry.transaction_id,
        numbers,
        amount,
    ), row
    _, after = await payment_list(home)
    assert {r.number: r.status for r in after if r.number in numbers} == {n: "PAID" for n in numbers}


async def test_a_renamed_add_to_cart_is_reported_on_the_fpx_screen(
    mock: MockPortalProcess | None,
    october: list[dict[str, Any]],
    qa_session: EmployerSession,
    qa_employer: EmployerSettings,
    qa_settings: Settings,
) -> None:
    if mock is None:
        pytest.skip("rehearsing drift needs the bundled mock portal's faults")
    # Given the portal renamed ADD TO CART
    mock.set_faults({"labels": {"ADD TO CART": "TAMBAH KE TROLI"}})
    payment = await walk_to_payment(await walk_login(qa_session, qa_employer, qa_settings))
    # When FPX PAYMENT is walked
    with pytest.raises(AssertionError) as failed:
        await walk_to_fpx(payment)
    # Then the report names the screen, the missing button, what is there now and the page object
    report = str(failed.value)
    assert "screen 'FPX PAYMENT'" in report and "button 'ADD TO CART' is missing" in report, report
    assert "'TAMBAH KE TROLI'" in report and "update flows.pages.fpx.FpxPaymentPage" in report, report
