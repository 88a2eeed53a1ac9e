"""`assist-bot report`: rebuild a month's run report (HTML, JSON, JUnit XML) from the database."""

from __future__ import annotations

from typing import Annotated

import typer

from bot.commands.run import finish, parse_month
from bot.core.errors import ConfigError
from bot.core.runs import RunStore, database_url
from bot.core.settings import load_settings
from bot.reports import model


def report(
    ctx: typer.Context,
    month: Annotated[str | None, typer.Option(help="YYYY-MM (default: the latest month run).")] = None,
    dry_run: Annotated[bool, typer.Option(help="The report of the month's latest dry run.")] = False,
    notify: Annotated[bool, typer.Option(help="Send the configured email / webhook summary too.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only the report's path.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as one JSON document.")] = False,
) -> None:
    """Rebuild the run report of a month from the database: status per employer, amounts, ACR/ECR,
    payment references, receipts, evidence, failures with their reason and next action, and who is
    at risk of missing the 15th. Exits like `run` would (0 all done, 1 failed, 2 a person must act).

    Examples:

      assist-bot report --month 2026-10

      assist-bot report --json | jq '.employers[] | select(.status != "done")'
    """
    settings = load_settings(ctx.obj["portfolio"], required=False)
    store = RunStore(database_url(settings))
    try:
        wanted = parse_month(month) if month else None
        runs = store.employer_runs(wanted, dry_run=dry_run)
    finally:
        store.close()
    if not runs:
        raise ConfigError(f"no runs recorded{f' for {wanted}' if wanted else ''} in {database_url(settings)}")
    built = model.build(
        runs, runs[0].month, dry_run=dry_run, warning_days=settings.orchestration.deadline_warning_days
    )
    finish(settings, built, as_json=as_json, quiet=quiet, send=notify)
