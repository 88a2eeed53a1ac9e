"""The checkpointed steps of an employer's month, each calling one flow (or the contribution library).

A step's outcome is stored by DBOS when it returns: after a crash the workflow replays it instead
of running it again. Steps take only names and JSON (browser objects cannot be checkpointed) and
open their own browser context, logging in again, so a resumed workflow needs nothing from before.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dbos import DBOS

from bot.core.browser import EmployerSession
from bot.core.contributions import (
    Month,
    Scheme,
    check_textfile,
    compute,
    import_payroll,
    kind_of,
    render,
    write_textfile,
)
from bot.core.errors import ConfigError
from bot.core.ledger import Ledger
from bot.core.settings import EmployerSettings, Settings
from bot.workflows import runtime
from bot.workflows.execution import Outcome, Result, perform
from flows.contribution import contribute, prepare
from flows.employee_registration import open_registration
from flows.employee_sync import apply_plan, plan_sync
from flows.login import log_in
from flows.payment import pay_month

FILE_PREFIX = {"socso": "SOCSO", "eis": "EIS", "socso+eis": "SOCSO_EIS"}
SYNC_OCCUPATION = "EMPLOYEE"  # the payroll has no occupation; `employees sync` uses the same default


@DBOS.step(name="assist.employees")
async def sync_employees(employer: str, month: str, dry_run: bool) -> Outcome:
    """Bring the portal's Employee List in line with the payroll (flows/employee_sync.py), when the
    portfolio asks for it (`sync_employees = true`): joiners registered, leavers' resign dates recorded."""
    if not runtime.current().settings.employer(employer).sync_employees:
        return await perform("employees", employer, month, dry_run, skip="employee sync not configured")
    if dry_run:
        return await perform("employees", employer, month, dry_run, skip="dry run: employees not synced")

    async def sync(session: EmployerSession, e: EmployerSettings, s: Settings) -> Result:
        if e.payroll is None:
            raise ConfigError(
                f'employer {e.name} has sync_employees but no payroll: add payroll = "FILE.csv"'
            )
        rows = import_payroll(e.payroll, Month.parse(month))
        registration = await open_registration(await log_in(session, e, s))
        plan = plan_sync(rows, await (await registration.open_employee_list()).employees())
        await registration.reopen()
        # Planned from the portal every time: a retried or resumed step does only what is left.
        outcome = await apply_plan(session, registration, plan, SYNC_OCCUPATION, sync_documents(e))
        return outcome.summary(), {
            "registered": len(plan.joiners),
            "terminated": len(plan.leavers),
            "changes": outcome.done,
            "notes": plan.notes,
        }

    return await perform("employees", employer, month, dry_run, portal=sync)


def sync_documents(employer: EmployerSettings) -> Path | None:
    """Joiners' and leavers' supporting documents: `documents/` beside the payroll, named after each
    employee's ID (e.g. 930722105540-mykad.pdf), as for `assist-bot employees sync --documents`."""
    folder = employer.payroll.parent / "documents" if employer.payroll is not None else None
    return folder if folder is not None and folder.is_dir() else None


@DBOS.step(name="assist.textfile")
async def build_textfile(employer: str, month: str, dry_run: bool) -> Outcome:
    """Build the month's text file from the employer's payroll and check it with the reader."""

    async def build(e: EmployerSettings, s: Settings, folder: Path) -> Result:
        if e.payroll is None:
            raise ConfigError(f'employer {e.name} has no payroll: add payroll = "FILE.csv" to the portfolio')
        contribution_month = Month.parse(month)
        lines = compute(import_payroll(e.payroll, contribution_month), contribution_month)
        scheme = Scheme(e.scheme)
        kind = kind_of(scheme, None, contribution_month)
        rendered = render(lines, employer_code=e.employer_code, month=contribution_month, kind=kind)
        target = folder / f"{FILE_PREFIX[e.scheme]}_{contribution_month.mmyyyy}.txt"
        write_textfile(target, rendered)
        checked = check_textfile(target, scheme=scheme)
        totals = rendered.totals.as_dict()
        detail = f"{kind} file, {len(checked.records)} employees, RM{totals['total'] / 100:,.2f}"
        return detail, {
            "file": str(target),
            "kind": str(kind),
            "payroll": str(e.payroll),
            "employees": len(checked.records),
            "totals_sen": totals,
        }

    return await perform("textfile", employer, month, dry_run, local=build)


@DBOS.step(name="assist.submit")
async def submit_contribution(employer: str, month: str, dry_run: bool, textfile: dict[str, Any]) -> Outcome:
    """Submit the month (QRG 4, flows/contribution.py) and read back the ACR/ECR, with their PDFs."""
    if dry_run:
        return await perform("submit", employer, month, dry_run, skip="dry run: not submitted")

    async def submit(session: EmployerSession, e: EmployerSettings, s: Settings) -> Result:
        contribution_month = Month.parse(month)
        prepared = prepare(e, contribution_month, e.scheme, None, None, s)
        # Looks for the month's ACR/ECR first: a resumed or retried step never submits twice.
        outcome = await contribute(
            session, e, s, month=contribution_month, scheme=e.scheme, prepared=prepared
        )
        documents = [d.as_dict() for d in outcome.documents]
        data: dict[str, Any] = {
            "submitted": outcome.submitted,
            "mode": outcome.mode,
            "documents": documents,
            "files": [d["pdf"] for d in documents if d["pdf"]],
        }
        for d in documents:
            data[str(d["type"]).lower()] = d["number"]
        return outcome.detail(), data

    return await perform("submit", employer, month, dry_run, portal=submit)


@DBOS.step(name="assist.pay")
async def pay(employer: str, month: str, dry_run: bool, submission: dict[str, Any]) -> Outcome:
    """Pay the month's contributions with the employer's method and collect the receipts."""
    rt = runtime.current()
    if dry_run:
        return await perform("pay", employer, month, dry_run, skip="dry run: not paid")
    code = rt.settings.employer(employer).employer_code
    # Read at the step, not passed in: a rerun with --pay must pay a month first run with --no-pay.
    if not rt.store.pay_requested(code, month, dry_run):
        return await perform("pay", employer, month, dry_run, skip="not paid (--no-pay)")

    async def pay_now(session: EmployerSession, e: EmployerSettings, s: Settings) -> Result:
        # flows/payment.py logs in, reconciles the ledger first and pays only what is unpaid and unclaimed.
        paid = await pay_month(session, e, s, Month.parse(month))
        return paid.detail(), {
            "method": paid.method,
            "already_paid": paid.already_paid,
            **month_payments(e, s, month),
            "files": [str(f) for f in paid.files],
        }

    def unfinished(e: EmployerSettings, s: Settings) -> dict[str, Any]:
        return {"method": e.payment_method, **month_payments(e, s, month)}

    return await perform("pay", employer, month, dry_run, portal=pay_now, on_error=unfinished)


def month_payments(employer: EmployerSettings, settings: Settings, month: str) -> dict[str, Any]:
    """The ledger's payments of the employer's month (this run's and earlier runs'), for the report:
    a rerun that finds the month paid still shows the references, and a payment left to a person
    (awaiting an authoriser, EFT to transfer) shows what it is waiting on."""
    ledger = Ledger.of(settings)
    try:
        entries = ledger.entries(employer.employer_code, month)
    finally:
        ledger.close()
    return {"payments": [e.as_dict() for e in entries]}
