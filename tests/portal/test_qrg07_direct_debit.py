"""QRG 7 – Online payment by Direct Debit Authorization: the `Direct Debit` menus, a scheme's mandates,
the `ENROLL NEW` form and the mandate's Payment History, and a payment walked to `Mandate List*`
(read-only: nothing is enrolled or debited); mandates enrolled and a month debited end to end by the
bot, "Payment has been successfully initiated." and the status in Payment History (mutation)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bot.core.browser import EmployerSession
from bot.core.ledger import PAID
from bot.core.settings import EmployerSettings, Settings
from flows.pages.direct_debit import DirectDebitPaymentPage, MandateEnrolPage, MandatePage
from flows.pages.home import HomePage
from flows.pages.payment_history import SUCCESSFUL, DirectDebitHistoryPage
from flows.payment_dda import enroll_mandates, pay_dda
from tests.portal.conftest import drift_explained, expect_screen
from tests.portal.walks import walk_login
from tests.portal.walks_payment import (
    OCT,
    SCHEME_OF_DOCUMENT,
    approve_mandates,
    given_approved_mandates,
    given_submitted_month,
    ledger_in,
    payer,
    payment_list,
    records,
    submitted_month,
    unpaid_or_skip,
    walk_dda_to_mandate_list,
    walk_to_dda,
    walk_to_history,
)
from tests.support.portal import MockPortalProcess

pytestmark = pytest.mark.timeout(120)
MANDATE_STATUSES = {"Pending Approval", "Approved", "Rejected"}


@pytest.fixture
def qa_employer(qa_settings: Settings) -> EmployerSettings:
    """The test account paying by direct debit: the portfolio's first with payment_method = "dda"."""
    return payer(qa_settings, "dda")


@pytest.fixture
def mandates(mock: MockPortalProcess | None, qa_employer: EmployerSettings) -> list[dict[str, Any]]:
    """On the bundled mock: a SOCSO and an EIS mandate, enrolled (over HTTP) and approved by the bank."""
    return given_approved_mandates(mock, qa_employer)


async def test_the_mandates_the_enrol_form_and_the_mandates_payment_history(
    mock: MockPortalProcess | None,
    mandates: list[dict[str, Any]],
    qa_session: EmployerSession,
    qa_employer: EmployerSettings,
    qa_settings: Settings,
) -> None:
    # Given the account's mandates
    before = records(mock)
    home = await walk_login(qa_session, qa_employer, qa_settings)
    # When it opens Direct Debit → SOCSO → Mandate (QRG 7 step 2)
    await walk_to_dda(home, "SOCSO", "Mandate")
    await expect_screen(home.page, MandatePage)
    listed = await MandatePage(home.page).mandates()
    await qa_session.step("mandates")
    # Then each mandate shows its bank, limit, frequency and a known status
    for mandate in listed:
        assert mandate.reference and mandate.bank and mandate.limit > 0 and mandate.max_frequency >= 1, (
            mandate
        )
        assert mandate.status in MANDATE_STATUSES, mandate
    # And (on the bundled mock) they are the SOCSO mandates the bank approved, as enrolled
    if mock is not None:
        assert [(m.reference, m.bank, m.limit, m.max_frequency, m.status) for m in listed] == [
            (m["reference"], m["bank"], m["limit_sen"], m["max_frequency"], m["status"])
            for m in mandates
            if m["scheme"] == "socso"
        ]
    # When it opens ENROLL NEW (step 3)
    async with drift_explained(home.page):
        await MandatePage(home.page).enroll_new()
    # Then the form asks for every field of step 4 (nothing is enrolled)
    await expect_screen(home.page, MandateEnrolPage)
    await qa_session.step("mandate-enrol-form")
    # When it opens the mandate's Payment History (step 11)
    await walk_to_dda(home, "SOCSO", "Mandate")
    history = await walk_to_history(MandatePage(home.page), DirectDebitHistoryPage)
    # Then it lists direct-debit payments only
    assert all(r.method == "Direct Debit" for r in await history.rows())
    assert records(mock) == before


@pytest.fixture
def october(
    mock: MockPortalProcess | None,
    mandates: list[dict[str, Any]],
    qa_settings: Settings,
    qa_employer: EmployerSettings,
) -> list[dict[str, Any]]:
    """On the bundled mock: approved mandates and October 2026 submitted (over HTTP)."""
    return given_submitted_month(mock, qa_settings, qa_employer)


