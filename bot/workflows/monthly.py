"""The main job for one employer and one month, as a DBOS workflow.

Workflow id: `monthly:<employer code>:<YYYY-MM>` (a retry after a failure is a fork of it,
`…:attempt-N`, which replays the steps that were done and runs the rest). Steps, in order: sync
employees, build + check the text file, submit and read back ACR/ECR, pay and collect receipts.
The first step that does not end done (or deliberately skipped) ends the workflow: its outcome says
why and what a person does next.
"""

from __future__ import annotations

from typing import Any

from dbos import DBOS

from bot.core.errors import ConfigError
from bot.outcome import Status
from bot.workflows import runtime
from bot.workflows.execution import attempt_session
from bot.workflows.outcomes import MonthOutcome, StepOutcome
from bot.workflows.steps import build_textfile, pay, submit_contribution, sync_employees

WORKFLOW_NAME = "assist.monthly_run"
FINAL = ("done", "failed", "needs-human", "unknown-outcome")


def workflow_id(employer_code: str, month: str, attempt: int = 1) -> str:
    base = f"monthly:{employer_code}:{month}"
    return base if attempt == 1 else f"{base}:attempt-{attempt}"


def dry_run_id(employer_code: str, month: str, run_id: str) -> str:
    return f"dry-run:{employer_code}:{month}:{run_id}"


@DBOS.workflow(name=WORKFLOW_NAME)
async def monthly_run(employer: str, month: str, dry_run: bool = False) -> dict[str, Any]:
    """Do `month` for `employer` (a portfolio name); returns the summary with every step's outcome
    (`MonthOutcome.as_dict()`)."""
    rt = runtime.current()
    try:
        settings = rt.settings.employer(employer)
    except ConfigError as exc:
        return MonthOutcome(
            employer,
            month,
            Status.FAILED,
            "",
            str(exc),
            "add the employer to this worker's portfolio, then rerun",
        ).as_dict()
    # One portal session for the steps of this attempt; logged out when it ends, whatever the outcome.
    async with attempt_session(settings):
        outcomes = await _steps(employer, month, dry_run)
    last = outcomes[-1]
    ended = not last.finished
    status = last.status if ended else Status.DONE
    # An employer without employee sync needs no word about it; one with it shows what changed.
    shown = [o for o in outcomes if o.detail and not (o.step == "employees" and o.status is Status.SKIPPED)]
    detail = last.detail if ended else "; ".join(o.detail for o in shown)
    outcome = MonthOutcome(employer, month, status, last.step, detail, last.next_action, tuple(outcomes))
    await record_month(settings.employer_code, month, dry_run, outcome.as_dict())
    return outcome.as_dict()


async def _steps(employer: str, month: str, dry_run: bool) -> list[StepOutcome[Any]]:
    """The steps in order, each given what the one before handed on; the first not finished ends."""
    employees = await sync_employees(employer, month, dry_run)
    if not employees.finished:
        return [employees]
    textfile = await build_textfile(employer, month, dry_run)
    if not textfile.finished:
        return [employees, textfile]
    submission = await submit_contribution(employer, month, dry_run, textfile.data)
    if not submission.finished:
        return [employees, textfile, submission]
    return [employees, textfile, submission, await pay(employer, month, dry_run, submission.data)]


@DBOS.step(name="assist.month_end")
async def record_month(code: str, month: str, dry_run: bool, outcome: dict[str, Any]) -> dict[str, Any]:
    """Write the month's end to the run tables (a step: a replay does not write it again)."""
    runtime.current().store.employer_progress(
        code=code,
        month=month,
        dry_run=dry_run,
        status=outcome["status"],
        step=outcome["step"],
        detail=outcome["detail"],
        next_action=outcome["next_action"],
        finished=True,
    )
    return {"step": "month", "status": "done"}
