"""The QA suite's walks of the payment procedures (QRG 5-9), every screen checked for drift before it
is used, and the Given-steps that put records on the bundled mock for them to read.

The walks are read-only: they stop before the click that records or moves anything (`PROCEED` to
the bank, the EFT review's `CONTINUE`, the mandate's or the debit's `PROCEED`, the cancel screen's
`CONFIRM`). `ADD TO CART` is walked: the mock keeps the cart in the browser's session cookie, and
every read-only test compares the mock's records before and after to prove that nothing changed.
The mutation tests drive the flows themselves (flows/payment_*.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from pypdf import PdfReader

from bot.core.browser import EmployerSession
from bot.core.contributions import Month
from bot.core.ledger import Ledger
from bot.core.settings import EmployerSettings, Settings
from flows.contribution import contribute, prepare
from flows.pages.cart import Cart
from flows.pages.direct_debit import (
    DirectDebitMandateChoicePage,
    DirectDebitMenuPage,
    DirectDebitPaymentPage,
    DirectDebitPaymentWithCart,
    DirectDebitSchemePage,
    DirectDebitSummaryPage,
    MandatePage,
)
from flows.pages.eft import EftMenuPage, EftSchemePage
from flows.pages.fpx import FpxDetailsPage, FpxPaymentPage, FpxPaymentWithCart, FpxSummaryPage
from flows.pages.home import HomePage
from flows.pages.payment_history import PaymentHistoryPage
from flows.pages.payment_list import CancelPage, DocumentRow, PaymentPage
from tests.flows.payment_support import submit_month
from tests.mock_portal.browser import Visitor
from tests.mock_portal.payment_helpers import bank_pay, fpx_to_bank
from tests.portal.conftest import drift_explained, expect_screen
from tests.portal.walks import walk_to_payment
from tests.support.portal import MockPortalProcess

# The month the mutation tests submit and pay (the demo payrolls have it; test_qrg04 submits it too).
OCT = Month(2026, 10)
TODAY = date(2026, 11, 26)
# What a read-only walk must leave as it found it (the records of /_mock/state; not the sessions).
RECORDS = (
    "employers",
    "employees",
    "submissions",
    "documents",
    "cases",
    "payments",
    "mandates",
    "eft_registrations",
    "bank_accounts",
)
SCHEME_OF_DOCUMENT = {"ECR": "SOCSO", "ACR": "EIS"}  # the QRG's mapping (flows/payment_documents.py)


# -- test accounts and Given-steps -------------------------------------------------------------
def payer(settings: Settings, method: str) -> EmployerSettings:
    """The portfolio's first employer that pays by `method` (else its first employer)."""
    return next((e for e in settings.employers if e.payment_method == method), settings.employers[0])


def records(portal: MockPortalProcess | None) -> dict[str, Any] | None:
    """The mock's records (None on another portal, where they cannot be read)."""
    if portal is None:
        return None
    state = portal.state()
    return {key: state[key] for key in RECORDS}


def given_submitted_month(
    portal: MockPortalProcess | None, settings: Settings, employer: EmployerSettings
) -> list[dict[str, Any]]:
    """On the bundled mock: the account's October 2026 submitted over HTTP (the mock's documents).
    On another portal nothing is created: the test account's own ACR/ECR are read."""
    if portal is None:
        return []
    return submit_month(portal, settings, employer.name, employer.scheme)


def _visitor(portal: MockPortalProcess, employer: EmployerSettings) -> Visitor:
    visitor = Visitor(portal)
    visitor.login(employer.login_email)
    return visitor


def given_eft_registration(portal: MockPortalProcess | None, employer: EmployerSettings) -> None:
    """On the bundled mock: the one-time EFT registration done (QRG 6 steps 1-5), over HTTP."""
    if portal is None:
        return
    with _visitor(portal, employer) as visitor:
        visitor.get("/employer/eft/registration")
        page = visitor.post(
            "/employer/eft/registration",
            {
                "email": employer.bank.email or employer.login_email,
                "contact_no": employer.bank.phone or "03-0000000",
                "officer_name": employer.bank.contact_name or "QA Officer",
            },
        )
        assert "successfully submitted" in page.text, page.text


