"""Fault injection through `POST /_mock/faults`: route errors and latency, session expiry, mail."""

from __future__ import annotations

import time

import httpx

from tests.mock_portal.browser import CAHAYA, HALIM, Visitor, alert, mails_to, passwords
from tests.support.portal import MockPortalProcess


def statuses(portal: MockPortalProcess, path: str, n: int) -> list[int]:
    with httpx.Client(base_url=portal.base_url, timeout=30) as client:
        return [client.get(path).status_code for _ in range(n)]


def test_an_error_for_the_first_n_requests_only(visitor: Visitor, portal: MockPortalProcess) -> None:
    portal.set_faults(
        {
            "routes": [
                {"path": "/employer/login", "method": "POST", "error_rate": 1.0, "status": 503, "times": 2},
            ]
        }
    )
    first = visitor.request_password(HALIM)
    assert first.status_code == 503 and "503 Service Unavailable" in first.text
    assert visitor.request_password(HALIM).status_code == 503
    assert visitor.request_password(HALIM).url.path == "/employer/login/password"
    assert len(passwords(portal, HALIM)) == 1


def test_method_and_prefix_matching(portal: MockPortalProcess) -> None:
    portal.set_faults(
        {"routes": [{"path": "/employer/*", "method": "GET", "error_rate": 1.0, "status": 502}]}
    )
    assert statuses(portal, "/employer/login", 1) == [502]
    assert statuses(portal, "/", 1) == [200]
    assert httpx.post(f"{portal.base_url}/employer/login").status_code == 403  # CSRF, not the fault


def test_the_control_api_is_never_faulted(portal: MockPortalProcess) -> None:
    # A long latency, so that a faulted control call could not hide in a busy machine's noise.
    portal.set_faults({"routes": [{"path": "*", "error_rate": 1.0, "status": 500, "latency_ms": 5000}]})
    started = time.monotonic()
    assert statuses(portal, "/", 1) == [500]
    assert time.monotonic() - started >= 5.0
    started = time.monotonic()
    assert statuses(portal, "/healthz", 1) == [200]
    assert statuses(portal, "/_mock/state", 1) == [200]
    assert time.monotonic() - started < 5.0


def test_latency(portal: MockPortalProcess) -> None:
    portal.set_faults({"routes": [{"path": "/", "latency_ms": 400}]})
    started = time.monotonic()
    assert statuses(portal, "/", 1) == [200]
    assert time.monotonic() - started >= 0.4


def test_error_rate_is_deterministic_with_a_seed(portal: MockPortalProcess) -> None:
    faults = {"seed": 7, "routes": [{"path": "/", "error_rate": 0.5, "status": 502}]}
    portal.set_faults(faults)
    first = statuses(portal, "/", 30)
    portal.set_faults(faults)
    assert statuses(portal, "/", 30) == first
    assert set(first) == {200, 502}
    portal.set_faults({**faults, "seed": 8})
    assert statuses(portal, "/", 30) != first


def test_faults_can_be_read_and_cleared(portal: MockPortalProcess) -> None:
    set_ = portal.set_faults({"seed": 3, "session_expiry_after_requests": 4, "mail": {"drop": True}})
    assert set_["seed"] == 3 and set_["mail"]["drop"] is True
    assert httpx.get(f"{portal.base_url}/_mock/faults").json() == set_
    cleared = portal.set_faults({})
    assert cleared["session_expiry_after_requests"] is None and cleared["mail"]["drop"] is False


def test_bad_faults_are_refused(portal: MockPortalProcess) -> None:
    for bad in (
        {"routs": []},
        {"routes": [{"path": "/", "status": 200}]},
        {"routes": [{"path": "/", "status": 599}]},
        {"routes": [{"method": "GET"}]},
        {"mail": {"lost": True}},
    ):
        assert httpx.post(f"{portal.base_url}/_mock/faults", json=bad).status_code == 400


def test_session_expires_after_n_requests(visitor: Visitor, portal: MockPortalProcess) -> None:
    portal.set_faults({"session_expiry_after_requests": 2})
    assert visitor.login(CAHAYA).url.path == "/employer/home"  # request 1
    assert visitor.get("/employer/contribution").status_code == 200  # request 2
    page = visitor.get("/employer/home")
    assert page.url.path == "/employer/login"
    assert alert(page) == "Sesi anda telah tamat. Sila log masuk semula."


def test_a_dropped_mail_never_arrives(visitor: Visitor, portal: MockPortalProcess) -> None:
    portal.set_faults({"mail": {"drop": True}})
    assert visitor.request_password(HALIM).url.path == "/employer/login/password"
    assert mails_to(portal, HALIM, wait=0.5) == []
    [mail] = portal.state()["mails"]
    assert mail["dropped"] is True and mail["sent_at"] is None


def test_drop_rate_drops_some(visitor: Visitor, portal: MockPortalProcess) -> None:
    portal.set_faults({"seed": 1, "mail": {"drop_rate": 0.5}})
    for _ in range(10):
        visitor.request_password(CAHAYA)
    dropped = [m["dropped"] for m in portal.state()["mails"]]
    assert len(dropped) == 10 and 0 < sum(dropped) < 10
    assert len(mails_to(portal, CAHAYA, count=10 - sum(dropped))) == 10 - sum(dropped)


def test_a_duplicated_mail_arrives_twice(visitor: Visitor, portal: MockPortalProcess) -> None:
    portal.set_faults({"mail": {"duplicate": True}})
    visitor.request_password(HALIM)
    first, second = mails_to(portal, HALIM, count=2)
    assert first["Message-ID"] == second["Message-ID"]
    assert portal.state()["mails"][0]["duplicated"] is True
    assert visitor.submit_password(passwords(portal, HALIM)[0]).url.path == "/employer/home"


def test_a_delayed_mail_does_not_hold_up_the_page(visitor: Visitor, portal: MockPortalProcess) -> None:
    portal.set_faults({"mail": {"delay_ms": 1500}})
    started = time.monotonic()
    assert visitor.request_password(HALIM).url.path == "/employer/login/password"
    assert time.monotonic() - started < 1.0
    assert mails_to(portal, HALIM, wait=0) == []
    assert len(mails_to(portal, HALIM, wait=5)) == 1
    assert time.monotonic() - started >= 1.5
