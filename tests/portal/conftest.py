"""The portal QA suite's fixtures: the portal under test, its test accounts, one Chromium per worker.

Without `--base-url` the suite runs against the session's bundled mock portal (reset per test) and
the demo portfolio; with `--base-url URL --portfolio FILE` against any ASSIST portal. pytest-
playwright's `--headed`, `--tracing`, `--screenshot`, `--video` and `--output` set the bot's browser
options; each attempt's evidence (step screenshots and their timings in steps.json, trace, page and
video on failure, drift.txt, result.json) goes to `<output>/<test>/attempt-N/<employer>/`
(tests/portal/attempts.py), so a rerun keeps the failed attempt's evidence beside its own.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Generator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Page

from bot.core.browser import Browser, EmployerSession
from bot.core.errors import AssistError
from bot.core.evidence import Evidence
from bot.core.settings import BrowserSettings, EmployerSettings, PortalSettings, Settings, load_settings
from flows.pages.base import PortalPage
from flows.pages.drift import check_current, check_screen, drift_report
from tests.flows.payment_support import submit_month
from tests.portal import attempts
from tests.support.demo_portfolio import TEST_RETRY, demo_settings
from tests.support.portal import MockPortalProcess

# Short enough that a step on a drifted screen fails quickly, long enough for a loaded machine.
ACTION_TIMEOUT_MS = 10_000


class _TestFailed(Exception):
    """Thrown into the browser session so that it keeps the failure's trace and page."""


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, None, None]:
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        item.stash[FAILED] = report.failed
    number, folder = item.stash.get(ATTEMPT, (0, None))
    if folder is not None and number == attempts.attempt_number(item):
        attempts.record(folder, report)


FAILED = pytest.StashKey[bool]()
# The running attempt's number and folder, set by `qa_session` (a rerun that fails before it has none).
ATTEMPT = pytest.StashKey[tuple[int, Path]]()


def _target(config: pytest.Config) -> str | None:
    url = config.getoption("base_url", default=None)
    return str(url) if url else None


def _output(config: pytest.Config) -> Path:
    return Path(str(config.getoption("output", default="test-results"))).resolve()


@pytest.fixture(scope="session")
def qa_browser_settings(pytestconfig: pytest.Config) -> BrowserSettings:
    screenshot = pytestconfig.getoption("screenshot", default="off")
    return BrowserSettings(
        headless=not pytestconfig.getoption("headed", default=False),
        trace=pytestconfig.getoption("tracing", default="off"),
        screenshots=screenshot != "off",
        video=pytestconfig.getoption("video", default="off"),
    )


@pytest.fixture
def qa_settings(
    request: pytest.FixtureRequest, qa_browser_settings: BrowserSettings, tmp_path: Path
) -> Settings:
    """The portfolio of test accounts, pointed at the portal under test."""
    target = _target(request.config)
    evidence = _output(request.config)
    if target is None:
        settings = demo_settings(request.getfixturevalue("demo_portfolio"), evidence)
    else:
        portfolio = request.config.getoption("--portfolio")
        if not portfolio:
            pytest.fail("--base-url needs --portfolio FILE: the test accounts on that portal")
        settings = load_settings(Path(portfolio), evidence_dir=evidence, retry=TEST_RETRY)
        settings.portal.base_url = target
    settings.browser = qa_browser_settings
    settings.portal.action_timeout_ms = ACTION_TIMEOUT_MS
    return settings


@pytest.fixture
def qa_employer(qa_settings: Settings) -> EmployerSettings:
    """The test account the read-only checks use: the portfolio's first employer."""
    return qa_settings.employers[0]


@pytest.fixture
def mock(request: pytest.FixtureRequest) -> MockPortalProcess | None:
    """The bundled mock portal under test (reset), or None when the suite runs against `--base-url`."""
    if _target(request.config) is not None:
        return None
    portal: MockPortalProcess = request.getfixturevalue("fresh_portal")
    return portal


@pytest.fixture
def october(
    mock: MockPortalProcess | None, qa_settings: Settings, qa_employer: EmployerSettings
) -> list[dict[str, Any]]:
    """On the bundled mock, the test account's October 2026 submitted over HTTP (its ACR/ECR); on
    another portal nothing is created: the tests read the account's own documents."""
    return [] if mock is None else submit_month(mock, qa_settings, qa_employer.name, qa_employer.scheme)


@pytest.fixture(scope="session")
async def qa_browser(qa_browser_settings: BrowserSettings) -> AsyncIterator[Browser]:
    async with Browser(qa_browser_settings, PortalSettings(action_timeout_ms=ACTION_TIMEOUT_MS)) as browser:
        yield browser


@pytest.fixture
async def qa_session(
    request: pytest.FixtureRequest, qa_browser: Browser, qa_settings: Settings, qa_employer: EmployerSettings
) -> AsyncIterator[EmployerSession]:
    """A fresh browser context per attempt: its steps are timed (steps.json); on failure its trace,
    page, screenshot, video (if recorded) and a drift.txt are kept, in the attempt's own folder."""
    item = request.node
    number = attempts.attempt_number(item)
    folder = attempts.folder_of(_output(request.config), item.nodeid) / f"attempt-{number}"
    item.stash[ATTEMPT] = (number, folder)
    item.stash[FAILED] = False
    attempts.start(folder, item.nodeid, number)
    evidence = Evidence(folder.parent, folder.name, qa_employer.name)
    session: EmployerSession | None = None
    try:
        async with qa_browser.employer(evidence) as session:
            yield session
            if item.stash.get(FAILED, False):
                drifts = await check_current(session.page) if not session.page.is_closed() else []
                evidence.path("drift.txt").write_text(drift_report(drifts) if drifts else "no drift\n")
                raise _TestFailed
    except _TestFailed:
        pass
    finally:
        if session is not None:
            attempts.write_steps(session)


async def expect_screen(page: Page, page_object: type[PortalPage]) -> None:
    """Then-step of every screen: what `page_object` relies on is there, else a drift report."""
    drifts = await check_screen(page, page_object)
    assert not drifts, drift_report(drifts)


@asynccontextmanager
async def drift_explained(page: Page) -> AsyncIterator[None]:
    """A step that fails (a time-out, a missing field) on a drifted screen fails with the drift
    report instead: the screen, the expected label, what is there now, the page object to update."""
    try:
        yield
    except AssistError as exc:
        drifts = await check_current(page) if not page.is_closed() else []
        if drifts:
            raise AssertionError(f"{drift_report(drifts)}\n(the step failed with: {exc})") from exc
        raise
