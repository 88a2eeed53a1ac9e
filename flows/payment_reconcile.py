"""Reconcile the ledger with the portal: every open payment of an employer (pending past its lease,
submitted, awaiting the authoriser, unknown) is looked up in `Payment History` (by the portal's
reference, else by its documents) and in the Payment page's document statuses, and settled:
Successful → paid, Pending Authorisation → awaiting-authoriser, Unsuccessful → declined, a
`pending` intent the portal never saw confirmed → abandoned; otherwise it stays as it is."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from bot.core.ledger import ABANDONED, AWAITING, DECLINED, OPEN, PAID, PENDING, SUBMITTED, Entry, Ledger
from bot.core.settings import EmployerSettings
from flows.pages.home import HomePage
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


@dataclass(frozen=True)
class Change:
    before: Entry
    after: Entry

    def describe(self) -> str:
        return f"{self.after.describe()} (was {self.before.state})"


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


async def reconcile_employer(home: HomePage, employer: EmployerSettings, ledger: Ledger) -> list[Change]:
    """Settle the employer's open ledger entries from the portal; leaves the browser on `Payment`."""
    now = time.time()
    entries = [e for e in ledger.entries(employer.employer_code, states=OPEN) if not e.in_progress(now)]
    await home.open_site("Payment")
    if not entries:
        return []
    payment = PaymentPage(home.page)
    paid = {d.number for d in await payment.documents() if d.status == "PAID"}
    history = await (await PaymentHistoryPage.open_from(payment)).rows()
    changes = []
    for entry in entries:
        decided = settle(entry, match(entry, history), paid)
        if decided is None:
            continue
        state, fields = decided
        after = ledger.update(entry.id, state, **fields)
        log.info("%s: reconciled %s", employer.name, after.describe())
        changes.append(Change(entry, after))
    await home.open_site("Payment")
    return changes
