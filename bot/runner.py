"""Run one piece of portal work for several employers at once, each in its own browser context.

One employer's failure never stops the others. Each employer's work is retried under the one
policy (bot/core/retry.py) with a fresh context per attempt, and ends as an `EmployerResult` whose
status maps onto the CLI's exit codes.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, TypeVar

from bot.core.access_tokens import check_oauth_mailboxes
from bot.core.browser import Browser, EmployerSession
from bot.core.errors import AssistError, NeedsHuman, UnknownOutcome
from bot.core.evidence import Evidence, new_run_id
from bot.core.retry import with_retry
from bot.core.settings import EmployerSettings, Settings

log = logging.getLogger(__name__)

Status = Literal["done", "failed", "needs-human", "unknown-outcome"]
Work = Callable[[EmployerSession, EmployerSettings, Settings], Awaitable[str]]
T = TypeVar("T")


@dataclass
class EmployerResult:
    employer: str
    employer_code: str
    status: Status
    seconds: float
    detail: str
    evidence: Path
    error: str | None = None
    screenshots: list[str] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return {"done": 0, "failed": 1, "needs-human": 2, "unknown-outcome": 2}[self.status]


def overall_exit_code(results: Sequence[EmployerResult]) -> int:
    """1 when anything failed, else 2 when a person must look, else 0."""
    codes = {r.exit_code for r in results}
    if 1 in codes:
        return 1
    return 2 if 2 in codes else 0


def _status_of(exc: AssistError) -> Status:
    if isinstance(exc, NeedsHuman):
        return "needs-human"
    if isinstance(exc, UnknownOutcome):
        return "unknown-outcome"
    return "failed"


async def run_for_employers(
    settings: Settings,
    employers: Sequence[EmployerSettings],
    work: Work,
    run_id: str | None = None,
) -> list[EmployerResult]:
    """Do `work` for every employer, at most `settings.concurrency` at a time, in one Chromium."""
    run_id = run_id or new_run_id()
    # OAuth2 mailboxes get their first token now: a revoked refresh token is exit 64, once, up front.
    await asyncio.to_thread(check_oauth_mailboxes, [(e.name, e.mailbox) for e in employers if e.mailbox])
    limit = asyncio.Semaphore(settings.concurrency)
    async with Browser(settings.browser, settings.portal) as browser:

        async def one(employer: EmployerSettings) -> EmployerResult:
            async with limit:
                return await _run_one(browser, settings, employer, work, run_id)

        return list(await asyncio.gather(*(one(e) for e in employers)))


async def on_portal(
    browser: Callable[[], Awaitable[Browser]],
    evidence: Evidence,
    employer: EmployerSettings,
    settings: Settings,
    work: Callable[[EmployerSession, EmployerSettings, Settings], Awaitable[T]],
    *,
    sessions: asyncio.Semaphore | None = None,
    before_attempt: Callable[[], None] | None = None,
) -> T:
    """`work` under the one retry policy, each attempt in a fresh browser context (so a fresh login),
    within `sessions` (a cap on contexts open at once) and after `before_attempt` (e.g. a breaker check)."""

    async def attempt() -> T:
        if before_attempt is not None:
            before_attempt()
        async with sessions if sessions is not None else contextlib.nullcontext():
            async with (await browser()).employer(evidence) as session:
                return await work(session, employer, settings)

    return await with_retry(settings.retry, attempt)


async def _run_one(
    browser: Browser, settings: Settings, employer: EmployerSettings, work: Work, run_id: str
) -> EmployerResult:
    evidence = Evidence(settings.evidence_dir, run_id, employer.name)
    started = time.monotonic()

    async def the_browser() -> Browser:
        return browser

    def result(status: Status, detail: str, error: str | None = None) -> EmployerResult:
        return EmployerResult(
            employer=employer.name,
            employer_code=employer.employer_code,
            status=status,
            seconds=round(time.monotonic() - started, 2),
            detail=detail,
            evidence=evidence.folder,
            error=error,
            screenshots=[p.name for p in evidence.screenshots()],
        )

    try:
        detail = await on_portal(the_browser, evidence, employer, settings, work)
    except AssistError as exc:
        log.error("%s: %s: %s", employer.name, type(exc).__name__, exc)
        return result(_status_of(exc), str(exc), type(exc).__name__)
    except Exception as exc:  # a bug must not stop the other employers; it is reported as a failure
        log.exception("%s: unexpected error", employer.name)
        return result("failed", f"internal error: {exc!r}", type(exc).__name__)
    return result("done", detail)
