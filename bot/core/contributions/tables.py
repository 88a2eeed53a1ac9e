"""Contribution tables as data: which SOCSO / EIS amounts a wage owes in a contribution month.

The amounts live in ``data/*.csv`` (one file per wage ceiling) and ``data/tables.toml`` says
which contribution months each file covers; nothing here computes a rate. Lookups are a bisect
over the band upper bounds, in integer sen.
"""

from __future__ import annotations

import csv
import tomllib
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from bot.core.contributions.money import sen_from_rm
from bot.core.contributions.month import Month
from bot.core.contributions.problems import NoTableError

DATA = resources.files("bot.core.contributions") / "data"


@dataclass(frozen=True, slots=True)
class Band:
    """One row of the table, amounts in sen. Wages in (``over``, ``up_to``]; ``up_to`` None = above the ceiling."""

    row: int
    over: int
    up_to: int | None
    cat1_employer: int
    cat1_employee: int
    cat2_employer: int
    eis_each: int  # EIS employer share == employee share (Act 800, 0.2% + 0.2%)

    @property
    def cat1_total(self) -> int:
        return self.cat1_employer + self.cat1_employee


@dataclass(frozen=True, slots=True)
class ContributionTable:
    """The table in force for a range of contribution months."""

    name: str
    first_month: Month
    last_month: Month | None
    ceiling: int
    bands: tuple[Band, ...]
    _uppers: list[int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        uppers = [b.up_to for b in self.bands if b.up_to is not None]
        if len(uppers) != len(self.bands) - 1 or self.bands[-1].up_to is not None:
            raise ValueError(f"{self.name}: only the last row may be open-ended")
        object.__setattr__(self, "_uppers", uppers)

    def covers(self, month: Month) -> bool:
        return self.first_month <= month and (self.last_month is None or month <= self.last_month)

    def band_for(self, wages: int) -> Band | None:
        """The band for ``wages`` sen; None for zero wages (nothing owed) [U: DOMAIN.md 2.3]."""
        if wages <= 0:
            return None
        # Upper bound inclusive, lower exclusive: "exceed RM30 but not exceed RM50" [S].
        return self.bands[bisect_left(self._uppers, wages)]


def data_rows(path: Path | str, text: str) -> list[dict[str, str]]:
    """The CSV rows of a data file, skipping `#` comment lines."""
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    rows = list(csv.DictReader(lines))
    if not rows:
        raise ValueError(f"{path}: no rows")
    return rows


def load_table(
    text: str, *, name: str, first_month: Month, last_month: Month | None, ceiling: int
) -> ContributionTable:
    """Build a table from CSV text (the layout of ``data/socso_eis_rm6000.csv``)."""
    bands = []
    for number, row in enumerate(data_rows(name, text), start=1):
        if int(row["row"]) != number:
            raise ValueError(f"{name}: row {row['row']} out of order")
        bands.append(
            Band(
                row=number,
                over=sen_from_rm(row["wage_over"]),
                up_to=sen_from_rm(row["wage_up_to"]) if row["wage_up_to"] else None,
                cat1_employer=sen_from_rm(row["cat1_employer"]),
                cat1_employee=sen_from_rm(row["cat1_employee"]),
                cat2_employer=sen_from_rm(row["cat2_employer"]),
                eis_each=sen_from_rm(row["eis_employer"]),
            )
        )
        if row["eis_employer"] != row["eis_employee"]:
            raise ValueError(f"{name}: row {number}: EIS employer and employee shares differ")
    return ContributionTable(name, first_month, last_month, ceiling, tuple(bands))


@cache
def index() -> dict[str, Any]:
    """The parsed ``data/tables.toml``."""
    return tomllib.loads((DATA / "tables.toml").read_text(encoding="utf-8"))


@cache
def all_tables() -> tuple[ContributionTable, ...]:
    """Every shipped table, oldest first."""
    tables = []
    for entry in index()["table"]:
        tables.append(
            load_table(
                (DATA / entry["file"]).read_text(encoding="utf-8"),
                name=entry["file"],
                first_month=Month.parse(entry["first_month"]),
                last_month=Month.parse(entry["last_month"]) if "last_month" in entry else None,
                ceiling=sen_from_rm(entry["ceiling"]),
            )
        )
    return tuple(tables)


def table_for(month: Month) -> ContributionTable:
    """The table in force for a contribution month; NoTableError before the first one (June 2016)."""
    for table in all_tables():
        if table.covers(month):
            return table
    raise NoTableError(f"no contribution table for {month} (tables start at 2016-06)")