def given_approved_mandates(
    portal: MockPortalProcess | None, employer: EmployerSettings
) -> list[dict[str, Any]]:
    """On the bundled mock: a mandate per scheme, enrolled over HTTP and approved by the bank."""
    if portal is None:
        return []
    with _visitor(portal, employer) as visitor:
        for scheme in ("socso", "eis"):
            visitor.get(f"/employer/direct-debit/{scheme}/mandate/new")
            visitor.post(
                f"/employer/direct-debit/{scheme}/mandate/new",
                {
                    "business_model": employer.bank.business_model,
                    "bank": employer.bank.bank,
                    "limit": f"{employer.bank.mandate_limit:.2f}",
                    "max_frequency": str(employer.bank.mandate_frequency),
                    "phone": employer.bank.phone or "012-0000000",
                    "email": employer.login_email,
                    "consent": "yes",
                },
            )
    return approve_mandates(portal, employer)


def approve_mandates(portal: MockPortalProcess, employer: EmployerSettings) -> list[dict[str, Any]]:
    """The mock bank approves the employer's pending mandates; all its mandates, as the mock has them."""

    def mine() -> list[dict[str, Any]]:
        return [m for m in portal.state()["mandates"] if m["employer_code"] == employer.employer_code]

    for mandate in mine():
        if mandate["status"] == "Pending Approval":
            httpx.post(
                f"{portal.base_url}/_mock/mandates/{mandate['reference']}/approve", timeout=10
            ).raise_for_status()
    return mine()


def given_fpx_payment(
    portal: MockPortalProcess | None, employer: EmployerSettings, documents: list[dict[str, Any]]
) -> dict[str, Any] | None:
    """On the bundled mock: `documents` paid by personal FPX over HTTP; the mock's payment."""
    if portal is None:
        return None
    bank = employer.bank
    assert bank.user and bank.password, f"{employer.name} has no bank credentials for the mock bank"
    with _visitor(portal, employer) as visitor:
        page = fpx_to_bank(
            visitor, [d["number"] for d in documents], bank.business_model, bank.bank, employer.login_email
        )
        bank_pay(visitor, page, (bank.user, bank.password.get_secret_value()))
    [payment] = [p for p in portal.state()["payments"] if p["employer_code"] == employer.employer_code]
    return dict(payment)


def ledger_in(folder: Path) -> Ledger:
    """A ledger of the test's own (the bot's payment intents), not the user's."""
    return Ledger(f"sqlite:///{folder / 'ledger.sqlite'}")


async def submitted_month(
    session: EmployerSession, employer: EmployerSettings, settings: Settings
) -> list[DocumentRow]:
    """MUTATION: October 2026 submitted through the QRG 4 flow (or found submitted); its ACR/ECR."""
    prepared = prepare(employer, OCT, employer.scheme, None, None, settings, today=TODAY)
    outcome = await contribute(
        session, employer, settings, month=OCT, scheme=employer.scheme, prepared=prepared, print_pdfs=False
    )
    return [d.row for d in outcome.documents]


def unpaid_or_skip(rows: list[DocumentRow]) -> list[DocumentRow]:
    """The unpaid documents; on an account without any, the test cannot walk on."""
    unpaid = [r for r in rows if r.status == "UNPAID"]
    if not unpaid:
        pytest.skip("the test account has no unpaid ACR/ECR to walk with")
    return unpaid


def pdf_text(path: Path) -> str:
    assert path.read_bytes().startswith(b"%PDF"), f"{path.name} is not a PDF"
    return " ".join(page.extract_text() or "" for page in PdfReader(path).pages)


def ringgit(sen: int) -> str:
    return f"RM {sen / 100:,.2f}"


# -- QRG 5: FPX ----------------------------------------------------------------------------------
async def walk_to_fpx(payment: PaymentPage) -> FpxPaymentPage:
    """QRG 5 step 1: `FPX PAYMENT` on the Payment page."""
    async with drift_explained(payment.page):
        fpx = await FpxPaymentPage.open_from(payment)
    await expect_screen(payment.page, FpxPaymentPage)
    return fpx


@dataclass(frozen=True)
class CartWalk:
    """What a walk to a payment's last screen saw: the cart after `ADD TO CART` and the summary."""

    cart: Cart
    summary: Cart


