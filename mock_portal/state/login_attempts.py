"""Login attempts: one row per emailed password asked for (and per refused request)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from mock_portal.state.clock import iso
from mock_portal.state.employers import Employer

SCHEMA = """
CREATE TABLE IF NOT EXISTS login_attempts (
    id INTEGER PRIMARY KEY, employer_code TEXT, email TEXT NOT NULL, password_hash TEXT,
    requested_at REAL NOT NULL, expires_at REAL, used_at REAL, outcome TEXT NOT NULL,
    failures INTEGER NOT NULL DEFAULT 0);
"""
TABLES = ("login_attempts",)


@dataclass(frozen=True)
class LoginAttempt:
    id: int
    employer_code: str
    email: str
    password_hash: str
    requested_at: float
    expires_at: float
    used_at: float | None
    outcome: str
    failures: int


class LoginAttempts:
    """The login_attempts table."""

    def __init__(self, db: sqlite3.Connection, clock: Callable[[], float]) -> None:
        self.db = db
        self.clock = clock
        db.executescript(SCHEMA)

    def unknown_email(self, email: str) -> None:
        self.db.execute(
            "INSERT INTO login_attempts (email, requested_at, outcome) VALUES (?, ?, 'unknown_email')",
            (email, self.clock()),
        )

    def locked(self, employer: Employer) -> None:
        self.db.execute(
            "INSERT INTO login_attempts (employer_code, email, requested_at, outcome)"
            " VALUES (?, ?, ?, 'locked')",
            (employer.code, employer.email, self.clock()),
        )

    def new(self, employer: Employer, password_hash: str, ttl: float) -> int:
        """A fresh pending password; the employer's earlier pending ones are superseded."""
        now = self.clock()
        with self.db:
            self.db.execute("BEGIN")
            self.db.execute(
                "UPDATE login_attempts SET outcome = 'superseded'"
                " WHERE employer_code = ? AND outcome = 'pending'",
                (employer.code,),
            )
            cursor = self.db.execute(
                "INSERT INTO login_attempts (employer_code, email, password_hash, requested_at,"
                " expires_at, outcome) VALUES (?, ?, ?, ?, ?, 'pending')",
                (employer.code, employer.email, password_hash, now, now + ttl),
            )
        return int(cursor.lastrowid or 0)

    def get(self, attempt_id: int) -> LoginAttempt | None:
        row = self.db.execute(
            "SELECT * FROM login_attempts WHERE id = ? AND password_hash IS NOT NULL", (attempt_id,)
        ).fetchone()
        if row is None:
            return None
        return LoginAttempt(**{k: row[k] for k in LoginAttempt.__dataclass_fields__})

    def close(self, attempt_id: int, outcome: str, used: bool = False) -> None:
        self.db.execute(
            "UPDATE login_attempts SET outcome = ?, used_at = ? WHERE id = ?",
            (outcome, self.clock() if used else None, attempt_id),
        )

    def count_failure(self, attempt_id: int) -> None:
        self.db.execute("UPDATE login_attempts SET failures = failures + 1 WHERE id = ?", (attempt_id,))

    def snapshot(self) -> list[dict[str, Any]]:
        return [
            {
                "id": r["id"],
                "employer_code": r["employer_code"],
                "email": r["email"],
                "requested_at": iso(r["requested_at"]),
                "expires_at": iso(r["expires_at"]),
                "used_at": iso(r["used_at"]),
                "outcome": r["outcome"],
                "failures": r["failures"],
            }
            for r in self.db.execute("SELECT * FROM login_attempts ORDER BY id").fetchall()
        ]
