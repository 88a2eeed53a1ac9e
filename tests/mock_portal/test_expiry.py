"""Time limits: the emailed password's life and the session's idle timeout (tiny, on purpose)."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from tests.mock_portal.browser import HALIM, Visitor, alert, passwords
from tests.support.portal import MockPortalProcess

PASSWORD_TTL = 1.5
SESSION_IDLE = 1.5


@pytest.fixture(scope="module")
def short_lived() -> Iterator[MockPortalProcess]:
    args = ["--password-ttl", str(PASSWORD_TTL), "--session-idle", str(SESSION_IDLE)]
    with MockPortalProcess(extra_args=args) as process:
        yield process


@pytest.fixture
def visitor(short_lived: MockPortalProcess) -> Iterator[Visitor]:
    short_lived.reset()
    with Visitor(short_lived) as browser:
        yield browser


def test_an_expired_password_is_refused(visitor: Visitor, short_lived: MockPortalProcess) -> None:
    visitor.request_password(HALIM)
    [password] = passwords(short_lived, HALIM)
    time.sleep(PASSWORD_TTL + 0.3)  # allowed: the expiry itself is under test
    page = visitor.submit_password(password)
    assert alert(page) == "Kata laluan telah tamat tempoh. Sila log masuk semula."
    assert [a["outcome"] for a in short_lived.state()["login_attempts"]] == ["expired"]


def test_an_idle_session_expires(visitor: Visitor) -> None:
    assert visitor.login(HALIM).url.path == "/employer/home"
    time.sleep(SESSION_IDLE + 0.3)  # allowed: the idle timeout itself is under test
    page = visitor.get("/employer/home")
    assert page.url.path == "/employer/login"
    assert alert(page) == "Sesi anda telah tamat. Sila log masuk semula."
