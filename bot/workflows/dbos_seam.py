"""The seam to DBOS: every DBOS call of the bot that is not a plain decorator (`@DBOS.workflow`,
`@DBOS.step`) is made here, so a DBOS upgrade is read, changed and tested in one module.

Public API wherever DBOS 3.4 has it: launch and destroy, queue registration, enqueue, fork, resume,
workflow status and steps, schedules, and a dead worker's workflows put back on the queue
(`DBOS.list_workflows` of its PENDING ones, then `DBOS.resume_workflows`; this DBOS has no admin
server to ask instead).

One private reach remains, because DBOS 3.4 has no public per-process limit: a queue's
`worker_concurrency` lives in the queue's database row, and every process's queue thread re-reads
that row before each dequeue, so the last `run` or `worker` to register would set the limit of all
of them; workers on different machines have their own --concurrency. `own_worker_concurrency` wraps
the system database's `get_queue` (what the queue thread calls) so that this process reads its own
limit. `check_private_api()` verifies, at start-up, that everything it relies on is still there
and fails with the installed DBOS version named; tests/bot/workflows/test_dbos_seam.py observes
the per-worker limit itself with two workers on PostgreSQL.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from datetime import datetime
from importlib.metadata import version
from typing import Any

from dbos import DBOS, DBOSConfig, Queue, SetWorkflowID, WorkflowHandleAsync

from bot.core.errors import ConfigError

log = logging.getLogger(__name__)

APP_NAME = "assist-bot"
QUEUE = "assist-monthly"
# Fixed, not DBOS's code hash: a workflow interrupted before an upgrade must still be recovered after it.
APP_VERSION = "assist-bot-1"
# The DBOS releases this seam is tested with (pyproject.toml pins the same range).
TESTED = "3.4"


class UnsupportedDbos(ConfigError):
    """The installed DBOS lacks something the bot relies on: install the tested release."""


def dbos_version() -> str:
    return version("dbos")


def check_private_api() -> None:
    """Raise `UnsupportedDbos`, naming the installed version, when the private parts that
    `own_worker_concurrency` relies on are gone or no longer used the way it assumes."""
    from dbos import _dbos, _queue

    missing: list[str] = []
    if not callable(getattr(_dbos, "_get_dbos_instance", None)):
        missing.append("dbos._dbos._get_dbos_instance")
    thread = getattr(_queue, "queue_worker_thread", None)
    try:
        source = inspect.getsource(thread) if thread is not None else ""
    except (OSError, TypeError):
        source = ""
    if "_sys_db.get_queue(" not in source:
        missing.append("the queue thread re-reading its queue through SystemDatabase.get_queue")
    if "_worker_concurrency" not in source:
        missing.append("the queue thread limiting by Queue._worker_concurrency")
    if missing:
        raise UnsupportedDbos(
            f"DBOS {dbos_version()} is installed, but assist-bot is tested with DBOS {TESTED}.x "
            f"(pyproject.toml: dbos>={TESTED},<3.5): per-worker --concurrency needs "
            f"{'; '.join(missing)}. Install the tested release: pip install 'dbos~={TESTED}.0'"
        )


def launch(
    url: str,
    executor_id: str,
    *,
    listen: bool,
    scheduler_polling_seconds: float = 5.0,
) -> None:
    """Configure and launch DBOS in this process (inside the running event loop, so its async
    workflows run on that loop). `listen=False`: this process enqueues and waits, never executes."""
    check_private_api()
    config: DBOSConfig = {
        "name": APP_NAME,
        "system_database_url": url.replace("postgresql+psycopg://", "postgresql://"),
        "application_version": APP_VERSION,
        "executor_id": executor_id,
        "log_level": "WARNING",
        "notification_listener_polling_interval_sec": 0.2,
        "scheduler_polling_interval_sec": scheduler_polling_seconds,
    }
    DBOS(config=config)
    if not listen:
        DBOS.listen_queues([])
    DBOS.launch()


def destroy() -> None:
    DBOS.destroy(destroy_registry=False)


async def register_queue(*, global_concurrency: int | None, poll_seconds: float, update: bool) -> None:
    """The employers' queue. Its row holds no worker_concurrency: see `own_worker_concurrency`."""
    await DBOS.register_queue_async(
        QUEUE,
        worker_concurrency=None,
        global_concurrency=global_concurrency,
        polling_interval_sec=poll_seconds,
        on_conflict="always_update" if update else "never_update",
    )


