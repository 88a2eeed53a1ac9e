"""The one retry policy: only errors marked retryable are tried again, with backoff."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception,
    stop_after_attempt,
    wait_exponential_jitter,
)

from bot.core.errors import AssistError
from bot.core.settings import RetrySettings

T = TypeVar("T")
log = logging.getLogger(__name__)


def _is_retryable(exc: BaseException) -> bool:
    return isinstance(exc, AssistError) and exc.retryable


def _log_retry(state: RetryCallState) -> None:
    exc = state.outcome.exception() if state.outcome else None
    log.warning("attempt %d failed (%s: %s); retrying", state.attempt_number, type(exc).__name__, exc)


def policy(settings: RetrySettings) -> AsyncRetrying:
    """Build the project's retry policy; callers never build their own."""
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


async def with_retry(settings: RetrySettings, action: Callable[[], Awaitable[T]]) -> T:
    """Run `action` under the policy; the last error is raised as it is."""
    async for attempt in policy(settings):
        with attempt:
            return await action()
    raise AssertionError("unreachable: tenacity reraises the last error")
