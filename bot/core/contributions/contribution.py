"""What each employee owes in a month: the table row for the wage, split by who is covered."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from bot.core.contributions.month import Month
from bot.core.contributions.payroll import Employee
from bot.core.contributions.rules import Coverage
from bot.core.contributions.skbbk import SkbbkTable, default_skbbk
from bot.core.contributions.tables import ContributionTable, table_for


@dataclass(frozen=True, slots=True)
class Shares:
    """One employee's month, in sen. ``socso_category`` None = not covered by SOCSO."""

    wages: int
    socso_category: int | None
    socso_employer: int
    socso_employee: int
    eis_employer: int
    eis_employee: int
    skbbk_employee: int
    eis_covered: bool

    @property
    def socso_total(self) -> int:
        return self.socso_employer + self.socso_employee

    @property
    def eis_total(self) -> int:
        return self.eis_employer + self.eis_employee


def shares_for(
    wages: int,
    cover: Coverage,
    month: Month,
    *,
    table: ContributionTable | None = None,
    skbbk: SkbbkTable | None = None,
) -> Shares:
    """The shares owed on ``wages`` sen by an employee with ``cover`` in ``month``.

    ``table`` defaults to the one in force (``table_for``); ``skbbk`` to the shipped, uncertain one.
    """
    band = (table or table_for(month)).band_for(wages)
    socso_er = socso_ee = eis = skbbk_ee = 0
    if band is not None:
        if cover.socso_category == 1:
            socso_er, socso_ee = band.cat1_employer, band.cat1_employee
        elif cover.socso_category == 2:
            socso_er = band.cat2_employer  # Category 2: employer only, 1.25% [S]
        if cover.eis:
            eis = band.eis_each
        if cover.skbbk:
            skbbk_ee = (skbbk or default_skbbk()).amount_for(wages, month)
    return Shares(wages, cover.socso_category, socso_er, socso_ee, eis, eis, skbbk_ee, cover.eis)


@dataclass(frozen=True, slots=True)
class Contribution:
    """An employee and what they owe this month."""

    employee: Employee
    shares: Shares


def compute(
    employees: Iterable[Employee], month: Month, *, skbbk: SkbbkTable | None = None
) -> list[Contribution]:
    """Shares for every employee in ``month`` (one table lookup for the whole batch)."""
    table = table_for(month)
    skbbk = skbbk or default_skbbk()
    return [
        Contribution(e, shares_for(e.wages, e.coverage(month), month, table=table, skbbk=skbbk))
        for e in employees
    ]


class HasShares(Protocol):
    """Anything carrying the five shares in sen (``Shares``, a read-back ``Record``)."""

    # Read-only (properties), so that frozen dataclasses such as a parsed file's lines conform too.
    @property
    def socso_employer(self) -> int: ...
    @property
    def socso_employee(self) -> int: ...
    @property
    def eis_employer(self) -> int: ...
    @property
    def eis_employee(self) -> int: ...
    @property
    def skbbk_employee(self) -> int: ...


@dataclass(slots=True)
class Totals:
    """Sums over a batch, in sen, by scheme and share."""

    employees: int = 0
    socso_employer: int = 0
    socso_employee: int = 0
    eis_employer: int = 0
    eis_employee: int = 0
    skbbk_employee: int = 0

    @classmethod
    def of(
        cls, shares: Iterable[Shares | HasShares], *, socso: bool = True, eis: bool = True, skbbk: bool = True
    ) -> Totals:
        """Sum a batch, keeping only the named schemes' shares (a SOCSO file carries no EIS)."""
        t = cls()
        for s in shares:
            t.employees += 1
            t.socso_employer += s.socso_employer
            t.socso_employee += s.socso_employee
            t.eis_employer += s.eis_employer
            t.eis_employee += s.eis_employee
            t.skbbk_employee += s.skbbk_employee
        if not socso:
            t.socso_employer = t.socso_employee = 0
        if not eis:
            t.eis_employer = t.eis_employee = 0
        if not skbbk:
            t.skbbk_employee = 0
        return t

    @property
    def total(self) -> int:
        return (
            self.socso_employer
            + self.socso_employee
            + self.eis_employer
            + self.eis_employee
            + self.skbbk_employee
        )

    def as_dict(self) -> dict[str, int]:
        """Sen, keyed ``<scheme>_<share>``, plus ``total``."""
        return {
            "employees": self.employees,
            "socso_employer": self.socso_employer,
            "socso_employee": self.socso_employee,
            "eis_employer": self.eis_employer,
            "eis_employee": self.eis_employee,
            "skbbk_employee": self.skbbk_employee,
            "total": self.total,
        }
