"""The PERKESO text-file layouts (DOMAIN.md 1.1, 1.2): field positions, widths and kinds.

Positions are PERKESO's 1-based, inclusive ones, kept as written in the spec so that a reader can
check them against DOMAIN.md; ``Field.cut`` turns them into a slice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from bot.core.contributions.month import Month


class Scheme(StrEnum):
    """What a file contributes to (the CLI's ``--scheme``)."""

    SOCSO = "socso"
    EIS = "eis"
    COMBINED = "socso+eis"


class Kind(StrEnum):
    """A file's layout: the scheme plus, for combined files, the format version."""

    SOCSO = "socso"  # 223 characters, "CD/DISKETTE CONTRIBUTION DATA (TEXT FILE) STRUCTURE FORMAT (NEW)"
    EIS = "eis"  # same 223-character layout, EIS total in field 6
    COMBINED_V1 = "socso+eis v1"  # 278, "TEXTFILE STRUCTURE FOR COMBINE CONTRIBUTION" v1.0 (Jul 2022)
    COMBINED_V2 = "socso+eis v2"  # 278, v2.0: SKBBK employee share at 239-244 (Feb 2026)


@dataclass(frozen=True, slots=True)
class Field:
    """A fixed-width field, named as in the error messages."""

    name: str
    first: int  # 1-based, inclusive, as in PERKESO's table
    last: int

    @property
    def width(self) -> int:
        return self.last - self.first + 1

    @property
    def column(self) -> str:
        """How a problem names it: ``amount (201-214)``."""
        return f"{self.name} ({self.first}-{self.last})" if self.width > 1 else f"{self.name} ({self.first})"

    def cut(self, line: str) -> str:
        return line[self.first - 1 : self.last]


SINGLE_LENGTH = 223
COMBINED_LENGTH = 278

EMPLOYER_CODE = Field("employer code", 1, 12)
MYCOID = Field("MyCoID", 13, 32)
ID_NUMBER = Field("ID number", 33, 44)
NAME = Field("name", 45, 194)
MONTH = Field("month", 195, 200)
# 223-character files
AMOUNT = Field("amount", 201, 214)
EMPLOYMENT_DATE = Field("employment date", 215, 222)
STATUS = Field("status", 223, 223)
# 278-character files
WAGES = Field("wages", 201, 214)
SOCSO_EMPLOYER = Field("SOCSO employer", 215, 220)
SOCSO_EMPLOYEE = Field("SOCSO employee", 221, 226)
EIS_EMPLOYER = Field("EIS employer", 227, 232)
EIS_EMPLOYEE = Field("EIS employee", 233, 238)
SKBBK_EMPLOYEE = Field("SKBBK employee", 239, 244)
FILLER_V1 = Field("filler", 239, 278)
FILLER_V2 = Field("filler", 245, 278)

LINE_END = "\r\n"  # CRLF after every line, the last one too [S2] full_circle, Odoo, TS renderer

# Letter + 7 or 10 digits + check letter (E1102069801V, A3609732P) [U]: the check-digit algorithm
# PERKESO's spec mentions is unknown, so only the shape is checked.
EMPLOYER_CODE_RE = re.compile(r"^[A-Z](\d{7}|\d{10})[A-Z]$")
# v1 and v2 both accepted June-September 2026, v2 mandatory from October 2026 [S2] (DOMAIN.md 1.2); but
# every month from June 2026 owes SKBBK, which only v2 carries: v2 is the default from 2026-06.
V2_DEFAULT_FROM = Month(2026, 6)


def default_version(month: Month) -> int:
    """The combined-file version to write for ``month`` when none is asked for."""
    return 2 if month >= V2_DEFAULT_FROM else 1


def kind_of(scheme: Scheme, version: int | None, month: Month) -> Kind:
    """The layout for a scheme (and combined-file version, default by month)."""
    if scheme is Scheme.SOCSO:
        return Kind.SOCSO
    if scheme is Scheme.EIS:
        return Kind.EIS
    return Kind.COMBINED_V2 if (version or default_version(month)) == 2 else Kind.COMBINED_V1


def check_employer_code(code: str) -> str:
    """The code, upper-cased; ValueError when it is not letter + 7 or 10 digits + letter."""
    cleaned = code.strip().upper()
    if not EMPLOYER_CODE_RE.match(cleaned):
        raise ValueError(
            f"{code!r} is not an employer code (a letter, 7 or 10 digits, a letter: e.g. E1102069801V)"
        )
    return cleaned
