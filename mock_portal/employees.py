"""Registered employees of each employer (QRG 3, 10, 11): the table, the seed file and the store.

The contribution screens list an employer's employees active in a month; the text-file upload
checks every ID against them; registration (QRG 10) adds to them and termination (QRG 11) ends
them. ``id_number`` is the identity document's number without dashes (MyKad, passport…);
``socso_no`` is the number PERKESO contributions are filed under: the MyKad for locals, the
SOCSO foreign-worker number (SSFW, 12 digits) for foreign workers.
"""

from __future__ import annotations

import calendar
import csv
import sqlite3
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, fields
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS employees (
    id INTEGER PRIMARY KEY, employer_code TEXT NOT NULL, id_type TEXT NOT NULL,
    id_number TEXT NOT NULL, socso_no TEXT NOT NULL, name TEXT NOT NULL,
    citizenship TEXT NOT NULL, nationality TEXT NOT NULL DEFAULT 'MALAYSIA',
    date_of_birth TEXT NOT NULL, gender TEXT NOT NULL, employment_date TEXT NOT NULL,
    terminated_on TEXT, termination_reason TEXT, domestic INTEGER NOT NULL DEFAULT 0,
    occupation TEXT NOT NULL DEFAULT '', wages_sen INTEGER NOT NULL DEFAULT 0,
    registered_on TEXT NOT NULL,
    UNIQUE (employer_code, id_number));
