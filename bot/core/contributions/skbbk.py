"""LINDUNG 24 Jam (SKBBK) employee share, from contribution month June 2026. VALUES UNCERTAIN.

The scheme (non-occupational accidents, employee pays 0.75% in its first years) is sourced
[S] https://www.perkeso.gov.my/uncategorised/989-skim-kemalangan-bukan-bencana-kerja-lindung-24-jam.html
and its rate [S2] https://www.linkcompliance.com/?p=5599, but PERKESO's per-band table was not
available: the shipped ``data/skbbk_uncertain.csv`` is an ASSUMPTION (band midpoint x 0.75%,
rounded half-up to RM0.05). Pass your own file (same columns) to ``load_skbbk`` / the CLI's
``--skbbk-table`` once the official "Jadual Bersepadu" is known. It only reaches 278 v2 files.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from bot.core.contributions.money import sen_from_rm
from bot.core.contributions.month import Month
from bot.core.contributions.tables import DATA, data_rows, index


@dataclass(frozen=True, slots=True)
class SkbbkTable:
    """Employee share per wage band (sen); the same band rule as the SOCSO tables."""

    source: str
    first_month: Month
    uppers: tuple[int, ...]
    amounts: tuple[int, ...]  # one more than uppers: the last is above the ceiling
    uncertain: bool = True
    _upper_list: list[int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_upper_list", list(self.uppers))

    def amount_for(self, wages: int, month: Month) -> int:
        """The share owed on ``wages`` sen in ``month``; 0 before the scheme starts or for zero wages."""
        if wages <= 0 or month < self.first_month:
            return 0
        return self.amounts[bisect_left(self._upper_list, wages)]


def load_skbbk(path: Path | None = None, *, first_month: Month | None = None) -> SkbbkTable:
    """Load the shipped (uncertain) table, or a user-supplied CSV with columns
    ``row,wage_over,wage_up_to,employee`` (``#`` lines are comments; last row's ``wage_up_to`` empty)."""
    entry = index()["skbbk"]
    start = first_month or Month.parse(entry["first_month"])
    if path is None:
        text, source = (DATA / entry["file"]).read_text(encoding="utf-8"), str(entry["file"])
    else:
        text, source = Path(path).read_text(encoding="utf-8"), str(path)
    rows = data_rows(source, text)
    uppers = tuple(sen_from_rm(r["wage_up_to"]) for r in rows[:-1])
    if rows[-1]["wage_up_to"] or any(not r["wage_up_to"] for r in rows[:-1]):
        raise ValueError(f"{source}: only the last row may (and must) have an empty wage_up_to")
    if list(uppers) != sorted(uppers):
        raise ValueError(f"{source}: wage_up_to must increase row by row")
    amounts = tuple(sen_from_rm(r["employee"]) for r in rows)
    return SkbbkTable(source, start, uppers, amounts, uncertain=path is None)


@cache
def default_skbbk() -> SkbbkTable:
    """The shipped table (cached)."""
    return load_skbbk()
