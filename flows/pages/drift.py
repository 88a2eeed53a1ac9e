"""Portal drift: what each page object relies on (roles, labels, URLs), checked screen by screen.

When the real portal renames a button or drops a field, a flow would otherwise stop at a bare
time-out. `check_screen` instead names the screen, the expected label, what is there now (the
closest names by difflib) and the page object to update.

Each page object declares what it relies on itself: `url` (the path of its screen) and its
locators, each a `Find` class attribute that its methods act through (flows/pages/base.py). This
module only collects them (`PortalPage.declared()`) and checks them, with the same locator.
"""

from __future__ import annotations

import difflib
import importlib
import pkgutil
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from playwright.async_api import Locator, Page

import flows.pages
from flows.pages.base import Find, PortalPage

# Roles whose names the aria snapshot lists; "label" (form fields found by label) maps onto these.
FIELD_ROLES = ("textbox", "combobox", "checkbox", "radio", "spinbutton", "listbox")
_SNAPSHOT_LINE = re.compile(r'^\s*- (\w+) "((?:[^"\\]|\\.)*)"', re.MULTILINE)


@dataclass(frozen=True)
class Expectation:
    """One thing a page object finds on its screen: the very `Find` its methods act through."""

    page_object: type[PortalPage]
    find: Find

    @property
    def role(self) -> str:  # an ARIA role, "label" (a form field's label) or "text" (visible text)
        return self.find.role

    @property
    def name(self) -> str:
        return self.find.name

    @property
    def screen(self) -> str:
        return self.page_object.screen or self.page_object.__name__

    @property
    def page_object_path(self) -> str:
        return f"{self.page_object.__module__}.{self.page_object.__qualname__}"


@dataclass(frozen=True)
class Drift:
    """An expectation the screen no longer meets, with what is there instead."""

    screen: str
    page_object: str
    role: str
    expected: str
    found_now: tuple[str, ...]

    def __str__(self) -> str:
        now = ", ".join(repr(n) for n in self.found_now) or "nothing similar"
        what = "URL" if self.role == "url" else self.role
        return (
            f"screen {self.screen!r}: expected {what} {self.expected!r} is missing; "
            f"there now: {now}; update {self.page_object}"
        )


def page_objects() -> list[type[PortalPage]]:
    """Every screen's page object (all of flows/pages): each class that names its `screen`; the
    shared bases (`screen` None) are no screens of their own."""
    for module in pkgutil.iter_modules(flows.pages.__path__):
        importlib.import_module(f"flows.pages.{module.name}")
    found, todo = [], list(PortalPage.__subclasses__())
    while todo:
        cls = todo.pop(0)
        todo.extend(c for c in cls.__subclasses__() if c not in todo and c not in found)
        if cls.screen and cls not in found:
            found.append(cls)
    return found


def expectations_for(page_object: type[PortalPage]) -> list[Expectation]:
    return [Expectation(page_object, find) for find in page_object.declared()]


def _locate(page: Page, expectation: Expectation) -> Locator:
    """The same locator the page object's methods use."""
    return expectation.find.within(page)


def _names_on(snapshot: str, role: str) -> list[str]:
    """The accessible names of `role` on the page (form fields for "label", anything for "text")."""
    found = [(r, n) for r, n in _SNAPSHOT_LINE.findall(snapshot) if n]
    if role == "text":
        return [n for _, n in found]
    roles = FIELD_ROLES if role == "label" else (role,)
    return [n for r, n in found if r in roles]


def _url_matches(url: str, expected: str) -> bool:
    """`*` stands for one path segment (a scheme's slug, a document number)."""
    path = urlsplit(url).path or "/"
    pattern = "/".join("[^/]+" if part == "*" else re.escape(part) for part in expected.split("/"))
    return re.fullmatch(pattern, path) is not None


async def check_screen(page: Page, page_object: type[PortalPage]) -> list[Drift]:
    """Every expectation of `page_object` the current page does not meet (empty: no drift)."""
    where = f"{page_object.__module__}.{page_object.__qualname__}"
    drifts: list[Drift] = []
    expected_url = page_object.url
    screen = page_object.screen or page_object.__name__
    if expected_url and not _url_matches(page.url, expected_url):
        drifts.append(Drift(screen, where, "url", expected_url, (urlsplit(page.url).path,)))
    snapshot: str | None = None
    for expectation in expectations_for(page_object):
        if await _locate(page, expectation).count():
            continue
        if snapshot is None:
            snapshot = await page.locator("body").aria_snapshot()
        there = _names_on(snapshot, expectation.role)
        closest = difflib.get_close_matches(expectation.name, there, n=3, cutoff=0.3) or there[:5]
        drifts.append(Drift(expectation.screen, where, expectation.role, expectation.name, tuple(closest)))
    return drifts


async def check_current(page: Page) -> list[Drift]:
    """The drift of the screen the page is on (what to report when a step fails). Screens that share
    a URL (a form and its confirmation) are told apart by their labels: when one of them is fully
    there, nothing drifted; else the closest one (fewest misses) is reported."""
    candidates = [
        await check_screen(page, p) for p in page_objects() if p.url and _url_matches(page.url, p.url)
    ]
    if not candidates or any(not drifts for drifts in candidates):
        return []
    fewest = min(len(drifts) for drifts in candidates)
    return [d for drifts in candidates if len(drifts) == fewest for d in drifts]


def drift_report(drifts: list[Drift]) -> str:
    return "portal drift:\n" + "\n".join(f"  - {d}" for d in drifts)
