"""What every ASSIST screen shares: locators declared once, navigation that checks the portal's
answer (and repeats a safe request in place), tables read by role and cell text, alerts.

Each locator is a `Find` (or, when its name depends on the data, a `Named`) declared as a class
attribute of the screen's page object. The methods act through it and the drift check
(flows/pages/drift.py) looks for the same object: renaming a label in one declaration changes both.

Playwright errors are translated here, once, at the page boundary: a 5xx or a network error on a
request that is safe to repeat is `RequestFailed` (repeated in place, bot/core/retry.py); a time-out
or another 5xx is `PortalUnavailable` (the step's next attempt); being sent back to the login page
is `SessionExpired`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from email.message import Message
from pathlib import Path
from typing import ClassVar, TypeVar, overload
from urllib.parse import urljoin, urlsplit

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Locator, Page, Response
from playwright.async_api import TimeoutError as PlaywrightTimeoutError

from bot.core.contributions.money import parse_ringgit
from bot.core.errors import PortalUnavailable, SessionExpired
from bot.core.retry import RequestFailed, in_place

T = TypeVar("T")
P = TypeVar("P", bound="PortalPage")
LOGIN_PATH = "/employer/login"
# What Chromium says when the request never got an answer (refused, reset, DNS, aborted).
NETWORK_ERRORS = ("net::ERR_", "NS_ERROR_", "Connection refused", "ECONNRESET")


@dataclass(frozen=True)
class Find:
    """One thing a screen has, by ARIA role and accessible name ("label": a form field by its label;
    "text": visible text). As a class attribute of a page object it is that screen's locator
    (`self.next_button`) and one of its expectations for the drift check (unless `optional`:
    shown only in some states of the screen)."""

    role: str
    name: str
    exact: bool = True
    optional: bool = False
    level: int | None = None  # a heading's level

    def within(self, scope: Page | Locator) -> Locator:
        if self.role == "label":
            return scope.get_by_label(self.name, exact=self.exact)
        if self.role == "text":
            return scope.get_by_text(self.name, exact=self.exact)
        if not self.name:  # any element of the role (the alert, a level-1 heading)
            return scope.get_by_role(self.role, level=self.level)  # type: ignore[arg-type]
        return scope.get_by_role(
            self.role,  # type: ignore[arg-type]
            name=self.name,
            exact=self.exact,
            level=self.level,
        )

    def renamed(self, name: str) -> Find:
        return replace(self, name=name)

    @overload
    def __get__(self, obj: None, owner: type | None = None) -> Find: ...
    @overload
    def __get__(self, obj: PortalPage, owner: type | None = None) -> Locator: ...
    def __get__(self, obj: PortalPage | None, owner: type | None = None) -> Find | Locator:
        return self if obj is None else self.within(obj.page)


@dataclass(frozen=True)
class Named:
    """A locator whose name depends on the data (`Named("checkbox", "Select {}")`): declared once
    beside the others; not a drift expectation, since which names exist depends on the records."""

    role: str
    pattern: str
    exact: bool = True

    def find(self, *values: object) -> Find:
        return Find(self.role, self.pattern.format(*values), self.exact)

    @overload
    def __get__(self, obj: None, owner: type | None = None) -> Named: ...
    @overload
    def __get__(self, obj: PortalPage, owner: type | None = None) -> Callable[..., Locator]: ...
    def __get__(self, obj: PortalPage | None, owner: type | None = None) -> Named | Callable[..., Locator]:
        if obj is None:
            return self
        page = obj.page
        return lambda *values: self.find(*values).within(page)


def _is_final_document(response: Response) -> bool:
    return response.request.is_navigation_request() and not 300 <= response.status < 400


def _is_network_error(exc: PlaywrightError) -> bool:
    return any(mark in exc.message for mark in NETWORK_ERRORS)


class PortalPage:
    """Base of the page objects: one subclass per screen, each locator a `Find` declared once.

    A screen's `declared()` locators (what the drift check looks for) are every non-optional
    `Find` it has, its own and its bases'; `url` is the path it lives at ("*" is one segment). A
    shared base that is no screen of its own leaves `screen` None."""

    screen: ClassVar[str | None] = None
    url: ClassVar[str | None] = None
    alert = Find("alert", "", exact=False, optional=True)
    status = Find("status", "", exact=False, optional=True)

    @classmethod
    def declared(cls) -> tuple[Find, ...]:
        """What the drift check looks for: every non-optional `Find` of the screen, its own and its
        bases' (a table of fields counts too), read at call time from the very attributes the
        methods act through."""
        found: dict[str, tuple[Find, ...]] = {}
        for klass in reversed(cls.__mro__):
            for attr, value in vars(klass).items():
                if isinstance(value, Find):
                    found[attr] = (value,)
                elif (
                    isinstance(value, dict | tuple)
                    and value
                    and all(
                        isinstance(v, Find) for v in (value.values() if isinstance(value, dict) else value)
                    )
                ):  # a screen's fields by name (a form driven by data)
                    found[attr] = tuple(value.values() if isinstance(value, dict) else value)
                elif attr in found:  # overridden by something that is not a locator
                    del found[attr]
        return tuple(dict.fromkeys(f for group in found.values() for f in group if not f.optional))

    def __init__(self, page: Page) -> None:
        self.page = page

    @property
    def name(self) -> str:
        return self.screen or type(self).__name__

    def at(self, find: Find) -> Locator:
        """The locator of a `Find` kept in a table of fields (a class attribute is one already)."""
        return find.within(self.page)

    def on(self, screen: type[P]) -> P:
        """The same browser page, now showing `screen`."""
        return screen(self.page)

    # -- reading ---------------------------------------------------------------------------------
    async def _guard(self, what: str, action: Callable[[], Awaitable[T]]) -> T:
        try:
            return await action()
        except PlaywrightTimeoutError as exc:
            raise PortalUnavailable(f"{self.name}: timed out while {what} ({self.page.url})") from exc
        except PlaywrightError as exc:
            raise PortalUnavailable(f"{self.name}: browser error while {what}: {exc.message}") from exc

    async def shows(self, target: Locator) -> bool:
        return await self._guard("reading the screen", target.count) > 0

    async def text_of(self, target: Locator) -> str:
        """The first match's text, whitespace collapsed ("" when it is not there)."""
        if not await self.shows(target):
            return ""
        return " ".join((await self._guard("reading the screen", target.first.inner_text)).split())

    async def alert_text(self) -> str | None:
        """The portal's message on this screen, if it shows one."""
        return await self.text_of(self.alert) or None

    async def status_text(self) -> str:
        return await self.text_of(self.status)

    async def table_rows(self, table: Locator, what: str) -> list[dict[str, str]]:
        """A table's rows as column header → cell text, found by role (`row`, `columnheader`, `cell`);
        rows that do not have a cell per column (an empty list's message, a footer) are left out."""
        headers = [
            " ".join(h.split())
            for h in await self._guard(
                what, table.get_by_role("row").first.get_by_role("columnheader").all_inner_texts
            )
        ]
        found = []
        for row in await self._guard(what, table.get_by_role("row").all):
            cells = [
                " ".join(c.split()) for c in await self._guard(what, row.get_by_role("cell").all_inner_texts)
            ]
            if len(cells) == len(headers):
                found.append(dict(zip(headers, cells, strict=True)))
        return found

    async def list_items(self, target: Locator, what: str) -> list[str]:
        """The texts of a list's items (a message summary, the text file's line errors)."""
        return [
            " ".join(i.split())
            for i in await self._guard(what, target.get_by_role("listitem").all_inner_texts)
        ]

    async def page_text(self, what: str) -> str:
        return await self._guard(what, lambda: self.page.locator("body").inner_text())

    async def options(self, select: Locator, what: str) -> list[str]:
        """The texts of a select's options."""
        return [
            " ".join(o.split()) for o in await self._guard(what, select.get_by_role("option").all_inner_texts)
        ]

    async def cell_after(self, table: Locator, label: str, what: str) -> str:
        """The last cell of the row whose text has `label` (a total under a table)."""
        row = table.get_by_role("row").filter(has_text=label)
        return " ".join((await self._guard(what, row.get_by_role("cell").last.inner_text)).split())

    async def details(self, table: Locator, what: str) -> dict[str, str]:
        """A two-column details table (a header and a value per row) as label → value."""
        found = {}
        for row in await self._guard(what, table.get_by_role("row").all):
            label = await self._guard(what, row.get_by_role("rowheader").all_inner_texts)
            value = await self._guard(what, row.get_by_role("cell").all_inner_texts)
            if label and value:
                found[" ".join(label[0].split())] = " ".join(value[0].split())
        return found

    # -- navigation ------------------------------------------------------------------------------
    async def _navigate(self, what: str, action: Callable[[], Awaitable[object]], *, get: bool) -> Response:
        """Do something that loads a new document and check what the portal answered.

        A 5xx to a GET (a link, a page load, a search, the redirect after a POST that did act) is
        `RequestFailed`: repeating that GET is safe; so is a network error when `get` (the action
        itself is a GET). A 5xx or a network error on a POST is `PortalUnavailable`: it may have acted."""

        async def go() -> Response:
            async with self.page.expect_response(_is_final_document) as info:
                await action()
            response = await info.value
            await self.page.wait_for_load_state("domcontentloaded")
            return response

        try:
            response = await self._guard(what, go)
        except PortalUnavailable as exc:
            cause = exc.__cause__
            if isinstance(cause, PlaywrightError) and _is_network_error(cause):
                message = f"{self.name}: network error while {what}: {cause.message}"
                raise (RequestFailed(message) if get else AnswerLost(message)) from exc
            raise
        if response.status >= 500:
            message = f"{self.name}: the portal answered {response.status} while {what}"
            if response.request.method == "GET":
                raise RequestFailed(message, response.status)
            raise AnswerLost(message)
        return response

    async def goto(self, url: str, what: str) -> Response:
        """Load `url` (a GET), repeated in place on a 5xx or a network error."""
        return await in_place(lambda _: self._navigate(what, lambda: self.page.goto(url), get=True))

    async def follow(self, link: Locator, what: str) -> Response:
        """Click a link (a GET); a failed load is repeated in place by loading its address."""
        href = await self._guard(f"reading the link for {what}", lambda: link.first.get_attribute("href"))
        target = urljoin(self.page.url, href) if href else None

        async def once(attempt: int) -> Response:
            if attempt == 1 or target is None:
                return await self._navigate(what, link.first.click, get=True)
            return await self._navigate(what, lambda: self.page.goto(target), get=True)

        return await in_place(once)

    async def press(self, button: Locator, what: str) -> Response:
        """Press a form's button. What answers with a GET (a search form, the redirect after a POST
        that acted) is reloaded in place on a 5xx; a 5xx or a lost answer to a POST itself is not
        repeated here (`PortalUnavailable`): the caller knows whether it may have acted."""

        async def once(attempt: int) -> Response:
            if attempt == 1:
                return await self._navigate(what, button.click, get=False)
            return await self._navigate(what, self.page.reload, get=True)

        return await in_place(once)

    async def repeatable(
        self,
        what: str,
        act: Callable[[], Awaitable[object]],
        acted: Callable[[], Awaitable[bool]] | None = None,
    ) -> None:
        """A POST whose repeat the portal's state makes safe (ADD TO CART, a wage's SAVE, SAVE DRAFT):
        when its answer is lost (a 5xx, a network error), the form's page is loaded again (a GET)
        and, unless `acted()` reads there that it took effect, `act` is done again; bounded like
        every in-place retry. `acted` None: doing it twice leaves the same state (same values)."""
        form = self.page.url

        async def once(attempt: int) -> None:
            if attempt > 1:
                await self.goto(form, f"reloading the form to repeat {what}")
                self.expect_signed_in()
                if acted is not None and await acted():
                    return
            try:
                await act()
            except AnswerLost as exc:
                raise RequestFailed(f"{exc} (the portal's state shows whether to repeat it)") from exc

        await in_place(once)

    async def save_file(self, link: Locator, folder: Path, what: str) -> Path:
        """Fetch the file a link points at (a GET, in this browser context's session: its cookies),
        repeated in place on a 5xx or a network error; saved into `folder` under the portal's name."""
        href = await self._guard(f"reading the link for {what}", lambda: link.first.get_attribute("href"))
        if not href:
            raise PortalUnavailable(f"{self.name}: the link for {what} has no address")
        url = urljoin(self.page.url, href)

        async def fetch(_: int) -> Path:
            try:
                response = await self.page.request.get(url)
            except PlaywrightError as exc:
                raise RequestFailed(f"{self.name}: network error while {what}: {exc.message}") from exc
            if response.status >= 500:
                raise RequestFailed(f"{self.name}: the portal answered {response.status} while {what}")
            if not response.ok:
                raise PortalUnavailable(f"{self.name}: the portal answered {response.status} while {what}")
            if urlsplit(response.url).path.endswith(LOGIN_PATH):
                raise SessionExpired(f"{self.name}: the portal ended the session while {what}")
            target = folder / _filename(response.headers.get("content-disposition", ""), url)
            target.write_bytes(await response.body())
            return target

        folder.mkdir(parents=True, exist_ok=True)
        return await in_place(fetch)

    def expect_signed_in(self) -> None:
        """Raise `SessionExpired` when the portal has sent us back to its login page."""
        if self.page.url.split("?")[0].endswith(LOGIN_PATH):
            raise SessionExpired(f"{self.name}: the portal ended the session (back at the login page)")


class AnswerLost(PortalUnavailable):
    """A POST got a 5xx or no answer: it may have acted. Repeated only by `repeatable` (where the
    portal's state says so); else the step fails, or the caller makes it an `UnknownOutcome`."""


def _filename(disposition: str, url: str) -> str:
    """The name the portal gives the file (Content-Disposition), else the URL's last segment."""
    message = Message()
    message["content-disposition"] = disposition
    name = message.get_filename() or urlsplit(url).path.rsplit("/", 1)[-1] or "download"
    return Path(name).name


def sen(text: str) -> int:
    """An amount the portal shows ('1,234.50', 'RM 12.00') in sen: the project's one money parser."""
    return parse_ringgit(text)
