"""QRG 5 – Online payment by FPX: the month's unpaid ACR/ECR into the cart, the summary, Business
Model / `Email Address` / `Bank List`, `PROCEED` to the bank, bank login and `CONFIRM`, then the
portal's outcome: paid (FPX transaction id, receipt PDF), declined, awaiting the corporate
authoriser, or no return at all (`UnknownOutcome`: the next run reconciles with Payment History).
"""

from __future__ import annotations

import logging

from bot.core.browser import EmployerSession
from bot.core.contributions import Month
from bot.core.errors import BusinessError, NeedsHuman, UnknownOutcome
from bot.core.ledger import ABANDONED, AWAITING, DECLINED, PAID, PENDING, UNKNOWN, Entry, Ledger
from bot.core.settings import EmployerSettings
from flows.pages.cart import check_cart
from flows.pages.fpx import FpxPaymentPage, FpxResultPage
from flows.pages.payment_history import PENDING_AUTH, SUCCESSFUL, UNSUCCESSFUL
from flows.pages.payment_list import DocumentRow, PaymentPage
from flows.payment_claim import attempt, outcome_error

log = logging.getLogger(__name__)

# FPX per transaction, in sen (PayNet; spec/DOMAIN.md §3.3).
FPX_LIMITS = {"b2c": (100, 3_000_000), "b2b": (200, 100_000_000)}
STATE_OF = {SUCCESSFUL: PAID, PENDING_AUTH: AWAITING, UNSUCCESSFUL: DECLINED}


def check_fpx_limit(business_model: str, amount: int) -> None:
    """BusinessError before any bank page when FPX cannot carry the amount."""
    low, high = FPX_LIMITS[business_model]
    if not low <= amount <= high:
        kind = "personal (B2C)" if business_model == "b2c" else "corporate (B2B)"
        raise BusinessError(
            f"RM{amount / 100:,.2f} is outside the FPX {kind} limit of RM{low / 100:,.2f}"
            f"-RM{high / 100:,.2f} per transaction: pay by another method or split the payment"
        )


async def pay_fpx(
    session: EmployerSession,
    employer: EmployerSettings,
    payment: PaymentPage,
    ledger: Ledger,
    month: Month,
    rows: list[DocumentRow],
    business_model: str | None = None,
) -> Entry:
    """Pay `rows` in one FPX transaction; returns the paid ledger entry or raises (see module doc)."""
    bank = employer.bank
    model = business_model or bank.business_model
    numbers, amount = [r.number for r in rows], sum(r.amount for r in rows)
    check_fpx_limit(model, amount)
    fpx = await (await FpxPaymentPage.open_from(payment)).fill_cart(numbers)
    check_cart(await fpx.cart(), numbers, amount, "FPX cart")
    summary = await fpx.proceed_to_summary()
    check_cart(await summary.cart(), numbers, amount, "FPX summary")
    details = await summary.continue_()
    await details.fill(model, bank.email or employer.login_email, bank.bank)
    await session.step("fpx-details")
    async with attempt(ledger, employer, month, "fpx", rows) as paying:
        login = await details.proceed()
        reference, bank_amount = await login.transaction()
        paying.note(PENDING, portal_reference=reference)
        await session.step("bank-login")
        if bank_amount != amount:
            raise BusinessError(
                f"the bank asks RM{bank_amount / 100:,.2f} for {reference}, not RM{amount / 100:,.2f}"
            )
        if not bank.has_credentials or bank.user is None or bank.password is None:
            paying.note(ABANDONED, detail="no bank credentials: stopped at the bank's login page")
            raise NeedsHuman(
                f"no bank credentials for {employer.name}: the bot stopped at the bank's login page of"
                f" FPX {reference} (RM{amount / 100:,.2f}); pay {month} on the portal yourself"
            )
        confirm = await login.log_in(bank.user, session.hide(bank.password))
        await session.step("bank-confirm")
        paying.about_to_move_money()
        await confirm.confirm()
        result = await FpxResultPage.returned(confirm, bank.return_timeout_seconds)
        if result is None:
            await session.step("no-return")
            raise UnknownOutcome(
                f"FPX {reference}: the bank did not send us back to the portal within "
                f"{bank.return_timeout_seconds:.0f}s after CONFIRM"
            )
        await session.step("fpx-result")
        found = await result.read()
        status = found.get("Status", "")
        state = STATE_OF.get(status, UNKNOWN)
        reason = await result.alert_text() or ""
        if state != PAID:
            entry = paying.note(state, detail=f"{status}: {reason}".strip(": "))
            raise outcome_error(entry, status, reason)
        receipt = await result.download_receipt(session.evidence.records(month))
        return paying.note(
            PAID,
            transaction_id=found.get("FPX Transaction ID"),
            receipt=str(receipt),
            detail=f"FPX transaction {found.get('FPX Transaction ID')}",
        )
