"""Options and markers of the portal QA suite (tests/portal), registered from tests/conftest.py.

pytest-playwright's own options are reused where they apply: `--base-url` (the portal under test;
without it the bundled mock is started), `--headed`, `--tracing`, `--screenshot`, `--output`. Its
fixtures are sync-only and the flows are async, so the suite drives the bot's own async `Browser`
with those options mapped onto `Settings.browser` (see tests/portal/conftest.py).
"""
from __future__ import annotations

import pytest

MUTATION = "mutation"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("assist-qa", "ASSIST portal QA (tests/portal)")
    group.addoption("--allow-mutations", action="store_true", default=False,
                    help="Run the tests that create records or move money (marked `mutation`).")
    group.addoption("--portfolio", default=None,
                    help="Portfolio TOML of test accounts (needed with --base-url; default: the demo "
                         "portfolio on the bundled mock portal).")
    group.addoption("--update-baselines", action="store_true", default=False,
                    help="Accept the key screens as they look now: rewrite their visual baselines.")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", f"{MUTATION}: creates records or moves money; needs --allow-mutations")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--allow-mutations", default=False):
        return
    skip = pytest.mark.skip(reason="creates records or moves money: pass --allow-mutations")
    for item in items:
        if MUTATION in item.keywords:
            item.add_marker(skip)
