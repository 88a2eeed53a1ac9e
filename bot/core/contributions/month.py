"""A contribution month (year + month): the key of every table, rule and text file."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

_ISO = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True, slots=True, order=True)
class Month:
    """A calendar month; ordered, hashable, printed as ``YYYY-MM``."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise ValueError(f"month must be 01-12, got {self.month:02d}")
        if not 1900 <= self.year <= 9999:
            raise ValueError(f"year out of range: {self.year}")

    @classmethod
    def parse(cls, text: str) -> Month:
        """Parse ``YYYY-MM`` (the CLI's ``--month``); raise ValueError with a readable reason."""
        match = _ISO.match(text.strip())
        if not match:
            raise ValueError(f"{text!r} is not a month: expected YYYY-MM, e.g. 2024-10")
        return cls(int(match[1]), int(match[2]))

    @classmethod
    def from_mmyyyy(cls, text: str) -> Month:
        """Parse the text files' ``MMYYYY`` field."""
        if len(text) != 6 or not text.isdigit():
            raise ValueError(f"{text!r} is not MMYYYY")
        return cls(int(text[2:]), int(text[:2]))

    @classmethod
    def of(cls, day: date) -> Month:
        """The month that contains ``day``."""
        return cls(day.year, day.month)

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def last_day(self) -> date:
        return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    @property
    def mmyyyy(self) -> str:
        """The text files' form, e.g. ``102024``."""
        return f"{self.month:02d}{self.year:04d}"

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"
