"""The circuit breaker of a run: stop touching the portal when the portal itself is down.

One employer's failure never stops the others, but N application errors in a row (after retries),
across employers, mean the portal or its mail is down: every later step that needs the portal then
ends at once as "not attempted", and the rerun picks those employers up.
"""
from __future__ import annotations

from bot.errors import ApplicationError


class CircuitOpen(ApplicationError):
    """The portal looked down; this employer's step was not attempted."""


class CircuitBreaker:
    """Counts consecutive application errors across the employers of one process."""

    def __init__(self, threshold: int) -> None:
        self.threshold = threshold
        self.consecutive = 0
        self.reasons: list[str] = []

    @property
    def is_open(self) -> bool:
        return self.consecutive >= self.threshold

    def check(self) -> None:
        """Raise `CircuitOpen` when the breaker has tripped."""
        if self.is_open:
            raise CircuitOpen(
                f"not attempted: the portal looks down ({self.consecutive} application errors in a row, "
                f"last: {self.reasons[-1]})"
            )

    def success(self) -> None:
        self.consecutive = 0
        self.reasons.clear()

    def failure(self, reason: str) -> None:
        self.consecutive += 1
        self.reasons.append(reason)
