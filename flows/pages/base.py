"""What every ASSIST screen shares: navigation that checks the portal's answer, alerts, errors.

Playwright errors are translated here, once, at the page boundary: a time-out or a 5xx is
`PortalUnavailable` (retryable); being sent back to the login page is `SessionExpired`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import ClassVar, TypeVar

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Locator, Page, Response
from playwright.async_api import TimeoutError as PlaywrightTimeoutError

from bot.core.errors import PortalUnavailable, SessionExpired

T = TypeVar("T")
# What a page object finds on its screen: (role, name), role an ARIA role, "label" (a form field
# found by its label) or "text" (visible text). Checked screen by screen by flows/pages/drift.py.
Expect = tuple[str, str]
LOGIN_PATH = "/employer/login"


def _is_final_document(response: Response) -> bool:
    return response.request.is_navigation_request() and not 300 <= response.status < 400


class PortalPage:
    """Base of the page objects: one subclass per screen, locators by role and label."""

    screen = "ASSIST"
    # Declared by each screen beside its locators, so a label is changed in one place:
    url: ClassVar[str | None] = None  # the path it lives at ("*" is one segment)
    expects: ClassVar[tuple[Expect, ...]] = ()  # what its locators rely on

    def __init__(self, page: Page) -> None:
        self.page = page

    @property
    def alert(self) -> Locator:
        return self.page.get_by_role("alert")

    async def alert_text(self) -> str | None:
        """The portal's message on this screen, if it shows one."""
        if await self.alert.count() == 0:
            return None
        return " ".join((await self.alert.first.inner_text()).split()) or None

    async def _guard(self, what: str, action: Callable[[], Awaitable[T]]) -> T:
        try:
            return await action()
        except PlaywrightTimeoutError as exc:
            raise PortalUnavailable(f"{self.screen}: timed out while {what} ({self.page.url})") from exc
        except PlaywrightError as exc:
            raise PortalUnavailable(f"{self.screen}: browser error while {what}: {exc.message}") from exc

    async def _navigate(self, what: str, action: Callable[[], Awaitable[object]]) -> Response:
        """Do something that loads a new document and check what the portal answered."""

        async def go() -> Response:
            async with self.page.expect_response(_is_final_document) as info:
                await action()
            response = await info.value
            await self.page.wait_for_load_state("domcontentloaded")
            return response

        response = await self._guard(what, go)
        if response.status >= 500:
            raise PortalUnavailable(f"{self.screen}: the portal answered {response.status} while {what}")
        return response

    async def goto(self, url: str, what: str) -> Response:
        return await self._navigate(what, lambda: self.page.goto(url))

    async def click_and_load(self, target: Locator, what: str) -> Response:
        return await self._navigate(what, lambda: target.click())

    def expect_signed_in(self) -> None:
        """Raise `SessionExpired` when the portal has sent us back to its login page."""
        if self.page.url.split("?")[0].endswith(LOGIN_PATH):
            raise SessionExpired(f"{self.screen}: the portal ended the session (back at the login page)")
