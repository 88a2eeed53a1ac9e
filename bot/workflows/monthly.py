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
from bot.workflows import runtime
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
    """Do `month` for `employer` (a portfolio name); returns the summary with every step's outcome."""
    rt = runtime.current()
    try:
        code = rt.settings.employer(employer).employer_code
    except ConfigError as exc:
        return {
            "employer": employer,
            "month": month,
            "status": "failed",
            "step": "",
            "detail": str(exc),
            "next_action": "add the employer to this worker's portfolio, then rerun",
            "steps": [],
        }
    outcomes: list[dict[str, Any]] = []

    def ended() -> bool:
        return outcomes[-1]["status"] not in ("done", "skipped")

    outcomes.append(await sync_employees(employer, month, dry_run))
    if not ended():
        outcomes.append(await build_textfile(employer, month, dry_run))
    if not ended():
        outcomes.append(await submit_contribution(employer, month, dry_run, outcomes[-1]["data"]))
    if not ended():
        outcomes.append(await pay(employer, month, dry_run, outcomes[-1]["data"]))
    last = outcomes[-1]
    status = last["status"] if ended() else "done"
    # An employer without employee sync needs no word about it; one with it shows what changed.
    shown = [
        o for o in outcomes if o["detail"] and not (o["step"] == "employees" and o["status"] == "skipped")
    ]
    detail = last["detail"] if ended() else "; ".join(o["detail"] for o in shown)
    rt.store.employer_progress(
        code=code,
        month=month,
        dry_run=dry_run,
        status=status,
        step=last["step"],
        detail=detail,
        next_action=last["next_action"],
        finished=True,
    )
    return {
        "employer": employer,
        "month": month,
        "status": status,
        "step": last["step"],
        "detail": detail,
        "next_action": last["next_action"],
        "steps": outcomes,
    }
