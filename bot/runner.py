"""Run one piece of portal work for several employers at once, each in its own browser context.

One employer's failure never stops the others. Each employer's work is retried under the one
policy (bot/core/retry.py) in its own portal session (bot/portal_session.py: one login, logged out
when the command ends), and ends as an `EmployerResult` whose status maps onto the CLI's exit codes
(bot/outcome.py, the one mapping from the error model).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bot.core.access_tokens import check_oauth_mailboxes
from bot.core.browser import Browser, EmployerSession
from bot.core.errors import AssistError
from bot.core.evidence import Evidence, new_run_id
from bot.core.settings import EmployerSettings, Settings
from bot.outcome import Status, describe, error_name, status_of
from bot.portal_session import PortalSession

log = logging.getLogger(__name__)

Work = Callable[[EmployerSession, EmployerSettings, Settings], Awaitable[str]]


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
        return self.status.exit_code


def overall_exit_code(results: Sequence[EmployerResult]) -> int:
    """1 when anything failed, else 2 when a person must look, else 0."""
    codes = {r.exit_code for r in results}
    if 1 in codes:
        return 1
    return 2 if 2 in codes else 0


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


async def _run_one(
    browser: Browser, settings: Settings, employer: EmployerSettings, work: Work, run_id: str
) -> EmployerResult:
    evidence = Evidence(settings.evidence_dir, run_id, employer.name, settings)
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
        async with PortalSession(the_browser, employer, settings) as portal:
            detail = await portal.run(evidence, work)
    except Exception as exc:  # a bug must not stop the other employers; it is reported as a failure
        if not isinstance(exc, AssistError):
            log.exception("%s: unexpected error", employer.name)
        else:
            log.error("%s: %s: %s", employer.name, error_name(exc), exc)
        return result(status_of(exc), describe(exc), error_name(exc))
    return result(Status.DONE, detail)
