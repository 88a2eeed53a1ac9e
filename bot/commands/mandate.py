"""`assist-bot mandate enroll`: the one-time direct-debit mandate per scheme (QRG 7 steps 1-4)."""

from __future__ import annotations

import asyncio
from typing import Annotated

import typer

from bot.commands.output import finish_with_results
from bot.core.browser import EmployerSession
from bot.core.errors import NeedsHuman
from bot.core.settings import EmployerSettings, Settings, load_settings
from bot.runner import run_for_employers
from flows.login import log_in
from flows.payment_dda import enroll_mandates

app = typer.Typer(help="Direct-debit mandates (QRG 7).", no_args_is_help=True)


@app.command("enroll")
def enroll(
    ctx: typer.Context,
    employer: Annotated[list[str], typer.Option("--employer", "-e", help="Employer name (repeatable).")],
    as_json: Annotated[
        bool, typer.Option("--json", help="Print one JSON document instead of a table.")
    ] = False,
) -> None:
    """ENROLL NEW a mandate for each scheme the employer pays, with [employers.bank]'s terms (limit per
    transaction, max frequency per month, phone, email). A new mandate waits for the bank's approval:
    exit 2 until it is approved."""
    settings = load_settings(ctx.obj["portfolio"])
    chosen = [settings.employer(name) for name in employer]

    async def work(session: EmployerSession, emp: EmployerSettings, s: Settings) -> str:
        notices = await enroll_mandates(session, await log_in(session, emp, s), emp)
        detail = "; ".join(notices)
        if "pending" in detail.lower():
            raise NeedsHuman(f"{detail} (the bank approves it; payments wait until then)")
        return detail

    finish_with_results("mandate enroll", asyncio.run(run_for_employers(settings, chosen, work)), as_json)
