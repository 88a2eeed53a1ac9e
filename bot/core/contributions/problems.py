"""Problems found in a payroll or a text file, reported all at once as ``FILE:LINE: column: message``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.core.errors import BusinessError


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with one line. ``line`` 0 means the file as a whole (e.g. the month)."""

    file: str
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.column}: {self.message}"

    def as_dict(self) -> dict[str, str | int]:
        return {"file": self.file, "line": self.line, "column": self.column, "message": self.message}


class ProblemsError(BusinessError):
    """The input has errors; nothing was written. ``problems`` lists every one, in line order."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: p.line)
        count = len(self.problems)
        head = "\n".join(str(p) for p in self.problems[:20])
        more = f"\n... and {count - 20} more" if count > 20 else ""
        super().__init__(f"{count} problem{'s' if count != 1 else ''}:\n{head}{more}")


class PayrollError(ProblemsError):
    """The payroll file cannot be turned into contributions."""


class TextFileError(ProblemsError):
    """A SOCSO / EIS text file is malformed or its amounts disagree with the tables."""


class NoTableError(BusinessError):
    """No contribution table covers the month (before June 2016): we refuse rather than guess."""
