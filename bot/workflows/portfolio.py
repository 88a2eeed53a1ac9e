"""A portfolio's month: per employer, start, resume, retry or skip its workflow; then wait.

- never started: enqueue `monthly:<code>:<month>`;
- queued or running (another process, or recovered after a crash): wait for it;
- finished done: skipped ("already done"), unless it was run with --no-pay and now must pay;
- finished otherwise (failed, needs a person, unknown outcome, or stopped by the breaker): fork it
  from its first step that is not done, as `…:attempt-N`: done steps are replayed, never repeated;
- cancelled: resumed.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bot.core.errors import TryLater
from bot.core.runs import EmployerRun
from bot.core.settings import EmployerSettings
from bot.reports import model
from bot.workflows import dbos_seam, runtime
from bot.workflows.breaker import CircuitOpen
from bot.workflows.monthly import dry_run_id, monthly_run, workflow_id

log = logging.getLogger(__name__)

ACTIVE = ("PENDING", "ENQUEUED", "DELAYED")


@dataclass
class Plan:
    employer: EmployerSettings
    action: str  # start, wait, retry, resume, skip
    workflow_id: str
    attempt: int
    month: str = ""
    dry_run: bool = False
    fork_from: str = ""  # retry: the workflow it forks
    start_step: int = 0  # retry: the first step of it that is not done

    def record(self) -> dict[str, Any]:
        """As a checkpointed step's output: the employer by name."""
        return {
            "employer": self.employer.name,
            "action": self.action,
            "workflow_id": self.workflow_id,
            "attempt": self.attempt,
            "month": self.month,
            "dry_run": self.dry_run,
            "fork_from": self.fork_from,
            "start_step": self.start_step,
        }

    @classmethod
    def of(cls, record: dict[str, Any], employer: EmployerSettings) -> Plan:
        return cls(employer, **{k: v for k, v in record.items() if k != "employer"})


async def _first_unfinished_step(wid: str) -> int:
    """The DBOS function id to fork from: the first step whose outcome is not done (a skipped
    payment counts as not done: a later --pay run must pay; other skips are final)."""
    steps = await dbos_seam.steps(wid)
    for step in steps:
        outcome = step.output if isinstance(step.output, dict) else {}
        status = outcome.get("status")
        finished = status == "done" or (status == "skipped" and outcome.get("step") != "pay")
        if step.failed or not finished:
            # A step that found an earlier one's hand-over stale (a changed payroll) names where to restart.
            again = outcome.get("restart_at")
            return next((s.function_id for s in steps if again and _step_of(s) == again), step.function_id)
    return max((s.function_id for s in steps), default=0) + 1


def _step_of(step: Any) -> str | None:
    return step.output.get("step") if isinstance(step.output, dict) else None


def _needs_payment(output: Any) -> bool:
    steps = output.get("steps", []) if isinstance(output, dict) else []
    return any(s.get("step") == "pay" and s.get("status") == "skipped" for s in steps)


async def plan_employer(
    employer: EmployerSettings, month: str, pay: bool, previous: EmployerRun | None
) -> Plan:
    code = employer.employer_code
    if previous is None:
        return Plan(employer, "start", workflow_id(code, month), 1)
    status = await dbos_seam.status(previous.workflow_id)
    if status is None:
        return Plan(employer, "start", previous.workflow_id, previous.attempt)
    if status.status in ACTIVE:
        return Plan(employer, "wait", previous.workflow_id, previous.attempt)
    if status.status == "CANCELLED":
        return Plan(employer, "resume", previous.workflow_id, previous.attempt)
    output = status.output
    done = status.status == "SUCCESS" and isinstance(output, dict) and output.get("status") == "done"
    if done and not (pay and _needs_payment(output)):
        return Plan(employer, "skip", previous.workflow_id, previous.attempt)
    return Plan(employer, "retry", workflow_id(code, month, previous.attempt + 1), previous.attempt + 1)


