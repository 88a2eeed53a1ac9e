"""The checkpointed steps of an employer's month, each calling one flow (or the contribution library).

A step's outcome is stored by DBOS when it returns (its JSON form, bot/workflows/outcomes.py): after
a crash the workflow replays it instead of running it again. Each step is a typed function over a
DBOS step of the same name; it takes what the step before it handed on (the submit step the checked
text file, the pay step the submission) and returns a `StepOutcome`. Portal steps share the workflow
attempt's portal session (one context, one login; bot/workflows/execution.py), so nothing of the
browser is checkpointed and a resumed workflow logs in afresh.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from dbos import DBOS

from bot.core.browser import EmployerSession
from bot.core.contributions import (
    CheckedFile,
    CheckedFileChanged,
    Month,
    Scheme,
    check_foreign_textfile,
    check_payroll,
    import_payroll,
)
from bot.core.contributions.checked import sha256_of
from bot.core.errors import BusinessError, ConfigError
from bot.core.ledger import Ledger
from bot.core.settings import EmployerSettings, Settings
from bot.workflows import runtime
from bot.workflows.execution import perform
from bot.workflows.outcomes import EmployeesSynced, Paid, Stale, StepOutcome, Submitted, TextfileBuilt
from flows.contribution import contribute, prepare_checked
from flows.employee_registration import open_registration
from flows.employee_sync import apply_plan, plan_sync
from flows.login import log_in
from flows.payment import pay_month

FILE_PREFIX = {"socso": "SOCSO", "eis": "EIS", "socso+eis": "SOCSO_EIS"}
SYNC_OCCUPATION = "EMPLOYEE"  # the payroll has no occupation; `employees sync` uses the same default


async def sync_employees(employer: str, month: str, dry_run: bool) -> StepOutcome[EmployeesSynced]:
    """Bring the portal's Employee List in line with the payroll (flows/employee_sync.py), when the
    portfolio asks for it (`sync_employees = true`): joiners registered, leavers' resign dates recorded."""
    return StepOutcome.load(await _sync_employees(employer, month, dry_run))


@DBOS.step(name="assist.employees")
async def _sync_employees(employer: str, month: str, dry_run: bool) -> dict[str, Any]:
    if not runtime.current().settings.employer(employer).sync_employees:
        skipped = await perform("employees", employer, month, dry_run, skip="employee sync not configured")
        return skipped.as_dict()
    if dry_run:
        return (
            await perform("employees", employer, month, dry_run, skip="dry run: employees not synced")
        ).as_dict()

    async def sync(session: EmployerSession, e: EmployerSettings, s: Settings) -> tuple[str, EmployeesSynced]:
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
        return outcome.summary(), EmployeesSynced(
            len(plan.joiners), len(plan.leavers), tuple(outcome.done), tuple(plan.notes)
        )

    return (await perform("employees", employer, month, dry_run, portal=sync)).as_dict()


def sync_documents(employer: EmployerSettings) -> Path | None:
    """Joiners' and leavers' supporting documents: `documents/` beside the payroll, named after each
    employee's ID (e.g. 930722105540-mykad.pdf), as for `assist-bot employees sync --documents`."""
    folder = employer.payroll.parent / "documents" if employer.payroll is not None else None
    return folder if folder is not None and folder.is_dir() else None


async def build_textfile(employer: str, month: str, dry_run: bool) -> StepOutcome[TextfileBuilt]:
    """Build the month's text file from the employer's payroll and check it with the reader."""
    return StepOutcome.load(await _build_textfile(employer, month, dry_run))


@DBOS.step(name="assist.textfile")
async def _build_textfile(employer: str, month: str, dry_run: bool) -> dict[str, Any]:
    async def build(e: EmployerSettings, s: Settings, folder: Path) -> tuple[str, TextfileBuilt]:
        contribution_month = Month.parse(month)
        target = folder / f"{FILE_PREFIX[e.scheme]}_{contribution_month.mmyyyy}.txt"
        if e.textfile is not None:  # payroll software's own file: checked, made canonical
            checked = check_foreign_textfile(
                e.textfile,
                target,
                employer_code=e.employer_code,
                month=contribution_month,
                scheme=Scheme(e.scheme),
            )
        elif e.payroll is not None:
            checked = check_payroll(
                e.payroll,
                target,
                employer_code=e.employer_code,
                month=contribution_month,
                scheme=Scheme(e.scheme),
            )
        else:
            raise ConfigError(
                f'employer {e.name} has no payroll: add payroll = "FILE.csv" (or textfile = "FILE.txt",'
                " the file your payroll software writes) to the portfolio"
            )
        detail = f"{checked.kind} file, {checked.employees} employees, RM{checked.total / 100:,.2f}"
        return detail, TextfileBuilt(checked)

    return (await perform("textfile", employer, month, dry_run, local=build)).as_dict()


async def submit_contribution(
    employer: str, month: str, dry_run: bool, textfile: TextfileBuilt | None
) -> StepOutcome[Submitted]:
    """Submit the checked text file of the textfile step (QRG 4, flows/contribution.py) and read back
    the ACR/ECR, with their PDFs. A payroll changed since it was checked stops the step, nothing sent."""
    return StepOutcome.load(await _submit_contribution(employer, month, dry_run, textfile))


