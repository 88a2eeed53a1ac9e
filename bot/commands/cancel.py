"""`assist-bot cancel`: cancel a month's ACR, ECR or both (QRG 9)."""
from __future__ import annotations

import asyncio
from typing import Annotated

import typer

from bot.browser import EmployerSession
from bot.commands.contribute import parse_month
from bot.commands.output import finish_with_results
from bot.errors import ConfigError
from bot.runner import run_for_employers
from bot.settings import EmployerSettings, Settings, load_settings
from flows.login import log_in
from flows.payment_documents import cancel_documents, chosen_types, open_payment


def cancel(
    ctx: typer.Context,
    employer: Annotated[list[str], typer.Option("--employer", "-e", help="Employer name (repeatable).")],
    month: Annotated[str, typer.Option(help="Contribution month, YYYY-MM.")],
    document: Annotated[str, typer.Option(help="acr, ecr or both.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON document instead of a table.")] = False,
) -> None:
    """Cancel the month's ACR, ECR or both (QRG 9), e.g. to submit the month again. Paid ones cannot be."""
    if document not in ("acr", "ecr", "both"):
        raise ConfigError("--document must be acr, ecr or both")
    the_month = parse_month(month)
    settings = load_settings(ctx.obj["portfolio"])
    chosen = [settings.employer(name) for name in employer]

    async def work(session: EmployerSession, emp: EmployerSettings, s: Settings) -> str:
        payment = await open_payment(await log_in(session, emp, s))
        numbers = await cancel_documents(session, payment, the_month, chosen_types(document))
        return f"cancelled {', '.join(numbers)}"

    results = asyncio.run(run_for_employers(settings, chosen, work))
    finish_with_results("cancel", results, as_json)
