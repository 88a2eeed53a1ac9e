"""How one step of an employer's month runs: evidence folder, breaker, retries, outcome, record.

A step never raises: whatever happens ends as a `StepOutcome` (bot/workflows/outcomes.py) with a
status (the one mapping, bot/outcome.py), the reason and the next action for a person, and is
written to the run tables. Portal steps run under the one retry policy in the workflow attempt's
portal session (bot/portal_session.py): the steps of an attempt share one context and one login.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from dbos import DBOS

from bot.core.browser import EmployerSession
from bot.core.errors import (
    ApplicationError,
    AssistError,
    BusinessError,
    ConfigError,
    NeedsHuman,
    SettlesLater,
    UnknownOutcome,
)
from bot.core.evidence import Evidence
from bot.core.settings import EmployerSettings, Settings
from bot.outcome import Status, describe, error_name, status_of
from bot.portal_session import PortalSession
from bot.workflows import runtime
from bot.workflows.breaker import CircuitOpen
from bot.workflows.outcomes import D, Stale, StepOutcome

log = logging.getLogger(__name__)

Result = tuple[str, D]  # detail for people, data for the report and later steps
PortalWork = Callable[[EmployerSession, EmployerSettings, Settings], Awaitable[Result[D]]]
LocalWork = Callable[[EmployerSettings, Settings, Path], Awaitable[Result[D]]]
# What a step that did not end done still has to show (e.g. the payments a person must finish).
ErrorData = Callable[[EmployerSettings, Settings], D]

ORDER = ("employees", "textfile", "submit", "pay")
# The portal session of each workflow attempt running in this process, by workflow id.
_attempts: dict[str, PortalSession] = {}


def month_folder(settings: Settings, month: str, dry_run: bool) -> Path:
    """`<evidence>/<month>/`: the month's evidence and its report."""
    return settings.evidence_dir / (f"{month}-dry-run" if dry_run else month)


def step_folder(settings: Settings, employer: str, month: str, dry_run: bool, step: str) -> Evidence:
    """`<evidence>/<month>/<employer>/<step>[-attempt-N]/`, stable across a crash and resume."""
    attempt = re.search(r":attempt-(\d+)$", DBOS.workflow_id or "")
    label = f"{step}-attempt-{attempt.group(1)}" if attempt else step
    return Evidence(month_folder(settings, month, dry_run), employer, label, settings)


@asynccontextmanager
async def attempt_session(employer: EmployerSettings) -> AsyncIterator[None]:
    """The portal session the steps of this workflow attempt share: opened by the first portal step
    that runs (a replayed step opens nothing), logged out and closed when the attempt ends. It lives
    in this process only: a workflow resumed elsewhere, or a new attempt, logs in afresh."""
    rt = runtime.current()
    key = DBOS.workflow_id or ""
    portal = PortalSession(
        rt.browser, employer, rt.settings, sessions=rt.sessions, before_attempt=rt.breaker.check
    )
    _attempts[key] = portal
    try:
        yield
    finally:
        _attempts.pop(key, None)
        await portal.close()


def next_action(exc: BaseException, month: str) -> str:
    """What a person does about a failure; the rerun then resumes at this step."""
    rerun = f"assist-bot run --month {month}"
    if isinstance(exc, CircuitOpen):
        return f"nothing was attempted: check the portal is back, then `{rerun}`"
    if isinstance(exc, ConfigError):
        return f"fix the portfolio ({exc}), then `{rerun}`"
    if isinstance(exc, SettlesLater):
        return f"nobody needs to act: `{rerun}` after {exc.after_text} settles it (it resumes at this step)"
    if isinstance(exc, NeedsHuman):
        # The flows' NeedsHuman messages say what to do (enrol a mandate, approve at the bank, ...).
        return f"a person: {exc}; then `{rerun}` (it resumes at this step)"
    if isinstance(exc, UnknownOutcome):
        return f"`{rerun}`: the bot first checks on the portal whether it went through"
    if isinstance(exc, BusinessError):
        return f"correct what the reason names (payroll, portfolio or on the portal), then `{rerun}`"
    if isinstance(exc, ApplicationError):
        return f"transient: `{rerun}` (it resumes at this step)"
    return f"an internal error: send the evidence to support; `{rerun}` to try again"


