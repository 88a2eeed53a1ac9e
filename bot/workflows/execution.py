"""How one step of an employer's month runs: evidence folder, breaker, retries, outcome, record.

A step never raises: whatever happens ends as an outcome dict (JSON, checkpointed by DBOS) with a
status, the reason and the next action for a person, and is written to the run tables. Portal steps
run under the one retry policy with a fresh browser context (and a fresh login) per attempt.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Awaitable, Callable
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
from bot.runner import on_portal
from bot.workflows import runtime
from bot.workflows.breaker import CircuitOpen

log = logging.getLogger(__name__)

Outcome = dict[str, Any]
Result = tuple[str, dict[str, Any]]  # detail for people, data for the report and later steps
PortalWork = Callable[[EmployerSession, EmployerSettings, Settings], Awaitable[Result]]
LocalWork = Callable[[EmployerSettings, Settings, Path], Awaitable[Result]]
# What a step that did not end done still has to show (e.g. the payments a person must finish).
ErrorData = Callable[[EmployerSettings, Settings], dict[str, Any]]

ORDER = ("employees", "textfile", "submit", "pay")


def month_folder(settings: Settings, month: str, dry_run: bool) -> Path:
    """`<evidence>/<month>/`: the month's evidence and its report."""
    return settings.evidence_dir / (f"{month}-dry-run" if dry_run else month)


def step_folder(settings: Settings, employer: str, month: str, dry_run: bool, step: str) -> Evidence:
    """`<evidence>/<month>/<employer>/<step>[-attempt-N]/`, stable across a crash and resume."""
    attempt = re.search(r":attempt-(\d+)$", DBOS.workflow_id or "")
    label = f"{step}-attempt-{attempt.group(1)}" if attempt else step
    return Evidence(month_folder(settings, month, dry_run), employer, label)


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


def status_of(exc: BaseException) -> str:
    if isinstance(exc, NeedsHuman):
        return "needs-human"
    if isinstance(exc, UnknownOutcome):
        return "unknown-outcome"
    return "failed"


async def perform(
    step: str,
    employer_name: str,
    month: str,
    dry_run: bool,
    *,
    portal: PortalWork | None = None,
    local: LocalWork | None = None,
    skip: str | None = None,
    on_error: ErrorData | None = None,
) -> Outcome:
    """Run one step for one employer and return its outcome (never raises)."""
    rt = runtime.current()
    settings = rt.settings
    started = time.time()
    try:
        employer = settings.employer(employer_name)
    except ConfigError as exc:
        return {
            "step": step,
            "status": "failed",
            "detail": str(exc),
            "error": "ConfigError",
            "next_action": next_action(exc, month),
            "data": {},
            "evidence": "",
        }
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
        outcome: Outcome = {
            "step": step,
            "status": "skipped",
            "detail": skip,
            "error": None,
            "next_action": "",
            "data": {},
            "evidence": "",
        }
        rt.store.record_step(**record, status="skipped", detail=skip, started_at=started)
        return outcome
    evidence = step_folder(settings, employer.name, month, dry_run, step)
    rt.store.record_step(
        **record, status="running", evidence=str(evidence.folder), started_at=started, finished=False
    )
    try:
        if portal is not None:
            detail, data = await _on_portal(portal, employer, settings, evidence)
        else:
            assert local is not None
            detail, data = await local(employer, settings, evidence.folder)
    except Exception as exc:  # every failure becomes an outcome; a bug must not stop the others
        if not isinstance(exc, AssistError):
            log.exception("%s %s: unexpected error", employer.name, step)
        detail = str(exc) if isinstance(exc, AssistError) else f"internal error: {exc!r}"
        outcome = {
            "step": step,
            "status": status_of(exc),
            "detail": detail,
            "error": type(exc).__name__,
            "next_action": next_action(exc, month),
            "data": _error_data(on_error, employer, settings),
            "evidence": str(evidence.folder),
        }
        log.info("%s %s: %s: %s", employer.name, step, type(exc).__name__, detail)
    else:
        outcome = {
            "step": step,
            "status": "done",
            "detail": detail,
            "error": None,
            "next_action": "",
            "data": data,
            "evidence": str(evidence.folder),
        }
    rt.store.record_step(
        **record,
        status=outcome["status"],
        detail=outcome["detail"],
        error=outcome["error"],
        next_action=outcome["next_action"],
        data=outcome["data"],
        evidence=outcome["evidence"],
        started_at=started,
    )
    return outcome


def _error_data(on_error: ErrorData | None, employer: EmployerSettings, settings: Settings) -> dict[str, Any]:
    if on_error is None:
        return {}
    try:
        return on_error(employer, settings)
    except Exception:  # the failure itself is what the report must show; this is only extra detail
        log.exception("%s: could not gather the failed step's data", employer.name)
        return {}


async def _on_portal(
    work: PortalWork, employer: EmployerSettings, settings: Settings, evidence: Evidence
) -> Result:
    """The work under the breaker, the session cap and the retry policy, a fresh context per attempt;
    an application error that outlives the retries counts towards the breaker."""
    rt = runtime.current()
    rt.breaker.check()
    try:
        result = await on_portal(
            rt.browser,
            evidence,
            employer,
            settings,
            work,
            sessions=rt.sessions,
            before_attempt=rt.breaker.check,
        )
    except CircuitOpen:
        raise
    except AssistError as exc:
        if exc.retryable:
            rt.breaker.failure(f"{employer.name}: {type(exc).__name__}: {exc}")
        raise
    rt.breaker.success()
    return result
