"""Live progress of a portfolio run: one line per employer (status, step, elapsed), from the run tables.

Read from the database rather than from this process, so `run` shows the same lines whether it
executes the workflows itself (SQLite) or workers on other machines do (PostgreSQL).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from rich.console import Console
from rich.live import Live
from rich.table import Table

from bot.core.runs import EmployerRun

STYLE = {
    "done": "green",
    "failed": "red",
    "needs-human": "yellow",
    "unknown-outcome": "yellow",
    "running": "cyan",
    "queued": "dim",
}


def table(runs: list[EmployerRun], title: str) -> Table:
    view = Table(title=title, title_justify="left")
    for column in ("Employer", "Code", "Status", "Step", "Elapsed", "Detail"):
        view.add_column(column, justify="right" if column == "Elapsed" else "left", overflow="fold")
    for run in runs:
        style = STYLE.get(run.status, "")
        view.add_row(
            run.employer,
            run.employer_code,
            f"[{style}]{run.status}[/]" if style else run.status,
            run.step,
            f"{run.seconds:.0f}s",
            run.detail[:90],
        )
    return view


class Progress:
    """Refreshes the table twice a second until stopped; silent when `enabled` is false."""

    def __init__(
        self, read: Callable[[], list[EmployerRun]], title: str, enabled: bool, console: Console
    ) -> None:
        self.read = read
        self.title = title
        self.enabled = enabled
        self.console = console
        self._task: asyncio.Task[None] | None = None
        self._live: Live | None = None
        self._stop = asyncio.Event()

    async def _refresh(self) -> None:
        assert self._live is not None
        while not self._stop.is_set():
            self._live.update(table(await asyncio.to_thread(self.read), self.title))
            try:  # a refresh period, ended early by __exit__
                await asyncio.wait_for(self._stop.wait(), timeout=0.5)
            except TimeoutError:
                pass

    def __enter__(self) -> Progress:
        if self.enabled:
            self._live = Live(
                table([], self.title), console=self.console, refresh_per_second=4, transient=False
            )
            self._live.__enter__()
            self._task = asyncio.get_running_loop().create_task(self._refresh())
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._task is not None:
            self._task.cancel()
        if self._live is not None:
            self._live.update(table(self.read(), self.title))
            self._live.__exit__(None, None, None)
