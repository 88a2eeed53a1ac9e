"""Reconcile the ledger with the portal: every open payment of an employer (pending past its lease,
submitted, awaiting the authoriser, unknown) is looked up in `Payment History` (by the portal's
reference, else by its documents) and in the Payment page's document statuses, and settled:
Successful → paid, Pending Authorisation → awaiting-authoriser, Unsuccessful → declined, a
`pending` intent the portal never saw confirmed → abandoned; otherwise it stays as it is.

An FPX payment that may have reached the bank's CONFIRM (`submitted`, `unknown`) and that the portal
still shows `Pending` stays open: it is not paid, yet the bank may still report it. FPX times such a
transaction out (`Unsuccessful`) after `portal.fpx_pending_expiry_seconds`; only then is it declined
and the month paid with a new transaction. Until then it is reported `Unsettled`, with the moment
after which a rerun settles it."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from bot.core.errors import when
from bot.core.ledger import (
    ABANDONED,
    AWAITING,
    DECLINED,
    OPEN,
    PAID,
    PENDING,
    SUBMITTED,
    UNKNOWN,
    Entry,
    Ledger,
)
from bot.core.settings import EmployerSettings
from flows.pages.home import HomePage
from flows.pages.payment_history import PENDING as PENDING_AT_PORTAL
from flows.pages.payment_history import (
    PENDING_AUTH,
    PENDING_VERIFICATION,
    SUCCESSFUL,
    UNSUCCESSFUL,
    HistoryRow,
    PaymentHistoryPage,
)
from flows.pages.payment_list import PaymentPage

log = logging.getLogger(__name__)

METHOD_NAMES = {"FPX": "fpx", "Electronic Fund Transfer": "eft", "Direct Debit": "dda"}
STATE_OF = {SUCCESSFUL: PAID, PENDING_AUTH: AWAITING, UNSUCCESSFUL: DECLINED, PENDING_VERIFICATION: SUBMITTED}
DEFAULT_PENDING_EXPIRY = 900.0  # FPX's time-out of an unconfirmed transaction (PortalSettings)


@dataclass(frozen=True)
class Change:
    before: Entry
    after: Entry

    def describe(self) -> str:
        return f"{self.after.describe()} (was {self.before.state})"


@dataclass(frozen=True)
class Unsettled:
    """An open FPX payment the portal still shows `Pending`: not paid, not yet declined."""

    entry: Entry
    reference: str
    settles_after: float  # epoch seconds: FPX has timed the transaction out by then

    def describe(self) -> str:
        return f"{self.entry.describe()}: Pending at the portal until FPX times it out ({when(self.settles_after)})"


class Reconciled(list[Change]):
    """The changes made (a list, as before) and the payments left `Unsettled`."""

    def __init__(self, changes: list[Change] | None = None, unsettled: list[Unsettled] | None = None) -> None:
        super().__init__(changes or [])
        self.unsettled = list(unsettled or [])

    def unsettled_of(self, entry: Entry) -> Unsettled | None:
        return next((u for u in self.unsettled if u.entry.id == entry.id), None)


def unsettled(entry: Entry, row: HistoryRow | None, expiry: float) -> Unsettled | None:
    """The entry is an FPX payment that may have reached CONFIRM and the portal shows it `Pending`.

    Its time-out started when the portal opened the transaction, before the ledger's last move of the
    entry (the reference noted, CONFIRM pressed, the answer lost): the last move plus the expiry is
    never early."""
    if row is None or row.status != PENDING_AT_PORTAL or entry.method != "fpx":
        return None
    if entry.state not in (SUBMITTED, UNKNOWN):
        return None
    return Unsettled(entry, row.reference, max(entry.created_at, entry.updated_at) + expiry + 1.0)


def match(entry: Entry, history: list[HistoryRow]) -> HistoryRow | None:
    """The history row of the entry: its reference, else the latest row of its method and documents
    (a Successful one first: any success means the documents are paid)."""
    if entry.portal_reference:
        return next((r for r in history if r.reference == entry.portal_reference), None)
    same = [
        r
        for r in history
        if METHOD_NAMES.get(r.method) == entry.method and set(r.documents) == set(entry.documents)
    ]
    return next((r for r in same if r.status == SUCCESSFUL), same[0] if same else None)


def settle(
    entry: Entry, row: HistoryRow | None, paid_documents: set[str]
) -> tuple[str, dict[str, object]] | None:
    """The entry's new state and fields, or None to leave it."""
    if row is not None and row.status in STATE_OF and STATE_OF[row.status] != entry.state:
        fields: dict[str, object] = {
            "portal_reference": row.reference,
            "detail": f"Payment History: {row.status}",
        }
        if row.transaction_id:
            fields["transaction_id"] = row.transaction_id
        return STATE_OF[row.status], fields
    if row is not None and row.status in STATE_OF:
        return None
    if set(entry.documents) <= paid_documents:
        return PAID, {"detail": "the Payment page shows the documents paid"}
    if entry.state == PENDING:  # the bank's CONFIRM was never pressed: no money moved
        return ABANDONED, {"detail": "never confirmed at the bank (found on reconcile)"}
    return None


async def reconcile_employer(
    home: HomePage,
    employer: EmployerSettings,
    ledger: Ledger,
    pending_expiry: float = DEFAULT_PENDING_EXPIRY,
) -> Reconciled:
    """Settle the employer's open ledger entries from the portal; leaves the browser on `Payment`."""
    now = time.time()
    entries = [e for e in ledger.entries(employer.employer_code, states=OPEN) if not e.in_progress(now)]
    # An FPX transaction the bot left at the bank's login page (no bank credentials: `abandoned`) may
    # have been finished by a person in their own browser: its reference, Successful, is a payment.
    left = [e for e in ledger.entries(employer.employer_code, states=(ABANDONED,)) if e.portal_reference]
    await home.open_site("Payment")
    if not entries and not left:
        return Reconciled()
    payment = PaymentPage(home.page)
    paid = {d.number for d in await payment.documents() if d.status == "PAID"}
    history = await (await PaymentHistoryPage.open_from(payment)).rows()
    changes = Reconciled()
    for entry in entries:
        row = match(entry, history)
        decided = settle(entry, row, paid)
        if decided is None:
            waiting = unsettled(entry, row, pending_expiry)
            if waiting is not None:
                log.info("%s: %s", employer.name, waiting.describe())
                changes.unsettled.append(waiting)
            continue
        state, fields = decided
        after = ledger.update(entry.id, state, **fields)
        log.info("%s: reconciled %s", employer.name, after.describe())
        changes.append(Change(entry, after))
    for entry in left:
        row = match(entry, history)
        if row is not None and row.status == SUCCESSFUL:
            fields = {"detail": "Payment History: Successful (finished outside the bot)"}
            if row.transaction_id:
                fields["transaction_id"] = row.transaction_id
            after = ledger.update(entry.id, PAID, **fields)
            log.info("%s: reconciled %s", employer.name, after.describe())
            changes.append(Change(entry, after))
    await home.open_site("Payment")
    return changes