def own_worker_concurrency(value: int, queue: str = QUEUE) -> None:
    """Make `value` this process's limit of `queue`'s workflows at once, whatever other processes
    asked for (the private reach this module's docstring explains; checked by `check_private_api`)."""
    from dbos._dbos import _get_dbos_instance

    system_db = _get_dbos_instance()._sys_db
    read = system_db.get_queue

    def get_queue(name: str, **kwargs: Any) -> Queue | None:
        found = read(name, **kwargs)
        if found is not None and name == queue:
            if not hasattr(found, "_worker_concurrency"):
                raise UnsupportedDbos(
                    f"DBOS {dbos_version()}: Queue has no _worker_concurrency (tested with {TESTED}.x)"
                )
            found._worker_concurrency = value
        return found

    system_db.get_queue = get_queue  # type: ignore[method-assign]


@dataclass(frozen=True)
class Status:
    """What the bot reads of a workflow's DBOS status."""

    status: str  # PENDING, ENQUEUED, DELAYED, SUCCESS, ERROR, CANCELLED, ...
    output: Any
    executor_id: str | None


async def status(workflow_id: str) -> Status | None:
    found = await DBOS.get_workflow_status_async(workflow_id)
    if found is None:
        return None
    return Status(str(found.status), found.output, found.executor_id)


@dataclass(frozen=True)
class Step:
    function_id: int
    output: Any
    failed: bool


async def steps(workflow_id: str) -> list[Step]:
    return [
        Step(int(s["function_id"]), s["output"], s["error"] is not None)
        for s in await DBOS.list_workflow_steps_async(workflow_id)
    ]


async def enqueue(workflow_id: str, workflow: Callable[..., Coroutine[Any, Any, Any]], *args: Any) -> None:
    """Enqueue `workflow(*args)` as `workflow_id` (an id that already exists is not run again)."""
    with SetWorkflowID(workflow_id):
        await DBOS.enqueue_workflow_async(QUEUE, workflow, *args)


async def fork(old_id: str, new_id: str, start_step: int) -> None:
    """`old_id` again as `new_id`, from its step `start_step`: the steps before it are replayed."""
    with SetWorkflowID(new_id):
        await DBOS.fork_workflow_async(old_id, start_step, queue_name=QUEUE)


async def resume(workflow_id: str) -> None:
    await DBOS.resume_workflow_async(workflow_id, queue_name=QUEUE)


async def result(workflow_id: str) -> Any:
    """Until the workflow has finished; its return value (raises what it raised)."""
    handle: WorkflowHandleAsync[Any] = await DBOS.retrieve_workflow_async(workflow_id)
    return await handle.get_result(polling_interval_sec=0.5)


def requeue_pending(executor_ids: list[str]) -> list[str]:
    """Put the unfinished workflows of dead executors back on their queues; returns their ids.

    The caller must be the one process that declared these executors dead (see
    `RunStore.forget_worker`): `resume_workflows` does not check who holds a workflow, so two
    processes requeueing at once could requeue one that a third had already picked up again.
    """
    if not executor_ids:
        return []
    pending = DBOS.list_workflows(
        status="PENDING",
        executor_id=executor_ids,
        app_version=APP_VERSION,
        application_name=APP_NAME,
        load_input=False,
        load_output=False,
    )
    by_queue: dict[str | None, list[str]] = {}
    for workflow in pending:
        by_queue.setdefault(workflow.queue_name, []).append(workflow.workflow_id)
    for queue, ids in by_queue.items():
        DBOS.resume_workflows(ids, queue_name=queue)
    return [w.workflow_id for w in pending]


async def apply_schedule(
    name: str,
    workflow: Callable[[datetime, Any], Coroutine[Any, Any, None]],
    cron: str,
    timezone: str | None,
    context: dict[str, Any],
) -> None:
    """Store (or replace) a cron schedule in the database; any process serving it fires it."""
    await DBOS.apply_schedules_async(
        [
            {
                "schedule_name": name,
                "workflow_fn": workflow,
                "schedule": cron,
                "context": context,
                "cron_timezone": timezone,
                "automatic_backfill": False,
            }
        ]
    )