async def plan(
    employers: Sequence[EmployerSettings], month: str, *, pay: bool, dry_run: bool, run_id: str
) -> list[Plan]:
    """Decide each employer's action and mark the ones to start as queued in the run tables.
    Starts nothing: a scheduled firing checkpoints this as a step, then `start`s what it decided."""
    rt = runtime.current()
    store = rt.store
    previous = {r.employer_code: r for r in store.employer_runs(month, dry_run=False)}
    plans: list[Plan] = []
    for employer in employers:
        code = employer.employer_code
        if dry_run:
            plan = Plan(employer, "start", dry_run_id(code, month, run_id), 1)
        else:
            plan = await plan_employer(employer, month, pay, previous.get(code))
        plan.month, plan.dry_run = month, dry_run
        if plan.action == "retry":
            plan.fork_from = previous[code].workflow_id
            plan.start_step = await _first_unfinished_step(plan.fork_from)
        plans.append(plan)
        if plan.action in ("skip", "wait"):
            log.info("%s %s: %s (%s)", employer.name, month, plan.action, plan.workflow_id)
            continue
        store.queue_employer(
            code=code,
            month=month,
            dry_run=dry_run,
            employer=employer.name,
            workflow_id=plan.workflow_id,
            attempt=plan.attempt,
            pay=pay,
        )
    return plans


async def start(plans: Sequence[Plan]) -> None:
    """Enqueue, fork or resume what `plan` decided (ids are fixed: nothing starts twice)."""
    for plan in plans:
        if plan.action == "resume":
            await dbos_seam.resume(plan.workflow_id)
        elif plan.action == "retry":
            await dbos_seam.fork(plan.fork_from, plan.workflow_id, plan.start_step)
            log.info(
                "%s %s: retrying from step %d as %s",
                plan.employer.name,
                plan.month,
                plan.start_step,
                plan.workflow_id,
            )
        elif plan.action == "start":
            await dbos_seam.enqueue(
                plan.workflow_id, monthly_run, plan.employer.name, plan.month, plan.dry_run
            )


async def submit(
    employers: Sequence[EmployerSettings], month: str, *, pay: bool, dry_run: bool, run_id: str
) -> list[Plan]:
    """Decide and enqueue (or fork, resume) each employer's workflow; returns what was decided."""
    plans = await plan(employers, month, pay=pay, dry_run=dry_run, run_id=run_id)
    await start(plans)
    return plans


async def wait(plans: Sequence[Plan]) -> None:
    """Until every planned workflow has finished (skipped ones are finished already)."""

    async def one(plan: Plan) -> None:
        if plan.action == "skip":
            return
        try:
            await dbos_seam.result(plan.workflow_id)
        except Exception as exc:  # a workflow that raised is a bug; its employer shows as failed
            log.error(
                "%s: workflow %s ended with %s: %s",
                plan.employer.name,
                plan.workflow_id,
                type(exc).__name__,
                exc,
            )

    await asyncio.gather(*(one(p) for p in plans))


def breaker_stop(runs: Sequence[EmployerRun]) -> str:
    """Why a circuit breaker stopped (part of) the month, "" when none did: this process's breaker,
    or a worker's (PostgreSQL), seen in the employers whose step was not attempted."""
    rt = runtime.current()
    if rt.breaker.is_open:
        return "; ".join(rt.breaker.reasons)
    stopped = [
        (r, s)
        for r in runs
        if r.status != "done"
        for s in r.steps
        if s.step == r.step and s.error == CircuitOpen.__name__
    ]
    if not stopped:
        return ""
    first = stopped[0][1]
    return f"{len(stopped)} employer(s) not attempted: {first.detail}"


def exit_code(report: model.RunReport) -> int:
    """The report's exit code (CONTRACT.md), except 75 (try later) when the breaker stopped the run:
    the portal looked down, and the rerun picks up whoever was not attempted."""
    if report.breaker and report.exit_code != 0:
        return TryLater.exit_code
    return report.exit_code
