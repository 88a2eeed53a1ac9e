"""QRG 6 – Online payment by EFT: the `ELECTRONIC FUND TRANSFER` menus, the one-time Registration form,
`SEARCH`, the cart and the transfer's details, which refuse an amount other than the cart's (read-only:
nothing is submitted); the registration and a month's transfers recorded end to end by the bot,
Pending Verification in Payment History (mutation)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bot.core.browser import EmployerSession
from bot.core.errors import BusinessError
from bot.core.ledger import SUBMITTED
from bot.core.settings import EmployerSettings, Settings
from flows.pages.eft import (
    NOT_REGISTERED,
    REGISTERED,
    EftConfirmationPage,
    EftDetailsPage,
    EftPaymentPage,
    EftPaymentWithCart,
    EftRegistrationPage,
    EftSearchedPage,
)
from flows.pages.home import HomePage
from flows.pages.payment_history import PENDING_VERIFICATION
from flows.payment_claim import PayOptions
from flows.payment_eft import pay_eft, register_eft
from tests.portal.conftest import drift_explained, expect_screen
from tests.portal.walks import walk_login, walk_to_payment
from tests.portal.walks_payment import (
    OCT,
    SCHEME_OF_DOCUMENT,
    given_eft_registration,
    given_submitted_month,
    ledger_in,
    payer,
    payment_list,
    records,
    submitted_month,
    unpaid_or_skip,
    walk_to_eft,
    walk_to_history,
)
from tests.support.portal import MockPortalProcess

pytestmark = pytest.mark.timeout(120)


@pytest.fixture
def qa_employer(qa_settings: Settings) -> EmployerSettings:
    """The test account paying by EFT: the portfolio's first with payment_method = "eft"."""
    return payer(qa_settings, "eft")


def slip(folder: Path) -> Path:
    """A transfer slip to upload (PDF, JPG or PNG)."""
    path = folder / "slip-QA-EFT-0001.pdf"
    path.write_bytes(b"%PDF-1.4\n% QA transfer slip\n")
    return path


async def test_the_eft_menus_lead_to_the_registration_and_payment_screens(
    mock: MockPortalProcess | None,
    qa_session: EmployerSession,
    qa_employer: EmployerSettings,
    qa_settings: Settings,
) -> None:
    # Given a logged-in test account (on the bundled mock: not registered for EFT yet)
    before = records(mock)
    home = await walk_login(qa_session, qa_employer, qa_settings)
    # When it opens ELECTRONIC FUND TRANSFER → SOCSO → Registration (QRG 6 step 2)
    await walk_to_eft(home, "SOCSO", "Registration")
    # Then the registration form asks for Email Address*, Contact No.*, Officer Name* (not submitted)
    await expect_screen(home.page, EftRegistrationPage)
    await qa_session.step("eft-registration")
    # When it opens ELECTRONIC FUND TRANSFER → EIS → Payment (QRG 6 step 6)
    await walk_to_eft(home, "EIS", "Payment")
    # Then the payment screen is there; an unregistered account is sent to the registration first
    await expect_screen(home.page, EftPaymentPage)
    await qa_session.step("eft-payment")
    if mock is not None:
        assert await EftPaymentPage(home.page).alert_text() == NOT_REGISTERED
    assert records(mock) == before


@pytest.fixture
def registered_october(
    mock: MockPortalProcess | None, qa_settings: Settings, qa_employer: EmployerSettings
) -> list[dict[str, Any]]:
    """On the bundled mock: October 2026 submitted and the EFT registration done (over HTTP)."""
    documents = given_submitted_month(mock, qa_settings, qa_employer)
    given_eft_registration(mock, qa_employer)
    return documents


