"""Writing the SOCSO (223), EIS (223) and combined SOCSO + EIS (278, v1 / v2) text files.

Text fields left-justified and space-padded, amounts zero-padded sen (DOMAIN.md 1.1: full_circle's
production files; ASSIST's own preference is unknown [U]), ASCII, CRLF after every line.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from bot.core.contributions.contribution import Contribution, Totals
from bot.core.contributions.layout import COMBINED_LENGTH, LINE_END, SINGLE_LENGTH, Kind, check_employer_code
from bot.core.contributions.month import Month

_FILLER = " " * 40


@dataclass(frozen=True, slots=True)
class Rendered:
    """A file's lines (each ending CRLF) and the totals of those lines (only the file's schemes)."""

    kind: Kind
    lines: list[str]
    totals: Totals

    @property
    def text(self) -> str:
        return "".join(self.lines)


def included(contribution: Contribution, kind: Kind) -> bool:
    """Whether an employee gets a line in a file of ``kind``.

    Employees the scheme does not cover are left out (foreign workers from EIS files). A covered
    employee with zero wages is left out too, unless a status is given (e.g. T, unpaid leave: the
    Borang 8A instructions ask for "00.00" [S]; whether ASSIST wants such lines is [U]).
    """
    shares = contribution.shares
    if kind is Kind.SOCSO:
        covered = shares.socso_category is not None
    elif kind is Kind.EIS:
        covered = shares.eis_covered
    else:
        covered = shares.socso_category is not None or shares.eis_covered
    return covered and (shares.wages > 0 or bool(contribution.employee.status))


def line_start(code: str, mycoid: str, id_number: str, name: str, mmyyyy: str) -> str:
    """Fields 1-5 (positions 1-200), left-justified and space-padded."""
    return f"{code:<12}{mycoid:<20}{id_number:<12}{name:<150}{mmyyyy}"


def single_tail(start: str, amount: int, when: str, status: str) -> str:
    """A 223-character line: amount (zero-padded sen), employment date, status, CRLF."""
    return f"{start}{amount:014d}{when:<8}{status or ' '}{LINE_END}"


def combined_tail(start: str, shares: tuple[int, int, int, int, int], skbbk: int, kind: Kind) -> str:
    """A 278-character line: wages and the four shares (zero-padded sen), v2's SKBBK share, filler, CRLF."""
    wages, socso_er, socso_ee, eis_er, eis_ee = shares
    amounts = f"{wages:014d}{socso_er:06d}{socso_ee:06d}{eis_er:06d}{eis_ee:06d}"
    if kind is Kind.COMBINED_V2:  # SKBBK share at 239-244, then 34 spaces of filler
        return f"{start}{amounts}{skbbk:06d}{_FILLER[:34]}{LINE_END}"
    return f"{start}{amounts}{_FILLER}{LINE_END}"  # v1: 40 spaces of filler at 239-278


class LineTooLong(ValueError):
    """A line would not be exactly its layout's length: an amount or a field does not fit."""

    def __init__(self, bad: list[tuple[int, int]], length: int) -> None:
        self.bad = bad
        shown = ", ".join(f"line {n}: {got} characters" for n, got in bad[:5])
        super().__init__(f"{len(bad)} line(s) would not be {length} characters ({shown}); nothing written")


def check_lines(lines: list[str], kind: Kind) -> None:
    """Every line exactly its layout's length (plus CRLF), before anything is written."""
    length = (SINGLE_LENGTH if kind in (Kind.SOCSO, Kind.EIS) else COMBINED_LENGTH) + len(LINE_END)
    bad = [(n, len(line) - len(LINE_END)) for n, line in enumerate(lines, start=1) if len(line) != length]
    if bad:
        raise LineTooLong(bad, length - len(LINE_END))


def render(
    contributions: Iterable[Contribution], *, employer_code: str, month: Month, kind: Kind, mycoid: str = ""
) -> Rendered:
    """The file's text; ValueError for a bad employer code or MyCoID, LineTooLong (a ValueError) when
    any line would not be exactly its layout's length (an amount too large for its field)."""
    code = check_employer_code(employer_code)
    mycoid = mycoid.strip().upper()
    if len(mycoid) > 20 or not mycoid.isascii():
        raise ValueError(f"MyCoID {mycoid!r} must be at most 20 ASCII characters")
    head = f"{code:<12}{mycoid:<20}"
    mmyyyy = month.mmyyyy

    lines: list[str] = []
    append = lines.append
    kept: list[Contribution] = [c for c in contributions if included(c, kind)]
    for item in kept:
        e, s = item.employee, item.shares
        start = f"{head}{e.id_number:<12}{e.name:<150}{mmyyyy}"
        if kind is Kind.SOCSO or kind is Kind.EIS:
            amount = s.socso_total if kind is Kind.SOCSO else s.eis_total
            # Field 7 holds the join / leave date only with a status; blank otherwise [U] (full_circle).
            when = e.status_date.strftime("%d%m%Y") if e.status and e.status_date else ""
            append(single_tail(start, amount, when, e.status))
        else:
            shares = (s.wages, s.socso_employer, s.socso_employee, s.eis_employer, s.eis_employee)
            append(combined_tail(start, shares, s.skbbk_employee, kind))
    check_lines(lines, kind)
    totals = Totals.of(
        (c.shares for c in kept),
        socso=kind is not Kind.EIS,
        eis=kind is not Kind.SOCSO,
        skbbk=kind is Kind.COMBINED_V2,
    )
    return Rendered(kind, lines, totals)


def write_textfile(path: Path | str, rendered: Rendered) -> None:
    """Write atomically (temp file + rename): a half-written file must never reach the portal.

    Every line's length is checked first (LineTooLong): nothing is written when one is wrong."""
    check_lines(rendered.lines, rendered.kind)
    target = Path(path)
    fd, temp = tempfile.mkstemp(dir=target.parent or ".", prefix=f".{target.name}.", suffix=".tmp")
    try:
        # Lines are written one by one rather than joined: no second copy of a 28 MB file.
        with os.fdopen(fd, "w", encoding="ascii", newline="") as out:
            out.writelines(rendered.lines)
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
