"""Server-side sessions: one row per login, ended by logout, idleness or an injected fault."""

from __future__ import annotations

import secrets
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (
    id TEXT PRIMARY KEY, employer_code TEXT NOT NULL, created_at REAL NOT NULL,
    last_seen REAL NOT NULL, requests INTEGER NOT NULL DEFAULT 0, ended_at REAL, end_reason TEXT);
"""
TABLES = ("sessions",)


@dataclass(frozen=True)
class Session:
    id: str
    employer_code: str
    last_seen: float
    requests: int
    ended_at: float | None


class Sessions:
    """The sessions table."""

    def __init__(self, db: sqlite3.Connection, clock: Callable[[], float]) -> None:
        self.db = db
        self.clock = clock
        db.executescript(SCHEMA)

    def new(self, employer_code: str) -> str:
        session_id = secrets.token_urlsafe(24)
        now = self.clock()
        self.db.execute(
            "INSERT INTO sessions (id, employer_code, created_at, last_seen) VALUES (?, ?, ?, ?)",
            (session_id, employer_code, now, now),
        )
        return session_id

    def get(self, session_id: str) -> Session | None:
        row = self.db.execute("SELECT * FROM sessions WHERE id = ?", (session_id,)).fetchone()
        if row is None:
            return None
        return Session(**{k: row[k] for k in Session.__dataclass_fields__})

    def touch(self, session_id: str) -> None:
        self.db.execute(
            "UPDATE sessions SET last_seen = ?, requests = requests + 1 WHERE id = ?",
            (self.clock(), session_id),
        )

    def end(self, session_id: str, reason: str) -> None:
        self.db.execute(
            "UPDATE sessions SET ended_at = ?, end_reason = ? WHERE id = ? AND ended_at IS NULL",
            (self.clock(), reason, session_id),
        )

    def active(self, idle: float) -> int:
        row = self.db.execute(
            "SELECT COUNT(*) AS n FROM sessions WHERE ended_at IS NULL AND last_seen > ?",
            (self.clock() - idle,),
        ).fetchone()
        return int(row["n"]) if row else 0
