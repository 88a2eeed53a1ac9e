"""Options and markers of the portal QA suite (tests/portal), registered from tests/conftest.py.

pytest-playwright's own options are reused where they apply: `--base-url` (the portal under test;
without it the bundled mock is started), `--headed`, `--tracing`, `--screenshot`, `--video`,
`--output`. Its fixtures are sync-only and the flows are async, so the suite drives the bot's own
async `Browser` with those options mapped onto `Settings.browser` (see tests/portal/conftest.py).
`--browser` is checked, not ignored: the bot drives Chromium only (DESIGN.md).

Reruns come from pytest-rerunfailures, only when asked (`--reruns N`, or `assist-bot qa`, which
asks for 1): the bundled suite stays deterministic, a flaky check there is a bug to fix. Each
attempt keeps its own evidence (`<output>/<test>/attempt-N/`). A `mutation` test is never rerun: a
failed one may have submitted or paid half-way.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.portal.attempts import fold_reruns

MUTATION = "mutation"
CHROMIUM = "chromium"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("assist-qa", "ASSIST portal QA (tests/portal)")
    group.addoption(
        "--allow-mutations",
        action="store_true",
        default=False,
        help="Run the tests that create records or move money (marked `mutation`).",
    )
    group.addoption(
        "--portfolio",
        default=None,
        help="Portfolio TOML of test accounts (needed with --base-url; default: the demo "
        "portfolio on the bundled mock portal).",
    )
    group.addoption(
        "--update-baselines",
        action="store_true",
        default=False,
        help="Accept the key screens as they look now: rewrite their visual baselines.",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", f"{MUTATION}: creates records or moves money; needs --allow-mutations")
    others = sorted({b for b in config.getoption("browser", default=None) or [] if b != CHROMIUM})
    if others:
        raise pytest.UsageError(
            f"--browser {' '.join(others)}: the bot drives Chromium only (DESIGN.md); "
            f"use --browser {CHROMIUM} or leave --browser out"
        )
    # pytest-playwright empties `--output` when each pytest-xdist worker starts, deleting what the
    # workers that started earlier wrote; it is emptied once here instead, before any worker starts
    # (tests/conftest.py turns the per-worker emptying off).
    if (
        not hasattr(config, "workerinput")
        and not config.getoption("help")
        and not config.getoption("collectonly")
    ):
        shutil.rmtree(_output(config), ignore_errors=True)
        if config.getoption("xmlpath", default=None):
            config.pluginmanager.register(_FoldReruns(), "assist-qa-fold-reruns")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    allowed = config.getoption("--allow-mutations", default=False)
    skip = pytest.mark.skip(reason="creates records or moves money: pass --allow-mutations")
    # A mutation that failed half-way may have submitted or paid: never run it again blindly.
    once = pytest.mark.flaky(reruns=0)
    for item in items:
        if MUTATION in item.keywords:
            item.add_marker(once if allowed else skip, append=False)


class _FoldReruns:
    """Puts each rerun test back into one JUnit testcase (tests/portal/attempts.py)."""

    @pytest.hookimpl(trylast=True)  # after pytest's JUnit XML is written
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        junit = Path(str(session.config.getoption("xmlpath")))
        if junit.exists():
            fold_reruns(junit, _output(session.config))


def _output(config: pytest.Config) -> Path:
    return Path(str(config.getoption("output", default="test-results"))).resolve()
