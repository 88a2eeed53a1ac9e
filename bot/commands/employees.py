"""`assist-bot employees add|terminate|sync`: keep the portal's employees in step with the payroll
(QRG 10 register an employee, QRG 11 record a resign date, and the two driven by a payroll)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from bot.commands.output import finish_with_results
from bot.core.browser import EmployerSession
from bot.core.contributions import Month, import_payroll
from bot.core.errors import ConfigError
from bot.core.registration import REASONS, NewEmployee, Termination, parse_documents
from bot.core.settings import EmployerSettings, Settings, load_settings
from bot.runner import Work, run_for_employers
from flows.employee_registration import add_employee, open_registration
from flows.employee_sync import apply_plan, plan_sync
from flows.employee_termination import terminate_employee
from flows.login import log_in
from flows.pages.registration import RegistrationPage

app = typer.Typer(
    help=(
        "Register and terminate employees on ASSIST (QRG 10, QRG 11), one at a time or by comparing "
        "a payroll with the portal's Employee List (sync).\n\n"
        "Try: assist-bot employees sync --employer halim --payroll payroll.csv --dry-run"
    ),
    no_args_is_help=True,
)
EMPLOYER = Annotated[str, typer.Option("--employer", "-e", help="Employer name from the portfolio.")]
JSON = Annotated[bool, typer.Option("--json", help="Print one JSON document instead of a table.")]
DOCUMENT_HELP = (
    "Supporting document, [TYPE=]PATH (repeatable); TYPE is the portal's document type, "
    "e.g. 'Copy of MyKad', 'Passport', 'Resignation Letter' (default by the case)."
)


def _day(value: str, option: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ConfigError(f"{option} {value!r}: expected YYYY-MM-DD") from None


Task = Callable[[EmployerSession, RegistrationPage], Awaitable[str]]


def _in_registration(task: Task) -> Work:
    """The runner's work: log in (QRG 1), open `My Sites` → `Registration`, then `task`."""

    async def work(session: EmployerSession, employer: EmployerSettings, settings: Settings) -> str:
        return await task(session, await open_registration(await log_in(session, employer, settings)))

    return work


def _run(settings: Settings, employer: str, task: Task, title: str, as_json: bool) -> None:
    results = asyncio.run(run_for_employers(settings, [settings.employer(employer)], _in_registration(task)))
    finish_with_results(title, results, as_json)


@app.command("add")
def add(
    ctx: typer.Context,
    employer: EMPLOYER,
    id_number: Annotated[str, typer.Option("--id", help="MyKad number, or passport number with --foreign.")],
    start_date: Annotated[str, typer.Option(help="Employment start date, YYYY-MM-DD.")],
    occupation: Annotated[str, typer.Option(help="Occupation as the portal should show it.")],
    document: Annotated[list[str], typer.Option(help=DOCUMENT_HELP)],
    foreign: Annotated[
        bool, typer.Option("--foreign", help="A foreign worker (ADD FOREIGN EMPLOYEE).")
    ] = False,
    name: Annotated[str | None, typer.Option(help="Needed when PERKESO does not know the person.")] = None,
    date_of_birth: Annotated[str | None, typer.Option(help="YYYY-MM-DD (a MyKad gives it).")] = None,
    gender: Annotated[str | None, typer.Option(help="M or F (a MyKad gives it).")] = None,
    citizenship: Annotated[str, typer.Option(help="citizen or pr (local employees).")] = "citizen",
    nationality: Annotated[str | None, typer.Option(help="Foreign worker's nationality, e.g. NEPAL.")] = None,
    permit_no: Annotated[str | None, typer.Option(help="Foreign worker's permit (PLKS) number.")] = None,
    permit_expiry: Annotated[str | None, typer.Option(help="Permit expiry date, YYYY-MM-DD.")] = None,
    wages: Annotated[float | None, typer.Option(help="Monthly wages in RM.")] = None,
    domestic: Annotated[bool, typer.Option("--domestic", help="A domestic employee.")] = False,
    as_json: JSON = False,
) -> None:
    """Register one employee with the employer (QRG 10): the portal fills in a person it knows;
    otherwise the details given here register a new person. Prints the case reference number."""
    if gender not in (None, "M", "F") or citizenship not in ("citizen", "pr"):
        raise ConfigError("--gender is M or F; --citizenship is citizen or pr")
    newcomer = NewEmployee(
        id_number=id_number,
        foreign=foreign,
        employment_date=_day(start_date, "--start-date"),
        occupation=occupation,
        documents=parse_documents(document, foreign),
        name=name,
        date_of_birth=_day(date_of_birth, "--date-of-birth") if date_of_birth else None,
        gender=gender,  # type: ignore[arg-type]  # checked above: M, F or None
        citizenship=citizenship,  # type: ignore[arg-type]  # checked above: citizen or pr
        nationality=nationality,
        permit_no=permit_no,
        permit_expiry=_day(permit_expiry, "--permit-expiry") if permit_expiry else None,
        wages_sen=round(wages * 100) if wages is not None else None,
        domestic=domestic,
    )

    async def task(session: EmployerSession, registration: RegistrationPage) -> str:
        added = await add_employee(session, registration, newcomer)
        socso = f", SOCSO No. {added.socso_no}" if added.socso_no else ""
        return f"registered {added.id_number}: case {added.case_reference}{socso}"

    _run(load_settings(ctx.obj["portfolio"]), employer, task, "employees add", as_json)


