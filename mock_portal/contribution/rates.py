"""Who pays what, in the portal's own words: the wage-band table (mock_portal/data/wage_bands.csv),
the month's wage ceiling and each employee's coverage (spec/DOMAIN.md 2.1-2.3).

Decisions [U]: age counts in completed years on the first day of the month; SOCSO Category 2 from
60 (foreign workers before July 2024 too); EIS for citizens and PR aged 18 to under 60; LINDUNG 24
Jam (SKBBK) employee share from June 2026 for everyone SOCSO covers (Category 1 and 2, foreign
workers too; PERKESO's phase-1 table, DOMAIN.md 2.3), carried only by combined SOCSO + EIS
submissions (the 223-character SOCSO file has no field for it). A wage of 0 owes nothing.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path

from mock_portal.employees import Employee

DATA = Path(__file__).resolve().parent.parent / "data" / "wage_bands.csv"
# (first month, ceiling in sen), newest first [S] DOMAIN.md 2.2.
CEILINGS = (("2024-10", 600000), ("2022-09", 500000), ("2016-06", 400000))
FIRST_EIS_MONTH = "2018-01"
FOREIGN_CAT1_MONTH = "2024-07"
SKBBK_MONTH = "2026-06"


@dataclass(frozen=True)
class Band:
    over: int  # sen, exclusive
    up_to: int  # sen, inclusive
    cat1_employer: int
    cat1_employee: int
    cat2_employer: int
    eis_each: int
    skbbk_employee: int


@dataclass(frozen=True)
class Shares:
    """One employee's month, in sen."""

    wages: int = 0
    socso_employer: int = 0
    socso_employee: int = 0
    eis_employer: int = 0
    eis_employee: int = 0
    skbbk_employee: int = 0

    @property
    def socso_total(self) -> int:
        return self.socso_employer + self.socso_employee

    @property
    def eis_total(self) -> int:
        return self.eis_employer + self.eis_employee


@dataclass(frozen=True)
class Cover:
    socso_category: int | None
    eis: bool


def _sen(text: str) -> int:
    return int(Decimal(text) * 100)


@cache
def bands() -> tuple[Band, ...]:
    with DATA.open(encoding="utf-8") as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        return tuple(
            Band(
                _sen(r["wage_over"]),
                _sen(r["wage_up_to"]),
                _sen(r["cat1_employer"]),
                _sen(r["cat1_employee"]),
                _sen(r["cat2_employer"]),
                _sen(r["eis_each"]),
                _sen(r["skbbk_employee"]),
            )
            for r in rows
        )


def ceiling(month: str) -> int | None:
    """The wage ceiling (sen) of a YYYY-MM month, None before the first table."""
    return next((sen for first, sen in CEILINGS if month >= first), None)


def band_for(wages: int, month: str) -> Band | None:
    """The band of a wage (sen) in a month; None for a zero wage or a month without a table."""
    cap = ceiling(month)
    if wages <= 0 or cap is None:
        return None
    wages = min(wages, cap)
    return next(b for b in bands() if b.over < wages <= b.up_to)


def age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def cover(employee: Employee, month: str) -> Cover:
    """Which schemes cover the employee in a month."""
    age = age_on(employee.birth_date, date.fromisoformat(f"{month}-01"))
    if employee.foreign:
        category = 1 if month >= FOREIGN_CAT1_MONTH and age < 60 else 2
        return Cover(category, False)
    return Cover(2 if age >= 60 else 1, month >= FIRST_EIS_MONTH and 18 <= age < 60)


def shares(employee: Employee, wages: int, month: str, *, socso: bool, eis: bool) -> Shares:
    """What is owed for the month under the chosen schemes (both = a combined submission)."""
    band = band_for(wages, month)
    if band is None:
        return Shares(wages=wages)
    c = cover(employee, month)
    er = ee = eis_each = skbbk = 0
    if socso and c.socso_category is not None:
        er = band.cat1_employer if c.socso_category == 1 else band.cat2_employer
        ee = band.cat1_employee if c.socso_category == 1 else 0
        skbbk = band.skbbk_employee if (eis and month >= SKBBK_MONTH) else 0
    if eis and c.eis:
        eis_each = band.eis_each
    return Shares(wages, er, ee, eis_each, eis_each, skbbk)


def covered(employee: Employee, month: str, *, socso: bool, eis: bool) -> bool:
    """Whether the submission's schemes cover the employee at all (else not listed/accepted)."""
    c = cover(employee, month)
    return (socso and c.socso_category is not None) or (eis and c.eis)


def socso_totals(employee: Employee, month: str) -> dict[int, Band]:
    """SOCSO total (sen) → band, for checking a 223-character SOCSO line, which has no wages."""
    c = cover(employee, month)
    cap = ceiling(month) or 0
    out: dict[int, Band] = {}
    for b in bands():
        if b.over >= cap:
            break
        total = b.cat1_employer + b.cat1_employee if c.socso_category == 1 else b.cat2_employer
        out.setdefault(total, b)
    return out


def eis_totals(month: str) -> dict[int, Band]:
    """EIS total (sen) → band, for checking a 223-character EIS line."""
    cap = ceiling(month) or 0
    out: dict[int, Band] = {}
    for b in bands():
        if b.over < cap:
            out.setdefault(2 * b.eis_each, b)
    return out
