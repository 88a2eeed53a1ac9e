"""Chromium for the bot: find it, launch it once, give each employer its own context.

Discovery order (DESIGN.md): `ASSIST_BROWSER_PATH` (settings.browser.executable_path), Playwright's
own download, then a system `chromium` / `google-chrome` (headless: the system's
`chromium-headless-shell` before those). Each employer gets its own context (own cookies), with
tracing on; the work in it is done in stages (a workflow's steps share one context and one login),
each with its own evidence folder, downloads and trace chunk; a stage's trace (and the context's
video, when one is recorded) is kept only when the work fails, unless configured otherwise. Each
`step` is timed. Secrets
(passwords, bank credentials) are typed through `hide()`, and every kept trace, page and console
log is scrubbed of them: a trace records form posts and DOM values.
"""

from __future__ import annotations

import logging
import shutil
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import TracebackType

from playwright.async_api import Browser as PwBrowser
from playwright.async_api import BrowserContext, Page, Playwright, async_playwright
from playwright.async_api import Error as PlaywrightError
from pydantic import SecretStr

from bot.core.errors import ApplicationError, ConfigError
from bot.core.evidence import Evidence
from bot.core.redaction import redact_text
from bot.core.settings import BrowserSettings, PortalSettings

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
# Headless runs take the headless shell first where the system has it (Debian: chromium-headless-shell;
# it is what Playwright itself runs headless): bench/portfolio.py measured 40-50 % more employers per
# minute and a third less memory than the full browser, which renders a UI nobody sees.
HEADLESS_SHELLS = ("chromium-headless-shell",)


def find_chromium(explicit: Path | None, playwright: Playwright | None = None, headless: bool = True) -> Path:
    """The Chromium to launch, by the discovery order; `ConfigError` when there is none."""
    if explicit is not None:
        if not explicit.exists():
            raise ConfigError(f"ASSIST_BROWSER_PATH points to {explicit}, which does not exist")
        return explicit
    if playwright is not None:
        bundled = Path(playwright.chromium.executable_path)
        if bundled.exists():
            return bundled
    for name in (HEADLESS_SHELLS if headless else ()) + SYSTEM_BROWSERS:
        found = shutil.which(name)
        if found:
            return Path(found)
    raise ConfigError(
        "no Chromium found: set ASSIST_BROWSER_PATH, run `playwright install chromium`, "
        "or install the distribution's package (`apt-get install -y chromium`); `make demo` does this"
    )


@dataclass(frozen=True)
class StepRecord:
    """One `EmployerSession.step`: when it was marked, what it took, its screenshot (if any)."""

    name: str
    at: datetime
    offset_seconds: float  # since the session started
    seconds: float  # since the previous step (or the start): the work of this step
    screenshot: Path | None

    def as_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "at": self.at.isoformat(timespec="milliseconds"),
            "offset_seconds": self.offset_seconds,
            "seconds": self.seconds,
            "screenshot": self.screenshot.name if self.screenshot else None,
        }


