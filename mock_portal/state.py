"""The portal's state: one SQLite file in the --state folder, schema made on start.

Each area (employers, logins, sessions, mails; later submissions, payments…) gets its table(s)
and a few plain methods here; the routes never write SQL themselves.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from mock_portal.contribution.store import TABLES as CONTRIBUTION_TABLES
from mock_portal.contribution.store import Contributions
from mock_portal.employees import SCHEMA as EMPLOYEES_SCHEMA
from mock_portal.employees import Employees
from mock_portal.mail import Mailbox
from mock_portal.payments.store import TABLES as PAYMENT_TABLES
from mock_portal.payments.store import Payments
from mock_portal.registration.cases import SCHEMA as CASES_SCHEMA
from mock_portal.registration.cases import Cases
from mock_portal.seed import Seed

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS mailboxes (
    user TEXT PRIMARY KEY, password TEXT NOT NULL, addresses TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS employers (
    code TEXT PRIMARY KEY, name TEXT NOT NULL, email TEXT NOT NULL UNIQUE COLLATE NOCASE,
    kind TEXT NOT NULL, ssm TEXT NOT NULL DEFAULT '', householder_id TEXT NOT NULL DEFAULT '',
    failed_logins INTEGER NOT NULL DEFAULT 0, locked_until REAL);
CREATE TABLE IF NOT EXISTS login_attempts (
    id INTEGER PRIMARY KEY, employer_code TEXT, email TEXT NOT NULL, password_hash TEXT,
    requested_at REAL NOT NULL, expires_at REAL, used_at REAL, outcome TEXT NOT NULL,
    failures INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS sessions (
    id TEXT PRIMARY KEY, employer_code TEXT NOT NULL, created_at REAL NOT NULL,
    last_seen REAL NOT NULL, requests INTEGER NOT NULL DEFAULT 0, ended_at REAL, end_reason TEXT);
CREATE TABLE IF NOT EXISTS mails (
    id INTEGER PRIMARY KEY, to_addr TEXT NOT NULL, subject TEXT NOT NULL,
    message_id TEXT NOT NULL, queued_at REAL NOT NULL, sent_at REAL,
    dropped INTEGER NOT NULL DEFAULT 0, duplicated INTEGER NOT NULL DEFAULT 0, error TEXT);
"""
# Tables emptied by a reset, in an order that keeps references valid; meta survives.
DATA_TABLES = (
    *PAYMENT_TABLES,
    *CONTRIBUTION_TABLES,
    "cases",
    "employees",
    "mails",
    "sessions",
    "login_attempts",
    "employers",
    "mailboxes",
)


def iso(epoch: float | None) -> str | None:
    """Epoch seconds as an ISO 8601 UTC string, for the control API."""
    if epoch is None:
        return None
    return datetime.fromtimestamp(epoch, tz=UTC).isoformat(timespec="milliseconds")


@dataclass(frozen=True)
class Employer:
    code: str
    name: str
    email: str
    kind: str
    failed_logins: int
    locked_until: float | None


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


@dataclass(frozen=True)
class Session:
    id: str
    employer_code: str
    last_seen: float
    requests: int
    ended_at: float | None


