"""The payments' tables: payments (every method), the mock bank's accounts, EFT registrations, mandates.

A payment row is the portal's record of one attempt (its reference is what Payment History shows);
its documents are marked paid only when the money arrived (FPX success or authoriser approval, EFT
verified, direct debit initiated). An FPX transaction the bank never confirmed times out: `Pending`
becomes `Unsuccessful` once `pending_expiry()` seconds have passed since it was opened (as FPX does;
checked whenever payments are read). Nothing stops a second payment of a document whose first payment
is still pending: the real portal doesn't either, and that is the harm the bot must avoid.
"""

from __future__ import annotations

import json
import sqlite3
import time
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from mock_portal.config import DEFAULT_SEED_FILE
from mock_portal.contribution.store import Contributions, Document

SCHEMA = """
CREATE TABLE IF NOT EXISTS payments (
    reference TEXT PRIMARY KEY, employer_code TEXT NOT NULL, method TEXT NOT NULL, documents TEXT NOT NULL,
    amount_sen INTEGER NOT NULL, status TEXT NOT NULL, business_model TEXT NOT NULL DEFAULT '',
    bank TEXT NOT NULL DEFAULT '', email TEXT NOT NULL DEFAULT '', transaction_id TEXT,
    mandate_reference TEXT, bank_user TEXT, payment_date TEXT NOT NULL, payer_reference TEXT,
    slip_name TEXT, reason TEXT NOT NULL DEFAULT '', created_at REAL NOT NULL, updated_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS bank_accounts (
    user TEXT PRIMARY KEY, password TEXT NOT NULL, holder TEXT NOT NULL, corporate INTEGER NOT NULL,
    balance_sen INTEGER NOT NULL, no_return INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS eft_registrations (
    employer_code TEXT PRIMARY KEY, email TEXT NOT NULL, contact_no TEXT NOT NULL,
    officer_name TEXT NOT NULL, registered_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS mandates (
    reference TEXT PRIMARY KEY, employer_code TEXT NOT NULL, scheme TEXT NOT NULL, business_model TEXT NOT NULL,
    bank TEXT NOT NULL, limit_sen INTEGER NOT NULL, max_frequency INTEGER NOT NULL, phone TEXT NOT NULL,
    email TEXT NOT NULL, status TEXT NOT NULL, created_at REAL NOT NULL, decided_at REAL);
"""
TABLES = ("payments", "mandates", "eft_registrations", "bank_accounts")  # emptied by a reset
BANK_FILE = DEFAULT_SEED_FILE.parent / "bank.toml"
# Payment statuses as Payment History shows them.
INITIATED, PENDING_AUTH, SUCCESSFUL, UNSUCCESSFUL, PENDING_VERIFICATION = (
    "Pending",
    "Pending Authorisation",
    "Successful",
    "Unsuccessful",
    "Pending Verification",
)
PREFIX = {"fpx": "FPX", "eft": "EFT", "dda": "DDA"}
EXPIRED_REASON = "Transaction timed out (FPX): the bank never confirmed it."
DEFAULT_PENDING_EXPIRY = 900.0


@dataclass(frozen=True)
class Payment:
    reference: str
    employer_code: str
    method: str
    documents: tuple[str, ...]
    amount_sen: int
    status: str
    business_model: str
    bank: str
    email: str
    transaction_id: str | None
    mandate_reference: str | None
    bank_user: str | None
    payment_date: str
    payer_reference: str | None
    reason: str


@dataclass(frozen=True)
class BankAccount:
    user: str
    password: str
    holder: str
    corporate: bool
    balance_sen: int
    no_return: bool


@dataclass(frozen=True)
class Mandate:
    reference: str
    employer_code: str
    scheme: str
    business_model: str
    bank: str
    limit_sen: int
    max_frequency: int
    phone: str
    email: str
    status: str


def _payment(row: sqlite3.Row) -> Payment:
    data = {k: row[k] for k in Payment.__dataclass_fields__}
    data["documents"] = tuple(json.loads(row["documents"]))
    return Payment(**data)