class EmployerSession:
    """One employer's browser context and page. Its work is done in stages (`stage`), each with its
    own evidence folder: one context, one login, shared by the steps of a workflow attempt."""

    def __init__(
        self, context: BrowserContext, page: Page, evidence: Evidence, settings: BrowserSettings
    ) -> None:
        self.context = context
        self.page = page
        self.settings = settings
        self.evidence = evidence
        self.downloads = evidence.path("downloads")
        # The employer code this context is logged in as (set by flows/login.py), None before.
        self.signed_in: str | None = None
        self.console: list[str] = []
        self._secrets: list[str] = []
        self._tracing = settings.trace != "off"
        self._chunk = False  # a trace chunk is being recorded
        self._closed = False
        self.steps: list[StepRecord] = []
        self._started = self._last_step = time.monotonic()
        page.on("console", lambda msg: self.console.append(f"{msg.type}: {msg.text}"))
        page.on("close", lambda _: self._forget_login())
        context.on("close", lambda _: self._forget_login())

    def _forget_login(self) -> None:
        self.signed_in = None

    @property
    def alive(self) -> bool:
        """The context can still be used: not closed, its page open, its browser connected."""
        browser = self.context.browser
        return not self._closed and not self.page.is_closed() and (browser is None or browser.is_connected())

    async def step(self, name: str) -> None:
        """Record that a step is done: its time and, when enabled, a screenshot in the evidence folder."""
        done = time.monotonic()
        shot = await self.evidence.screenshot(self.page, name) if self.settings.screenshots else None
        self.steps.append(
            StepRecord(
                name,
                datetime.now().astimezone(),
                round(done - self._started, 3),
                round(done - self._last_step, 3),
                shot,
            )
        )
        self._last_step = time.monotonic()  # the screenshot is not part of the next step's time

    def hide(self, secret: SecretStr) -> str:
        """Register a secret about to be typed; kept evidence is scrubbed of it. Returns its value."""
        value = secret.get_secret_value()
        self._secrets.append(value)
        return value

    @asynccontextmanager
    async def stage(self, evidence: Evidence) -> AsyncIterator[EmployerSession]:
        """One piece of work in this context with its own evidence: screenshots and downloads go to
        `evidence`, and a failure leaves its trace (of this stage only), page and console there."""
        self.evidence = evidence
        self.downloads = evidence.path("downloads")
        self.console = []
        self.steps = []
        self._started = self._last_step = time.monotonic()
        await self._start_chunk()
        failed = True
        try:
            yield self
            failed = False
        finally:
            await self._finish(failed)

    async def _start_tracing(self) -> None:
        if self._tracing:
            await self.context.tracing.start(
                screenshots=self.settings.trace_screenshots, snapshots=True, sources=False
            )
            self._chunk = True

    async def _start_chunk(self) -> None:
        if self._tracing and not self._chunk and self.alive:
            try:
                await self.context.tracing.start_chunk()
                self._chunk = True
            except PlaywrightError as exc:
                log.warning("could not trace %s: %s", self.evidence.folder, exc)

    async def _finish(self, failed: bool) -> None:
        keep = self._tracing and (failed or self.settings.trace == "on")
        try:
            if self._chunk:
                self._chunk = False
                trace = self.evidence.unique_path("trace.zip") if keep else None
                await self.context.tracing.stop_chunk(path=trace)
            if failed:
                await self._save_failure_page()
        except PlaywrightError as exc:  # a crashed browser cannot give its trace; say so, keep going
            log.warning("could not save evidence for %s: %s", self.evidence.folder, exc)
        # Trace, page dump, console log, the uploaded text file: scrubbed of secrets, cookies, tokens, MyKads.
        self.evidence.seal(self._secrets)

    async def _save_failure_page(self) -> None:
        console = redact_text("\n".join(self.console) + "\n", self._secrets)
        self.evidence.unique_path("console.log").write_text(console, encoding="utf-8")
        if not self.page.is_closed():
            page_html = redact_text(await self.page.content(), self._secrets)
            self.evidence.unique_path("page.html").write_text(page_html, encoding="utf-8")
            await self.evidence.screenshot(self.page, "failure")

    async def close(self, failed: bool = False) -> None:
        """Close the context (idempotent); then keep or delete its video."""
        if self._closed:
            return
        self._closed = True
        self.signed_in = None
        try:
            if self._tracing:
                await self.context.tracing.stop()
        except PlaywrightError:
            pass  # nothing left to save: each stage saved its own chunk
        try:
            await self.context.close()
        except PlaywrightError as exc:  # the browser died; its contexts went with it
            log.warning("could not close the context of %s: %s", self.evidence.folder, exc)
        await self._save_video(failed)

    async def _save_video(self, failed: bool) -> None:
        """Once the context is closed (the video is complete): keep it as `video.webm`, or delete it.
        Only pixels are recorded, as in the screenshots: password fields show as dots."""
        video = self.page.video
        if video is None:
            return
        try:
            recorded = Path(await video.path())
        except PlaywrightError as exc:
            log.warning("could not save the video for %s: %s", self.evidence.folder, exc)
            return
        try:
            if failed or self.settings.video == "on":
                recorded.replace(self.evidence.unique_path("video.webm"))
            else:
                recorded.unlink(missing_ok=True)
        except OSError as exc:  # the evidence folder went away under us; the work itself is done
            log.warning("could not keep the video %s: %s", recorded, exc)


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
            executable = find_chromium(
                self.settings.executable_path, self._playwright, self.settings.headless
            )
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
        try:
            if self._browser is not None:
                await self._browser.close()
        except PlaywrightError as exc:  # it died already
            log.warning("closing Chromium: %s", exc)
        finally:
            self._browser = None
            if self._playwright is not None:
                await self._playwright.stop()
                self._playwright = None

    @property
    def connected(self) -> bool:
        return self._browser is not None and self._browser.is_connected()

    async def open(self, evidence: Evidence) -> EmployerSession:
        """A fresh context for one employer (close it with `session.close()`); work in it by `stage`s."""
        if self._browser is None:
            raise RuntimeError("Browser used outside `async with`")
        video_dir = str(evidence.folder) if self.settings.video != "off" else None
        try:
            context = await self._browser.new_context(
                accept_downloads=True, viewport={"width": 1280, "height": 900}, record_video_dir=video_dir
            )
        except PlaywrightError as exc:  # the browser died under us
            raise ApplicationError(f"Chromium could not open a context: {exc.message}") from exc
        context.set_default_timeout(self.portal.action_timeout_ms)
        context.set_default_navigation_timeout(self.portal.navigation_timeout_ms)
        try:
            page = await context.new_page()
        except PlaywrightError as exc:
            await context.close()
            if video_dir and "ffmpeg" in exc.message:
                raise ConfigError(
                    "recording video needs Playwright's ffmpeg: run `playwright install ffmpeg`, "
                    "or set the browser's video option to off"
                ) from exc
            raise
        session = EmployerSession(context, page, evidence, self.settings)
        await session._start_tracing()
        return session

    @asynccontextmanager
    async def employer(self, evidence: Evidence) -> AsyncIterator[EmployerSession]:
        """A fresh context for one piece of work; evidence of a failure is saved before it closes."""
        session = await self.open(evidence)
        failed = True
        try:
            async with session.stage(evidence):
                yield session
            failed = False
        finally:
            await session.close(failed)