async def perform(
    step: str,
    employer_name: str,
    month: str,
    dry_run: bool,
    *,
    portal: PortalWork[D] | None = None,
    local: LocalWork[D] | None = None,
    skip: str | None = None,
    on_error: ErrorData[D] | None = None,
) -> StepOutcome[D]:
    """Run one step for one employer and return its outcome (never raises)."""
    rt = runtime.current()
    settings = rt.settings
    started = time.time()
    try:
        employer = settings.employer(employer_name)
    except ConfigError as exc:
        return StepOutcome(step, Status.FAILED, str(exc), "ConfigError", next_action(exc, month))
    record: dict[str, Any] = dict(
        code=employer.employer_code,
        month=month,
        dry_run=dry_run,
        step=step,
        position=ORDER.index(step),
        workflow_id=DBOS.workflow_id or "",
    )
    rt.store.employer_progress(
        code=employer.employer_code,
        month=month,
        dry_run=dry_run,
        status="running",
        step=step,
        detail=f"{step}…",
    )
    if skip is not None:
        rt.store.record_step(**record, status="skipped", detail=skip, started_at=started)
        return StepOutcome(step, Status.SKIPPED, skip)
    evidence = step_folder(settings, employer.name, month, dry_run, step)
    rt.store.record_step(
        **record, status="running", evidence=str(evidence.folder), started_at=started, finished=False
    )
    outcome: StepOutcome[D]
    try:
        if portal is not None:
            detail, data = await _on_portal(portal, employer, settings, evidence)
        else:
            assert local is not None
            detail, data = await local(employer, settings, evidence.folder)
    except Exception as exc:  # every failure becomes an outcome; a bug must not stop the others
        if not isinstance(exc, AssistError):
            log.exception("%s %s: unexpected error", employer.name, step)
        outcome = StepOutcome(
            step,
            status_of(exc),
            describe(exc),
            error_name(exc),
            next_action(exc, month),
            _error_data(on_error, employer, settings),
            str(evidence.folder),
            exc.restart_at if isinstance(exc, Stale) else "",
        )
        log.info("%s %s: %s: %s", employer.name, step, outcome.error, outcome.detail)
    else:
        outcome = StepOutcome(step, Status.DONE, detail, data=data, evidence=str(evidence.folder))
    if step == "submit" and outcome.status is Status.DONE:
        # The checked text file is sent: its MyKads masked now (until then it must stay as checked).
        step_folder(settings, employer.name, month, dry_run, "textfile").seal()
    stored = outcome.as_dict()
    rt.store.record_step(
        **record,
        status=stored["status"],
        detail=outcome.detail,
        error=outcome.error,
        next_action=outcome.next_action,
        data=stored["data"],
        evidence=outcome.evidence,
        started_at=started,
    )
    return outcome


def _error_data(on_error: ErrorData[D] | None, employer: EmployerSettings, settings: Settings) -> D | None:
    if on_error is None:
        return None
    try:
        return on_error(employer, settings)
    except Exception:  # the failure itself is what the report must show; this is only extra detail
        log.exception("%s: could not gather the failed step's data", employer.name)
        return None


async def _on_portal(
    work: PortalWork[D], employer: EmployerSettings, settings: Settings, evidence: Evidence
) -> Result[D]:
    """The work under the breaker, the session cap and the retry policy, in the attempt's portal
    session; an application error that outlives the retries counts towards the breaker."""
    rt = runtime.current()
    rt.breaker.check()
    shared = _attempts.get(DBOS.workflow_id or "")

    async def watched(session: EmployerSession, e: EmployerSettings, s: Settings) -> Result[D]:
        rt.breaker.watch(session.page)  # the portal's answers tell an outage from bad luck
        return await work(session, e, s)

    try:
        if shared is not None:
            result = await shared.run(evidence, watched)
        else:  # a step run on its own (not by monthly_run): a session of its own
            async with PortalSession(
                rt.browser, employer, settings, sessions=rt.sessions, before_attempt=rt.breaker.check
            ) as alone:
                result = await alone.run(evidence, watched)
    except CircuitOpen:
        raise
    except AssistError as exc:
        if exc.retryable:
            rt.breaker.failure(f"{employer.name}: {type(exc).__name__}: {exc}")
        raise
    rt.breaker.success()
    return result