async def test_a_payment_is_walked_to_the_mandate_list_without_a_debit(
    mock: MockPortalProcess | None,
    october: list[dict[str, Any]],
    qa_session: EmployerSession,
    qa_employer: EmployerSettings,
    qa_settings: Settings,
) -> None:
    # Given an unpaid ACR/ECR and an approved mandate of its scheme
    before = records(mock)
    home = await walk_login(qa_session, qa_employer, qa_settings)
    _, rows = await payment_list(home)
    document = unpaid_or_skip(rows)[0]
    scheme = SCHEME_OF_DOCUMENT[document.type]
    await walk_to_dda(home, scheme, "Mandate")
    approved = [m for m in await MandatePage(home.page).mandates() if m.status == "Approved"]
    if not approved:
        pytest.skip(f"the test account has no approved {scheme} mandate")
    # When its scheme's Payment is opened (step 6)
    await walk_to_dda(home, scheme, "Payment")
    await expect_screen(home.page, DirectDebitPaymentPage)
    page = DirectDebitPaymentPage(home.page)
    # Then the list to tick is the scheme's unpaid documents of the Payment page
    same_scheme = [r.number for r in rows if r.status == "UNPAID" and r.type == document.type]
    assert sorted(await page.unpaid()) == sorted(same_scheme)
    # When it is ticked, ADD TO CART, PROCEED TO SUMMARY, CONTINUE (steps 7-8)
    walk, choice = await walk_dda_to_mandate_list(page, document.number)
    await qa_session.step("dda-mandate-list")
    # Then cart and summary hold it at its amount, and the Mandate List offers the approved mandate
    assert (walk.cart.lines, walk.cart.total) == ({document.number: document.amount}, document.amount), walk
    assert walk.summary == walk.cart
    async with drift_explained(home.page):
        await choice.choose_mandate(approved[-1].reference)
    # And nothing was debited or recorded (PROCEED is not pressed)
    assert records(mock) == before
    _, after = await payment_list(home)
    assert [r.status for r in after if r.number == document.number] == ["UNPAID"]


@pytest.mark.mutation
@pytest.mark.timeout(300)
async def test_mandates_are_enrolled_then_a_month_is_debited(
    mock: MockPortalProcess | None,
    qa_session: EmployerSession,
    qa_employer: EmployerSettings,
    qa_settings: Settings,
    tmp_path: Path,
) -> None:
    # Given October 2026 submitted (QRG 4)
    rows = await submitted_month(qa_session, qa_employer, qa_settings)
    assert rows and all(r.status == "UNPAID" for r in rows), rows
    home = HomePage(qa_session.page)
    # When the bot enrolls a mandate per scheme (QRG 7 steps 1-4)
    async with drift_explained(qa_session.page):
        notices = await enroll_mandates(qa_session, home, qa_employer)
    # Then the portal takes each, pending the bank's approval (or names the one already there)
    await expect_screen(qa_session.page, MandatePage)
    assert len(notices) == len(qa_employer.scheme.split("+")), notices
    assert all("pending" in n.lower() or "already" in n.lower() for n in notices), notices
    # Given the bank approved them (the bundled mock's bank; elsewhere they must be approved already)
    if mock is not None:
        assert {m["status"] for m in approve_mandates(mock, qa_employer)} == {"Approved"}
    # When the bot pays the month by direct debit (steps 5-10)
    ledger = ledger_in(tmp_path)
    try:
        async with drift_explained(qa_session.page):
            entries, _ = await pay_dda(qa_session, qa_employer, home, ledger, OCT, rows)
    finally:
        ledger.close()
    # Then each document was debited: "Payment has been successfully initiated." (checked by the flow)
    # and the mandate's Payment History (step 11) shows it Successful
    await expect_screen(qa_session.page, DirectDebitHistoryPage)
    assert [e.state for e in entries] == [PAID] * len(rows), [e.describe() for e in entries]
    type_of = {r.number: r.type for r in rows}
    for entry in entries:
        await walk_to_dda(home, SCHEME_OF_DOCUMENT[type_of[entry.documents[0]]], "Mandate")
        history = await walk_to_history(MandatePage(home.page), DirectDebitHistoryPage)
        [row] = [r for r in await history.rows() if r.reference == entry.portal_reference]
        assert (row.status, row.documents, row.amount) == (SUCCESSFUL, entry.documents, entry.amount_sen), row
    numbers = {r.number for r in rows}
    _, after = await payment_list(home)
    assert {r.number: r.status for r in after if r.number in numbers} == {n: "PAID" for n in numbers}
