"""The house style of the page objects, read from the source (DESIGN.md "Page objects"): each locator
declared once and the drift check looking for that very declaration, one class per screen and
every screen declared, table rows found by role and cell text, no Playwright in the flows, one
money parser."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from bot.core.contributions.money import parse_ringgit
from flows.pages import base
from flows.pages.base import Find, Named, PortalPage
from flows.pages.drift import expectations_for, page_objects
from flows.pages.login import LoginEmailPage

ROOT = Path(__file__).resolve().parents[2]
PAGES = ROOT / "flows" / "pages"
FLOWS = ROOT / "flows"
# The one module that turns a declaration into a Playwright locator (and reads tables by role).
LOCATING = {PAGES / "base.py"}


def _calls(path: Path, prefix: str) -> list[str]:
    """`.get_by_*(...)`-like calls in a module, as "file:line name"."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr.startswith(prefix)
        ):
            found.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.func.attr}")
    return found


def test_no_page_object_method_builds_its_own_locator() -> None:
    # Given every page object module but the one that turns declarations into locators
    modules = [p for p in PAGES.glob("*.py") if p not in LOCATING and p.name != "drift.py"]
    # When their get_by_* calls are counted
    calls = [c for p in modules for c in _calls(p, "get_by_")]
    # Then there are none: each locator is a `Find`/`Named` class attribute
    assert calls == [], "\n".join(calls)


def test_the_drift_check_locates_with_the_page_objects_own_declaration() -> None:
    # Given the drift check's expectations of every screen
    for screen in page_objects():
        for expectation in expectations_for(screen):
            # Then each is one of the screen's own `Find` attributes (the object its methods use)
            attributes = [
                value
                for klass in screen.__mro__
                for value in vars(klass).values()
                if value is expectation.find
                or (
                    isinstance(value, dict | tuple)
                    and expectation.find in (value.values() if isinstance(value, dict) else value)
                )
            ]
            assert attributes, f"{screen.__name__}: {expectation.find} is not one of its attributes"


def test_renaming_the_declaration_renames_both_the_action_and_the_expectation(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given the email screen's SETERUSNYA button, declared once
    renamed = LoginEmailPage.next_button.renamed("NEXT")
    # When that one declaration is renamed
    monkeypatch.setattr(LoginEmailPage, "next_button", renamed)
    # Then the drift check expects NEXT and no longer SETERUSNYA
    names = [(f.role, f.name) for f in LoginEmailPage.declared()]
    assert ("button", "NEXT") in names and ("button", "SETERUSNYA") not in names, names
    # And the method's locator is built from the same object
    assert type(LoginEmailPage.__dict__["next_button"]) is Find and LoginEmailPage.next_button is renamed


def test_every_screen_has_a_url_and_something_the_drift_check_looks_for() -> None:
    # Given every page object that is a screen (all but the shared bases, whose `screen` is None)
    screens = page_objects()
    # Then each has a URL and at least one declared locator
    assert len(screens) >= 50, [s.__name__ for s in screens]
    missing = [s.__name__ for s in screens if not s.url or not s.declared()]
    assert missing == [], missing


def test_every_page_object_class_is_a_declared_screen_or_a_nameless_shared_base() -> None:
    # Given every PortalPage subclass in flows/pages
    screens = set(page_objects())
    todo, every = list(PortalPage.__subclasses__()), set()
    while todo:
        cls = todo.pop()
        if cls.__module__.startswith("flows.pages") and cls not in every:
            every.add(cls)
            todo.extend(cls.__subclasses__())
    # Then each is either a screen of the drift check, or a base without a screen of its own that
    # some screen builds on
    stray = [c.__name__ for c in every - screens if c.screen or not any(issubclass(s, c) for s in screens)]
    assert stray == [], stray


def test_table_rows_are_never_found_by_attributes_only_the_mock_renders() -> None:
    # Given the bot's flows and page objects
    sources = {p: p.read_text(encoding="utf-8") for p in FLOWS.rglob("*.py")}
    # Then none finds anything by a data-* attribute or a CSS class (what only the mock's HTML has)
    offending = [
        f"{p.relative_to(ROOT)}: {m.group(0)}"
        for p, text in sources.items()
        for m in re.finditer(r"\[data-[\w-]+|tr\[|td\.\w+|get_attribute\(\"data-", text)
    ]
    assert offending == [], offending


def test_flows_never_touch_playwright() -> None:
    # Given the flows (not the page objects)
    for path in FLOWS.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imports = [
            n.module if isinstance(n, ast.ImportFrom) else a.name
            for n in ast.walk(tree)
            if isinstance(n, ast.Import | ast.ImportFrom)
            for a in (n.names if isinstance(n, ast.Import) else [n])
        ]
        # Then none imports Playwright, nor calls its locators or waits
        assert not [i for i in imports if i and i.startswith("playwright")], path
        calls = [c for prefix in ("get_by_", "locator", "wait_for", "expect_") for c in _calls(path, prefix)]
        assert calls == [], calls


def test_there_is_one_money_parser() -> None:
    # Given the page objects' amounts
    # Then they are parsed by the core's parser (no Decimal of their own)
    for path in PAGES.glob("*.py"):
        assert "Decimal(" not in path.read_text(encoding="utf-8"), path
    assert base.sen("1,234.50") == parse_ringgit("1,234.50") == 123450
    assert base.sen("RM 12.00") == 1200


def test_a_find_is_a_locator_on_a_page_object_and_a_declaration_on_its_class() -> None:
    # Given a page object's declared button
    declaration = LoginEmailPage.__dict__["next_button"]
    # Then on the class it is the declaration, and a `Named` makes declarations from data
    assert LoginEmailPage.next_button is declaration
    assert Named("checkbox", "Select {}").find("E123") == Find("checkbox", "Select E123")