async def walk_fpx_to_details(fpx: FpxPaymentPage, numbers: list[str]) -> tuple[CartWalk, FpxDetailsPage]:
    """QRG 5 steps 2-5: tick, `ADD TO CART`, `PROCEED TO SUMMARY`, `CONTINUE`; stops at the Payment
    Information, whose `PROCEED` opens an FPX transaction."""
    async with drift_explained(fpx.page):
        filled = await fpx.fill_cart(numbers)
    await expect_screen(fpx.page, FpxPaymentWithCart)
    cart = await filled.cart()
    async with drift_explained(fpx.page):
        summary = await filled.proceed_to_summary()
    await expect_screen(fpx.page, FpxSummaryPage)
    summary_cart = await summary.cart()
    async with drift_explained(fpx.page):
        details = await summary.continue_()
    await expect_screen(fpx.page, FpxDetailsPage)
    return CartWalk(cart, summary_cart), details


async def walk_to_history(
    page: PaymentPage | MandatePage, screen: type[PaymentHistoryPage] = PaymentHistoryPage
) -> PaymentHistoryPage:
    """`Payment History` from the Payment page (or a mandate's, QRG 7 step 11)."""
    async with drift_explained(page.page):
        history = await PaymentHistoryPage.open_from(page)
    await expect_screen(page.page, screen)
    return history


# -- QRG 6 and 7: the menus ------------------------------------------------------------------------
async def walk_to_eft(home: HomePage, scheme_label: str, entry: str) -> None:
    """QRG 6: `My Sites` → `ELECTRONIC FUND TRANSFER` → `SOCSO`/`EIS` → `Registration`/`Payment`."""
    async with drift_explained(home.page):
        await home.open_site("Electronic Fund Transfer")
    await expect_screen(home.page, EftMenuPage)
    async with drift_explained(home.page):
        scheme = await EftMenuPage(home.page).choose(scheme_label)
    await expect_screen(home.page, EftSchemePage)
    async with drift_explained(home.page):
        await scheme.open(entry)


async def walk_to_dda(home: HomePage, scheme_label: str, entry: str) -> None:
    """QRG 7: `My Sites` → `Direct Debit` → `SOCSO`/`EIS` → `Mandate`/`Payment`."""
    async with drift_explained(home.page):
        await home.open_site("Direct Debit")
    await expect_screen(home.page, DirectDebitMenuPage)
    async with drift_explained(home.page):
        scheme = await DirectDebitMenuPage(home.page).choose(scheme_label)
    await expect_screen(home.page, DirectDebitSchemePage)
    async with drift_explained(home.page):
        await scheme.open(entry)


async def walk_dda_to_mandate_list(
    page: DirectDebitPaymentPage, number: str
) -> tuple[CartWalk, DirectDebitMandateChoicePage]:
    """QRG 7 steps 7-9: tick, `ADD TO CART`, `PROCEED TO SUMMARY`, `CONTINUE`; stops at `Mandate List*`,
    whose `PROCEED` debits."""
    async with drift_explained(page.page):
        filled = await page.fill_cart([number])
    await expect_screen(page.page, DirectDebitPaymentWithCart)
    cart = await filled.cart()
    async with drift_explained(page.page):
        summary_page = await filled.proceed_to_summary()
    await expect_screen(page.page, DirectDebitSummaryPage)
    summary = await summary_page.cart()
    async with drift_explained(page.page):
        choice = await summary_page.continue_()
    await expect_screen(page.page, DirectDebitMandateChoicePage)
    return CartWalk(cart, summary), choice


# -- QRG 8 and 9 -----------------------------------------------------------------------------------
async def walk_to_cancel(payment: PaymentPage, number: str) -> CancelPage:
    """QRG 9 steps 1-3: the delete icon of `number`; stops before `CONFIRM`."""
    async with drift_explained(payment.page):
        cancel = await payment.open_cancel(number)
    await expect_screen(payment.page, CancelPage)
    return cancel


async def payment_list(home: HomePage) -> tuple[PaymentPage, list[DocumentRow]]:
    """`My Sites` → `Payment` (checked) and its documents."""
    payment = await walk_to_payment(home)
    return payment, await payment.documents()
