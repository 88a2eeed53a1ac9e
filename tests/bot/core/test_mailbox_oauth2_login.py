"""The portal login (QRG 1) with the password mail read from an OAuth2-only mailbox (XOAUTH2).

The chain is a firm's on Microsoft 365: the portal mails (`--smtp-relay`) → Maildir → Dovecot, which
takes only XOAUTH2 for the firm's mailbox and asks the local authorization server about each token.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.core.access_tokens import TokenStore, forget_access_tokens
from bot.core.settings import Settings
from bot.runner import EmployerResult, run_for_employers
from flows.login import log_in
from tests.support.demo_portfolio import demo_settings
from tests.support.dovecot import DovecotServer
from tests.support.oauth_mailbox import (
    APP_SECRET,
    FIRM,
    client_credentials,
    delegated,
    dovecot,
    mailbox_table,
    oauth,
    oauth_portfolio,
    relay,
)
from tests.support.oauth_server import OAuthServer
from tests.support.portal import MockPortalProcess
from tests.support.smtp_relay import MaildirRelay

__all__ = ["dovecot", "oauth", "relay"]  # fixtures
pytestmark = pytest.mark.timeout(240)


@pytest.fixture(scope="module")
def portal(relay: MaildirRelay) -> Iterator[MockPortalProcess]:
    with MockPortalProcess(extra_args=["--smtp-relay", relay.address]) as process:
        yield process


@pytest.fixture(autouse=True)
def fresh(monkeypatch: pytest.MonkeyPatch, portal: MockPortalProcess, oauth: OAuthServer) -> Iterator[None]:
    monkeypatch.setenv("TEST_OAUTH_CLIENT_SECRET", APP_SECRET)
    portal.reset()
    forget_access_tokens()
    ttl = oauth.access_ttl
    yield
    oauth.access_ttl = ttl
    forget_access_tokens()


async def _log_in(session, employer, settings):  # type: ignore[no-untyped-def]
    home = await log_in(session, employer, settings)
    return await home.employer_code()


def run(settings: Settings) -> list[EmployerResult]:
    return asyncio.run(run_for_employers(settings, settings.employers, _log_in))


def test_the_ten_demo_employers_log_in_through_one_oauth2_mailbox(
    portal: MockPortalProcess, dovecot: DovecotServer, oauth: OAuthServer, tmp_path: Path
) -> None:
    # Given the ten demo employers, all mailing one firm mailbox that takes only XOAUTH2 (app-only)
    mailbox = mailbox_table(dovecot, client_credentials(oauth))
    settings = demo_settings(oauth_portfolio(tmp_path, portal.base_url, mailbox), tmp_path / "evidence")
    settings.concurrency = 5
    grants, introspections = oauth.count("client_credentials"), oauth.introspections
    # When the bot logs them all in
    results = run(settings)
    # Then every one got in as itself, on one shared access token
    assert [(r.status, r.detail) for r in results] == [("done", e.employer_code) for e in settings.employers]
    assert oauth.count("client_credentials") == grants + 1
    assert oauth.introspections - introspections >= 10  # Dovecot checked every XOAUTH2 login
    attempts = portal.state()["login_attempts"]
    assert sorted(a["outcome"] for a in attempts) == ["success"] * 10
    assert not [a for a in attempts if a["failures"]]


def test_one_employer_logs_in_by_refresh_token_and_a_token_expiring_mid_run_is_replaced(
    portal: MockPortalProcess, dovecot: DovecotServer, oauth: OAuthServer, tmp_path: Path
) -> None:
    # Given a delegated mailbox (refresh token in the token store) whose access tokens live 4 s
    store = tmp_path / "tokens.json"
    TokenStore(store).save(oauth.issue_refresh_token(FIRM))
    oauth.access_ttl = 4
    mailbox = mailbox_table(dovecot, delegated(oauth, store, refresh_margin_seconds=1))
    settings = demo_settings(oauth_portfolio(tmp_path, portal.base_url, mailbox, ["halim"]), tmp_path / "ev")
    before, index = oauth.count("refresh_token"), len(oauth.grants)
    # When Halim logs in, and logs in again after the first access token has expired
    first = run(settings)
    after_first = oauth.count("refresh_token")
    time.sleep(4.5)
    second = run(settings)
    # Then both logins succeeded, the second on a new access token from the refresh token
    assert [(r.status, r.detail) for r in first + second] == [("done", "E1102069801V")] * 2, [
        r.detail for r in first + second
    ]
    assert after_first > before
    assert oauth.count("refresh_token") > after_first
    assert {grant for grant, _ in oauth.grants[index:]} == {"refresh_token"}
