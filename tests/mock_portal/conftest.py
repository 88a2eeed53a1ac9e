"""The mock portal tests share the suite's one portal process (tests/conftest.py), reset per test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.mock_portal.browser import Visitor
from tests.support.portal import MockPortalProcess


@pytest.fixture
def portal(fresh_portal: MockPortalProcess) -> MockPortalProcess:
    """The shared portal, back at its seed with no faults and empty mailboxes."""
    return fresh_portal


@pytest.fixture
def visitor(portal: MockPortalProcess) -> Iterator[Visitor]:
    with Visitor(portal) as browser:
        yield browser


@pytest.fixture
def other_visitor(portal: MockPortalProcess) -> Iterator[Visitor]:
    with Visitor(portal) as browser:
        yield browser
