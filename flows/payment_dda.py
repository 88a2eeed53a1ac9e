"""QRG 7 – Direct Debit Authorization: the one-time mandate per scheme (`ENROLL NEW`, pending until
the bank approves it) and payments against it (`Mandate List*`, `PROCEED` → "Payment has been
successfully initiated.", then the status from the mandate's `Payment History`). The mandate's limit
is checked BEFORE anything is clicked."""

from __future__ import annotations

from pathlib import Path

from bot.core.browser import EmployerSession
from bot.core.contributions import Month
from bot.core.errors import BusinessError, NeedsHuman
from bot.core.ledger import PAID, SUBMITTED, Entry, Ledger
from bot.core.settings import EmployerSettings
from flows.pages.cart import check_cart
from flows.pages.direct_debit import DirectDebitMenuPage, DirectDebitPaymentPage, MandatePage, MandateRow
from flows.pages.home import HomePage
from flows.pages.payment_history import SUCCESSFUL, PaymentHistoryPage
from flows.pages.payment_list import DocumentRow
from flows.payment_claim import attempt

SCHEME_OF = {"ECR": ("socso", "SOCSO"), "ACR": ("eis", "EIS")}
LABEL_OF = {"socso": "SOCSO", "eis": "EIS"}


async def open_dda(home: HomePage, scheme_label: str, entry: str) -> None:
    await home.open_site("Direct Debit")
    await home.on(DirectDebitMenuPage).open(scheme_label, entry)


async def enroll_mandates(session: EmployerSession, home: HomePage, employer: EmployerSettings) -> list[str]:
    """A mandate for each scheme the employer pays that has none yet; the portal's notices."""
    bank = employer.bank
    notices = []
    for scheme in employer.scheme.split("+"):
        label = LABEL_OF[scheme]
        await open_dda(home, label, "Mandate")
        page = home.on(MandatePage)
        live = [m for m in await page.mandates() if m.status in ("Approved", "Pending Approval")]
        if live:
            notices.append(f"{label}: mandate {live[0].reference} already {live[0].status}")
            continue
        notice = await page.enroll(
            business_model=bank.business_model,
            bank=bank.bank,
            limit=bank.mandate_limit,
            max_frequency=bank.mandate_frequency,
            phone=bank.phone,
            email=bank.email or employer.login_email,
        )
        await session.step(f"mandate-{scheme}")
        notices.append(f"{label}: {notice}")
    return notices


async def approved_mandate(session: EmployerSession, home: HomePage, label: str) -> MandateRow:
    await open_dda(home, label, "Mandate")
    mandates = await home.on(MandatePage).mandates()
    approved = [m for m in mandates if m.status == "Approved"]
    if approved:
        return approved[-1]
    if any(m.status == "Pending Approval" for m in mandates):
        raise NeedsHuman(f"the {label} direct-debit mandate is pending the bank's approval")
    raise NeedsHuman(f"no {label} direct-debit mandate: `assist-bot mandate enroll` first")


async def pay_dda(
    session: EmployerSession,
    employer: EmployerSettings,
    home: HomePage,
    ledger: Ledger,
    month: Month,
    rows: list[DocumentRow],
) -> tuple[list[Entry], list[Path]]:
    """Debit each scheme's document against its approved mandate."""
    entries = []
    for row in sorted(rows, key=lambda r: r.type, reverse=True):
        _, label = SCHEME_OF[row.type]
        mandate = await approved_mandate(session, home, label)
        if row.amount > mandate.limit:
            raise BusinessError(
                f"{row.number} RM{row.amount / 100:,.2f} is over the {label} mandate {mandate.reference}'s"
                f" limit per transaction (RM{mandate.limit / 100:,.2f}): raise the limit or pay another way"
            )
        await open_dda(home, label, "Payment")
        page = await home.on(DirectDebitPaymentPage).fill_cart([row.number])
        check_cart(await page.cart(), [row.number], row.amount, "direct-debit cart")
        summary = await page.proceed_to_summary()
        check_cart(await summary.cart(), [row.number], row.amount, "direct-debit summary")
        choice = await summary.continue_()
        await choice.choose_mandate(mandate.reference)
        async with attempt(ledger, employer, month, "dda", [row]) as paying:
            paying.about_to_move_money()
            details = await choice.proceed()
            await session.step(f"dda-initiated-{label.lower()}")
            reference = details.get("Reference No.", "")
            paying.note(
                SUBMITTED, portal_reference=reference, detail="Payment has been successfully initiated."
            )
            await open_dda(home, label, "Mandate")
            history = await (await PaymentHistoryPage.open_from(home.on(MandatePage))).rows()
            status = next((r.status for r in history if r.reference == reference), "")
            entries.append(
                paying.note(PAID, detail=f"direct debit {status}")
                if status == SUCCESSFUL
                else paying.note(
                    SUBMITTED, detail=f"direct debit initiated; Payment History: {status or 'not listed'}"
                )
            )
    return entries, []