CREATE INDEX IF NOT EXISTS employees_by_employer ON employees (employer_code, socso_no);
"""
TABLE = "employees"
ID_TYPES = ("mykad", "passport", "ssfw", "old_ic", "army", "police")
CITIZENSHIPS = ("citizen", "pr", "foreign")


@dataclass(frozen=True)
class Employee:
    """One registered employee; dates as ISO strings (YYYY-MM-DD), as stored."""

    id: int
    employer_code: str
    id_type: str
    id_number: str
    socso_no: str
    name: str
    citizenship: str
    nationality: str
    date_of_birth: str
    gender: str
    employment_date: str
    terminated_on: str | None
    termination_reason: str | None
    domestic: int
    occupation: str
    wages_sen: int
    registered_on: str

    @property
    def foreign(self) -> bool:
        return self.citizenship == "foreign"

    @property
    def birth_date(self) -> date:
        return date.fromisoformat(self.date_of_birth)

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["domestic"] = bool(self.domestic)
        return data


# The columns a new employee is given (everything but the row id).
COLUMNS = tuple(f.name for f in fields(Employee) if f.name != "id")


def clean_id(value: str) -> str:
    """An ID as the portal files it: no dashes or spaces, upper case."""
    return value.replace("-", "").replace(" ", "").upper()


def month_bounds(month: str) -> tuple[str, str]:
    """First and last day (ISO) of a ``YYYY-MM`` month."""
    year, mon = int(month[:4]), int(month[5:7])
    return f"{month}-01", f"{month}-{calendar.monthrange(year, mon)[1]:02d}"


def read_seed_employees(path: Path) -> list[dict[str, Any]]:
    """Rows of fixtures/demo/employees.csv as column → value (wages in RM become ``wages_sen``)."""
    if not path.is_file():
        return []
    rows: list[dict[str, Any]] = []
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            wages = row.pop("wages", "") or "0"
            rows.append(
                {
                    **{
                        k: (v or None) if k in ("terminated_on", "termination_reason") else v
                        for k, v in row.items()
                    },
                    "id_number": clean_id(row["id_number"]),
                    "socso_no": clean_id(row["socso_no"] or row["id_number"]),
                    "domestic": int(row.get("domestic") or 0),
                    "wages_sen": int(Decimal(wages) * 100),
                    "registered_on": row["employment_date"],
                }
            )
    return rows


class Employees:
    """The employees table over the Store's connection."""

    def __init__(self, db: sqlite3.Connection, clock: Callable[[], float] = time.time) -> None:
        self.db = db
        self.clock = clock

    def load(self, rows: Iterable[dict[str, Any]]) -> None:
        for row in rows:
            self._insert(row)

    def _insert(self, row: dict[str, Any]) -> int:
        values = [row.get(c) for c in COLUMNS]
        sql = f"INSERT INTO employees ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})"
        return int(self.db.execute(sql, values).lastrowid or 0)

    def employees_of(self, employer_code: str, month: str | None = None) -> list[Employee]:
        """The employer's employees; with ``month`` (YYYY-MM) only those active in that month:
        employed on or before its last day and not terminated before it began."""
        if month is None:
            rows = self.db.execute(
                "SELECT * FROM employees WHERE employer_code = ? ORDER BY id", (employer_code,)
            )
        else:
            first, last = month_bounds(month)
            rows = self.db.execute(
                "SELECT * FROM employees WHERE employer_code = ? AND employment_date <= ?"
                " AND (terminated_on IS NULL OR terminated_on >= ?) ORDER BY id",
                (employer_code, last, first),
            )
        return [_employee(r) for r in rows.fetchall()]

    def find_employee(self, employer_code: str, id_: str | int) -> Employee | None:
        """By row id (int), or by ID number / SOCSO number (dashes ignored)."""
        if isinstance(id_, int):
            row = self.db.execute(
                "SELECT * FROM employees WHERE employer_code = ? AND id = ?", (employer_code, id_)
            ).fetchone()
        else:
            key = clean_id(id_)
            row = self.db.execute(
                "SELECT * FROM employees WHERE employer_code = ? AND (id_number = ? OR socso_no = ?)"
                " ORDER BY id LIMIT 1",
                (employer_code, key, key),
            ).fetchone()
        return _employee(row) if row else None

    def add_employee(
        self,
        employer_code: str,
        *,
        id_type: str,
        id_number: str,
        name: str,
        citizenship: str,
        date_of_birth: str,
        gender: str,
        employment_date: str,
        socso_no: str = "",
        nationality: str = "MALAYSIA",
        domestic: bool = False,
        occupation: str = "",
        wages_sen: int = 0,
        registered_on: str | None = None,
    ) -> Employee:
        """Register an employee; ValueError for an unknown id type/citizenship or a duplicate ID."""
        if id_type not in ID_TYPES:
            raise ValueError(f"unknown id_type {id_type!r}")
        if citizenship not in CITIZENSHIPS:
            raise ValueError(f"unknown citizenship {citizenship!r}")
        number = clean_id(id_number)
        if self.find_employee(employer_code, number) is not None:
            raise ValueError(f"{number} is already registered to {employer_code}")
        today = date.fromtimestamp(self.clock()).isoformat()
        new_id = self._insert(
            {
                "employer_code": employer_code,
                "id_type": id_type,
                "id_number": number,
                "socso_no": clean_id(socso_no) or number,
                "name": name.strip().upper(),
                "citizenship": citizenship,
                "nationality": nationality.upper(),
                "date_of_birth": date_of_birth,
                "gender": gender,
                "employment_date": employment_date,
                "terminated_on": None,
                "termination_reason": None,
                "domestic": int(domestic),
                "occupation": occupation,
                "wages_sen": wages_sen,
                "registered_on": registered_on or today,
            }
        )
        employee = self.find_employee(employer_code, new_id)
        assert employee is not None
        return employee

    def terminate_employee(
        self, employer_code: str, id_: str | int, terminated_on: str, reason: str
    ) -> Employee:
        """End an employment; KeyError when the employee is not the employer's."""
        employee = self.find_employee(employer_code, id_)
        if employee is None:
            raise KeyError(f"{id_} is not an employee of {employer_code}")
        self.db.execute(
            "UPDATE employees SET terminated_on = ?, termination_reason = ? WHERE id = ?",
            (terminated_on, reason, employee.id),
        )
        updated = self.find_employee(employer_code, employee.id)
        assert updated is not None
        return updated

    def snapshot(self) -> list[dict[str, Any]]:
        rows = self.db.execute("SELECT * FROM employees ORDER BY employer_code, id").fetchall()
        return [_employee(r).as_dict() for r in rows]


def _employee(row: sqlite3.Row) -> Employee:
    return Employee(**{k: row[k] for k in Employee.__dataclass_fields__})
