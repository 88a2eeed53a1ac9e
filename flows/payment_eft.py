"""QRG 6 – Online payment by EFT: the transfer is made by a person at the bank; the bot records it on
the portal (one-time `Registration`, then per scheme: `SEARCH`, tick, `ADD TO CART`, `PROCEED TO
PAYMENT`, date / reference / amount / slip, `CONTINUE` ×2) and reads the confirmation. The payment
stays `submitted` (Pending Verification) until PERKESO verifies it; `reconcile` then marks it paid."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from bot.core.browser import EmployerSession
from bot.core.contributions import Month
from bot.core.errors import ConfigError, NeedsHuman
from bot.core.ledger import SUBMITTED, Entry, Ledger
from bot.core.settings import EmployerSettings, Settings
from flows.pages.cart import check_cart
from flows.pages.eft import NOT_REGISTERED, EftMenuPage, EftPaymentPage, EftRegistrationPage
from flows.pages.home import HomePage
from flows.pages.payment_list import DocumentRow
from flows.payment_claim import PayOptions, attempt

SCHEME_OF = {"ECR": ("socso", "SOCSO"), "ACR": ("eis", "EIS")}


async def open_eft(home: HomePage, scheme_label: str, entry: str) -> None:
    await home.open_site("Electronic Fund Transfer")
    await home.on(EftMenuPage).open(scheme_label, entry)


async def register_eft(session: EmployerSession, home: HomePage, employer: EmployerSettings) -> str:
    """The one-time EFT Registration (QRG 6 steps 1-5)."""
    bank = employer.bank
    if not bank.phone or not bank.contact_name:
        raise ConfigError(f"{employer.name}: EFT registration needs [employers.bank] phone and contact_name")
    await open_eft(home, "SOCSO", "Registration")
    notice = await home.on(EftRegistrationPage).register(
        bank.email or employer.login_email, bank.phone, bank.contact_name
    )
    await session.step("eft-registered")
    return notice


async def pay_eft(
    session: EmployerSession,
    employer: EmployerSettings,
    settings: Settings,
    home: HomePage,
    ledger: Ledger,
    month: Month,
    rows: list[DocumentRow],
    options: PayOptions,
) -> tuple[list[Entry], list[Path]]:
    """Record the transfer for each scheme's document (ECR under SOCSO, ACR under EIS)."""
    if options.slip is None:  # the transfer itself is a person's job at the bank
        raise NeedsHuman(
            f"EFT: transfer RM{sum(r.amount for r in rows) / 100:,.2f} for {month} at the bank, then "
            f"`assist-bot pay --employer {employer.name} --month {month} --method eft --slip FILE`"
        )
    entries = []
    for row in sorted(rows, key=lambda r: r.type, reverse=True):
        _, label = SCHEME_OF[row.type]
        await open_eft(home, label, "Payment")
        page = home.on(EftPaymentPage)
        if await page.alert_text() == NOT_REGISTERED:
            await register_eft(session, home, employer)
            await open_eft(home, label, "Payment")
        searched = await page.search(employer.employer_code)
        filled = await searched.fill_cart([row.number])
        check_cart(await filled.cart(), [row.number], row.amount, "EFT cart")
        details = await filled.proceed_to_payment()
        paid_on = (
            options.paid_on.isoformat() if options.paid_on else await details.latest_date()
        ) or date.today().isoformat()
        await details.fill(paid_on, options.reference or options.slip.stem, row.amount, options.slip)
        review = await details.continue_()
        await session.step(f"eft-review-{label.lower()}")
        async with attempt(ledger, employer, month, "eft", [row]) as paying:
            paying.about_to_move_money()
            confirmation = await review.submit()
            await session.step(f"eft-confirmation-{label.lower()}")
            entries.append(
                paying.note(
                    SUBMITTED,
                    portal_reference=confirmation.get("Reference No."),
                    detail=f"EFT {confirmation.get('Status', '')}: receipt after PERKESO verifies",
                )
            )
    return entries, []
