"""Helpers of the payment flow tests: a month submitted over HTTP (fast, the contribution flow has
its own tests), settings with a private ledger, and one pay run in real Chromium."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx

from bot.core.browser import EmployerSession
from bot.core.contributions import Month
from bot.core.settings import EmployerSettings, Settings
from bot.runner import EmployerResult, run_for_employers
from flows.payment import PaymentResult, PayOptions, pay_month
from tests.mock_portal.browser import Visitor
from tests.mock_portal.payment_helpers import submitted
from tests.support.demo_portfolio import demo_settings
from tests.support.portal import MockPortalProcess

OCT = Month(2026, 10)


def submit_month(
    portal: MockPortalProcess, settings: Settings, name: str, scheme: str = "socso+eis"
) -> list[dict[str, Any]]:
    """The employer's October 2026 contributions submitted: their documents in the portal."""
    employer = settings.employer(name)
    with Visitor(portal) as visitor:
        visitor.login(employer.login_email)
        return submitted(visitor, portal, name, employer.employer_code, scheme)


def pay_settings(portfolio: Path, tmp_path: Path) -> Settings:
    """The demo settings with the ledger in the test's own folder and a short wait for the bank."""
    settings = demo_settings(portfolio, tmp_path / "evidence", state_dir=tmp_path / "state")
    for employer in settings.employers:
        employer.bank.return_timeout_seconds = 3
    return settings


def run_pay(
    settings: Settings,
    name: str,
    method: str | None = None,
    options: PayOptions = PayOptions(),
    results: list[PaymentResult] | None = None,
) -> EmployerResult:
    async def work(session: EmployerSession, employer: EmployerSettings, s: Settings) -> str:
        result = await pay_month(session, employer, s, OCT, method, options)
        if results is not None:
            results.append(result)
        return result.detail()

    [result] = asyncio.run(run_for_employers(settings, [settings.employer(name)], work))
    return result


def payments(portal: MockPortalProcess) -> list[dict[str, Any]]:
    return list(portal.state()["payments"])


def control(portal: MockPortalProcess, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
    response = httpx.post(f"{portal.base_url}/_mock/{path}", json=body or {}, timeout=10)
    response.raise_for_status()
    return dict(response.json())
