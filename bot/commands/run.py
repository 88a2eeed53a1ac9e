"""`assist-bot run`: the month for every employer of the portfolio, durable, then the report.

Exit codes (CONTRACT.md): 0 every employer done; 1 any failed; 2 a person must act or an outcome is
unknown; 64 bad usage or configuration; 75 try again later (another process holds the SQLite
database, or the circuit breaker stopped the run: the portal looked down).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Annotated

import typer

from bot.commands.output import make_console, print_json
from bot.commands.progress import Progress
from bot.core.contributions import Month
from bot.core.errors import ConfigError
from bot.core.evidence import new_run_id, prune_as_we_go
from bot.core.runs import database_url, is_postgres
from bot.core.settings import EmployerSettings, Settings, load_settings
from bot.reports import files as report_files
from bot.reports import model
from bot.reports.notify import notify
from bot.workflows import engine, portfolio
from bot.workflows.execution import month_folder

log = logging.getLogger(__name__)
console = make_console(stderr=True)


def parse_month(text: str) -> str:
    try:
        return str(Month.parse(text))
    except ValueError as exc:
        raise ConfigError(f"--month: {exc}") from exc


def choose(settings: Settings, names: str | None) -> list[EmployerSettings]:
    if names:
        chosen = [settings.employer(n.strip()) for n in names.split(",") if n.strip()]
    else:
        chosen = list(settings.employers)
    if not chosen:
        raise ConfigError(f"the portfolio {settings.portfolio} has no employers")
    return chosen


async def run_month(
    settings: Settings,
    employers: list[EmployerSettings],
    month: str,
    *,
    pay: bool,
    dry_run: bool,
    concurrency: int | None,
    wait: bool,
    show: bool,
) -> model.RunReport:
    """Plan, enqueue, execute (or wait for workers), and build the report from the database."""
    url = database_url(settings)
    role: engine.Role = "enqueue" if is_postgres(url) else "run"
    codes = [e.employer_code for e in employers]
    rt = await engine.start(settings, role, concurrency)  # SQLite: holds the database, else TryLater
    try:
        plans = await portfolio.submit(employers, month, pay=pay, dry_run=dry_run, run_id=new_run_id())
        if role == "enqueue" and not wait:
            console.print(f"Queued {sum(p.action != 'skip' for p in plans)} employers for the workers.")
        else:
            title = f"assist-bot run {month}" + (" (dry run)" if dry_run else "")
            with Progress(
                lambda: rt.store.employer_runs(month, dry_run=dry_run, codes=codes), title, show, console
            ):
                await portfolio.wait(plans)
        runs = rt.store.employer_runs(month, dry_run=dry_run, codes=codes)
        breaker = portfolio.breaker_stop(runs)
    finally:
        await engine.stop(rt)
    return model.build(
        runs,
        month,
        dry_run=dry_run,
        warning_days=settings.orchestration.deadline_warning_days,
        breaker=breaker,
    )


def finish(settings: Settings, report: model.RunReport, *, as_json: bool, quiet: bool, send: bool) -> None:
    """Write the report files, notify, print the summary, exit with the contract's code."""
    written = report_files.write(report, month_folder(settings, report.month, report.dry_run))
    prune_as_we_go(settings)  # evidence.keep_days; records are never pruned
    if send:
        notify(settings.notify, report, written)
    if as_json:
        print_json(
            {
                **report_files.as_document(report),
                "report": {"html": str(written.html), "json": str(written.json), "junit": str(written.junit)},
            }
        )
    elif not quiet:
        out = make_console()
        out.print(report.summary())
        if report.breaker:
            out.print(f"[red]Circuit breaker tripped[/]: {report.breaker}; try again later (exit 75)")
        for line in report.employers:
            if line.needs_attention:
                out.print(
                    f"  [bold]{line.name}[/] {line.status} at {line.step}: {line.detail}\n    next: {line.next_action}"
                )
        out.print(f"Report: {written.html.resolve()}")
    raise typer.Exit(portfolio.exit_code(report))


def run(
    ctx: typer.Context,
    month: Annotated[str, typer.Option(help="Contribution month, YYYY-MM (usually last month).")],
    employers: Annotated[
        str | None,
        typer.Option(
            "--employers", "-e", help="Comma-separated employer names (default: the whole portfolio)."
        ),
    ] = None,
    pay: Annotated[
        bool, typer.Option("--pay/--no-pay", help="Pay after submitting (a later --pay run pays).")
    ] = True,
    concurrency: Annotated[int | None, typer.Option(help="Employers at once in this process.", min=1)] = None,
    dry_run: Annotated[
        bool, typer.Option(help="Build and check the text files only: nothing is submitted or paid.")
    ] = False,
    wait: Annotated[
        bool, typer.Option(help="PostgreSQL: wait for the workers and report (else only enqueue).")
    ] = True,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="No progress table (for cron); the summary still prints.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as one JSON document.")] = False,
) -> None:
    """Do the month for every employer: sync employees, build + check the text file, submit, read back ACR/ECR, pay, keep receipts.

    Each employer is one durable workflow (id monthly:<employer code>:<month>); its steps are
    checkpointed in the database (SQLite in .state/ by default; ASSIST_DATABASE_URL=postgresql://…
    to scale out with `assist-bot worker`). Run the same command again after a crash, a kill or a
    failure: finished employers are skipped, interrupted ones resume, failed ones retry from the step
    that failed; nothing done is ever done twice. A report (HTML, JSON, JUnit XML) is written to
    <evidence>/<month>/ and `assist-bot report` rebuilds it.

    Examples:

      assist-bot --portfolio fixtures/demo/portfolio.toml run --month 2026-10

      assist-bot run --month 2026-10 --employers halim,klinik --no-pay --concurrency 2

      assist-bot run --month 2026-10 --quiet --json > run.json   # cron
    """
    settings = load_settings(ctx.obj["portfolio"])
    chosen = choose(settings, employers)
    month = parse_month(month)
    show = not (quiet or as_json)
    report = asyncio.run(
        run_month(
            settings, chosen, month, pay=pay, dry_run=dry_run, concurrency=concurrency, wait=wait, show=show
        )
    )
    finish(settings, report, as_json=as_json, quiet=quiet, send=not dry_run)
