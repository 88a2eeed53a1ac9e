"""`assist-bot print`: download a month's ACR/ECR as PDF (QRG 8), checked, into the evidence folder."""

from __future__ import annotations

import asyncio
from typing import Annotated

import typer

from bot.commands.contribute import document_job
from bot.commands.output import finish_with_results
from bot.core.browser import EmployerSession
from bot.core.errors import BusinessError
from bot.core.settings import EmployerSettings, Settings
from bot.runner import run_for_employers
from flows.login import log_in
from flows.payment_documents import month_documents, open_payment, print_documents, read_back


def print_command(
    ctx: typer.Context,
    employer: Annotated[list[str], typer.Option("--employer", "-e", help="Employer name (repeatable).")],
    month: Annotated[str, typer.Option(help="Contribution month, YYYY-MM.")],
    document: Annotated[
        str, typer.Option(help="acr, ecr or both (both: the combined PRINT ACR/ECR slip).")
    ] = "both",
    as_json: Annotated[
        bool, typer.Option("--json", help="Print one JSON document instead of a table.")
    ] = False,
) -> None:
    """PRINT the month's ACR and/or ECR (QRG 8) for a bank counter; the PDFs land in the evidence folder."""
    settings, chosen, the_month, types = document_job(ctx, employer, month, document)

    async def work(session: EmployerSession, emp: EmployerSettings, s: Settings) -> str:
        payment = await open_payment(await log_in(session, emp, s))
        rows = [d for d in await month_documents(payment, the_month) if d.type in types]
        if not rows:
            raise BusinessError(f"no {'/'.join(types)} for {the_month} on the Payment page")
        docs = await read_back(payment, rows)
        paths = await print_documents(session, payment, docs, combined=document == "both")
        return (
            ", ".join(f"{d.row.number} RM{d.row.amount / 100:,.2f}" for d in docs)
            + " → "
            + ", ".join(p.name for p in paths)
        )

    results = asyncio.run(run_for_employers(settings, chosen, work))
    finish_with_results("print", results, as_json)
