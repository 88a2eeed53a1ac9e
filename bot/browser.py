"""Chromium for the bot: find it, launch it once, give each employer its own context.

Discovery order (DESIGN.md): `ASSIST_BROWSER_PATH` (settings.browser.executable_path), Playwright's
own download, then a system `chromium` / `google-chrome`. Each employer gets a fresh context (own
cookies, own downloads folder) with tracing on; the trace is kept only when the work fails, unless
configured otherwise. Secret entry (passwords, bank credentials) happens inside `secret()`, which
pauses tracing so that neither the typed value nor the request that carries it reach a trace.
"""
from __future__ import annotations

import logging
import shutil
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from types import TracebackType

from playwright.async_api import Browser as PwBrowser
from playwright.async_api import BrowserContext, Error as PlaywrightError, Page, Playwright, async_playwright

from bot.errors import ApplicationError, ConfigError
from bot.evidence import Evidence
from bot.settings import BrowserSettings, PortalSettings

log = logging.getLogger(__name__)

# Root needs --no-sandbox; the network flags stop Chromium calling home on a closed network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SYSTEM_BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def find_chromium(explicit: Path | None, playwright: Playwright | None = None) -> Path:
    """The Chromium to launch, by the discovery order; `ConfigError` when there is none."""
    if explicit is not None:
        if not explicit.exists():
            raise ConfigError(f"ASSIST_BROWSER_PATH points to {explicit}, which does not exist")
        return explicit
    if playwright is not None:
        bundled = Path(playwright.chromium.executable_path)
        if bundled.exists():
            return bundled
    for name in SYSTEM_BROWSERS:
        found = shutil.which(name)
        if found:
            return Path(found)
    raise ConfigError(
        "no Chromium found: set ASSIST_BROWSER_PATH, run `playwright install chromium`, "
        "or install the distribution's package (`apt-get install -y chromium`); `make demo` does this"
    )


class EmployerSession:
    """One employer's browser context and page, with its evidence folder."""

    def __init__(self, context: BrowserContext, page: Page, evidence: Evidence, settings: BrowserSettings) -> None:
        self.context = context
        self.page = page
        self.evidence = evidence
        self.settings = settings
        self.downloads = evidence.path("downloads")
        self.console: list[str] = []
        self._chunks: list[Path] = []
        self._chunk_dir = Path(tempfile.mkdtemp(prefix="assist-trace-"))
        self._tracing = settings.trace != "off"
        page.on("console", lambda msg: self.console.append(f"{msg.type}: {msg.text}"))

    async def step(self, name: str) -> None:
        """Record that a step is done: a screenshot in the evidence folder."""
        if self.settings.screenshots:
            await self.evidence.screenshot(self.page, name)

    @asynccontextmanager
    async def secret(self) -> AsyncIterator[None]:
        """Pause tracing while a secret is typed and sent; resume afterwards."""
        if not self._tracing:
            yield
            return
        chunk = self._chunk_dir / f"trace-{len(self._chunks) + 1}.zip"
        await self.context.tracing.stop_chunk(path=chunk)
        self._chunks.append(chunk)
        try:
            yield
        finally:
            await self.context.tracing.start_chunk()

    async def _start_tracing(self) -> None:
        if self._tracing:
            await self.context.tracing.start(screenshots=True, snapshots=True, sources=False)
            await self.context.tracing.start_chunk()

    async def _finish(self, failed: bool) -> None:
        keep = self._tracing and (failed or self.settings.trace == "on")
        try:
            if self._tracing:
                last = self._chunk_dir / f"trace-{len(self._chunks) + 1}.zip"
                await self.context.tracing.stop_chunk(path=last if keep else None)
                await self.context.tracing.stop()
                if keep:
                    self._chunks.append(last)
                    self._keep_traces()
            if failed:
                await self._save_failure_page()
        except PlaywrightError as exc:  # a crashed browser cannot give its trace; say so, keep going
            log.warning("could not save evidence for %s: %s", self.evidence.folder, exc)
        finally:
            shutil.rmtree(self._chunk_dir, ignore_errors=True)

    def _keep_traces(self) -> None:
        parts = [c for c in self._chunks if c.exists()]
        if len(parts) == 1:
            shutil.move(parts[0], self.evidence.unique_path("trace.zip"))
            return
        for index, part in enumerate(parts, start=1):
            shutil.move(part, self.evidence.unique_path(f"trace-part{index}.zip"))

    async def _save_failure_page(self) -> None:
        self.evidence.unique_path("console.log").write_text("\n".join(self.console) + "\n", encoding="utf-8")
        if not self.page.is_closed():
            self.evidence.unique_path("page.html").write_text(await self.page.content(), encoding="utf-8")
            await self.evidence.screenshot(self.page, "failure")


class Browser:
    """One Chromium per process; `async with Browser(...) as browser:` then `browser.employer(...)`."""

    def __init__(self, settings: BrowserSettings, portal: PortalSettings) -> None:
        self.settings = settings
        self.portal = portal
        self._playwright: Playwright | None = None
        self._browser: PwBrowser | None = None

    async def __aenter__(self) -> Browser:
        self._playwright = await async_playwright().start()
        try:
            executable = find_chromium(self.settings.executable_path, self._playwright)
            log.debug("launching %s", executable)
            self._browser = await self._playwright.chromium.launch(
                executable_path=str(executable), headless=self.settings.headless, args=CHROMIUM_ARGS
            )
        except PlaywrightError as exc:
            await self._playwright.stop()
            raise ApplicationError(f"Chromium did not start: {exc}") from exc
        except BaseException:
            await self._playwright.stop()
            raise
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._browser is not None:
            await self._browser.close()
        if self._playwright is not None:
            await self._playwright.stop()

    @asynccontextmanager
    async def employer(self, evidence: Evidence) -> AsyncIterator[EmployerSession]:
        """A fresh context for one employer; evidence of a failure is saved before it closes."""
        if self._browser is None:
            raise RuntimeError("Browser used outside `async with`")
        context = await self._browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})
        context.set_default_timeout(self.portal.action_timeout_ms)
        context.set_default_navigation_timeout(self.portal.navigation_timeout_ms)
        page = await context.new_page()
        session = EmployerSession(context, page, evidence, self.settings)
        await session._start_tracing()
        failed = True
        try:
            yield session
            failed = False
        finally:
            await session._finish(failed)
            await context.close()
