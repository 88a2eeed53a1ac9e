"""A worker process: executes queued employers until stopped, and keeps dead workers' work alive.

Every worker writes a heartbeat to the run tables. A worker that has been silent for
`orchestration.worker_stale_seconds` (killed, machine gone) is declared dead by any live worker,
which puts its unfinished workflows back on the queue. Only the worker whose delete of the dead
one's heartbeat row succeeds does so (`RunStore.forget_worker`), so a workflow is requeued once.
Their done steps are replayed, not repeated.
"""

from __future__ import annotations

import asyncio
import logging
import math
import os
import signal
from collections.abc import Awaitable, Callable

from bot.core.errors import TryLater
from bot.core.settings import Settings
from bot.workflows import dbos_seam, engine
from bot.workflows.runtime import Runtime

log = logging.getLogger(__name__)


def take_over_dead_workers(rt: Runtime) -> list[str]:
    """Re-enqueue the workflows of workers whose heartbeat is stale; returns the executor ids this
    worker took over."""
    dead = [
        w
        for w in rt.store.stale_workers(rt.settings.orchestration.worker_stale_seconds)
        if w != rt.executor_id
    ]
    taken: list[str] = []
    for executor in dead:
        if not rt.store.forget_worker(executor):
            continue  # another live worker declared it dead first and requeues its workflows
        requeued = dbos_seam.requeue_pending([executor])
        log.warning("worker %s is silent: %d of its employers are back on the queue", executor, len(requeued))
        taken.append(executor)
    return taken


def declared_dead(rt: Runtime) -> bool:
    """Whether another worker has taken this one's workflows (it was silent too long: a pause, a
    stopped VM): its heartbeat row is gone."""
    every = rt.store.stale_workers(-math.inf)  # older than -inf seconds: every heartbeat row
    return rt.executor_id not in every


def fence(rt: Runtime) -> None:
    """Stop at once when declared dead: the workflows this process is executing are back on the
    queue, and going on would execute them twice at once. Exit 75: a supervisor may start it again."""
    if declared_dead(rt):
        log.error(
            "%s was declared dead by another worker, which took over its employers: stopping at once",
            rt.executor_id,
        )
        logging.shutdown()
        os._exit(TryLater.exit_code)


async def serve(
    settings: Settings,
    concurrency: int | None,
    stop: asyncio.Event | None = None,
    *,
    role: engine.Role = "worker",
    on_start: Callable[[Runtime], Awaitable[None]] | None = None,
) -> None:
    """Run as a worker (or the `schedule` process, which is one too) until SIGTERM / SIGINT or `stop`."""
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    rt = await engine.start(settings, role, concurrency)
    beat = max(0.5, settings.orchestration.worker_stale_seconds / 5)
    try:
        if on_start is not None:
            await on_start(rt)
        while not stop.is_set():
            await asyncio.to_thread(fence, rt)
            await asyncio.to_thread(rt.store.heartbeat, rt.executor_id)
            await asyncio.to_thread(take_over_dead_workers, rt)
            try:  # the heartbeat period, ended early by a stop signal
                await asyncio.wait_for(stop.wait(), timeout=beat)
            except TimeoutError:
                pass
    finally:
        rt.store.forget_worker(rt.executor_id)
        await engine.stop(rt)
