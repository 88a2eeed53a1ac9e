"""One mock portal process for the whole session, back to its seed before each test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.mock_portal.browser import Visitor
from tests.support.portal import MockPortalProcess


@pytest.fixture(scope="session")
def portal_process() -> Iterator[MockPortalProcess]:
    with MockPortalProcess() as process:
        yield process


@pytest.fixture
def portal(portal_process: MockPortalProcess) -> MockPortalProcess:
    portal_process.reset()
    return portal_process


@pytest.fixture
def visitor(portal: MockPortalProcess) -> Iterator[Visitor]:
    browser = Visitor(portal)
    yield browser
    browser.close()


@pytest.fixture
def other_visitor(portal: MockPortalProcess) -> Iterator[Visitor]:
    browser = Visitor(portal)
    yield browser
    browser.close()
