"""`assist-bot worker`: execute queued employers (PostgreSQL scale-out) until stopped."""

from __future__ import annotations

import asyncio
from typing import Annotated

import typer

from bot.commands.output import make_console
from bot.core.runs import database_url, is_postgres
from bot.core.settings import load_settings
from bot.workflows.runtime import Runtime
from bot.workflows.workers import serve


def worker(
    ctx: typer.Context,
    concurrency: Annotated[int | None, typer.Option(help="Employers at once in this worker.", min=1)] = None,
) -> None:
    """Execute the employers that `assist-bot run` queues, on this machine, until SIGTERM or Ctrl-C.

    With ASSIST_DATABASE_URL=postgresql://… start one worker per machine (each opens one Chromium
    and runs --concurrency employers at once); `run` then only enqueues and waits. Workers must
    share the portfolio file (the same employer names). A worker killed mid-run is noticed by the
    others within ASSIST_ORCHESTRATION__WORKER_STALE_SECONDS (15 s) and its employers resume there.

    On SQLite one process executes at a time: a worker refuses to start (exit 75) while a `run` or
    `schedule` holds the database, and holds it itself while it runs.

    Examples:

      ASSIST_DATABASE_URL=postgresql://bot@db/assist assist-bot --portfolio firm.toml worker --concurrency 4
    """
    settings = load_settings(ctx.obj["portfolio"])
    sqlite = not is_postgres(database_url(settings))

    async def started(rt: Runtime) -> None:
        if sqlite:
            make_console(stderr=True).print(
                "note: SQLite database: this worker now holds it; `run` and `schedule` exit 75 until it "
                "stops (use PostgreSQL for several workers)"
            )

    asyncio.run(serve(settings, concurrency, on_start=started))
