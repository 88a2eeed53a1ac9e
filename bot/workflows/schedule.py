"""The daily schedule: a DBOS scheduled workflow that runs the due month for the portfolio.

`assist-bot schedule` stores the schedule (cron, in the database) and serves it. Each firing is a
workflow `assist.scheduled_month` that plans the due month exactly like `assist-bot run` does
(employers done are skipped, interrupted ones resume, failed ones retry from their failed step), waits
for the employers, then writes the report and sends the notifications. Firing every day is safe:
a month that is done only costs the planning. The due month on day D is the month before D's: its
contributions are due on the 15th of D's month.
"""

from __future__ import annotations

import logging
from datetime import date, datetime
from typing import Any

from dbos import DBOS

from bot.core.contributions import Month
from bot.core.evidence import prune_as_we_go
from bot.reports import files as report_files
from bot.reports import model
from bot.reports.notify import notify
from bot.workflows import dbos_seam, portfolio, runtime
from bot.workflows.execution import month_folder

log = logging.getLogger(__name__)

SCHEDULE_NAME = "assist-monthly-run"
WORKFLOW_NAME = "assist.scheduled_month"


def due_month(day: date) -> str:
    """The contribution month whose deadline is the 15th of `day`'s month (or has just passed)."""
    first = Month.of(day)
    return str(Month(first.year - (first.month == 1), 12 if first.month == 1 else first.month - 1))


@DBOS.step(name="assist.scheduled_report")
async def write_report(month: str, codes: list[str]) -> dict[str, Any]:
    """Build the month's report from the run tables, write it and notify; returns its summary."""
    rt = runtime.current()
    runs = rt.store.employer_runs(month, codes=codes)
    report = model.build(
        runs,
        month,
        warning_days=rt.settings.orchestration.deadline_warning_days,
        breaker=portfolio.breaker_stop(runs),
    )
    written = report_files.write(report, month_folder(rt.settings, month, False))
    prune_as_we_go(rt.settings)  # evidence.keep_days, at every firing; records are never pruned
    sent = notify(rt.settings.notify, report, written)
    log.warning("scheduled run %s: %s; report %s", month, report.summary(), written.html)
    return {
        "month": month,
        "summary": report.summary(),
        "exit_code": portfolio.exit_code(report),
        "report": str(written.html),
        "notified": sent,
    }


@DBOS.step(name="assist.scheduled_plan")
async def plan_month(month: str, names: list[str] | None, pay: bool, run_id: str) -> list[dict[str, Any]]:
    """Decide the firing's employers (checkpointed: a replay of the firing does not plan again)."""
    rt = runtime.current()
    employers = [rt.settings.employer(n) for n in names] if names else list(rt.settings.employers)
    plans = await portfolio.plan(employers, month, pay=pay, dry_run=False, run_id=run_id)
    return [p.record() for p in plans]


@DBOS.workflow(name=WORKFLOW_NAME)
async def scheduled_month(scheduled: datetime, context: Any) -> None:
    """One firing: `context` is {"employers": [names] or None, "pay": bool} from `assist-bot schedule`."""
    rt = runtime.current()
    options = context if isinstance(context, dict) else {}
    month = due_month(scheduled.date())
    # Planned in a step, started from its checkpoint: a replay of this firing (after a crash) starts
    # what was decided, not a new plan; workflow ids are fixed per employer and month, so tomorrow's
    # firing enqueues nothing twice and skips whoever is done.
    decided = await plan_month(
        month, options.get("employers"), bool(options.get("pay", True)), scheduled.strftime("%Y%m%d-%H%M%S")
    )
    plans = [portfolio.Plan.of(d, rt.settings.employer(d["employer"])) for d in decided]
    await portfolio.start(plans)
    await portfolio.wait(plans)
    await write_report(month, [p.employer.employer_code for p in plans])


async def install(cron: str, timezone: str | None, employers: list[str] | None, pay: bool) -> None:
    """Store (or replace) the schedule in the database; any process serving it fires it."""
    await dbos_seam.apply_schedule(
        SCHEDULE_NAME, scheduled_month, cron, timezone, {"employers": employers, "pay": pay}
    )
