"""Submissions (drafts, uploads, submitted months), their lines, and the ACR/ECR documents.

A month is "submitted" for a scheme while a live (unpaid or paid, not cancelled) document of that
scheme exists for it; cancelling the document (QRG 9) makes the month submittable again.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from mock_portal.contribution.documents import SCHEME_OF_DOCUMENT, document_number, documents_for, due_date

SCHEMA = """
CREATE TABLE IF NOT EXISTS submissions (
    id INTEGER PRIMARY KEY, employer_code TEXT NOT NULL, scheme TEXT NOT NULL, month TEXT NOT NULL,
    mode TEXT NOT NULL, status TEXT NOT NULL, file_name TEXT, saved INTEGER NOT NULL DEFAULT 0,
    created_at REAL NOT NULL, submitted_at REAL);
CREATE TABLE IF NOT EXISTS submission_lines (
    id INTEGER PRIMARY KEY, submission_id INTEGER NOT NULL, employee_id INTEGER,
    id_number TEXT NOT NULL, name TEXT NOT NULL, wages_sen INTEGER, status_code TEXT NOT NULL DEFAULT '',
    socso_employer INTEGER NOT NULL DEFAULT 0, socso_employee INTEGER NOT NULL DEFAULT 0,
    eis_employer INTEGER NOT NULL DEFAULT 0, eis_employee INTEGER NOT NULL DEFAULT 0,
    skbbk_employee INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS documents (
    number TEXT PRIMARY KEY, submission_id INTEGER NOT NULL, employer_code TEXT NOT NULL,
    type TEXT NOT NULL, scheme TEXT NOT NULL, month TEXT NOT NULL, employees INTEGER NOT NULL,
    socso_employer INTEGER NOT NULL, socso_employee INTEGER NOT NULL, eis_employer INTEGER NOT NULL,
    eis_employee INTEGER NOT NULL, skbbk_employee INTEGER NOT NULL, amount_sen INTEGER NOT NULL,
    due_date TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'unpaid', created_at REAL NOT NULL,
    cancelled_at REAL, paid_at REAL, payment_ref TEXT);
"""
TABLES = ("documents", "submission_lines", "submissions")  # emptied by a reset, in this order
UNSUBMITTED = ("draft", "completed", "uploaded")
SHARES = ("socso_employer", "socso_employee", "eis_employer", "eis_employee", "skbbk_employee")


@dataclass(frozen=True)
class Submission:
    id: int
    employer_code: str
    scheme: str
    month: str
    mode: str
    status: str
    file_name: str | None
    saved: int


@dataclass(frozen=True)
class SubmissionLine:
    id: int
    submission_id: int
    employee_id: int | None
    id_number: str
    name: str
    wages_sen: int | None
    status_code: str
    socso_employer: int
    socso_employee: int
    eis_employer: int
    eis_employee: int
    skbbk_employee: int

    @property
    def total(self) -> int:
        return sum(getattr(self, s) for s in SHARES)


@dataclass(frozen=True)
class Document:
    number: str
    submission_id: int
    employer_code: str
    type: str
    scheme: str
    month: str
    employees: int
    socso_employer: int
    socso_employee: int
    eis_employer: int
    eis_employee: int
    skbbk_employee: int
    amount_sen: int
    due_date: str
    status: str
    paid_at: float | None
    payment_ref: str | None


def _make(cls: Any, row: sqlite3.Row) -> Any:
    return cls(**{k: row[k] for k in cls.__dataclass_fields__})


class Contributions:
    """The Contribution area's tables over the Store's connection."""

    def __init__(self, db: sqlite3.Connection, clock: Callable[[], float] = time.time) -> None:
        self.db = db
        self.clock = clock
        db.executescript(SCHEMA)

    # -- submissions ---------------------------------------------------------------------
    def new_submission(
        self,
        employer_code: str,
        scheme: str,
        month: str,
        mode: str,
        lines: Iterable[dict[str, Any]],
        file_name: str | None = None,
    ) -> int:
        status = "draft" if mode == "entry" else "uploaded"
        with self.db:
            self.db.execute("BEGIN")
            sid = int(
                self.db.execute(
                    "INSERT INTO submissions (employer_code, scheme, month, mode, status, file_name, created_at)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (employer_code, scheme, month, mode, status, file_name, self.clock()),
                ).lastrowid
                or 0
            )
            for line in lines:
                cols = ["submission_id", *line]
                self.db.execute(
                    f"INSERT INTO submission_lines ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                    (sid, *line.values()),
                )
        return sid

    def submission(self, employer_code: str, sid: int) -> Submission | None:
        row = self.db.execute(
            "SELECT * FROM submissions WHERE id = ? AND employer_code = ?", (sid, employer_code)
        ).fetchone()
        return _make(Submission, row) if row else None

    def lines(self, sid: int) -> list[SubmissionLine]:
        rows = self.db.execute("SELECT * FROM submission_lines WHERE submission_id = ? ORDER BY id", (sid,))
        return [_make(SubmissionLine, r) for r in rows.fetchall()]

    def line(self, sid: int, line_id: int) -> SubmissionLine | None:
        row = self.db.execute(
            "SELECT * FROM submission_lines WHERE submission_id = ? AND id = ?", (sid, line_id)
        ).fetchone()
        return _make(SubmissionLine, row) if row else None

    def unsubmitted(self, employer_code: str, scheme: str) -> list[Submission]:
        rows = self.db.execute(
            f"SELECT * FROM submissions WHERE employer_code = ? AND scheme = ? AND status IN"
            f" ({', '.join('?' * len(UNSUBMITTED))}) ORDER BY month, id",
            (employer_code, scheme, *UNSUBMITTED),
        )
        return [_make(Submission, r) for r in rows.fetchall()]

    def save_line(self, line_id: int, wages: int, status_code: str, shares: dict[str, int]) -> None:
        self.db.execute(
            f"UPDATE submission_lines SET wages_sen = ?, status_code = ?, {', '.join(f'{s} = ?' for s in SHARES)}"
            " WHERE id = ?",
            (wages, status_code, *(shares[s] for s in SHARES), line_id),
        )

    def set_status(self, sid: int, status: str, saved: bool | None = None) -> None:
        self.db.execute(
            "UPDATE submissions SET status = ?, saved = COALESCE(?, saved) WHERE id = ?",
            (status, None if saved is None else int(saved), sid),
        )

    def submit(self, submission: Submission, lines: list[SubmissionLine]) -> list[Document]:
        """Mark the submission submitted and generate its documents, in one transaction."""
        now = self.clock()
        created = []
        with self.db:
            self.db.execute("BEGIN")
            self.db.execute(
                "UPDATE submissions SET status = 'submitted', submitted_at = ? WHERE id = ?",
                (now, submission.id),
            )
            for doc_type in documents_for(submission.scheme):
                scheme = SCHEME_OF_DOCUMENT[doc_type]
                mine = [
                    s for s in SHARES if s.startswith(scheme) or (scheme == "socso" and s.startswith("skbbk"))
                ]
                sums = {s: sum(getattr(line, s) for line in lines) if s in mine else 0 for s in SHARES}
                employees = sum(1 for line in lines if any(getattr(line, s) for s in mine))
                seq = int(self.db.execute("SELECT COUNT(*) FROM documents").fetchone()[0]) + 1
                number = document_number(doc_type, submission.month, seq)
                self.db.execute(
                    "INSERT INTO documents (number, submission_id, employer_code, type, scheme, month,"
                    f" employees, {', '.join(SHARES)}, amount_sen, due_date, created_at)"
                    f" VALUES ({', '.join('?' * (10 + len(SHARES)))})",
                    (
                        number,
                        submission.id,
                        submission.employer_code,
                        doc_type,
                        scheme,
                        submission.month,
                        employees,
                        *sums.values(),
                        sum(sums.values()),
                        due_date(submission.month).isoformat(),
                        now,
                    ),
                )
                created.append(number)
        return [d for d in (self.document(n) for n in created) if d is not None]

    # -- documents ---------------------------------------------------------------------------
    def live_schemes(self, employer_code: str, month: str) -> set[str]:
        """The schemes ("socso", "eis") with a live document for the month."""
        rows = self.db.execute(
            "SELECT scheme FROM documents WHERE employer_code = ? AND month = ? AND status != 'cancelled'",
            (employer_code, month),
        ).fetchall()
        return {r["scheme"] for r in rows}

    def documents(self, employer_code: str) -> list[Document]:
        rows = self.db.execute(
            "SELECT * FROM documents WHERE employer_code = ? ORDER BY month DESC, created_at, type",
            (employer_code,),
        )
        return [_make(Document, r) for r in rows.fetchall()]

    def document(self, number: str, employer_code: str | None = None) -> Document | None:
        row = self.db.execute("SELECT * FROM documents WHERE number = ?", (number,)).fetchone()
        if row is None or (employer_code is not None and row["employer_code"] != employer_code):
            return None
        return _make(Document, row)

    def siblings(self, document: Document) -> list[Document]:
        """The documents of the same submission, ACR first."""
        rows = self.db.execute(
            "SELECT * FROM documents WHERE submission_id = ? ORDER BY type", (document.submission_id,)
        )
        return [_make(Document, r) for r in rows.fetchall()]

    def cancel(self, numbers: Iterable[str]) -> None:
        self.db.executemany(
            "UPDATE documents SET status = 'cancelled', cancelled_at = ? WHERE number = ?"
            " AND status = 'unpaid'",
            [(self.clock(), n) for n in numbers],
        )

    def mark_paid(self, number: str, ref: str) -> Document:
        """For the payment flows (QRG 5-8): KeyError if unknown, ValueError if cancelled."""
        document = self.document(number)
        if document is None:
            raise KeyError(number)
        if document.status == "cancelled":
            raise ValueError(f"{number} is cancelled")
        self.db.execute(
            "UPDATE documents SET status = 'paid', paid_at = ?, payment_ref = ? WHERE number = ?",
            (self.clock(), ref, number),
        )
        paid = self.document(number)
        assert paid is not None
        return paid

    def snapshot(self) -> dict[str, list[dict[str, Any]]]:
        subs = [dict(r) for r in self.db.execute("SELECT * FROM submissions ORDER BY id").fetchall()]
        for sub in subs:
            sub["lines"] = [
                dict(r)
                for r in self.db.execute(
                    "SELECT * FROM submission_lines WHERE submission_id = ? ORDER BY id", (sub["id"],)
                ).fetchall()
            ]
        docs = [
            dict(r) for r in self.db.execute("SELECT * FROM documents ORDER BY created_at, number").fetchall()
        ]
        return {"submissions": subs, "documents": docs}
