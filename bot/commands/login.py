"""`assist-bot login`: QRG 1 for one employer, several, or the whole portfolio at once."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

import typer

from bot.commands.output import finish_with_results
from bot.core.browser import EmployerSession
from bot.core.errors import ConfigError
from bot.core.settings import EmployerSettings, Settings, load_settings
from bot.runner import run_for_employers
from flows.login import log_in


async def _log_in_and_out(session: EmployerSession, employer: EmployerSettings, settings: Settings) -> str:
    home = await log_in(session, employer, settings)
    name = await home.employer_name()
    await home.log_out()
    return f"logged in as {name}"


def login(
    ctx: typer.Context,
    employer: Annotated[
        list[str] | None,
        typer.Option("--employer", "-e", help="Employer name from the portfolio (repeatable)."),
    ] = None,
    all_: Annotated[
        bool, typer.Option("--all", help="Every employer of the portfolio, concurrently.")
    ] = False,
    concurrency: Annotated[int | None, typer.Option(help="Employers at once (default: settings).")] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print one JSON document instead of a table.")
    ] = False,
) -> None:
    """Log in to ASSIST (QRG 1) with the password the portal emails, then log out.

    Checks that a portfolio's employers can log in: the email is accepted, the password mail
    arrives in the configured mailbox, and the portal shows the right employer code. Evidence
    (a screenshot per step; on failure the trace, page HTML and console) goes to the evidence folder.

    Examples:

      assist-bot --portfolio fixtures/demo/portfolio.toml login --employer halim

      assist-bot login --all --concurrency 8 --json
    """
    overrides: dict[str, Any] = {"concurrency": concurrency} if concurrency else {}
    settings = load_settings(ctx.obj["portfolio"], **overrides)
    if all_ and employer:
        raise ConfigError("give --employer NAME or --all, not both")
    if all_:
        chosen = settings.employers
    elif employer:
        chosen = [settings.employer(name) for name in employer]
    else:
        raise ConfigError("say which employer: --employer NAME (repeatable) or --all")
    if not chosen:
        raise ConfigError(f"the portfolio {settings.portfolio} has no employers")
    results = asyncio.run(run_for_employers(settings, chosen, _log_in_and_out))
    finish_with_results("login", results, as_json)
