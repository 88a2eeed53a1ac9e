"""A worker process: executes queued employers until stopped, and keeps dead workers' work alive.

Every worker writes a heartbeat to the run tables. A worker that has been silent for
`orchestration.worker_stale_seconds` (killed, machine gone) is declared dead by any live worker,
which puts its unfinished workflows back on the queue (DBOS recovery by executor id, idempotent: a
workflow already picked up again is left alone). Their done steps are replayed, not repeated.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Awaitable, Callable

from dbos import DBOS

from bot.core.settings import Settings
from bot.workflows import engine
from bot.workflows.runtime import Runtime

log = logging.getLogger(__name__)


def take_over_dead_workers(rt: Runtime) -> list[str]:
    """Re-enqueue the workflows of workers whose heartbeat is stale; returns their executor ids."""
    dead = [
        w
        for w in rt.store.stale_workers(rt.settings.orchestration.worker_stale_seconds)
        if w != rt.executor_id
    ]
    for executor in dead:
        handles = DBOS._recover_pending_workflows([executor])
        log.warning("worker %s is silent: %d of its employers are back on the queue", executor, len(handles))
        rt.store.forget_worker(executor)
    return dead


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
            await asyncio.to_thread(rt.store.heartbeat, rt.executor_id)
            await asyncio.to_thread(take_over_dead_workers, rt)
            try:  # the heartbeat period, ended early by a stop signal
                await asyncio.wait_for(stop.wait(), timeout=beat)
            except TimeoutError:
                pass
    finally:
        rt.store.forget_worker(rt.executor_id)
        await engine.stop(rt)