@app.command("terminate")
def terminate(
    ctx: typer.Context,
    employer: EMPLOYER,
    resign_date: Annotated[str, typer.Option("--date", help="Resign date, YYYY-MM-DD.")],
    reason: Annotated[str, typer.Option(help="resigned, retired, end-of-contract, dismissed or died.")],
    document: Annotated[list[str], typer.Option(help=DOCUMENT_HELP)],
    employee: Annotated[str | None, typer.Option(help="IC / passport, SOCSO number or full name.")] = None,
    all_: Annotated[bool, typer.Option("--all", help="Every active employee leaves on this date.")] = False,
    as_json: JSON = False,
) -> None:
    """Record an employee's resign date (QRG 11); prints the case update number. The employee
    leaves the contribution list from the month after the date."""
    if reason not in REASONS:
        raise ConfigError(f"--reason {reason!r}: one of {', '.join(REASONS)}")
    if bool(employee) == all_:
        raise ConfigError("say who leaves: --employee ID (or name, or SOCSO number) or --all")
    chosen_reason = reason  # narrowed to a Reason by the check against REASONS above
    termination = Termination(
        employee, _day(resign_date, "--date"), chosen_reason, parse_documents(document, None, chosen_reason)
    )

    async def task(session: EmployerSession, registration: RegistrationPage) -> str:
        reference = await terminate_employee(session, registration, termination)
        return f"resign date {termination.resign_date} recorded: case update {reference}"

    _run(load_settings(ctx.obj["portfolio"]), employer, task, "employees terminate", as_json)


@app.command("sync")
def sync(
    ctx: typer.Context,
    employer: EMPLOYER,
    payroll: Annotated[Path | None, typer.Option(help="Payroll CSV/XLSX (default: the portfolio's).")] = None,
    month: Annotated[str | None, typer.Option(help="Payroll month YYYY-MM (default: this month).")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Print the plan only; change nothing.")] = False,
    documents: Annotated[
        Path | None,
        typer.Option(
            help="Folder of supporting documents named after each employee's ID (e.g. 900101145677-mykad.pdf)."
        ),
    ] = None,
    occupation: Annotated[
        str, typer.Option(help="Occupation for joiners (the payroll has none).")
    ] = "EMPLOYEE",
    as_json: JSON = False,
) -> None:
    """Compare the payroll with the portal's Employee List; register the joiners (status B, or
    not yet on the portal) and record the leavers' resign dates (status H or M with status_date).
    Employees on the portal but not in the payroll are reported, never terminated."""
    settings = load_settings(ctx.obj["portfolio"])
    chosen = settings.employer(employer)
    path = payroll or chosen.payroll
    if path is None:
        raise ConfigError(f"no payroll: pass --payroll FILE or set payroll for {employer} in the portfolio")
    try:
        period = Month.parse(month) if month else Month.of(date.today())
    except ValueError as exc:
        raise ConfigError(f"--month: {exc}") from None
    if documents is not None and not documents.is_dir():
        raise ConfigError(f"--documents {documents}: not a folder")
    rows = import_payroll(path, period)  # PayrollError (exit 1) lists every problem

    async def task(session: EmployerSession, registration: RegistrationPage) -> str:
        listing = await registration.open_employee_list()
        plan = plan_sync(rows, await listing.employees())
        if dry_run:
            return "dry run: " + ("; ".join(plan.lines()) or "nothing to do")
        await registration.reopen()
        return (await apply_plan(session, registration, plan, occupation, documents)).summary()

    _run(settings, employer, task, "employees sync (dry run)" if dry_run else "employees sync", as_json)
