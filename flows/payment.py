"""Pay a month's contributions exactly once (QRG 5-8), the entry point for `assist-bot pay` and the
monthly workflow's pay step.

Order matters: log in, reconcile the ledger's open payments with the portal FIRST, read the month's
ACR/ECR on `Payment`, pay nothing that is paid, awaiting an authoriser or of unknown outcome, then
pay the rest by the employer's method. Every payment goes through the ledger (flows/payment_claim.py).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from bot.core.browser import EmployerSession
from bot.core.contributions import Month
from bot.core.errors import BusinessError, ConfigError
from bot.core.ledger import PAID, Entry, Ledger
from bot.core.settings import EmployerSettings, Settings
from flows.login import log_in
from flows.pages.home import HomePage
from flows.pages.payment_list import DocumentRow, PaymentPage
from flows.payment_claim import PayOptions, stop_for
from flows.payment_counter import prepare_counter_pack
from flows.payment_dda import pay_dda
from flows.payment_documents import month_documents
from flows.payment_eft import pay_eft
from flows.payment_fpx import pay_fpx
from flows.payment_reconcile import Reconciled, reconcile_employer

log = logging.getLogger(__name__)

METHODS = ("fpx", "eft", "dda", "counter")


@dataclass
class PaymentResult:
    """What a pay run found or did for one employer's month."""

    employer: str
    month: str
    method: str
    made: list[Entry] = field(default_factory=list)  # payments this run made (or handed on)
    already_paid: list[str] = field(default_factory=list)  # documents paid before this run
    reconciled: Reconciled = field(default_factory=Reconciled)
    files: list[Path] = field(default_factory=list)  # receipts, counter pack

    def detail(self) -> str:
        parts = [e.describe() for e in self.made]
        if self.already_paid:
            parts.append(f"already paid: {', '.join(self.already_paid)}")
        if self.reconciled:
            parts.append("reconciled: " + "; ".join(c.describe() for c in self.reconciled))
        return f"{self.month} {self.method.upper()}: " + ("; ".join(parts) or "nothing to pay")


async def pay_month(
    session: EmployerSession,
    employer: EmployerSettings,
    settings: Settings,
    month: Month,
    method: str | None = None,
    options: PayOptions = PayOptions(),
    ledger: Ledger | None = None,
) -> PaymentResult:
    """Pay the month's unpaid ACR/ECR once; raises the error model's errors (see flows/payment_fpx.py)."""
    chosen = method or employer.payment_method
    if chosen not in METHODS:
        raise ConfigError(
            f"{employer.name}: no payment method: pass --method or set payment_method in the portfolio"
        )
    own = ledger is None
    book = ledger or Ledger.of(settings)
    try:
        home = await log_in(session, employer, settings)
        result = PaymentResult(employer.name, str(month), chosen)
        result.reconciled = await reconcile_employer(
            home, employer, book, settings.portal.fpx_pending_expiry_seconds
        )
        payment = home.on(PaymentPage)
        rows = await month_documents(payment, month)
        if not rows:
            raise BusinessError(f"no ACR/ECR for {month} on the Payment page: send the contributions first")
        unpaid = [r for r in rows if r.status == "UNPAID"]
        result.already_paid = [r.number for r in rows if r.status == "PAID"]
        if not unpaid:
            return result
        holders = book.holders(employer.employer_code, [r.number for r in unpaid])
        if holders:
            raise stop_for(holders, result.reconciled.unsettled)
        result.made, result.files = await _pay(
            session, employer, settings, home, payment, book, month, chosen, unpaid, options
        )
        return result
    finally:
        if own:
            book.close()


async def _pay(
    session: EmployerSession,
    employer: EmployerSettings,
    settings: Settings,
    home: HomePage,
    payment: PaymentPage,
    ledger: Ledger,
    month: Month,
    method: str,
    rows: list[DocumentRow],
    options: PayOptions,
) -> tuple[list[Entry], list[Path]]:
    if method == "fpx":
        entry = await pay_fpx(session, employer, payment, ledger, month, rows, options.business_model)
        return [entry], [Path(entry.receipt)] if entry.receipt else []
    if method == "eft":
        return await pay_eft(session, employer, settings, home, ledger, month, rows, options)
    if method == "dda":
        return await pay_dda(session, employer, home, ledger, month, rows)
    return await prepare_counter_pack(session, employer, payment, ledger, month, rows)


async def reconcile(
    session: EmployerSession, employer: EmployerSettings, settings: Settings, ledger: Ledger | None = None
) -> Reconciled:
    """`assist-bot reconcile`: settle the employer's open payments from the portal."""
    own = ledger is None
    book = ledger or Ledger.of(settings)
    try:
        home = await log_in(session, employer, settings)
        return await reconcile_employer(home, employer, book, settings.portal.fpx_pending_expiry_seconds)
    finally:
        if own:
            book.close()


def still_open(ledger: Ledger, employer: EmployerSettings) -> list[Entry]:
    """The employer's payments a person still has to watch after reconciling."""
    return [e for e in ledger.entries(employer.employer_code) if e.is_open]


__all__ = ["PAID", "PayOptions", "PaymentResult", "pay_month", "reconcile", "still_open"]
