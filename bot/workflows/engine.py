"""Starting and stopping DBOS for a process: `run`, `worker`, `schedule` or `report`.

SQLite (the default, `<state dir>/assist-bot.sqlite`): `run` enqueues and executes in its own
process; executor id "local", so a rerun after a crash recovers the crashed run's workflows.
PostgreSQL (`ASSIST_DATABASE_URL=postgresql://…`): `run` only enqueues and waits (it listens to no
queue) and `worker` processes on any machines execute, each with its own executor id; a worker
whose heartbeat stops is declared dead by the others, which put its workflows back on the queue.
DBOS must be launched inside the running event loop: its async workflows then run on that loop,
the same one as Playwright's.
"""
from __future__ import annotations

import fcntl
import logging
import os
import socket
from typing import IO, Literal

from dbos import DBOS, DBOSConfig

from bot.errors import AssistError
from bot.runs import RunStore, database_url, is_postgres
from bot.settings import Settings
from bot.workflows import monthly  # noqa: F401  registers the workflow before launch
from bot.workflows import runtime
from bot.workflows.runtime import Runtime

log = logging.getLogger(__name__)

APP_NAME = "assist-bot"
QUEUE = "assist-monthly"
# Fixed, not DBOS's code hash: a workflow interrupted before an upgrade must still be recovered after it.
APP_VERSION = "assist-bot-1"
Role = Literal["run", "worker", "enqueue", "read"]


def executor_id(url: str, role: Role) -> str:
    """"local" on SQLite (one process at a time); unique per process on PostgreSQL."""
    if not is_postgres(url):
        return "local"
    return f"{role}-{socket.gethostname()}-{os.getpid()}"


async def start(settings: Settings, role: Role, concurrency: int | None = None) -> Runtime:
    """Launch DBOS in this event loop and install the process's runtime."""
    url = database_url(settings)
    store = RunStore(url)
    executor = executor_id(url, role)
    rt = Runtime(settings, store, executor)
    runtime.install(rt)
    config: DBOSConfig = {
        "name": APP_NAME,
        "system_database_url": url.replace("postgresql+psycopg://", "postgresql://"),
        "application_version": APP_VERSION,
        "executor_id": executor,
        "log_level": "WARNING",
        "notification_listener_polling_interval_sec": 0.2,
        "scheduler_polling_interval_sec": 5.0,
    }
    DBOS(config=config)
    if role in ("enqueue", "read"):
        DBOS.listen_queues([])  # this process only enqueues, waits and reads; workers execute
    DBOS.launch()
    await DBOS.register_queue_async(
        QUEUE,
        worker_concurrency=concurrency or settings.concurrency,
        global_concurrency=settings.orchestration.global_concurrency,
        polling_interval_sec=settings.orchestration.poll_seconds,
        on_conflict="always_update" if role != "read" else "never_update",
    )
    if role in ("run", "worker"):
        store.heartbeat(executor)
    log.info("DBOS launched on %s as %s (%s)", url.split("@")[-1], executor, role)
    return rt


async def stop(rt: Runtime) -> None:
    """Close the browser and the databases; DBOS's threads stop."""
    try:
        await rt.close()
    finally:
        DBOS.destroy(destroy_registry=False)
        runtime.install(None)


class RunLock:
    """On SQLite, one `run` at a time: a second one (a schedule firing during a long run) stops at once."""

    def __init__(self, settings: Settings) -> None:
        self.path = settings.state_dir / "run.lock"
        self._file: IO[str] | None = None

    def __enter__(self) -> RunLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(self.path, "a+", encoding="utf-8")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            raise AssistError(f"another run holds {self.path}: wait for it to finish (runs are idempotent)") from None
        self._file = handle
        return self

    def __exit__(self, *exc: object) -> None:
        if self._file is not None:
            fcntl.flock(self._file, fcntl.LOCK_UN)
            self._file.close()