class Payments:
    """The Payment area's tables over the Store's connection."""

    def __init__(
        self, db: sqlite3.Connection, contributions: Contributions, clock: Callable[[], float] = time.time
    ) -> None:
        self.db = db
        self.contributions = contributions
        self.clock = clock
        self.pending_expiry: Callable[[], float] = lambda: DEFAULT_PENDING_EXPIRY
        db.executescript(SCHEMA)
        if db.execute("SELECT 1 FROM bank_accounts LIMIT 1").fetchone() is None:
            self.load()  # a state made before the bank existed

    def load(self, bank_file: Path = BANK_FILE) -> None:
        """The mock bank's demo accounts (fixtures/demo/bank.toml)."""
        if not bank_file.is_file():
            return
        accounts = tomllib.loads(bank_file.read_text(encoding="utf-8")).get("account", [])
        self.db.executemany(
            "INSERT OR REPLACE INTO bank_accounts (user, password, holder, corporate, balance_sen) VALUES (?, ?, ?, ?, ?)",
            [
                (
                    a["user"],
                    a["password"],
                    a["holder"],
                    int(a.get("corporate", False)),
                    round(float(a["balance"]) * 100),
                )
                for a in accounts
            ],
        )

    def expire_pending(self) -> int:
        """FPX's time-out: transactions still `Pending` past the expiry become `Unsuccessful`."""
        now = self.clock()
        cursor = self.db.execute(
            "UPDATE payments SET status = ?, reason = ?, updated_at = ?"
            " WHERE method = 'fpx' AND status = ? AND created_at <= ?",
            (UNSUCCESSFUL, EXPIRED_REASON, now, INITIATED, now - self.pending_expiry()),
        )
        return cursor.rowcount

    # -- documents -------------------------------------------------------------------------
    def unpaid(self, employer_code: str, scheme: str | None = None) -> list[Document]:
        """The employer's unpaid ACR/ECR (of one scheme, for EFT and direct debit)."""
        return [
            d
            for d in self.contributions.documents(employer_code)
            if d.status == "unpaid" and (scheme is None or d.scheme == scheme)
        ]

    # -- payments ----------------------------------------------------------------------------
    def _next_reference(self, prefix: str, today: date) -> str:
        count = int(self.db.execute("SELECT COUNT(*) FROM payments").fetchone()[0]) + 1
        return f"{prefix}{today:%y%m%d}{count:05d}"

    def new_payment(
        self,
        *,
        employer_code: str,
        method: str,
        documents: list[Document],
        today: date,
        status: str,
        **fields: Any,
    ) -> Payment:
        reference = self._next_reference(PREFIX[method], today)
        now = self.clock()
        values = {
            "reference": reference,
            "employer_code": employer_code,
            "method": method,
            "documents": json.dumps([d.number for d in documents]),
            "amount_sen": sum(d.amount_sen for d in documents),
            "status": status,
            "payment_date": today.isoformat(),
            "created_at": now,
            "updated_at": now,
            **fields,
        }
        self.db.execute(
            f"INSERT INTO payments ({', '.join(values)}) VALUES ({', '.join('?' * len(values))})",
            tuple(values.values()),
        )
        payment = self.payment(reference)
        assert payment is not None
        return payment

    def payment(self, reference: str, employer_code: str | None = None) -> Payment | None:
        self.expire_pending()
        row = self.db.execute("SELECT * FROM payments WHERE reference = ?", (reference,)).fetchone()
        if row is None or (employer_code is not None and row["employer_code"] != employer_code):
            return None
        return _payment(row)

    def history(self, employer_code: str, method: str | None = None) -> list[Payment]:
        self.expire_pending()
        rows = self.db.execute(
            "SELECT * FROM payments WHERE employer_code = ? ORDER BY created_at DESC", (employer_code,)
        ).fetchall()
        return [p for p in map(_payment, rows) if method is None or p.method == method]

    def update(self, reference: str, **fields: Any) -> Payment:
        fields["updated_at"] = self.clock()
        self.db.execute(
            f"UPDATE payments SET {', '.join(f'{k} = ?' for k in fields)} WHERE reference = ?",
            (*fields.values(), reference),
        )
        payment = self.payment(reference)
        assert payment is not None
        return payment

    def succeed(self, reference: str, **fields: Any) -> Payment:
        """The money arrived: the payment is Successful and its documents paid (a document paid
        before keeps its first payment's reference: the second payment is money taken twice)."""
        payment = self.update(reference, status=SUCCESSFUL, **fields)
        for number in payment.documents:
            document = self.contributions.document(number)
            if document is not None and document.status == "unpaid":
                self.contributions.mark_paid(number, reference)
        return payment

    def paid_this_month(self, mandate_reference: str, today: date) -> int:
        row = self.db.execute(
            "SELECT COUNT(*) FROM payments WHERE mandate_reference = ? AND status = ?"
            " AND substr(payment_date, 1, 7) = ?",
            (mandate_reference, SUCCESSFUL, today.isoformat()[:7]),
        ).fetchone()
        return int(row[0])

    # -- the mock bank ------------------------------------------------------------------------
    def account(self, user: str) -> BankAccount | None:
        row = self.db.execute("SELECT * FROM bank_accounts WHERE user = ?", (user,)).fetchone()
        if row is None:
            return None
        return BankAccount(
            row["user"],
            row["password"],
            row["holder"],
            bool(row["corporate"]),
            row["balance_sen"],
            bool(row["no_return"]),
        )

    def set_account(
        self, user: str, balance_sen: int | None = None, no_return: bool | None = None
    ) -> BankAccount | None:
        self.db.execute(
            "UPDATE bank_accounts SET balance_sen = COALESCE(?, balance_sen),"
            " no_return = COALESCE(?, no_return) WHERE user = ?",
            (balance_sen, None if no_return is None else int(no_return), user),
        )
        return self.account(user)

    def debit(self, user: str, amount_sen: int) -> bool:
        """Take the amount from the account; False (nothing taken) when the balance is short."""
        cursor = self.db.execute(
            "UPDATE bank_accounts SET balance_sen = balance_sen - ? WHERE user = ? AND balance_sen >= ?",
            (amount_sen, user, amount_sen),
        )
        return cursor.rowcount == 1

    # -- EFT registration --------------------------------------------------------------------
    def eft_registration(self, employer_code: str) -> dict[str, Any] | None:
        row = self.db.execute(
            "SELECT * FROM eft_registrations WHERE employer_code = ?", (employer_code,)
        ).fetchone()
        return dict(row) if row else None

    def register_eft(self, employer_code: str, email: str, contact_no: str, officer_name: str) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO eft_registrations VALUES (?, ?, ?, ?, ?)",
            (employer_code, email, contact_no, officer_name, self.clock()),
        )

    # -- mandates ----------------------------------------------------------------------------
    def new_mandate(self, *, employer_code: str, scheme: str, today: date, **fields: Any) -> Mandate:
        count = int(self.db.execute("SELECT COUNT(*) FROM mandates").fetchone()[0]) + 1
        reference = f"MDT{today:%y%m%d}{count:05d}"
        values = {
            "reference": reference,
            "employer_code": employer_code,
            "scheme": scheme,
            "status": "Pending Approval",
            "created_at": self.clock(),
            **fields,
        }
        self.db.execute(
            f"INSERT INTO mandates ({', '.join(values)}) VALUES ({', '.join('?' * len(values))})",
            tuple(values.values()),
        )
        mandate = self.mandate(reference)
        assert mandate is not None
        return mandate

    def mandate(self, reference: str, employer_code: str | None = None) -> Mandate | None:
        row = self.db.execute("SELECT * FROM mandates WHERE reference = ?", (reference,)).fetchone()
        if row is None or (employer_code is not None and row["employer_code"] != employer_code):
            return None
        return Mandate(**{k: row[k] for k in Mandate.__dataclass_fields__})

    def mandates(self, employer_code: str, scheme: str) -> list[Mandate]:
        rows = self.db.execute(
            "SELECT reference FROM mandates WHERE employer_code = ? AND scheme = ? ORDER BY created_at",
            (employer_code, scheme),
        ).fetchall()
        return [m for m in (self.mandate(r["reference"]) for r in rows) if m is not None]

    def decide_mandate(self, reference: str, approved: bool) -> Mandate | None:
        self.db.execute(
            "UPDATE mandates SET status = ?, decided_at = ? WHERE reference = ?",
            ("Approved" if approved else "Rejected", self.clock(), reference),
        )
        return self.mandate(reference)

    # -- the control API's view ------------------------------------------------------------
    def snapshot(self) -> dict[str, list[dict[str, Any]]]:
        self.expire_pending()
        payments = []
        for row in self.db.execute("SELECT * FROM payments ORDER BY created_at, reference").fetchall():
            item = dict(row)
            item["documents"] = json.loads(item["documents"])
            payments.append(item)
        mandates = [dict(r) for r in self.db.execute("SELECT * FROM mandates ORDER BY created_at").fetchall()]
        regs = [dict(r) for r in self.db.execute("SELECT * FROM eft_registrations").fetchall()]
        accounts = [
            {k: r[k] for k in ("user", "holder", "corporate", "balance_sen", "no_return")}
            for r in self.db.execute("SELECT * FROM bank_accounts ORDER BY user").fetchall()
        ]
        return {
            "payments": payments,
            "mandates": mandates,
            "eft_registrations": regs,
            "bank_accounts": accounts,
        }
