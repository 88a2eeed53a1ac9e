"""`assist-bot pay` and `assist-bot reconcile`: pay a month's ACR/ECR exactly once (QRG 5-8), and
settle the ledger's open payments with the portal's Payment History."""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from bot.commands.contribute import parse_month
from bot.commands.output import finish_with_results
from bot.core.browser import EmployerSession
from bot.core.contributions import Month
from bot.core.contributions.problems import NoTableError
from bot.core.contributions.tables import table_for
from bot.core.errors import ConfigError, NeedsHuman, SettlesLater, UnknownOutcome, when
from bot.core.ledger import AWAITING, Ledger
from bot.core.settings import EmployerSettings, Settings, load_settings
from bot.runner import run_for_employers
from flows.payment import METHODS, PayOptions, pay_month, still_open
from flows.payment import reconcile as reconcile_flow


def pay(
    ctx: typer.Context,
    employer: Annotated[list[str], typer.Option("--employer", "-e", help="Employer name (repeatable).")],
    month: Annotated[str, typer.Option(help="Contribution month, YYYY-MM.")],
    method: Annotated[
        str | None, typer.Option(help="fpx, eft, dda or counter (default: the employer's).")
    ] = None,
    business_model: Annotated[
        str | None,
        typer.Option(
            help="FPX: b2c (Personal to Corporate) or b2b (Corporate to Corporate); default: the employer's."
        ),
    ] = None,
    slip: Annotated[Path | None, typer.Option(help="EFT: the bank's payment slip (PDF/JPG/PNG).")] = None,
    reference: Annotated[
        str | None, typer.Option(help="EFT: Payment Reference No (default: the slip's name).")
    ] = None,
    paid_on: Annotated[
        str | None, typer.Option(help="EFT: Payment Date YYYY-MM-DD (default: the portal's today).")
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print one JSON document instead of a table.")
    ] = False,
) -> None:
    """Pay the month's unpaid ACR/ECR once: reconcile first, never pay what is paid, awaiting an
    authoriser or of unknown outcome; receipts land in the evidence folder.

    Example: assist-bot pay --employer halim --month 2026-10 --method fpx
    """
    if method is not None and method not in METHODS:
        raise ConfigError(f"--method must be one of {', '.join(METHODS)}")
    if business_model is not None and business_model not in ("b2c", "b2b"):
        raise ConfigError("--business-model must be b2c or b2b")
    if slip is not None and not slip.is_file():
        raise ConfigError(f"--slip {slip}: no such file")
    try:
        paid_date = date.fromisoformat(paid_on) if paid_on else None
    except ValueError as exc:
        raise ConfigError(f"--paid-on: {exc}") from exc
    the_month = parse_month(month)
    settings = load_settings(ctx.obj["portfolio"])
    chosen = [settings.employer(name) for name in employer]
    check_payable(the_month, chosen, method, slip)  # before any browser or login
    options = PayOptions(business_model=business_model, slip=slip, reference=reference, paid_on=paid_date)
    ledger = Ledger.of(settings)

    async def work(session: EmployerSession, emp: EmployerSettings, s: Settings) -> str:
        result = await pay_month(session, emp, s, the_month, method, options, ledger)
        return result.detail()

    try:
        results = asyncio.run(run_for_employers(settings, chosen, work))
    finally:
        ledger.close()
    finish_with_results("pay", results, as_json)


def check_payable(
    month: Month, employers: list[EmployerSettings], method: str | None, slip: Path | None
) -> None:
    """What `pay` can refuse without the portal: a month not yet begun or without a contribution
    table, and a method without its required options (EFT records a transfer: it needs the slip)."""
    if month > Month.of(date.today()):
        raise ConfigError(f"--month {month} is in the future: nothing to pay yet")
    try:
        table_for(month)
    except NoTableError as exc:
        raise ConfigError(f"--month {month}: {exc}") from exc
    for emp in employers:
        chosen = method or emp.payment_method
        if chosen == "eft" and slip is None:
            raise ConfigError(
                f"{emp.name}: EFT needs --slip FILE, the bank's payment slip of the transfer (make the"
                f" transfer at the bank first; `assist-bot print -e {emp.name} --month {month}` gives"
                " the amounts)"
            )


def reconcile(
    ctx: typer.Context,
    employer: Annotated[
        list[str] | None,
        typer.Option(
            "--employer",
            "-e",
            help="Employer name (repeatable); default: every employer with an open payment.",
        ),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print one JSON document instead of a table.")
    ] = False,
) -> None:
    """Settle every open payment in the ledger (pending, submitted, awaiting the authoriser, unknown)
    from the portal's Payment History: paid, declined, or still open (exit 2, with the reason)."""
    settings = load_settings(ctx.obj["portfolio"])
    ledger = Ledger.of(settings)
    if employer:
        chosen = [settings.employer(name) for name in employer]
    else:
        open_codes = {e.employer_code for e in ledger.entries() if e.is_open}
        chosen = [e for e in settings.employers if e.employer_code in open_codes]

    async def work(session: EmployerSession, emp: EmployerSettings, s: Settings) -> str:
        changes = await reconcile_flow(session, emp, s, ledger)
        left = still_open(ledger, emp)
        done = "; ".join(c.describe() for c in changes) or "nothing changed"
        waiting = [u for u in changes.unsettled if any(e.id == u.entry.id for e in left)]
        if waiting and len(waiting) == len(left):
            after = max(u.settles_after for u in waiting)
            raise SettlesLater(
                f"{done}; the portal shows {', '.join(u.reference for u in waiting)} Pending (the bank has "
                f"not reported it; nothing shows it paid): `assist-bot reconcile` after {when(after)} finds "
                "it Unsuccessful (FPX times it out) and records it declined, then `assist-bot pay` pays "
                "the month with a new transaction",
                after,
            )
        if any(e.state == AWAITING for e in left):
            raise NeedsHuman(
                f"{done}; still awaiting the authoriser: {', '.join(e.describe() for e in left)}"
            )
        if left:
            raise UnknownOutcome(f"{done}; still open: {', '.join(e.describe() for e in left)}")
        return done

    try:
        results = asyncio.run(run_for_employers(settings, chosen, work))
    finally:
        ledger.close()
    finish_with_results("reconcile", results, as_json)
