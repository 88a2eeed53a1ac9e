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
from typing import IO, Any, Literal

from dbos import DBOS, DBOSConfig, Queue
from dbos._dbos import _get_dbos_instance

from bot.core.errors import AssistError
from bot.core.runs import RunStore, database_url, is_postgres
from bot.core.settings import Settings
from bot.workflows import (
    monthly,  # noqa: F401  registers the workflow before launch
    runtime,
)
from bot.workflows.runtime import Runtime

log = logging.getLogger(__name__)

APP_NAME = "assist-bot"
QUEUE = "assist-monthly"
# Fixed, not DBOS's code hash: a workflow interrupted before an upgrade must still be recovered after it.
APP_VERSION = "assist-bot-1"
Role = Literal["run", "worker", "enqueue", "read", "schedule"]


def executor_id(url: str, role: Role) -> str:
    """ "local" on SQLite (one process at a time); unique per process on PostgreSQL."""
    if not is_postgres(url):
        return "local"
    return f"{role}-{socket.gethostname()}-{os.getpid()}"


async def start(settings: Settings, role: Role, concurrency: int | None = None) -> Runtime:
    """Launch DBOS in this event loop and install the process's runtime."""
    # Registered in every process, not only `schedule`'s: any of them may recover a firing.
    from bot.workflows import schedule  # noqa: F401  (imported here: it imports portfolio, which imports QUEUE)

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
    if role in ("run", "worker", "schedule"):
        _own_worker_concurrency(QUEUE, concurrency or settings.concurrency)
    await DBOS.register_queue_async(
        QUEUE,
        worker_concurrency=None,  # per process: see _own_worker_concurrency
        global_concurrency=settings.orchestration.global_concurrency,
        polling_interval_sec=settings.orchestration.poll_seconds,
        on_conflict="always_update" if role != "read" else "never_update",
    )
    if role in ("run", "worker", "schedule"):
        store.heartbeat(executor)
    log.info("DBOS launched on %s as %s (%s)", url.split("@")[-1], executor, role)
    return rt


def _own_worker_concurrency(queue: str, value: int) -> None:
    """Make `value` this process's limit of employers at once, whatever other processes asked for.

    DBOS 3 keeps a queue's worker_concurrency in the queue's database row, and every process's
    queue thread re-reads that row before each dequeue: the last `run` or `worker` to register
    would set the limit for all of them. Workers on different machines have their own
    --concurrency, so the row holds none and this process's reads of its queue get its own.
    """
    system_db = _get_dbos_instance()._sys_db
    read = system_db.get_queue

    def get_queue(name: str, **kwargs: Any) -> Queue | None:
        found = read(name, **kwargs)
        if found is not None and name == queue:
            found._worker_concurrency = value
        return found

    system_db.get_queue = get_queue


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
            raise AssistError(
                f"another run holds {self.path}: wait for it to finish (runs are idempotent)"
            ) from None
        self._file = handle
        return self

    def __exit__(self, *exc: object) -> None:
        if self._file is not None:
            fcntl.flock(self._file, fcntl.LOCK_UN)
            self._file.close()
