"""Locks across the processes of one machine (flock): released on exit, or by the kernel when the
holder dies, so a killed run never leaves one behind."""

from __future__ import annotations

import asyncio
import fcntl
import hashlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import IO


@asynccontextmanager
async def exclusive(path: Path) -> AsyncIterator[None]:
    """Hold an exclusive lock on `path` (created if missing); waits, in a thread, for its holder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+", encoding="utf-8") as handle:
        await asyncio.to_thread(fcntl.flock, handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def login_lock(state_dir: Path, portal_url: str, employer_code: str) -> Path:
    """The lock one employer's logins to one portal take on this machine: the portal keeps one emailed
    password per employer and a new request voids the one before, so two logins at once would void
    each other."""
    portal = hashlib.sha256(portal_url.rstrip("/").encode()).hexdigest()[:12]
    return state_dir / "locks" / f"login-{employer_code}-{portal}.lock"


class Held(Exception):
    """The lock is held by another process; `holder` is what that process wrote into it."""

    def __init__(self, path: Path, holder: str) -> None:
        super().__init__(f"{path} is held by {holder or 'another process'}")
        self.path = path
        self.holder = holder


class ProcessLock:
    """An exclusive lock taken at once or not at all (never waited for), held until `release()` or
    the process's end; the holder writes who it is into the file for the one refused."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._handle: IO[str] | None = None

    def acquire(self, holder: str) -> None:
        """Take the lock, or raise `Held` naming its holder."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(self.path, "a+", encoding="utf-8")  # noqa: SIM115  held until release()
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            text = handle.read().strip()
            handle.close()
            raise Held(self.path, text) from None
        handle.seek(0)
        handle.truncate()
        handle.write(holder)
        handle.flush()
        self._handle = handle

    def release(self) -> None:
        if self._handle is not None:
            self._handle.seek(0)
            self._handle.truncate()
            fcntl.flock(self._handle.fileno(), fcntl.LOCK_UN)
            self._handle.close()
            self._handle = None