@DBOS.step(name="assist.submit")
async def _submit_contribution(
    employer: str, month: str, dry_run: bool, textfile: TextfileBuilt | None
) -> dict[str, Any]:
    if dry_run:
        return (await perform("submit", employer, month, dry_run, skip="dry run: not submitted")).as_dict()

    async def submit(session: EmployerSession, e: EmployerSettings, s: Settings) -> tuple[str, Submitted]:
        if textfile is None:
            raise BusinessError(f"{month}: the textfile step handed on no checked file: nothing to submit")
        try:
            checked = the_checked_file(textfile.checked, session.evidence.folder)
            # The checked file's own lines (upload) and entries (data entry), verified now and again
            # right before they are sent (flows/contribution.py).
            prepared = prepare_checked(checked, None, s)
            # Looks for the month's ACR/ECR first: a resumed or retried step never submits twice.
            outcome = await contribute(
                session, e, s, month=Month.parse(month), scheme=e.scheme, prepared=prepared
            )
        except CheckedFileChanged as exc:
            raise Stale(
                f"{exc}: nothing was submitted; the rerun builds and checks the file again", "textfile"
            ) from exc
        documents = tuple(d.as_dict() for d in outcome.documents)
        sent = textfile.checked.sha256 if outcome.submitted else ""
        return outcome.detail(), Submitted(outcome.submitted, outcome.mode, documents, sent)

    return (await perform("submit", employer, month, dry_run, portal=submit)).as_dict()


def the_checked_file(checked: CheckedFile, folder: Path) -> CheckedFile:
    """The file the textfile step checked, byte for byte. Its copy in that step's evidence has its
    MyKad numbers masked once the step ends (bot/core/evidence.py: no full MyKad kept in evidence),
    so the file is made again here from the same payroll: it must hash to what was checked, from a
    payroll that hashes to what it was built from; else CheckedFileChanged and nothing is sent."""
    kept = Path(checked.path)
    if kept.is_file() and sha256_of(kept) == checked.sha256:
        return checked
    if not Path(checked.source).is_file() or sha256_of(checked.source) != checked.source_sha256:
        raise CheckedFileChanged(
            f"the payroll {checked.source} changed since the text file was checked at {checked.checked_at}"
        )
    build = check_payroll if checked.source_type == "payroll" else check_foreign_textfile
    again = build(
        checked.source,
        folder / kept.name,
        employer_code=checked.employer_code,
        month=Month.parse(checked.month),
        scheme=checked.scheme,
        format_version=checked.format_version,
    )
    if again.sha256 != checked.sha256 or again.source_sha256 != checked.source_sha256:
        raise CheckedFileChanged(
            f"the payroll {checked.source} no longer gives the text file checked at {checked.checked_at}"
        )
    return replace(checked, path=again.path)


async def pay(employer: str, month: str, dry_run: bool, submission: Submitted | None) -> StepOutcome[Paid]:
    """Pay the month's contributions with the employer's method and collect the receipts."""
    return StepOutcome.load(await _pay(employer, month, dry_run, submission))


@DBOS.step(name="assist.pay")
async def _pay(employer: str, month: str, dry_run: bool, submission: Submitted | None) -> dict[str, Any]:
    rt = runtime.current()
    if dry_run:
        return (await perform("pay", employer, month, dry_run, skip="dry run: not paid")).as_dict()
    code = rt.settings.employer(employer).employer_code
    # Read at the step, not passed in: a rerun with --pay must pay a month first run with --no-pay.
    if not rt.store.pay_requested(code, month, dry_run):
        return (await perform("pay", employer, month, dry_run, skip="not paid (--no-pay)")).as_dict()

    async def pay_now(session: EmployerSession, e: EmployerSettings, s: Settings) -> tuple[str, Paid]:
        wanted = submission.numbers if submission is not None else set()
        if not wanted:
            raise BusinessError(f"{month}: the submit step read back no ACR/ECR, so there is nothing to pay")
        # flows/payment.py logs in, reconciles the ledger first and pays only what is unpaid and unclaimed.
        paid = await pay_month(session, e, s, Month.parse(month))
        covered = set(paid.already_paid).union(*(entry.documents for entry in paid.made))
        if not wanted <= covered:
            raise BusinessError(
                f"{month}: paid {', '.join(sorted(covered)) or 'nothing'}, but the submission's documents"
                f" are {', '.join(sorted(wanted))}: check the Payment page"
            )
        return paid.detail(), Paid(
            paid.method,
            month_payments(e, s, month),
            tuple(paid.already_paid),
            tuple(str(f) for f in paid.files),
        )

    def unfinished(e: EmployerSettings, s: Settings) -> Paid:
        return Paid(e.payment_method or "", month_payments(e, s, month))

    return (await perform("pay", employer, month, dry_run, portal=pay_now, on_error=unfinished)).as_dict()


def month_payments(employer: EmployerSettings, settings: Settings, month: str) -> tuple[dict[str, Any], ...]:
    """The ledger's payments of the employer's month (this run's and earlier runs'), for the report:
    a rerun that finds the month paid still shows the references, and a payment left to a person
    (awaiting an authoriser, EFT to transfer) shows what it is waiting on."""
    ledger = Ledger.of(settings)
    try:
        entries = ledger.entries(employer.employer_code, month)
    finally:
        ledger.close()
    return tuple(e.as_dict() for e in entries)
