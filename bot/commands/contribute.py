"""`assist-bot contribute`: send a month's SOCSO/EIS contributions (QRG 4 i/ii/iii) and get the ACR/ECR."""

from __future__ import annotations

import asyncio
import logging
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from bot.commands.output import finish_with_results
from bot.core.browser import EmployerSession
from bot.core.contributions import (
    Month,
    NoTableError,
    ProblemsError,
    Scheme,
    check_foreign_textfile,
    table_for,
)
from bot.core.contributions.skbbk import default_skbbk
from bot.core.errors import BusinessError, ConfigError
from bot.core.settings import EmployerSettings, Settings, load_settings
from bot.runner import run_for_employers
from flows.contribution import Prepared, prepare, prepare_checked
from flows.contribution import contribute as contribute_flow
from flows.payment_documents import chosen_types

log = logging.getLogger(__name__)
SCHEMES = ("socso", "eis", "socso+eis")
MODES = ("textfile", "entry")


def parse_month(text: str) -> Month:
    try:
        return Month.parse(text)
    except ValueError as exc:
        raise ConfigError(str(exc)) from exc


def check_month(month: Month, today: date | None = None) -> None:
    """A month that can be filed: not in the future (PERKESO refuses advance months) and with a
    contribution table (and, from 2026-06, a SKBBK table). ConfigError (exit 64) otherwise."""
    today = today or date.today()
    if month > Month.of(today):
        raise ConfigError(
            f"--month {month} is in the future (today is {today}); PERKESO refuses advance months"
        )
    try:
        table_for(month)
        default_skbbk().check_month(month)
    except NoTableError as exc:
        raise ConfigError(f"--month {month}: {exc}") from exc


def _prepare(
    e: EmployerSettings,
    month: Month,
    scheme: str | None,
    payroll: Path | None,
    textfile: Path | None,
    mode: str | None,
    accept_file_amounts: bool,
    settings: Settings,
) -> Prepared:
    """The payroll (``prepare``) or, given a text file (option or the employer's ``textfile``), the
    checked canonical file (``prepare_checked``)."""
    source = textfile if textfile is not None else (None if payroll is not None else e.textfile)
    if source is None:
        return prepare(e, month, scheme or e.scheme, payroll, mode, settings)
    if textfile is None and e.payroll is not None:
        raise ConfigError(f"employer {e.name} has both payroll and textfile: keep one")
    wanted = Scheme(scheme or e.scheme)
    folder = settings.evidence_dir / "checked"
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{e.employer_code}_{wanted.value.replace('+', '_').upper()}_{month.mmyyyy}.txt"
    try:
        checked = check_foreign_textfile(
            source,
            target,
            employer_code=e.employer_code,
            month=month,
            scheme=wanted,
            accept_file_amounts=accept_file_amounts,
        )
    except ProblemsError as exc:
        raise BusinessError(str(exc)) from exc
    for warning in checked.warnings:
        log.warning("%s: %s", e.name, warning)
    return prepare_checked(checked, mode, settings)


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
    payroll: Annotated[Path | None, typer.Option(help="Payroll CSV/XLSX (default: the employer's).")] = None,
    textfile: Annotated[
        Path | None,
        typer.Option(
            help="A text file from the employer's payroll software instead of a payroll (default: the "
            "employer's `textfile`): checked line by line and sent as the bot writes it."
        ),
    ] = None,
    accept_file_amounts: Annotated[
        bool,
        typer.Option(
            "--accept-file-amounts",
            help="With --textfile: send amounts that disagree with PERKESO's tables (each is warned).",
        ),
    ] = False,
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

    The month is checked first (not in the future, a contribution table exists), then the payroll or
    text file, all before any login.

    Example: assist-bot contribute --employer halim --month 2026-10 --scheme socso+eis --payroll payroll.csv

    Example: assist-bot contribute --employer halim --month 2026-10 --textfile SOCSO_EIS_102026.TXT
    """
    if scheme is not None and scheme not in SCHEMES:
        raise ConfigError(f"--scheme must be one of {', '.join(SCHEMES)}")
    if mode is not None and mode not in MODES:
        raise ConfigError(f"--mode must be one of {', '.join(MODES)}")
    if payroll is not None and len(employer) > 1:
        raise ConfigError("--payroll is for one employer; for several, set payroll in the portfolio")
    if textfile is not None and len(employer) > 1:
        raise ConfigError("--textfile is for one employer; for several, set textfile in the portfolio")
    if textfile is not None and payroll is not None:
        raise ConfigError("give --payroll or --textfile, not both")
    the_month = parse_month(month)
    check_month(the_month)
    settings = load_settings(ctx.obj["portfolio"])
    chosen = [settings.employer(name) for name in employer]
    # Payrolls are checked before any browser starts: a bad one fails without touching the portal.
    prepared = {
        e.name: _prepare(e, the_month, scheme, payroll, textfile, mode, accept_file_amounts, settings)
        for e in chosen
    }

    async def work(session: EmployerSession, emp: EmployerSettings, s: Settings) -> str:
        job: Prepared = prepared[emp.name]
        outcome = await contribute_flow(
            session, emp, s, month=the_month, scheme=scheme or emp.scheme, prepared=job
        )
        return outcome.detail()

    results = asyncio.run(run_for_employers(settings, chosen, work))
    finish_with_results("contribute", results, as_json)
