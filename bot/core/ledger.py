"""The payment ledger: the bot's own record of every payment it set out to make, so that a
contribution is paid exactly once, across crashes, reruns and concurrent processes.

The intent is written BEFORE the bot presses the button that moves money (state `pending`), moves
to `submitted` just before the bank's CONFIRM, and ends `paid`, `declined`, `awaiting-authoriser` or
`unknown` (the answer never came). A payment claims its documents in `assist_payment_claims`
(primary key employer code + document number) in the same transaction as its row: a second
process claiming any of them fails on the key, on SQLite and PostgreSQL alike. Only a payment that
certainly moved no money (`declined`, `abandoned`) gives its claims back.
Same database as the run tables (bot/core/runs.py): a SQLite file by default or PostgreSQL.
"""

from __future__ import annotations

import os
import socket
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from bot.core.database import create_tables, open_engine
from bot.core.runs import database_url
from bot.core.settings import Settings

PENDING, SUBMITTED, PAID = "pending", "submitted", "paid"
DECLINED, AWAITING, UNKNOWN, ABANDONED = "declined", "awaiting-authoriser", "unknown", "abandoned"
OPEN = (PENDING, SUBMITTED, AWAITING, UNKNOWN)  # may still become (or already be) a payment
RELEASED = (DECLINED, ABANDONED)  # certainly no money moved: the documents may be paid again
# A `pending` intent younger than this belongs to a run that may still be at the bank.
LEASE_SECONDS = 15 * 60

metadata = sa.MetaData()

payments = sa.Table(
    "assist_payments",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("employer_code", sa.String(32), nullable=False, index=True),
    sa.Column("employer", sa.String(100), nullable=False),
    sa.Column("month", sa.String(7), nullable=False),
    sa.Column("method", sa.String(10), nullable=False),
    sa.Column("documents", sa.String(400), nullable=False),  # numbers joined by " "
    sa.Column("amount_sen", sa.Integer, nullable=False),
    sa.Column("state", sa.String(24), nullable=False),
    sa.Column("portal_reference", sa.String(40), nullable=True),
    sa.Column("transaction_id", sa.String(40), nullable=True),
    sa.Column("detail", sa.Text, nullable=False, default=""),
    sa.Column("receipt", sa.Text, nullable=False, default=""),
    sa.Column("owner", sa.String(200), nullable=False),
    sa.Column("created_at", sa.Float, nullable=False),
    sa.Column("updated_at", sa.Float, nullable=False),
)

claims = sa.Table(
    "assist_payment_claims",
    metadata,
    sa.Column("employer_code", sa.String(32), primary_key=True),
    sa.Column("document", sa.String(40), primary_key=True),
    sa.Column("payment_id", sa.Integer, nullable=False),
)


@dataclass(frozen=True)
class Entry:
    """One payment the bot set out to make."""

    id: int
    employer_code: str
    employer: str
    month: str
    method: str
    documents: tuple[str, ...]
    amount_sen: int
    state: str
    portal_reference: str | None
    transaction_id: str | None
    detail: str
    receipt: str
    owner: str
    created_at: float
    updated_at: float

    @property
    def is_open(self) -> bool:
        return self.state in OPEN

    def in_progress(self, now: float | None = None) -> bool:
        """A fresh `pending` intent whose run may be at the bank right now.

        A run killed on this machine (its process is gone) is not: `pending` means the bank's
        CONFIRM was not yet pressed, so reconciling may release its documents at once instead of
        waiting out the lease.
        """
        fresh = self.state == PENDING and (now or time.time()) - self.updated_at < LEASE_SECONDS
        return fresh and _owner_may_be_alive(self.owner)

    def describe(self) -> str:
        ref = f" {self.portal_reference}" if self.portal_reference else ""
        return (
            f"{self.method.upper()}{ref} of {' + '.join(self.documents)} RM{self.amount_sen / 100:,.2f}"
            f" ({self.state})"
        )

    def as_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__} | {"documents": list(self.documents)}


class AlreadyClaimed(Exception):
    """Another payment (open or paid) holds some of the documents."""

    def __init__(self, holders: list[Entry]) -> None:
        super().__init__(", ".join(h.describe() for h in holders))
        self.holders = holders


