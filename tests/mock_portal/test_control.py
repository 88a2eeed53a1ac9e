"""The control API: state, reset, health."""

from __future__ import annotations

import httpx
import pytest

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


@pytest.mark.parametrize(
    "headers",
    [
        {"host": "evil.example"},  # DNS rebinding: a name that resolves to 127.0.0.1
        {"host": "192.168.1.5:8700"},
        {"origin": "https://evil.example"},
        {"origin": "null"},
        {"sec-fetch-site": "cross-site"},
    ],
    ids=["rebinding-host", "lan-host", "cross-site-origin", "null-origin", "cross-site-fetch"],
)
def test_given_a_foreign_host_or_a_cross_site_origin_then_the_control_api_refuses_and_changes_nothing(
    portal: MockPortalProcess, headers: dict[str, str]
) -> None:
    # Given a fault plan in place
    portal.set_faults({"session_expiry_after_requests": 999})
    # When a web page (or a rebound name) posts to the control API
    for method, path in (("POST", "/_mock/reset"), ("POST", "/_mock/faults"), ("GET", "/_mock/state")):
        response = httpx.request(method, f"{portal.base_url}{path}", headers=headers, json={}, timeout=10)
        # Then it is refused
        assert response.status_code == 403, (path, response.text)
    # And the faults are still there
    assert portal._control("GET", "/_mock/faults")["session_expiry_after_requests"] == 999


def test_a_same_origin_request_to_the_control_api_is_served(portal: MockPortalProcess) -> None:
    origin = portal.base_url.replace("127.0.0.1", "localhost")
    response = httpx.get(f"{portal.base_url}/_mock/state", headers={"origin": origin}, timeout=10)
    assert response.status_code == 200
