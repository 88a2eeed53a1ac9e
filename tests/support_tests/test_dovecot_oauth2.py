"""The OAuth2 harness: Dovecot's oauth2 passdb asking the local authorization server about tokens."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from imapclient import IMAPClient
from imapclient.exceptions import LoginError

from tests.support.dovecot import DovecotServer
from tests.support.oauth_server import OAuthServer

FIRM = "akaun@firma.test"


@pytest.fixture(scope="module")
def oauth() -> Iterator[OAuthServer]:
    with OAuthServer(clients={"app": "app-secret"}, app_users={"app": FIRM}, access_ttl=2) as server:
        yield server


@pytest.fixture(scope="module")
def dovecot(oauth: OAuthServer) -> Iterator[DovecotServer]:
    with DovecotServer(
        {"clerk": "clerk-pw"}, oauth2_users=(FIRM,), introspection_url=oauth.introspection_url
    ) as server:
        yield server


def _client(dovecot: DovecotServer) -> IMAPClient:
    return IMAPClient(dovecot.host, port=dovecot.imap_port, ssl=False, timeout=10)


def _access_token(oauth: OAuthServer) -> str:
    code, body = oauth.handle("/token", {"grant_type": "client_credentials"}, ("app", "app-secret"))
    assert code == 200, body
    return str(body["access_token"])


def test_an_active_token_logs_in_by_xoauth2(oauth: OAuthServer, dovecot: DovecotServer) -> None:
    client = _client(dovecot)
    assert client.has_capability("AUTH=XOAUTH2")
    before = oauth.introspections
    # When the account logs in with a fresh access token
    client.oauth2_login(FIRM, _access_token(oauth))
    # Then Dovecot asked the authorization server, and the mailbox is there
    assert oauth.introspections == before + 1
    assert client.select_folder("INBOX")[b"EXISTS"] == 0
    client.logout()


def test_an_expired_token_and_a_password_are_refused(oauth: OAuthServer, dovecot: DovecotServer) -> None:
    token = _access_token(oauth)
    time.sleep(2.5)  # the server's access tokens live 2 s
    with pytest.raises(LoginError):
        _client(dovecot).oauth2_login(FIRM, token)
    with pytest.raises(LoginError, match="BasicAuthBlocked"):
        _client(dovecot).login(FIRM, "any password")


def test_password_users_still_log_in(dovecot: DovecotServer) -> None:
    client = _client(dovecot)
    client.login("clerk", "clerk-pw")
    client.logout()
