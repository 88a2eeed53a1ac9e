"""Locks across the processes of one machine (flock): released on exit, or by the kernel when the
holder dies, so a killed run never leaves one behind."""

from __future__ import annotations

import asyncio
import fcntl
import hashlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path


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
