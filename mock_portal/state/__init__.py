"""The portal's state: one SQLite file in the --state folder, schema made on start.

Each area gets its table(s) and a few plain methods in a module named for it (employers,
login_attempts, sessions, mails here; employees, contributions, payments, cases beside the
routes that use them); `Store` opens the file and holds one of each. The routes never write
SQL themselves.
"""

from __future__ import annotations

import secrets
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mock_portal.contribution.store import TABLES as CONTRIBUTION_TABLES
from mock_portal.contribution.store import Contributions
from mock_portal.employees import SCHEMA as EMPLOYEES_SCHEMA
from mock_portal.employees import Employees
from mock_portal.payments.store import TABLES as PAYMENT_TABLES
from mock_portal.payments.store import Payments
from mock_portal.registration.cases import SCHEMA as CASES_SCHEMA
from mock_portal.registration.cases import Cases
from mock_portal.seed import Seed
from mock_portal.state import employers, login_attempts, mails, sessions
from mock_portal.state.employers import Employer, Employers
from mock_portal.state.login_attempts import LoginAttempt, LoginAttempts
from mock_portal.state.mails import Mails
from mock_portal.state.sessions import Session, Sessions

__all__ = ["Employer", "LoginAttempt", "Session", "Store"]

META_SCHEMA = "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
# Tables emptied by a reset, in an order that keeps references valid; meta survives.
DATA_TABLES = (
    *PAYMENT_TABLES,
    *CONTRIBUTION_TABLES,
    "cases",
    "employees",
    *mails.TABLES,
    *sessions.TABLES,
    *login_attempts.TABLES,
    *employers.TABLES,
)


class Store:
    """Reads and writes the portal's SQLite state; single-threaded (the event loop's thread)."""

    def __init__(self, path: Path, clock: Callable[[], float] = time.time) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.clock = clock
        self.db = sqlite3.connect(path, isolation_level=None)
        self.db.row_factory = sqlite3.Row
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.executescript(META_SCHEMA)
        self.employers = Employers(self.db, clock)  # each area makes its own tables
        self.login_attempts = LoginAttempts(self.db, clock)
        self.sessions = Sessions(self.db, clock)
        self.mails = Mails(self.db, clock)
        self.db.executescript(EMPLOYEES_SCHEMA)
        self.employees = Employees(self.db, clock)
        self.contributions = Contributions(self.db, clock)
        self.payments = Payments(self.db, self.contributions, clock)
        self.db.executescript(CASES_SCHEMA)
        self.cases = Cases(self.db, clock)

    def close(self) -> None:
        self.db.close()

    def employer(self, code: str) -> Employer | None:
        """The lookup nearly every route makes (`employers.get`)."""
        return self.employers.get(code)

    # -- life cycle ---------------------------------------------------------------------
    def is_empty(self) -> bool:
        return self.employers.is_empty()

    def load(self, seed: Seed) -> None:
        """Put the seed into an empty state."""
        with self.db:
            self.db.execute("BEGIN")
            self.employers.load(seed)
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
        row = self.db.execute("SELECT value FROM meta WHERE key = 'secret'").fetchone()
        if row is not None:
            return str(row["value"])
        value = secrets.token_urlsafe(32)
        self.db.execute("INSERT INTO meta (key, value) VALUES ('secret', ?)", (value,))
        return value

    # -- the control API's view ------------------------------------------------------------
    def snapshot(self, session_idle: float) -> dict[str, Any]:
        """Everything a test or QA person may look at; never a password."""
        return {
            "employers": self.employers.snapshot(),
            "login_attempts": self.login_attempts.snapshot(),
            "mails": self.mails.snapshot(),
            "sessions": self.sessions.active(session_idle),
            "employees": self.employees.snapshot(),
            **self.contributions.snapshot(),  # "submissions", "documents"
            "cases": self.cases.snapshot(),
            **self.payments.snapshot(),  # "payments", "mandates", "eft_registrations", "bank_accounts"
        }
