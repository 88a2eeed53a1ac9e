"""The circuit breaker of a run: stop touching the portal when the portal itself is down.

One employer's failure never stops the others, and neither do a few unlucky ones while the rest get
through (a portal answering 10 % of its requests with 503 is flaky, not down). The breaker opens on an
outage: within the last `window_seconds`, at least `threshold` portal steps ended in application
errors (after their retries), they are at least `failure_ratio` of the steps that ended there, and
the portal's own answers do not show it up (the browser contexts' responses are watched: when at
least MIN_REQUESTS requests were seen in the window and most of them were answered below 500, the
portal is answering and the failures are bad luck, not an outage). Every later step that needs the portal then ends at once as "not attempted" (`CircuitOpen`), and the
rerun picks those employers up. A process that lives on (`worker`, `schedule`) tries the portal again
once the cool-down has passed ("half open"): a success closes the breaker, another application error
opens it for another cool-down.
"""

from __future__ import annotations

import time
import weakref
from collections import deque
from collections.abc import Callable
from typing import Any

from bot.core.errors import ApplicationError, TryLater

MIN_REQUESTS = 20  # fewer requests in the window say nothing about the portal
ANSWERING_RATIO = 0.5  # below this share of failed requests the portal is answering: no outage
MAX_REQUESTS = 10_000  # the window's memory of requests is bounded


class CircuitOpen(ApplicationError):
    """The portal looked down; this employer's step was not attempted (exit 75: try again later)."""

    exit_code = TryLater.exit_code


class CircuitBreaker:
    """Counts the portal steps' outcomes across the employers of one process, over a time window."""

    def __init__(
        self,
        threshold: int,
        cooldown_seconds: float = 300.0,
        clock: Callable[[], float] = time.monotonic,
        *,
        window_seconds: float = 300.0,
        failure_ratio: float = 0.8,
    ) -> None:
        self.threshold = threshold
        self.cooldown_seconds = cooldown_seconds
        self.window_seconds = window_seconds
        self.failure_ratio = failure_ratio
        self.clock = clock
        self.outcomes: deque[tuple[float, str | None]] = deque()  # (when, None = ok | the reason)
        self.last_failure = ""
        self.opened_at: float | None = None
        self.requests: deque[tuple[float, bool]] = deque(maxlen=MAX_REQUESTS)  # (when, answered < 500)
        self._watched: weakref.WeakSet[Any] = weakref.WeakSet()

    # -- what callers ask --------------------------------------------------------------------
    @property
    def is_open(self) -> bool:
        """Tripped by an outage and not closed since (a success after the cool-down closes it)."""
        return self.opened_at is not None

    @property
    def refusing(self) -> bool:
        """Open and still within its cool-down: portal steps are not attempted now."""
        return self.opened_at is not None and self.clock() - self.opened_at < self.cooldown_seconds

    @property
    def state(self) -> str:
        if self.opened_at is None:
            return "closed"
        return "open" if self.refusing else "half-open"

    @property
    def reasons(self) -> list[str]:
        """Why it is open, as one line for the report (empty while closed)."""
        return [self.describe()] if self.is_open else []

    def describe(self) -> str:
        """Why it is open, for the report and the error (empty while closed)."""
        if not self.is_open:
            return ""
        failures, total = self._counts()
        failed, seen = self._request_counts()
        requests = f", {failed} of {seen} requests failed" if seen else ""
        return (
            f"the portal looks down: {failures} of the last {total} portal steps within "
            f"{self.window_seconds:.0f}s ended in application errors{requests}, last: {self.last_failure}"
        )

    def check(self) -> None:
        """Raise `CircuitOpen` when the breaker is open and its cool-down has not passed."""
        if self.refusing:
            raise CircuitOpen(f"not attempted: {self.describe()}")

    # -- what the steps and the browser report -----------------------------------------------
    def watch(self, page: Any) -> None:
        """Count the answers of every request of the page's browser context (once per context)."""
        context = page.context
        if context in self._watched:
            return
        self._watched.add(context)
        context.on("response", lambda response: self.request(response.status < 500))
        context.on("requestfailed", lambda _request: self.request(False))

    def request(self, answered: bool) -> None:
        """One request of the portal (or its bank): answered below 500, or not."""
        now = self.clock()
        self.requests.append((now, answered))
        while self.requests and now - self.requests[0][0] > self.window_seconds:
            self.requests.popleft()

    def portal_answering(self) -> bool:
        """Enough requests seen in the window, and most of them answered: the portal is up."""
        failed, seen = self._request_counts()
        return seen >= MIN_REQUESTS and failed < ANSWERING_RATIO * seen

    def success(self) -> None:
        if self.opened_at is not None:  # the trial after the cool-down went through: closed
            self.opened_at = None
            self.outcomes.clear()
        self._record(None)

    def failure(self, reason: str) -> None:
        self._record(reason)
        self.last_failure = reason
        if self.opened_at is not None:  # a trial after the cool-down failed: another cool-down
            self.opened_at = self.clock()
            return
        failures, total = self._counts()
        if (
            failures >= self.threshold
            and failures >= self.failure_ratio * total
            and not self.portal_answering()
        ):
            self.opened_at = self.clock()

    def _record(self, reason: str | None) -> None:
        now = self.clock()
        self.outcomes.append((now, reason))
        while self.outcomes and now - self.outcomes[0][0] > self.window_seconds:
            self.outcomes.popleft()

    def _request_counts(self) -> tuple[int, int]:
        now = self.clock()
        recent = [answered for when, answered in self.requests if now - when <= self.window_seconds]
        return sum(not a for a in recent), len(recent)

    def _counts(self) -> tuple[int, int]:
        failures = sum(1 for _, r in self.outcomes if r is not None)
        return failures, len(self.outcomes)
