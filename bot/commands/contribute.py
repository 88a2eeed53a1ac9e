"""`assist-bot contribute`: send a month's SOCSO/EIS contributions (QRG 4 i/ii/iii) and get the ACR/ECR."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated

import typer

from bot.commands.output import finish_with_results
from bot.core.browser import EmployerSession
from bot.core.contributions import Month
from bot.core.errors import ConfigError
from bot.core.settings import EmployerSettings, Settings, load_settings
from bot.runner import run_for_employers
from flows.contribution import Prepared, prepare
from flows.contribution import contribute as contribute_flow
from flows.payment_documents import chosen_types

SCHEMES = ("socso", "eis", "socso+eis")
MODES = ("textfile", "entry")


def parse_month(text: str) -> Month:
    try:
        return Month.parse(text)
    except ValueError as exc:
        raise ConfigError(str(exc)) from exc


def document_job(
    ctx: typer.Context, employer: list[str], month: str, document: str
) -> tuple[Settings, list[EmployerSettings], Month, tuple[str, ...]]:
    """The options `print` and `cancel` share, checked: settings, employers, month, document types."""
    if document not in ("acr", "ecr", "both"):
        raise ConfigError("--document must be acr, ecr or both")
    the_month = parse_month(month)
    settings = load_settings(ctx.obj["portfolio"])
    return settings, [settings.employer(name) for name in employer], the_month, chosen_types(document)


def contribute(
    ctx: typer.Context,
    employer: Annotated[
        list[str], typer.Option("--employer", "-e", help="Employer name from the portfolio (repeatable).")
    ],
    month: Annotated[str, typer.Option(help="Contribution month, YYYY-MM.")],
    scheme: Annotated[
        str | None, typer.Option(help="socso, eis or socso+eis (default: the employer's).")
    ] = None,
    payroll: Annotated[
        Path | None, typer.Option(help="Payroll CSV/XLSX (default: the employer's).")
    ] = None,
    mode: Annotated[
        str | None,
        typer.Option(
            help="textfile or entry (default: text file above contribution.textfile_above employees)"
        ),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print one JSON document instead of a table.")
    ] = False,
) -> None:
    """Send the month's contributions (QRG 4) by text file or data entry, then read back the ACR/ECR,
    compare them with the bot's computation to the sen and download the PDFs into the evidence folder.

    A month already submitted is not submitted again: its documents are read back instead.

    Example: assist-bot contribute --employer halim --month 2026-10 --scheme socso+eis --payroll payroll.csv
    """
    if scheme is not None and scheme not in SCHEMES:
        raise ConfigError(f"--scheme must be one of {', '.join(SCHEMES)}")
    if mode is not None and mode not in MODES:
        raise ConfigError(f"--mode must be one of {', '.join(MODES)}")
    if payroll is not None and len(employer) > 1:
        raise ConfigError("--payroll is for one employer; for several, set payroll in the portfolio")
    the_month = parse_month(month)
    settings = load_settings(ctx.obj["portfolio"])
    chosen = [settings.employer(name) for name in employer]
    # Payrolls are checked before any browser starts: a bad one fails without touching the portal.
    prepared = {e.name: prepare(e, the_month, scheme or e.scheme, payroll, mode, settings) for e in chosen}

    async def work(session: EmployerSession, emp: EmployerSettings, s: Settings) -> str:
        job: Prepared = prepared[emp.name]
        outcome = await contribute_flow(
            session, emp, s, month=the_month, scheme=scheme or emp.scheme, prepared=job
        )
        return outcome.detail()

    results = asyncio.run(run_for_employers(settings, chosen, work))
    finish_with_results("contribute", results, as_json)
