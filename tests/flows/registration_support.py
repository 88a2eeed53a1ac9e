"""Helpers of the registration flow tests: run one piece of work for one demo employer, logged in."""
from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path

from bot.browser import EmployerSession
from bot.registration import Document
from bot.runner import EmployerResult, run_for_employers
from bot.settings import EmployerSettings, Settings
from flows.employee_registration import open_registration
from flows.login import log_in
from flows.pages.registration import RegistrationPage

Task = Callable[[EmployerSession, RegistrationPage], Awaitable[str]]


def run_logged_in(settings: Settings, name: str, task: Task) -> EmployerResult:
    """Log `name` in, open Registration, do `task`; the runner's result (status, detail, evidence)."""

    async def work(session: EmployerSession, employer: EmployerSettings, s: Settings) -> str:
        registration = await open_registration(await log_in(session, employer, s))
        return await task(session, registration)

    [result] = asyncio.run(run_for_employers(settings, [settings.employer(name)], work))
    return result


def document(folder: Path, name: str, doc_type: str) -> Document:
    path = folder / name
    path.write_bytes(b"%PDF-1.4 supporting document\n")
    return Document(doc_type, path)
