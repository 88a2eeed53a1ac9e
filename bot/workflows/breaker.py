"""The circuit breaker of a run: stop touching the portal when the portal itself is down.

One employer's failure never stops the others, but N application errors in a row (after retries),
across employers, mean the portal or its mail is down: every later step that needs the portal then
ends at once as "not attempted", and the rerun picks those employers up. A process that lives on
(`worker`, `schedule`) tries the portal again once the cool-down has passed ("half open"): a success
closes the breaker, another application error opens it for another cool-down.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from bot.core.errors import ApplicationError


class CircuitOpen(ApplicationError):
    """The portal looked down; this employer's step was not attempted."""


class CircuitBreaker:
    """Counts consecutive application errors across the employers of one process."""

    def __init__(
        self, threshold: int, cooldown_seconds: float = 300.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.threshold = threshold
        self.cooldown_seconds = cooldown_seconds
        self.clock = clock
        self.consecutive = 0
        self.reasons: list[str] = []
        self.opened_at = 0.0

    @property
    def is_open(self) -> bool:
        """Tripped: the last `threshold` or more portal steps ended in application errors."""
        return self.consecutive >= self.threshold

    def check(self) -> None:
        """Raise `CircuitOpen` when the breaker has tripped and its cool-down has not passed."""
        if self.is_open and self.clock() - self.opened_at < self.cooldown_seconds:
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
        if self.is_open:  # tripped now, or a trial after the cool-down failed: another cool-down
            self.opened_at = self.clock()
