"""One employer's portal session, shared by all the work of one workflow attempt or one command.

A login is an emailed password: seconds to a minute at a real firm, and one more chance of the
lockout. So the steps of an attempt share one browser context and one login (DESIGN.md, portal
sessions); each step works in it as its own stage, with its own evidence folder. The context is
opened by the first piece of portal work (a replayed or local step opens nothing) and is logged out
and closed when the attempt or command ends, success or not.

Retries (bot/core/retry.py) stay in this session: a retried attempt logs in again only when the
portal ended the session (`SessionExpired`: flows/login.py then finds it gone) or the browser or
its context died (a fresh context is opened). Browser objects are never checkpointed: a workflow
resumed in another process, or a new attempt (a fork), starts with no session and logs in afresh.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

from bot.core.browser import Browser, EmployerSession
from bot.core.errors import SessionExpired
from bot.core.evidence import Evidence
from bot.core.retry import with_retry
from bot.core.settings import EmployerSettings, Settings
from flows.login import log_out

log = logging.getLogger(__name__)

T = TypeVar("T")
Work = Callable[[EmployerSession, EmployerSettings, Settings], Awaitable[T]]


class PortalSession:
    """`async with PortalSession(...) as portal:` then `await portal.run(evidence, work)` per step."""

    def __init__(
        self,
        browser: Callable[[], Awaitable[Browser]],
        employer: EmployerSettings,
        settings: Settings,
        *,
        sessions: asyncio.Semaphore | None = None,
        before_attempt: Callable[[], None] | None = None,
    ) -> None:
        self._browser = browser
        self.employer = employer
        self.settings = settings
        self._sessions = sessions
        self._before_attempt = before_attempt
        self._session: EmployerSession | None = None
        self._holds_slot = False
        self.contexts = 0  # contexts opened: more than one means the browser or a context died

    async def __aenter__(self) -> PortalSession:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def run(self, evidence: Evidence, work: Work[T]) -> T:
        """`work` under the one retry policy, in this session's context, with `evidence` for its own."""

        async def attempt() -> T:
            if self._before_attempt is not None:
                self._before_attempt()
            session = await self._context(evidence)
            try:
                async with session.stage(evidence):
                    return await work(session, self.employer, self.settings)
            except SessionExpired:
                session.signed_in = None  # the portal ended it: the next attempt logs in again
                raise
            except BaseException:
                if not session.alive:  # the page, context or browser died: the next attempt opens anew
                    await self._discard(failed=True)
                raise

        return await with_retry(self.settings.retry, attempt)

    async def _context(self, evidence: Evidence) -> EmployerSession:
        if self._session is not None and self._session.alive:
            return self._session
        if self._session is not None:
            await self._discard(failed=True)
        if self._sessions is not None and not self._holds_slot:
            await self._sessions.acquire()
            self._holds_slot = True
        try:
            self._session = await (await self._browser()).open(evidence)
        except BaseException:
            self._release()
            raise
        self.contexts += 1
        return self._session

    async def close(self) -> None:
        """Log out (best effort: the work's own outcome is what counts) and close the context."""
        session, self._session = self._session, None
        if session is None:
            return
        try:
            await log_out(session, self.settings)
        except Exception as exc:  # a portal that is down cannot log us out; its session then times out
            log.warning("%s: could not log out: %s: %s", self.employer.name, type(exc).__name__, exc)
        finally:
            await session.close()
            self._release()

    async def _discard(self, failed: bool) -> None:
        session, self._session = self._session, None
        if session is not None:
            await session.close(failed)
        self._release()

    def _release(self) -> None:
        if self._holds_slot and self._sessions is not None:
            self._sessions.release()
        self._holds_slot = False
