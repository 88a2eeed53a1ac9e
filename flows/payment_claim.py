"""The ledger's guard around a payment, shared by every method: claim the documents (the intent,
written before the click that moves money), give them back when certainly nothing moved, record the
outcome, and turn any failure after the click into `UnknownOutcome` (never retried blindly)."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from bot.core.contributions import Month
from bot.core.errors import AssistError, BusinessError, NeedsHuman, SettlesLater, UnknownOutcome, when
from bot.core.ledger import (
    ABANDONED,
    AWAITING,
    PAID,
    PENDING,
    SUBMITTED,
    UNKNOWN,
    AlreadyClaimed,
    Entry,
    Ledger,
)
from bot.core.settings import EmployerSettings
from flows.pages.payment_list import DocumentRow
from flows.payment_reconcile import Unsettled

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PayOptions:
    """What the command line may add to the employer's settings."""

    business_model: str | None = None  # b2c | b2b (FPX)
    slip: Path | None = None  # EFT payment slip
    reference: str | None = None  # EFT Payment Reference No (default: the slip's name)
    paid_on: date | None = None  # EFT Payment Date (default: the portal's today)


def stop_for(holders: list[Entry], unsettled: list[Unsettled] | None = None) -> AssistError:
    """Why the bot must not pay documents that other payments hold (paid, open, in progress);
    `unsettled`: the open FPX payments the portal showed `Pending` when reconciling just now."""
    holder = holders[0]
    what = holder.describe()
    waiting = next((u for u in unsettled or [] if u.entry.id == holder.id), None)
    if waiting is not None:
        return SettlesLater(
            f"{what}: the portal shows FPX {waiting.reference} Pending (the bank has not reported it; "
            f"nothing shows it paid); FPX times such a transaction out, and a rerun after "
            f"{when(waiting.settles_after)} finds it Unsuccessful and pays with a new transaction "
            "(or records it paid, if the bank reports it meanwhile)",
            waiting.settles_after,
        )
    if holder.state == PAID:
        return NeedsHuman(
            f"the ledger says {what} paid, yet the portal lists it unpaid: check Payment History"
        )
    if holder.state == AWAITING:
        return NeedsHuman(
            f"{what}: awaiting the authoriser's approval at the bank; "
            "`assist-bot reconcile` records it once approved"
        )
    if holder.in_progress():
        return NeedsHuman(f"another run is paying {what} right now; nothing paid twice")
    if holder.method == "counter":
        return NeedsHuman(
            f"{what}: a bank-counter pack was prepared; once the cheques are paid, "
            "`assist-bot reconcile` records it"
        )
    if holder.method == "eft" and holder.state == SUBMITTED:
        return NeedsHuman(f"{what}: EFT submitted, waiting for PERKESO's verification")
    return UnknownOutcome(
        f"{what}: its outcome is not known yet and the portal does not show it paid; "
        "the bot will not pay again until Payment History settles it (`assist-bot reconcile`)"
    )


@dataclass
class Attempt:
    """One payment being made: its ledger entry, moved on as the screens go by."""

    ledger: Ledger
    entry: Entry
    clicked: bool = False
    notes: list[str] = field(default_factory=list)

    def note(self, state: str, **fields: object) -> Entry:
        self.entry = self.ledger.update(self.entry.id, state, **fields)
        return self.entry

    def about_to_move_money(self) -> None:
        """Written BEFORE the click: from here on a failure is an unknown outcome."""
        self.note(SUBMITTED)
        self.clicked = True


@asynccontextmanager
async def attempt(
    ledger: Ledger, employer: EmployerSettings, month: Month, method: str, rows: list[DocumentRow]
) -> AsyncIterator[Attempt]:
    """Claim the documents for one payment; on leaving, a failure before the click gives them back
    (`abandoned`), a failure after it leaves the entry `unknown` and raises `UnknownOutcome`."""
    try:
        entry = ledger.claim(
            employer_code=employer.employer_code,
            employer=employer.name,
            month=str(month),
            method=method,
            documents=[r.number for r in rows],
            amount_sen=sum(r.amount for r in rows),
        )
    except AlreadyClaimed as exc:
        raise stop_for(exc.holders) from None
    current = Attempt(ledger, entry)
    try:
        yield current
    except BaseException as exc:
        state = current.entry.state
        if not current.clicked and state == PENDING:
            current.note(ABANDONED, detail=f"stopped before paying: {exc}")
        elif state in (PENDING, SUBMITTED):
            current.note(UNKNOWN, detail=f"after the payment click: {type(exc).__name__}: {exc}")
            if not isinstance(exc, UnknownOutcome):
                raise UnknownOutcome(
                    f"{current.entry.describe()}: {exc} after the payment click; the next run "
                    "reconciles with Payment History before paying anything"
                ) from exc
        raise


def outcome_error(entry: Entry, status: str, reason: str) -> AssistError:
    """The error for a payment that did not end paid."""
    if entry.state == AWAITING:
        return NeedsHuman(
            f"{entry.describe()}: awaiting authoriser (corporate banking); "
            "`assist-bot reconcile` marks it paid once approved"
        )
    if entry.state == UNKNOWN:
        return UnknownOutcome(f"{entry.describe()}: the portal says {status!r}; check Payment History")
    return BusinessError(f"{entry.describe()}: declined: {reason or status}")
