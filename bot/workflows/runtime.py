"""What the workflows of one process share: settings, the run tables, one Chromium, the breaker.

Browser objects cannot be checkpointed: the browser is started lazily, in the event loop that runs
the workflows (and again if it died), and each workflow attempt opens its own context and logs in
(bot/workflows/execution.py), so a resumed workflow needs nothing from the process that started it.
"""

from __future__ import annotations

import asyncio

from bot.core.browser import Browser
from bot.core.locks import ProcessLock
from bot.core.runs import RunStore
from bot.core.settings import Settings
from bot.workflows.breaker import CircuitBreaker


class Runtime:
    """One per process; `current()` gives it to the workflow steps."""

    def __init__(
        self,
        settings: Settings,
        store: RunStore,
        executor_id: str,
        *,
        database_lock: ProcessLock | None = None,
    ) -> None:
        self.settings = settings
        self.store = store
        self.executor_id = executor_id
        self.database_lock = database_lock  # SQLite: this process is the one executing
        self.breaker = CircuitBreaker(
            settings.orchestration.breaker_threshold,
            settings.orchestration.breaker_cooldown_seconds,
            window_seconds=settings.orchestration.breaker_window_seconds,
            failure_ratio=settings.orchestration.breaker_failure_ratio,
        )
        self._sessions: asyncio.Semaphore | None = None
        self._browser: Browser | None = None
        self._browser_lock: asyncio.Lock | None = None

    @property
    def sessions(self) -> asyncio.Semaphore:
        """The cap on browser contexts open on the portal at once (made in the workflows' loop)."""
        if self._sessions is None:
            self._sessions = asyncio.Semaphore(self.settings.orchestration.portal_sessions)
        return self._sessions

    async def browser(self) -> Browser:
        """The process's one Chromium, launched on first use."""
        if self._browser_lock is None:
            self._browser_lock = asyncio.Lock()
        async with self._browser_lock:
            if self._browser is not None and not self._browser.connected:  # it died: launch another
                await self._browser.__aexit__(None, None, None)
                self._browser = None
            if self._browser is None:
                browser = Browser(self.settings.browser, self.settings.portal)
                await browser.__aenter__()
                self._browser = browser
        return self._browser

    async def close(self) -> None:
        if self._browser is not None:
            await self._browser.__aexit__(None, None, None)
            self._browser = None
        self.store.close()


_current: Runtime | None = None


def install(runtime: Runtime | None) -> None:
    global _current
    _current = runtime


def current() -> Runtime:
    if _current is None:
        raise RuntimeError(
            "no runtime: start the engine (bot.workflows.engine.start) before running workflows"
        )
    return _current
