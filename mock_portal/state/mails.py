"""The record of every mail the portal sent (or, under a fault, dropped)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

from mock_portal.state.clock import iso

SCHEMA = """
CREATE TABLE IF NOT EXISTS mails (
    id INTEGER PRIMARY KEY, to_addr TEXT NOT NULL, subject TEXT NOT NULL,
    message_id TEXT NOT NULL, queued_at REAL NOT NULL, sent_at REAL,
    dropped INTEGER NOT NULL DEFAULT 0, duplicated INTEGER NOT NULL DEFAULT 0, error TEXT);
"""
TABLES = ("mails",)


class Mails:
    """The mails table."""

    def __init__(self, db: sqlite3.Connection, clock: Callable[[], float]) -> None:
        self.db = db
        self.clock = clock
        db.executescript(SCHEMA)

    def new(self, to: str, subject: str, message_id: str, dropped: bool, duplicated: bool) -> int:
        cursor = self.db.execute(
            "INSERT INTO mails (to_addr, subject, message_id, queued_at, dropped, duplicated)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (to, subject, message_id, self.clock(), int(dropped), int(duplicated)),
        )
        return int(cursor.lastrowid or 0)

    def sent(self, mail_id: int, error: str | None = None) -> None:
        self.db.execute(
            "UPDATE mails SET sent_at = ?, error = ? WHERE id = ?",
            (None if error else self.clock(), error, mail_id),
        )

    def snapshot(self) -> list[dict[str, Any]]:
        return [
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
            for r in self.db.execute("SELECT * FROM mails ORDER BY id").fetchall()
        ]
