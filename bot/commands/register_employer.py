"""`assist-bot register-employer --from FILE`: QRG 2, register a new employer with PERKESO."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated

import typer

from bot.commands.output import finish_with_results
from bot.core.browser import EmployerSession
from bot.core.registration import EmployerApplication
from bot.core.settings import EmployerSettings, Settings, load_settings
from bot.runner import run_for_employers
from flows.employer_registration import register_employer as register


def register_employer(
    ctx: typer.Context,
    from_file: Annotated[Path, typer.Option("--from", help="TOML or JSON file with the form's fields.")],
    as_json: Annotated[
        bool, typer.Option("--json", help="Print one JSON document instead of a table.")
    ] = False,
) -> None:
    """Register a new employer (normal, employer of foreign workers, or domestic) on ASSIST (QRG 2)
    and print its employer code; the registered email becomes its login.

    The file holds the form's fields: kind (normal | foreign-workers | domestic), employer_name,
    ssm, business_type, contact_name (or householder_name, householder_id for a domestic employer),
    address1, address2, postcode, city, state, phone, email, first_hire (YYYY-MM-DD), document
    (the supporting document's path, relative to the file). Add the new employer to the portfolio
    afterwards to drive it.
    """
    application = EmployerApplication.from_file(from_file)
    settings = load_settings(ctx.obj["portfolio"], required=False)
    # Not a portfolio employer yet: a stand-in gives the run its name and evidence folder. No login
    # is made, so no password source is needed.
    applicant = EmployerSettings.model_construct(
        name="new-employer",
        employer_code="(new)",
        login_email=application.email,
        password_source="static",
        mailbox=None,
        static_password=None,
        payment_method=None,
        scheme="socso+eis",
        payroll=None,
    )

    async def work(session: EmployerSession, employer: EmployerSettings, settings: Settings) -> str:
        registered = await register(session, application, settings)
        return (
            f"{application.display_name} registered as {registered.employer_code} "
            f"(case {registered.case_reference}); login {registered.login_email}"
        )

    results = asyncio.run(run_for_employers(settings, [applicant], work))
    finish_with_results("register-employer", results, as_json)
