"""`assist-bot schedule`: fire the due month's run every day (a DBOS scheduled workflow) and execute it."""

from __future__ import annotations

import asyncio
from typing import Annotated

import typer

from bot.commands.output import make_console
from bot.commands.run import choose
from bot.core.settings import load_settings
from bot.workflows import schedule as daily
from bot.workflows.runtime import Runtime
from bot.workflows.workers import serve

console = make_console(stderr=True)


def schedule(
    ctx: typer.Context,
    cron: Annotated[
        str, typer.Option(help="When to fire: cron with seconds first (6 fields) or the usual 5 fields.")
    ] = "0 0 7 * * *",
    timezone: Annotated[
        str | None, typer.Option(help="IANA time zone of the cron expression.")
    ] = "Asia/Kuala_Lumpur",
    employers: Annotated[
        str | None,
        typer.Option(
            "--employers", "-e", help="Comma-separated employer names (default: the whole portfolio)."
        ),
    ] = None,
    pay: Annotated[bool, typer.Option("--pay/--no-pay", help="Pay after submitting.")] = True,
    concurrency: Annotated[int | None, typer.Option(help="Employers at once in this process.", min=1)] = None,
) -> None:
    """Run the due month (last month, due on the 15th) for the portfolio on a schedule, until stopped.

    The schedule is a DBOS scheduled workflow kept in the run database: every firing plans the
    month like `assist-bot run` (done employers skipped, interrupted ones resumed, failed ones
    retried from their failed step), executes it, writes the report and sends the notifications.
    Firing daily is safe: runs are idempotent. This process executes the employers too (with
    PostgreSQL, `assist-bot worker` processes help). On SQLite it holds the database: stop it
    before an `assist-bot run` by hand (which otherwise exits 75). Prefer cron or a systemd timer calling `run`? See the README.

    Examples:

      assist-bot --portfolio firm.toml schedule                       # 07:00 Malaysia time, daily

      assist-bot schedule --cron "0 30 6 * * 1-5" --no-pay --employers halim,klinik
    """
    settings = load_settings(ctx.obj["portfolio"])
    names = [e.name for e in choose(settings, employers)] if employers else None

    async def install(rt: Runtime) -> None:
        await daily.install(cron, timezone, names, pay)
        console.print(
            f"Schedule {daily.SCHEDULE_NAME!r}: {cron} ({timezone or 'UTC'}), "
            f"{'the whole portfolio' if names is None else ', '.join(names)}, "
            f"{'pay' if pay else 'no pay'}; serving until stopped (Ctrl-C)."
        )

    # On SQLite it holds the database while it serves (a `run` or `worker` then exits 75).
    asyncio.run(serve(settings, concurrency, role="schedule", on_start=install))
