"""LINDUNG 24 Jam (SKBBK) employee share, from contribution month June 2026: PERKESO's table.

The scheme (non-occupational accidents, employee only) is sourced [S]
https://www.perkeso.gov.my/uncategorised/989-skim-kemalangan-bukan-bencana-kerja-lindung-24-jam.html;
the per-band amounts are PERKESO's integrated table "NewContributionRateIncludingSKBBK" (with
Pekeliling Majikan Bil. 02/2026), transcribed alike by three independent payroll codebases [S2x3]
(spec/DOMAIN.md 2.3), shipped as ``data/skbbk.csv``. The same amount for Category 1 and 2, no
employer share, foreign workers included. Phase 1 only (June 2026 - May 2028): a later month has
no table and is refused (``NoTableError``) rather than guessed. Another table can still be passed
(``load_skbbk(path)`` / the CLI's ``--skbbk-table``); it only reaches 278 v2 files.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from bot.core.contributions.money import sen_from_rm
from bot.core.contributions.month import Month
from bot.core.contributions.problems import NoTableError
from bot.core.contributions.tables import DATA, data_rows, index


@dataclass(frozen=True, slots=True)
class SkbbkTable:
    """Employee share per wage band (sen); the same band rule as the SOCSO tables."""

    source: str
    first_month: Month
    uppers: tuple[int, ...]
    amounts: tuple[int, ...]  # one more than uppers: the last is above the ceiling
    last_month: Month | None = None
    uncertain: bool = False  # True for a user-supplied table (its source is only the user's word)
    _upper_list: list[int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_upper_list", list(self.uppers))

    def covers(self, month: Month) -> bool:
        return self.first_month <= month and (self.last_month is None or month <= self.last_month)

    def check_month(self, month: Month) -> None:
        """NoTableError for a month after the table's last (a later phase, not published yet)."""
        if self.last_month is not None and month > self.last_month:
            raise NoTableError(
                f"no LINDUNG 24 Jam (SKBBK) table for {month}: {self.source} covers "
                f"{self.first_month} to {self.last_month} (phase 1); later phases are not published"
            )

    def amount_for(self, wages: int, month: Month) -> int:
        """The share owed on ``wages`` sen in ``month``; 0 before the scheme starts or for zero wages."""
        if wages <= 0 or month < self.first_month:
            return 0
        self.check_month(month)
        return self.amounts[bisect_left(self._upper_list, wages)]


def load_skbbk(path: Path | None = None, *, first_month: Month | None = None) -> SkbbkTable:
    """Load the shipped table, or a user-supplied CSV with columns
    ``row,wage_over,wage_up_to,employee`` (``#`` lines are comments; last row's ``wage_up_to`` empty)."""
    entry = index()["skbbk"]
    start = first_month or Month.parse(entry["first_month"])
    if path is None:
        text, source = (DATA / entry["file"]).read_text(encoding="utf-8"), str(entry["file"])
        last = Month.parse(entry["last_month"]) if "last_month" in entry else None
    else:
        text, source, last = Path(path).read_text(encoding="utf-8"), str(path), None
    rows = data_rows(source, text)
    uppers = tuple(sen_from_rm(r["wage_up_to"]) for r in rows[:-1])
    if rows[-1]["wage_up_to"] or any(not r["wage_up_to"] for r in rows[:-1]):
        raise ValueError(f"{source}: only the last row may (and must) have an empty wage_up_to")
    if list(uppers) != sorted(uppers):
        raise ValueError(f"{source}: wage_up_to must increase row by row")
    amounts = tuple(sen_from_rm(r["employee"]) for r in rows)
    return SkbbkTable(source, start, uppers, amounts, last, uncertain=path is not None)


@cache
def default_skbbk() -> SkbbkTable:
    """The shipped table (cached)."""
    return load_skbbk()
