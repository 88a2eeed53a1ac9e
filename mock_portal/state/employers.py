"""Employers (their login email, lockout counters) and the mailboxes their mail lands in."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from mock_portal.mail import Mailbox
from mock_portal.seed import Seed
from mock_portal.state.clock import iso

SCHEMA = """
CREATE TABLE IF NOT EXISTS mailboxes (
    user TEXT PRIMARY KEY, password TEXT NOT NULL, addresses TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS employers (
    code TEXT PRIMARY KEY, name TEXT NOT NULL, email TEXT NOT NULL UNIQUE COLLATE NOCASE,
    kind TEXT NOT NULL, ssm TEXT NOT NULL DEFAULT '', householder_id TEXT NOT NULL DEFAULT '',
    failed_logins INTEGER NOT NULL DEFAULT 0, locked_until REAL);
"""
TABLES = ("employers", "mailboxes")  # in the order a reset empties them


@dataclass(frozen=True)
class Employer:
    code: str
    name: str
    email: str
    kind: str
    failed_logins: int
    locked_until: float | None


class Employers:
    """The employers and mailboxes tables."""

    def __init__(self, db: sqlite3.Connection, clock: Callable[[], float]) -> None:
        self.db = db
        self.clock = clock
        db.executescript(SCHEMA)

    def load(self, seed: Seed) -> None:
        """The seed's mailboxes and employers, inside the caller's transaction."""
        self.db.executemany(
            "INSERT INTO mailboxes (user, password, addresses) VALUES (?, ?, ?)",
            [(m.user, m.password, json.dumps(list(m.addresses))) for m in seed.mailboxes],
        )
        self.db.executemany(
            "INSERT INTO employers (code, name, email, kind, ssm, householder_id) VALUES (?, ?, ?, ?, ?, ?)",
            [(e.code, e.name, e.email, e.kind, e.ssm, e.householder_id) for e in seed.employers],
        )

    def is_empty(self) -> bool:
        return self.db.execute("SELECT 1 FROM employers LIMIT 1").fetchone() is None

    def mailboxes(self) -> list[Mailbox]:
        return [
            Mailbox(user=r["user"], password=r["password"], addresses=tuple(json.loads(r["addresses"])))
            for r in self.db.execute("SELECT * FROM mailboxes ORDER BY user").fetchall()
        ]

    def get(self, code: str) -> Employer | None:
        row = self.db.execute("SELECT * FROM employers WHERE code = ?", (code,)).fetchone()
        return _employer(row) if row else None

    def by_email(self, email: str) -> Employer | None:
        row = self.db.execute("SELECT * FROM employers WHERE email = ?", (email.strip(),)).fetchone()
        return _employer(row) if row else None

    def add(
        self, *, code: str, name: str, email: str, kind: str, ssm: str, householder_id: str, mailbox: Mailbox
    ) -> None:
        """A newly registered employer (QRG 2) and the mailbox its login email lands in."""
        with self.db:
            self.db.execute("BEGIN")
            self.db.execute(
                "INSERT INTO employers (code, name, email, kind, ssm, householder_id) VALUES (?, ?, ?, ?, ?, ?)",
                (code, name, email, kind, ssm, householder_id),
            )
            self.db.execute(
                "INSERT OR REPLACE INTO mailboxes (user, password, addresses) VALUES (?, ?, ?)",
                (mailbox.user, mailbox.password, json.dumps(list(mailbox.addresses))),
            )

    def record_failed_login(self, code: str, lockout_after: int, lockout_seconds: float) -> bool:
        """Count a wrong password; returns True when this one locked the account."""
        self.db.execute("UPDATE employers SET failed_logins = failed_logins + 1 WHERE code = ?", (code,))
        employer = self.get(code)
        if employer is None or employer.failed_logins < lockout_after:
            return False
        self.db.execute(
            "UPDATE employers SET failed_logins = 0, locked_until = ? WHERE code = ?",
            (self.clock() + lockout_seconds, code),
        )
        return True

    def clear_failed_logins(self, code: str) -> None:
        self.db.execute("UPDATE employers SET failed_logins = 0, locked_until = NULL WHERE code = ?", (code,))

    def snapshot(self) -> list[dict[str, Any]]:
        return [
            {
                "code": r["code"],
                "name": r["name"],
                "email": r["email"],
                "kind": r["kind"],
                "ssm": r["ssm"],
                "householder_id": r["householder_id"],
                "failed_logins": r["failed_logins"],
                "locked_until": iso(r["locked_until"]),
            }
            for r in self.db.execute("SELECT * FROM employers ORDER BY code").fetchall()
        ]


def _employer(row: sqlite3.Row) -> Employer:
    return Employer(**{k: row[k] for k in Employer.__dataclass_fields__})
