"""How a piece of work ended, the one mapping from the error model to it, and what it exits with.

Used by the commands (bot/runner.py) and by the month's workflow steps (bot/workflows/execution.py):
an error means the same thing wherever it is raised.
"""

from __future__ import annotations

from enum import StrEnum

from bot.core.errors import AssistError, NeedsHuman, UnknownOutcome


class Status(StrEnum):
    """The end of an employer's work, or of one step of it (`skipped`: deliberately not done)."""

    DONE = "done"
    SKIPPED = "skipped"
    FAILED = "failed"
    NEEDS_HUMAN = "needs-human"
    UNKNOWN_OUTCOME = "unknown-outcome"

    @property
    def finished(self) -> bool:
        """Ended as intended: the next step may run."""
        return self in (Status.DONE, Status.SKIPPED)

    @property
    def exit_code(self) -> int:
        """CONTRACT.md: 0 done, 1 failed, 2 a person must look or the outcome is unknown."""
        return EXIT_CODES[self]


EXIT_CODES = {
    Status.DONE: 0,
    Status.SKIPPED: 0,
    Status.FAILED: 1,
    Status.NEEDS_HUMAN: 2,
    Status.UNKNOWN_OUTCOME: 2,
}


def status_of(exc: BaseException) -> Status:
    """The error model (DESIGN.md) as a status: a person must act, we may have done it, or it failed
    (a business or application error, a busy portal, or a bug)."""
    if isinstance(exc, NeedsHuman):
        return Status.NEEDS_HUMAN
    if isinstance(exc, UnknownOutcome):
        return Status.UNKNOWN_OUTCOME
    return Status.FAILED


def error_name(exc: BaseException) -> str:
    return type(exc).__name__


def describe(exc: BaseException) -> str:
    """The reason people read: the error's own message, or for a bug its repr."""
    return str(exc) if isinstance(exc, AssistError) else f"internal error: {exc!r}"


__all__ = ["EXIT_CODES", "Status", "describe", "error_name", "status_of"]