async def test_search_finds_the_unpaid_document_and_the_details_refuse_another_amount(
    mock: MockPortalProcess | None,
    registered_october: list[dict[str, Any]],
    qa_session: EmployerSession,
    qa_employer: EmployerSettings,
    qa_settings: Settings,
    tmp_path: Path,
) -> None:
    # Given an unpaid ACR/ECR of the (EFT-registered) account
    before = records(mock)
    home = await walk_login(qa_session, qa_employer, qa_settings)
    _, rows = await payment_list(home)
    document = unpaid_or_skip(rows)[0]
    scheme = SCHEME_OF_DOCUMENT[document.type]
    # When its scheme's EFT Payment is searched by employer code (QRG 6 steps 6-7)
    await walk_to_eft(home, scheme, "Payment")
    page = EftPaymentPage(home.page)
    async with drift_explained(home.page):
        searched = await page.search(qa_employer.employer_code)
    await expect_screen(home.page, EftSearchedPage)
    # Then the result is exactly the scheme's unpaid documents of the Payment page
    same_scheme = [r.number for r in rows if r.status == "UNPAID" and r.type == document.type]
    assert sorted(await searched.unpaid()) == sorted(same_scheme)
    # When it is ticked, ADD TO CART, PROCEED TO PAYMENT (step 8)
    async with drift_explained(home.page):
        filled = await searched.fill_cart([document.number])
    await expect_screen(home.page, EftPaymentWithCart)
    cart = await filled.cart()
    async with drift_explained(home.page):
        details = await filled.proceed_to_payment()
    await expect_screen(home.page, EftDetailsPage)
    await qa_session.step("eft-details")
    # Then the cart holds it at the Payment page's amount
    assert (cart.lines, cart.total) == ({document.number: document.amount}, document.amount), cart
    # When the details give an amount other than the cart's (step 9) and CONTINUE
    latest = await details.latest_date()
    await details.fill(latest, "QA-NOT-A-TRANSFER", document.amount + 100, slip(tmp_path))
    with pytest.raises(BusinessError) as refused:
        await details.continue_()
    # Then the portal refuses it with its reason and stays on the details; nothing was recorded
    assert "Amount (RM)" in str(refused.value), refused.value
    await expect_screen(home.page, EftDetailsPage)
    assert records(mock) == before


@pytest.mark.mutation
@pytest.mark.timeout(300)
async def test_the_account_registers_and_a_months_transfers_are_recorded_pending_verification(
    qa_session: EmployerSession,
    qa_employer: EmployerSettings,
    qa_settings: Settings,
    tmp_path: Path,
) -> None:
    # Given October 2026 submitted (QRG 4) and a transfer made at the bank (its slip)
    rows = await submitted_month(qa_session, qa_employer, qa_settings)
    assert rows and all(r.status == "UNPAID" for r in rows), rows
    home = HomePage(qa_session.page)
    # When the bot registers for EFT (QRG 6 steps 1-5)
    async with drift_explained(qa_session.page):
        notice = await register_eft(qa_session, home, qa_employer)
    # Then the portal confirms the registration
    await expect_screen(qa_session.page, EftRegistrationPage)
    assert notice == REGISTERED, notice
    # When it records the transfer of each document with the slip (steps 6-11)
    ledger = ledger_in(tmp_path)
    try:
        async with drift_explained(qa_session.page):
            entries, _ = await pay_eft(
                qa_session, qa_employer, qa_settings, home, ledger, OCT, rows, PayOptions(slip=slip(tmp_path))
            )
    finally:
        ledger.close()
    # Then the confirmation screen (step 12) gave each transfer a reference
    await expect_screen(qa_session.page, EftConfirmationPage)
    assert [e.state for e in entries] == [SUBMITTED] * len(rows) and all(e.portal_reference for e in entries)
    # And Payment History lists each, Pending Verification, for its document; the documents stay unpaid
    # until PERKESO verifies the transfer
    history = await walk_to_history(await walk_to_payment(home))
    listed = {r.reference: r for r in await history.rows()}
    for entry in entries:
        row = listed[str(entry.portal_reference)]
        assert (row.status, row.documents, row.amount) == (
            PENDING_VERIFICATION,
            entry.documents,
            entry.amount_sen,
        ), row
    numbers = {r.number for r in rows}
    _, after = await payment_list(home)
    assert {r.number: r.status for r in after if r.number in numbers} == {n: "UNPAID" for n in numbers}
