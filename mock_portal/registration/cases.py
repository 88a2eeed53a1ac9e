"""Registration cases: every registration or update the portal receives, with its reference number.

A case is created as a draft when its first form is saved (the reference is shown from then on,
as ASSIST's "RefNo"), collects documents, and is `submitted` by `CONFIRM`, which applies it
(a new employer, an added employee, a resign date) and stores the outcome in `result`.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS cases (
    id INTEGER PRIMARY KEY, reference TEXT UNIQUE, employer_code TEXT, kind TEXT NOT NULL,
    status TEXT NOT NULL, data TEXT NOT NULL, documents TEXT NOT NULL DEFAULT '[]',
    result TEXT NOT NULL DEFAULT '{}', created_at REAL NOT NULL, submitted_at REAL);
"""
TABLE = "cases"
# Reference prefixes per kind of case: Employer Registration, New Employee, Resign Date.
PREFIX = {"employer": "ER", "employee": "NE", "resign": "RD"}
# Form keys never shown by the control API.
SECRET_KEYS = frozenset({"mailbox_password"})


@dataclass(frozen=True)
class Case:
    id: int
    reference: str
    employer_code: str | None
    kind: str
    status: str
    data: dict[str, Any]
    documents: list[dict[str, Any]]
    result: dict[str, Any]
    created_at: float
    submitted_at: float | None

    @property
    def submitted(self) -> bool:
        return self.status == "submitted"


class Cases:
    """The cases table over the Store's connection."""

    def __init__(self, db: sqlite3.Connection, clock: Callable[[], float] = time.time) -> None:
        self.db = db
        self.clock = clock

    def today(self) -> date:
        return date.fromtimestamp(self.clock())

    def open(self, kind: str, employer_code: str | None, data: dict[str, Any]) -> Case:
        """A new draft case with its reference number."""
        cursor = self.db.execute(
            "INSERT INTO cases (employer_code, kind, status, data, created_at) VALUES (?, ?, 'draft', ?, ?)",
            (employer_code, kind, json.dumps(data), self.clock()),
        )
        case_id = int(cursor.lastrowid or 0)
        reference = f"{PREFIX[kind]}-{self.today():%Y%m%d}-{case_id:06d}"
        self.db.execute("UPDATE cases SET reference = ? WHERE id = ?", (reference, case_id))
        case = self.get(case_id)
        assert case is not None
        return case

    def get(self, case_id: int) -> Case | None:
        row = self.db.execute("SELECT * FROM cases WHERE id = ?", (case_id,)).fetchone()
        return _case(row) if row else None

    def of_employer(self, employer_code: str, kind: str) -> list[Case]:
        rows = self.db.execute(
            "SELECT * FROM cases WHERE employer_code = ? AND kind = ? ORDER BY id DESC", (employer_code, kind)
        ).fetchall()
        return [_case(r) for r in rows]

    def update_data(self, case_id: int, data: dict[str, Any]) -> None:
        self.db.execute(
            "UPDATE cases SET data = ? WHERE id = ? AND status = 'draft'", (json.dumps(data), case_id)
        )

    def add_document(self, case_id: int, document: dict[str, Any]) -> None:
        case = self.get(case_id)
        if case is None or case.submitted:
            return
        self.db.execute(
            "UPDATE cases SET documents = ? WHERE id = ?", (json.dumps([*case.documents, document]), case_id)
        )

    def submit(self, case_id: int, result: dict[str, Any]) -> None:
        self.db.execute(
            "UPDATE cases SET status = 'submitted', result = ?, submitted_at = ? WHERE id = ?",
            (json.dumps(result), self.clock(), case_id),
        )

    def snapshot(self) -> list[dict[str, Any]]:
        """Every case for the control API, without secrets."""
        out = []
        for row in self.db.execute("SELECT * FROM cases ORDER BY id").fetchall():
            case = _case(row)
            out.append(
                {
                    "reference": case.reference,
                    "employer_code": case.employer_code,
                    "kind": case.kind,
                    "status": case.status,
                    "data": {k: v for k, v in case.data.items() if k not in SECRET_KEYS},
                    "documents": case.documents,
                    "result": case.result,
                }
            )
        return out


def _case(row: sqlite3.Row) -> Case:
    return Case(
        id=row["id"],
        reference=row["reference"],
        employer_code=row["employer_code"],
        kind=row["kind"],
        status=row["status"],
        data=json.loads(row["data"]),
        documents=json.loads(row["documents"]),
        result=json.loads(row["result"]),
        created_at=row["created_at"],
        submitted_at=row["submitted_at"],
    )
