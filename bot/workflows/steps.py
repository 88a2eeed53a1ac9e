"""The checkpointed steps of an employer's month, each calling one flow (or the contribution library).

A step's outcome is stored by DBOS when it returns: after a crash the workflow replays it instead
of running it again. Steps take only names and JSON (browser objects cannot be checkpointed) and
open their own browser context, logging in again, so a resumed workflow needs nothing from before.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from dbos import DBOS

from bot.browser import EmployerSession
from bot.contributions import (Month, Scheme, check_textfile, compute, import_payroll, kind_of, render,
                               write_textfile)
from bot.errors import ConfigError
from bot.settings import EmployerSettings, Settings
from bot.workflows import runtime
from bot.workflows.execution import Outcome, Result, perform
from flows.contribution import contribute, prepare
from flows.payment import pay_month

FILE_PREFIX = {"socso": "SOCSO", "eis": "EIS", "socso+eis": "SOCSO_EIS"}


@DBOS.step(name="assist.employees")
async def sync_employees(employer: str, month: str, dry_run: bool) -> Outcome:
    """Bring the portal's employee list in line with the employer's (when one is configured)."""
    async def nothing_to_do(e: EmployerSettings, s: Settings, folder: Path) -> Result:
        return "no employee list configured: nothing to sync", {"skipped": True}

    return await perform("employees", employer, month, dry_run, local=nothing_to_do)


@DBOS.step(name="assist.textfile")
async def build_textfile(employer: str, month: str, dry_run: bool) -> Outcome:
    """Build the month's text file from the employer's payroll and check it with the reader."""
    async def build(e: EmployerSettings, s: Settings, folder: Path) -> Result:
        if e.payroll is None:
            raise ConfigError(f"employer {e.name} has no payroll: add payroll = \"FILE.csv\" to the portfolio")
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
        return detail, {"file": str(target), "kind": str(kind), "payroll": str(e.payroll),
                        "employees": len(checked.records), "totals_sen": totals}

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
        outcome = await contribute(session, e, s, month=contribution_month, scheme=e.scheme, prepared=prepared)
        documents = [d.as_dict() for d in outcome.documents]
        data: dict[str, Any] = {"submitted": outcome.submitted, "mode": outcome.mode, "documents": documents,
                                "files": [d["pdf"] for d in documents if d["pdf"]]}
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
        return paid.detail(), {"method": paid.method, "already_paid": paid.already_paid,
                               "payments": [p.as_dict() for p in paid.made], "files": [str(f) for f in paid.files]}

    return await perform("pay", employer, month, dry_run, portal=pay_now)