def owner_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _owner_may_be_alive(owner: str) -> bool:
    """False only when the owner ran on this machine and its process is certainly gone."""
    host, _, pid = owner.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return True  # another machine's run: only its lease can tell
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a killed process nobody reaped yet is a zombie: gone all the same
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat.rsplit(")", 1)[-1].split()[0] != "Z"


def _entry(row: Any) -> Entry:
    data = dict(row._mapping)
    data["documents"] = tuple(data["documents"].split())
    return Entry(**data)


class Ledger:
    """Reads and writes the ledger; every change is one short transaction."""

    def __init__(self, url: str) -> None:
        self.engine = open_engine(url)
        create_tables(metadata, self.engine)

    @classmethod
    def of(cls, settings: Settings) -> Ledger:
        return cls(database_url(settings))

    def close(self) -> None:
        self.engine.dispose()

    def claim(
        self,
        *,
        employer_code: str,
        employer: str,
        month: str,
        method: str,
        documents: list[str],
        amount_sen: int,
    ) -> Entry:
        """Write the intent (`pending`) and claim its documents, atomically; `AlreadyClaimed` names the
        payments that hold any of them."""
        now = time.time()
        try:
            with self.engine.begin() as conn:
                # Released claims (declined/abandoned payments) go first, in the same transaction.
                released = sa.select(payments.c.id).where(payments.c.state.in_(RELEASED))
                conn.execute(
                    sa.delete(claims).where(
                        claims.c.employer_code == employer_code,
                        claims.c.document.in_(documents),
                        claims.c.payment_id.in_(released),
                    )
                )
                inserted = conn.execute(
                    sa.insert(payments).values(
                        employer_code=employer_code,
                        employer=employer,
                        month=month,
                        method=method,
                        documents=" ".join(documents),
                        amount_sen=amount_sen,
                        state=PENDING,
                        detail="",
                        receipt="",
                        owner=owner_id(),
                        created_at=now,
                        updated_at=now,
                    )
                ).inserted_primary_key
                assert inserted is not None
                new_id = inserted[0]
                conn.execute(
                    sa.insert(claims),
                    [
                        {"employer_code": employer_code, "document": d, "payment_id": new_id}
                        for d in documents
                    ],
                )
        except sa.exc.IntegrityError:
            raise AlreadyClaimed(self.holders(employer_code, documents)) from None
        entry = self.get(int(new_id))
        assert entry is not None
        return entry

    def holders(self, employer_code: str, documents: list[str]) -> list[Entry]:
        """The payments that claim any of the documents (open or paid)."""
        with self.engine.connect() as conn:
            ids = (
                conn.execute(
                    sa.select(claims.c.payment_id).where(
                        claims.c.employer_code == employer_code, claims.c.document.in_(documents)
                    )
                )
                .scalars()
                .all()
            )
        return [
            e for e in (self.get(i) for i in sorted(set(ids))) if e is not None and e.state not in RELEASED
        ]

    def get(self, entry_id: int) -> Entry | None:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(payments).where(payments.c.id == entry_id)).first()
        return _entry(row) if row else None

    def update(self, entry_id: int, state: str, **fields: Any) -> Entry:
        """Move an entry on; a released state gives its documents back in the same transaction."""
        with self.engine.begin() as conn:
            conn.execute(
                sa.update(payments)
                .where(payments.c.id == entry_id)
                .values(state=state, updated_at=time.time(), **fields)
            )
            if state in RELEASED:
                conn.execute(sa.delete(claims).where(claims.c.payment_id == entry_id))
        entry = self.get(entry_id)
        assert entry is not None
        return entry

    def entries(
        self,
        employer_code: str | None = None,
        month: str | None = None,
        states: tuple[str, ...] | None = None,
    ) -> list[Entry]:
        query = sa.select(payments).order_by(payments.c.id)
        if employer_code is not None:
            query = query.where(payments.c.employer_code == employer_code)
        if month is not None:
            query = query.where(payments.c.month == month)
        if states is not None:
            query = query.where(payments.c.state.in_(states))
        with self.engine.connect() as conn:
            return [_entry(r) for r in conn.execute(query)]
