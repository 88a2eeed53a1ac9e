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
from bot.core.contributions.layout import LINE_END, Kind, check_employer_code
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


def render(
    contributions: Iterable[Contribution], *, employer_code: str, month: Month, kind: Kind, mycoid: str = ""
) -> Rendered:
    """The file's text; ValueError for a bad employer code or MyCoID."""
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
            append(f"{start}{amount:014d}{when:<8}{e.status or ' '}{LINE_END}")
        elif kind is Kind.COMBINED_V2:  # SKBBK share at 239-244, then 34 spaces of filler
            append(
                f"{start}{s.wages:014d}{s.socso_employer:06d}{s.socso_employee:06d}{s.eis_employer:06d}"
                f"{s.eis_employee:06d}{s.skbbk_employee:06d}{_FILLER[:34]}{LINE_END}"
            )
        else:  # v1: 40 spaces of filler at 239-278
            append(
                f"{start}{s.wages:014d}{s.socso_employer:06d}{s.socso_employee:06d}{s.eis_employer:06d}"
                f"{s.eis_employee:06d}{_FILLER}{LINE_END}"
            )
    totals = Totals.of(
        (c.shares for c in kept),
        socso=kind is not Kind.EIS,
        eis=kind is not Kind.SOCSO,
        skbbk=kind is Kind.COMBINED_V2,
    )
    return Rendered(kind, lines, totals)


def write_textfile(path: Path | str, rendered: Rendered) -> None:
    """Write atomically (temp file + rename): a half-written file must never reach the portal."""
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
