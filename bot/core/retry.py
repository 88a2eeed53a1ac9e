"""The one retry policy, both levels in one place (DESIGN.md "retries"):

- **in place** (`in_place`): one request that is safe to repeat (a GET: a page load, a list, a PDF
  download, a search; a POST only where the page object has checked that the portal did not act)
  failed with a 5xx or a network error (`RequestFailed`). Repeated at once, bounded, in the same
  browser session: one 5xx does not throw away a logged-in session.
- **the step's attempt** (`with_retry`): what in-place retries cannot fix (a time-out, an expired
  session, a crashed browser, late mail, a `RequestFailed` that kept failing) is tried again from
  the start with a fresh browser context, hence a fresh login; only errors marked retryable.

A POST that may have acted (SUBMIT, CONFIRM, PROCEED to the bank) is never a `RequestFailed`: the
page object raises `UnknownOutcome` and the next attempt reconciles with the portal first.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception,
    retry_if_exception_type,
    stop_after_attempt,
    wait_exponential_jitter,
)

from bot.core.errors import AssistError, PortalUnavailable
from bot.core.settings import RetrySettings

T = TypeVar("T")
log = logging.getLogger(__name__)


class RequestFailed(PortalUnavailable):
    """A request that is safe to repeat failed with a 5xx or a network error: retried in place, then
    (still `PortalUnavailable`, so retryable) by the step's next attempt."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class InPlace:
    """The request level: how often and how soon a `RequestFailed` is repeated in the same session."""

    attempts: int = 3
    wait_initial_seconds: float = 0.5
    wait_max_seconds: float = 4.0


IN_PLACE = InPlace()


def _is_retryable(exc: BaseException) -> bool:
    return isinstance(exc, AssistError) and exc.retryable


def _log_retry(state: RetryCallState) -> None:
    exc = state.outcome.exception() if state.outcome else None
    log.warning("attempt %d failed (%s: %s); retrying", state.attempt_number, type(exc).__name__, exc)


def _log_in_place(state: RetryCallState) -> None:
    exc = state.outcome.exception() if state.outcome else None
    log.warning("request %d failed (%s); repeating it in place", state.attempt_number, exc)


def policy(settings: RetrySettings) -> AsyncRetrying:
    """The step level: a fresh attempt (new browser context, new login) per retry."""
    return AsyncRetrying(
        retry=retry_if_exception(_is_retryable),
        stop=stop_after_attempt(settings.attempts),
        wait=wait_exponential_jitter(
            multiplier=settings.wait_initial_seconds,
            max=settings.wait_max_seconds,
            jitter=settings.wait_initial_seconds,
        ),
        before_sleep=_log_retry,
        reraise=True,
    )


def request_policy(level: InPlace = IN_PLACE) -> AsyncRetrying:
    """The request level: only `RequestFailed`, a few quick repeats."""
    return AsyncRetrying(
        retry=retry_if_exception_type(RequestFailed),
        stop=stop_after_attempt(level.attempts),
        wait=wait_exponential_jitter(
            multiplier=level.wait_initial_seconds,
            max=level.wait_max_seconds,
            jitter=level.wait_initial_seconds,
        ),
        before_sleep=_log_in_place,
        reraise=True,
    )


async def with_retry(settings: RetrySettings, action: Callable[[], Awaitable[T]]) -> T:
    """Run `action` (a step's attempt) under the step-level policy; the last error is raised as it is."""
    async for attempt in policy(settings):
        with attempt:
            return await action()
    raise AssertionError("unreachable: tenacity reraises the last error")


async def in_place(action: Callable[[int], Awaitable[T]], level: InPlace = IN_PLACE) -> T:
    """Run `action(n)` (n = 1, 2, ...: the repeat may differ from the first try, e.g. load the URL
    instead of clicking the link) until it does not raise `RequestFailed`, at most `level.attempts`."""
    async for attempt in request_policy(level):
        with attempt:
            return await action(attempt.retry_state.attempt_number)
    raise AssertionError("unreachable: tenacity reraises the last error")
