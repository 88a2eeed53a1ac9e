"""Starting and stopping the durable engine for a process: `run`, `worker` or `schedule`.

SQLite (the default, `<state dir>/assist-bot.sqlite`): one process executes at a time. `run`,
`worker` and `schedule` each take the database's lock before DBOS starts (a second one exits 75,
"try later", naming the holder), and execute as executor "local", so the next one after a crash
recovers the crashed one's workflows.
PostgreSQL (`ASSIST_DATABASE_URL=postgresql://…`): `run` only enqueues and waits (it listens to no
queue) and `worker` processes on any machines execute; every process has its own executor id. A
worker whose heartbeat stops is declared dead by the others, which put its workflows back on the
queue. DBOS itself is reached only through `dbos_seam`.
"""

from __future__ import annotations

import logging
import os
import socket
from pathlib import Path
from typing import Literal

from bot.core.errors import TryLater
from bot.core.locks import Held, ProcessLock
from bot.core.runs import RunStore, database_url, is_postgres
from bot.core.settings import Settings
from bot.workflows import (
    dbos_seam,
    monthly,  # noqa: F401  registers the workflow before launch
    runtime,
    schedule,  # noqa: F401  registered in every process: any of them may recover a firing
)
from bot.workflows.runtime import Runtime

log = logging.getLogger(__name__)

Role = Literal["run", "worker", "enqueue", "schedule"]
EXECUTING: tuple[Role, ...] = ("run", "worker", "schedule")


def executor_id(url: str, role: Role) -> str:
    """ "local" on SQLite (one process at a time, under the database lock); unique per process on
    PostgreSQL."""
    if not is_postgres(url):
        return "local"
    return f"{role}-{socket.gethostname()}-{os.getpid()}"


def database_lock(url: str) -> Path:
    """The lock file beside a SQLite database: whoever holds it is the one process executing."""
    return Path(url.removeprefix("sqlite:///") + ".lock")


def hold_database(url: str, role: Role) -> ProcessLock | None:
    """On SQLite, take the database's lock for this process or raise `TryLater` naming its holder.

    Taken before DBOS starts: DBOS's start-up recovery of executor "local" would otherwise put the
    holder's running workflows back on the queue, and both processes would execute them."""
    if is_postgres(url) or role not in EXECUTING:
        return None
    lock = ProcessLock(database_lock(url))
    try:
        lock.acquire(f"`assist-bot {role}` (pid {os.getpid()} on {socket.gethostname()})")
    except Held as held:
        raise TryLater(
            f"another process holds the database {url.removeprefix('sqlite:///')}: "
            f"{held.holder or 'another assist-bot process'}. On SQLite one `run`, `worker` or "
            "`schedule` executes at a time: try again when it has finished (runs are idempotent), "
            "or stop it; for several workers use PostgreSQL (ASSIST_DATABASE_URL)"
        ) from None
    return lock


async def start(settings: Settings, role: Role, concurrency: int | None = None) -> Runtime:
    """Take the database (SQLite), launch DBOS in this event loop and install the process's runtime."""
    url = database_url(settings)
    lock = hold_database(url, role)
    try:
        store = RunStore(url)
        executor = executor_id(url, role)
        rt = Runtime(settings, store, executor, database_lock=lock)
        runtime.install(rt)
        dbos_seam.launch(url, executor, listen=role in EXECUTING, scheduler_polling_seconds=5.0)
        if role in EXECUTING:
            dbos_seam.own_worker_concurrency(concurrency or settings.concurrency)
        await dbos_seam.register_queue(
            global_concurrency=settings.orchestration.global_concurrency,
            poll_seconds=settings.orchestration.poll_seconds,
            update=True,
        )
    except BaseException:
        runtime.install(None)
        if lock is not None:
            lock.release()
        raise
    if role in EXECUTING:
        store.heartbeat(executor)
    log.info("DBOS launched on %s as %s (%s)", url.split("@")[-1], executor, role)
    return rt


async def stop(rt: Runtime) -> None:
    """Close the browser and the databases; DBOS's threads stop; the database lock is released."""
    try:
        await rt.close()
    finally:
        try:
            dbos_seam.destroy()
        finally:
            runtime.install(None)
            if rt.database_lock is not None:
                rt.database_lock.release()
