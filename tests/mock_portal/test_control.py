"""The control API: state, reset, health."""

from __future__ import annotations

import httpx

from mock_portal.config import DEFAULT_SEED_FILE
from mock_portal.seed import load_seed
from tests.mock_portal.browser import CAHAYA, HALIM, Visitor, mails_to
from tests.support.portal import MockPortalProcess


def test_health(portal: MockPortalProcess) -> None:
    response = httpx.get(f"{portal.base_url}/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_state_lists_the_seeded_employers(portal: MockPortalProcess) -> None:
    state = portal.state()
    seed = load_seed(DEFAULT_SEED_FILE)
    assert len(state["employers"]) == len(seed.employers) >= 10
    halim = next(e for e in state["employers"] if e["code"] == "E1102069801V")
    assert halim["name"] == "KEDAI RUNCIT HALIM SDN BHD"
    assert halim["email"] == HALIM and halim["kind"] == "normal" and halim["locked_until"] is None
    assert state["login_attempts"] == [] and state["mails"] == [] and state["sessions"] == 0


def test_reset_returns_to_the_seed(visitor: Visitor, portal: MockPortalProcess) -> None:
    # Given a logged-in browser, a mail, a delayed mail on its way and faults
    visitor.login(CAHAYA)
    portal.set_faults(
        {"routes": [{"path": "/", "status": 500, "error_rate": 1.0}], "mail": {"delay_ms": 800}}
    )
    visitor.request_password(HALIM)
    # When the portal is reset
    portal.reset()
    # Then everything is as seeded
    state = portal.state()
    assert state["login_attempts"] == [] and state["mails"] == [] and state["sessions"] == 0
    assert mails_to(portal, CAHAYA, wait=0) == []
    assert mails_to(portal, HALIM, wait=1.2) == []  # the delayed one was cancelled
    assert httpx.get(f"{portal.base_url}/").status_code == 200
    assert httpx.get(f"{portal.base_url}/_mock/faults").json()["routes"] == []
    assert visitor.get("/employer/home").url.path == "/employer/login"
