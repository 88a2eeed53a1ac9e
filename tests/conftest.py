"""Shared fixtures: one real mock portal process (portal + SMTP + IMAP) and the demo portfolio on it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.core.settings import Settings
from tests.portal.plugin import pytest_addoption, pytest_collection_modifyitems, pytest_configure  # noqa: F401
from tests.support.demo_portfolio import demo_settings, write_demo_portfolio
from tests.support.portal import MockPortalProcess


@pytest.fixture(scope="session", autouse=True)
def delete_output_dir() -> None:
    """pytest-playwright's fixture of this name empties `--output` when each pytest-xdist worker
    starts, deleting the evidence of workers that started earlier; tests/portal/plugin.py empties it
    once, before any worker starts, instead."""


@pytest.fixture(scope="session")
def assist_portal() -> Iterator[MockPortalProcess]:
    """The bundled mock portal, started once for the bot's tests."""
    with MockPortalProcess() as process:
        yield process


@pytest.fixture
def fresh_portal(assist_portal: MockPortalProcess) -> MockPortalProcess:
    """The portal back at its seed, with no faults and empty mailboxes."""
    assist_portal.reset()
    return assist_portal


@pytest.fixture
def demo_portfolio(fresh_portal: MockPortalProcess, tmp_path: Path) -> Path:
    return write_demo_portfolio(fresh_portal.base_url, fresh_portal.host, fresh_portal.imap_port, tmp_path)


@pytest.fixture
def settings(demo_portfolio: Path, tmp_path: Path) -> Settings:
    return demo_settings(demo_portfolio, tmp_path / "evidence")
