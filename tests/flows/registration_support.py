"""Helpers of the registration flow tests: run one piece of work for one demo employer, logged in."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import date, timedelta
from pathlib import Path

from bot.core.browser import EmployerSession
from bot.core.registration import Document
from bot.core.settings import EmployerSettings, Settings
from bot.runner import EmployerResult, run_for_employers
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


def last_month() -> tuple[str, date]:
    """The month before today (YYYY-MM) and its first day: payroll dates must not be in the future."""
    first = (date.today().replace(day=1) - timedelta(days=1)).replace(day=1)
    return first.strftime("%Y-%m"), first


def halim_payroll(folder: Path) -> tuple[Path, str]:
    """Halim's payroll for last month: two joiners (one PERKESO knows, one new), one leaver (Tan Mei
    Ling, status H), the others unchanged; with each joiner's and the leaver's document in `documents/`."""
    month, first = last_month()
    day = lambda n: first.replace(day=n).isoformat()  # noqa: E731
    rows = [
        "id_number,name,wages,status,status_date",
        "900101-14-5677,Ali Bin Abu,1700.00,,",
        f"850612-10-5432,Tan Mei Ling,1475.00,H,{day(15)}",
        "640101-08-1235,Muthu A/L Rajan,3000.01,,",
        "020315-01-2346,Nurul Huda Binti Ismail,1500.00,,",
        f"930722-10-5540,Lee Siew Mei,2100.00,B,{day(2)}",
        f"960415-14-5521,Hafiz bin Kamarul,1800.00,B,{day(3)}",
    ]
    payroll = folder / "halim.csv"
    payroll.write_text("\n".join(rows) + "\n", encoding="utf-8")
    documents = folder / "documents"
    documents.mkdir(exist_ok=True)
    for name in ("930722105540-mykad.pdf", "960415145521-mykad.pdf", "850612105432-letter.pdf"):
        (documents / name).write_bytes(b"%PDF-1.4 supporting document\n")
    return payroll, month