class Store:
    """Reads and writes the portal's SQLite state; single-threaded (the event loop's thread)."""

    def __init__(self, path: Path, clock: Callable[[], float] = time.time) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.clock = clock
        self.db = sqlite3.connect(path, isolation_level=None)
        self.db.row_factory = sqlite3.Row
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.executescript(SCHEMA)
        self.db.executescript(EMPLOYEES_SCHEMA)
        self.employees = Employees(self.db, clock)
        self.contributions = Contributions(self.db, clock)  # makes its own tables
        self.payments = Payments(self.db, self.contributions, clock)  # makes its own tables
        self.db.executescript(CASES_SCHEMA)
        self.cases = Cases(self.db, clock)

    def close(self) -> None:
        self.db.close()

    def _one(self, sql: str, *args: Any) -> sqlite3.Row | None:
        return self.db.execute(sql, args).fetchone()

    def _all(self, sql: str, *args: Any) -> list[sqlite3.Row]:
        return self.db.execute(sql, args).fetchall()

    # -- life cycle ---------------------------------------------------------------------
    def is_empty(self) -> bool:
        return self._one("SELECT 1 FROM employers LIMIT 1") is None

    def load(self, seed: Seed) -> None:
        """Put the seed into an empty state."""
        with self.db:
            self.db.execute("BEGIN")
            self.db.executemany(
                "INSERT INTO mailboxes (user, password, addresses) VALUES (?, ?, ?)",
                [(m.user, m.password, json.dumps(list(m.addresses))) for m in seed.mailboxes],
            )
            self.db.executemany(
                "INSERT INTO employers (code, name, email, kind, ssm, householder_id)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                [(e.code, e.name, e.email, e.kind, e.ssm, e.householder_id) for e in seed.employers],
            )
            self.employees.load(seed.employees)
            self.payments.load()

    def reset(self, seed: Seed) -> None:
        """Everything back to the seed."""
        with self.db:
            self.db.execute("BEGIN")
            for table in DATA_TABLES:
                self.db.execute(f"DELETE FROM {table}")
        self.load(seed)

    def secret(self) -> str:
        """The cookie-signing key, kept in the state so that a restart keeps sessions valid."""
        row = self._one("SELECT value FROM meta WHERE key = 'secret'")
        if row is not None:
            return str(row["value"])
        value = secrets.token_urlsafe(32)
        self.db.execute("INSERT INTO meta (key, value) VALUES ('secret', ?)", (value,))
        return value

    # -- mailboxes and employers ------------------------------------------------------------
    def mailboxes(self) -> list[Mailbox]:
        return [
            Mailbox(user=r["user"], password=r["password"], addresses=tuple(json.loads(r["addresses"])))
            for r in self._all("SELECT * FROM mailboxes ORDER BY user")
        ]

    def employer(self, code: str) -> Employer | None:
        row = self._one("SELECT * FROM employers WHERE code = ?", code)
        return _employer(row) if row else None

    def add_employer(
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

    def employer_by_email(self, email: str) -> Employer | None:
        row = self._one("SELECT * FROM employers WHERE email = ?", email.strip())
        return _employer(row) if row else None

    def record_failed_login(self, code: str, lockout_after: int, lockout_seconds: float) -> bool:
        """Count a wrong password; returns True when this one locked the account."""
        self.db.execute("UPDATE employers SET failed_logins = failed_logins + 1 WHERE code = ?", (code,))
        employer = self.employer(code)
        if employer is None or employer.failed_logins < lockout_after:
            return False
        self.db.execute(
            "UPDATE employers SET failed_logins = 0, locked_until = ? WHERE code = ?",
            (self.clock() + lockout_seconds, code),
        )
        return True

    def clear_failed_logins(self, code: str) -> None:
        self.db.execute("UPDATE employers SET failed_logins = 0, locked_until = NULL WHERE code = ?", (code,))

    # -- login attempts (the emailed passwords) ------------------------------------------------
    def unknown_email_attempt(self, email: str) -> None:
        self.db.execute(
            "INSERT INTO login_attempts (email, requested_at, outcome) VALUES (?, ?, 'unknown_email')",
            (email, self.clock()),
        )

    def locked_attempt(self, employer: Employer) -> None:
        self.db.execute(
            "INSERT INTO login_attempts (employer_code, email, requested_at, outcome)"
            " VALUES (?, ?, ?, 'locked')",
            (employer.code, employer.email, self.clock()),
        )

    def new_attempt(self, employer: Employer, password_hash: str, ttl: float) -> int:
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

    def attempt(self, attempt_id: int) -> LoginAttempt | None:
        row = self._one("SELECT * FROM login_attempts WHERE id = ? AND password_hash IS NOT NULL", attempt_id)
        if row is None:
            return None
        return LoginAttempt(**{k: row[k] for k in LoginAttempt.__dataclass_fields__})

    def close_attempt(self, attempt_id: int, outcome: str, used: bool = False) -> None:
        self.db.execute(
            "UPDATE login_attempts SET outcome = ?, used_at = ? WHERE id = ?",
            (outcome, self.clock() if used else None, attempt_id),
        )

    def count_attempt_failure(self, attempt_id: int) -> None:
        self.db.execute("UPDATE login_attempts SET failures = failures + 1 WHERE id = ?", (attempt_id,))

    # -- sessions --------------------------------------------------------------------------
    def new_session(self, employer_code: str) -> str:
        session_id = secrets.token_urlsafe(24)
        now = self.clock()
        self.db.execute(
            "INSERT INTO sessions (id, employer_code, created_at, last_seen) VALUES (?, ?, ?, ?)",
            (session_id, employer_code, now, now),
        )
        return session_id

    def session(self, session_id: str) -> Session | None:
        row = self._one("SELECT * FROM sessions WHERE id = ?", session_id)
        if row is None:
            return None
        return Session(**{k: row[k] for k in Session.__dataclass_fields__})

    def touch_session(self, session_id: str) -> None:
        self.db.execute(
            "UPDATE sessions SET last_seen = ?, requests = requests + 1 WHERE id = ?",
            (self.clock(), session_id),
        )

    def end_session(self, session_id: str, reason: str) -> None:
        self.db.execute(
            "UPDATE sessions SET ended_at = ?, end_reason = ? WHERE id = ? AND ended_at IS NULL",
            (self.clock(), reason, session_id),
        )

    def active_sessions(self, idle: float) -> int:
        row = self._one(
            "SELECT COUNT(*) AS n FROM sessions WHERE ended_at IS NULL AND last_seen > ?",
            self.clock() - idle,
        )
        return int(row["n"]) if row else 0

    # -- mails -------------------------------------------------------------------------------
    def new_mail(self, to: str, subject: str, message_id: str, dropped: bool, duplicated: bool) -> int:
        cursor = self.db.execute(
            "INSERT INTO mails (to_addr, subject, message_id, queued_at, dropped, duplicated)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (to, subject, message_id, self.clock(), int(dropped), int(duplicated)),
        )
        return int(cursor.lastrowid or 0)

    def mail_sent(self, mail_id: int, error: str | None = None) -> None:
        self.db.execute(
            "UPDATE mails SET sent_at = ?, error = ? WHERE id = ?",
            (None if error else self.clock(), error, mail_id),
        )

    # -- the control API's view ------------------------------------------------------------
    def snapshot(self, session_idle: float) -> dict[str, Any]:
        """Everything a test or QA person may look at; never a password."""
        return {
            "employers": [
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
                for r in self._all("SELECT * FROM employers ORDER BY code")
            ],
            "login_attempts": [
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
                for r in self._all("SELECT * FROM login_attempts ORDER BY id")
            ],
            "mails": [
                {
                    "to": r["to_addr"],
                    "subject": r["subject"],
                    "message_id": r["message_id"],
                    "queued_at": iso(r["queued_at"]),
                    "sent_at": iso(r["sent_at"]),
                    "dropped": bool(r["dropped"]),
                    "duplicated": bool(r["duplicated"]),
                    "error": r["error"],
                }
                for r in self._all("SELECT * FROM mails ORDER BY id")
            ],
            "sessions": self.active_sessions(session_idle),
            "employees": self.employees.snapshot(),
            **self.contributions.snapshot(),  # "submissions", "documents"
            "cases": self.cases.snapshot(),
            **self.payments.snapshot(),  # "payments", "mandates", "eft_registrations", "bank_accounts"
            # Areas of later issues: employees, submissions, documents, payments, mandates, cases.
        }


def _employer(row: sqlite3.Row) -> Employer:
    return Employer(**{k: row[k] for k in Employer.__dataclass_fields__})
