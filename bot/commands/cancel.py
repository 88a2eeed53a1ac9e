"""`assist-bot cancel`: cancel a month's ACR, ECR or both (QRG 9)."""

from __future__ import annotations

import asyncio
from typing import Annotated

import typer

from bot.commands.contribute import document_job
from bot.commands.output import finish_with_results
from bot.core.browser import EmployerSession
from bot.core.settings import EmployerSettings, Settings
from bot.runner import run_for_employers
from flows.login import log_in
from flows.payment_documents import cancel_documents, open_payment


def cancel(
    ctx: typer.Context,
    employer: Annotated[list[str], typer.Option("--employer", "-e", help="Employer name (repeatable).")],
    month: Annotated[str, typer.Option(help="Contribution month, YYYY-MM.")],
    document: Annotated[str, typer.Option(help="acr, ecr or both.")],
    as_json: Annotated[
        bool, typer.Option("--json", help="Print one JSON document instead of a table.")
    ] = False,
) -> None:
    """Cancel the month's ACR, ECR or both (QRG 9), e.g. to submit the month again. Paid ones cannot be."""
    settings, chosen, the_month, types = document_job(ctx, employer, month, document)

    async def work(session: EmployerSession, emp: EmployerSettings, s: Settings) -> str:
        payment = await open_payment(await log_in(session, emp, s))
        numbers = await cancel_documents(session, payment, the_month, types)
        return f"cancelled {', '.join(numbers)}"

    results = asyncio.run(run_for_employers(settings, chosen, work))
    finish_with_results("cancel", results, as_json)
