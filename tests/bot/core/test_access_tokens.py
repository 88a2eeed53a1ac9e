"""OAuth2 mailboxes at the IMAP level: XOAUTH2 against Dovecot's oauth2 passdb, tokens from the local
authorization server (client credentials, refresh token), cached and refreshed before they expire."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat
from pydantic import ValidationError

from bot.core.access_tokens import TokenStore, access_tokens_for, forget_access_tokens
from bot.core.errors import ConfigError
from bot.core.mail import PasswordWatch
from bot.core.mailbox_connection import connect
from bot.core.mailbox_settings import MailboxSettings, OAuth2Settings
from bot.core.settings import PasswordMailSettings
from tests.support.dovecot import DovecotServer
from tests.support.oauth_mailbox import (
    APP_SECRET,
    FIRM,
    client_credentials,
    delegated,
    dovecot,
    mailbox_table,
    oauth,
)
from tests.support.oauth_server import OAuthServer

__all__ = ["dovecot", "oauth"]  # fixtures
pytestmark = pytest.mark.timeout(120)


@pytest.fixture(autouse=True)
def fresh_tokens(monkeypatch: pytest.MonkeyPatch, oauth: OAuthServer) -> Iterator[None]:
    monkeypatch.setenv("TEST_OAUTH_CLIENT_SECRET", APP_SECRET)
    forget_access_tokens()
    ttl = oauth.access_ttl
    yield
    oauth.access_ttl = ttl
    forget_access_tokens()


def app_mailbox(dovecot: DovecotServer, oauth: OAuthServer, **extra: object) -> MailboxSettings:
    return MailboxSettings(**mailbox_table(dovecot, client_credentials(oauth, **extra)))


def password_mail(to: str, password: str) -> bytes:
    msg = EmailMessage()
    msg["From"] = "noreply@perkeso.gov.my"
    msg["To"] = to
    msg["Subject"] = "Kata Laluan ASSIST"
    msg.set_content(f"Kata Laluan: {password}\n")
    return msg.as_bytes()


def test_the_password_mail_is_read_over_xoauth2_with_an_app_only_token(
    dovecot: DovecotServer, oauth: OAuthServer
) -> None:
    # Given a Microsoft-style app-only mailbox (client credentials), its token endpoint the local one
    mailbox = app_mailbox(dovecot, oauth)
    before = oauth.count("client_credentials")
    watch = PasswordWatch(mailbox, PasswordMailSettings(), "payroll+halim@akaun-sejahtera.my", "halim")
    # When the watch opens and the portal's mail arrives
    watch.open()
    try:
        dovecot.deliver(FIRM, password_mail("payroll+halim@akaun-sejahtera.my", "Xo-42aa"))
        password = watch.wait(timeout=20)
    finally:
        watch.close()
    # Then the password was read through XOAUTH2 with one token from the client-credentials grant
    assert password.get_secret_value() == "Xo-42aa"
    assert oauth.count("client_credentials") == before + 1
    assert oauth.grants[-1] == ("client_credentials", "assist-app")


def test_a_token_is_reused_and_replaced_before_it_expires(dovecot: DovecotServer, oauth: OAuthServer) -> None:
    # Given access tokens that live 3 s, replaced 1 s before they expire
    oauth.access_ttl = 3
    tokens = access_tokens_for(app_mailbox(dovecot, oauth, refresh_margin_seconds=1))
    # When the mailbox logs in twice at once, then again after the first token's useful life
    first = tokens.token()
    assert tokens.token() == first
    connect(tokens.mailbox).logout()
    time.sleep(2.2)
    second = tokens.token()
    # Then one token served the first logins, a new one the later login, which Dovecot accepts
    assert second != first
    assert tokens.fetched == 2
    connect(tokens.mailbox).logout()


def test_a_token_the_server_no_longer_takes_is_replaced_once(
    dovecot: DovecotServer, oauth: OAuthServer
) -> None:
    # Given a cached token that the authorization server has since revoked
    mailbox = app_mailbox(dovecot, oauth)
    tokens = access_tokens_for(mailbox)
    stale = tokens.token()
    oauth.revoke_access_tokens()
    # When the mailbox logs in
    connect(mailbox).logout()
    # Then the refused token was replaced by one new one
    assert tokens.fetched == 2 and tokens.token() != stale


def test_a_revoked_refresh_token_is_a_configuration_error_with_the_fix(
    dovecot: DovecotServer, oauth: OAuthServer, tmp_path: Path
) -> None:
    # Given a delegated mailbox whose stored refresh token the firm's admin has revoked
    store = tmp_path / "tokens" / "firm.json"
    refresh = oauth.issue_refresh_token(FIRM)
    TokenStore(store).save(refresh)
    assert store.stat().st_mode & 0o777 == 0o600
    mailbox = MailboxSettings(**mailbox_table(dovecot, delegated(oauth, store)))
    assert access_tokens_for(mailbox, "halim").token()  # it worked before
    forget_access_tokens()
    oauth.revoke(refresh)
    before = oauth.count("refresh_token")
    # When a token is asked for, twice
    for _ in range(2):
        with pytest.raises(ConfigError) as refused:
            access_tokens_for(mailbox, "halim").token()
        # Then it is exit 64 with the fix, and each ask is one request: never retried in a loop
        assert refused.value.exit_code == 64
        assert "invalid_grant" in str(refused.value)
        assert "Run `assist-bot mailbox authorize -e halim` again" in str(refused.value)
    assert oauth.count("refresh_token") == before + 2


def test_a_password_login_to_an_oauth2_only_mailbox_names_auth_oauth2(
    dovecot: DovecotServer,
) -> None:
    # Given the OAuth2-only mailbox configured with a password
    mailbox = MailboxSettings(host=dovecot.host, port=dovecot.imap_port, tls=False, user=FIRM, password="pw")
    # When the bot logs in
    with pytest.raises(ConfigError) as refused:
        connect(mailbox, "halim")
    # Then the message says what the server said and what to set
    message = str(refused.value)
    assert "refused the password login" in message and "BasicAuthBlocked" in message
    assert 'set auth = "oauth2"' in message
    assert "pw" not in message.split("(")[1].split(")")[0]


def test_provider_defaults_fill_in_the_endpoints_and_every_one_can_be_overridden() -> None:
    microsoft = OAuth2Settings(
        provider="microsoft", tenant="firm.onmicrosoft.com", client_id="a", client_secret="s"
    )
    assert microsoft.effective_grant == "client_credentials"
    assert (
        microsoft.token_endpoint == "https://login.microsoftonline.com/firm.onmicrosoft.com/oauth2/v2.0/token"
    )
    assert microsoft.effective_scope == "https://outlook.office365.com/.default"
    delegated_ms = OAuth2Settings(provider="microsoft", client_id="a")
    assert delegated_ms.effective_grant == "refresh_token"
    assert "IMAP.AccessAsUser.All offline_access" in delegated_ms.effective_scope
    assert (
        delegated_ms.device_endpoint
        == "https://login.microsoftonline.com/organizations/oauth2/v2.0/devicecode"
    )
    google = OAuth2Settings(provider="google", client_id="g")
    assert (google.token_endpoint, google.effective_scope) == (
        "https://oauth2.googleapis.com/token",
        "https://mail.google.com/",
    )
    overridden = OAuth2Settings(provider="google", client_id="g", token_url="http://127.0.0.1:1/t", scope="x")
    assert (overridden.token_endpoint, overridden.effective_scope) == ("http://127.0.0.1:1/t", "x")
    with pytest.raises(ValidationError, match="provider 'generic' needs token_url"):
        OAuth2Settings(client_id="c")
    with pytest.raises(ValidationError, match=r"auth = \"oauth2\" needs"):
        MailboxSettings(host="h", user="u", auth="oauth2")


def test_a_google_service_account_acts_for_the_mailbox_user(
    dovecot: DovecotServer, oauth: OAuthServer, tmp_path: Path
) -> None:
    # Given a Workspace service account with domain-wide delegation for the firm's mailbox
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()).decode()
    public = key.public_key().public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)
    email = "assist-bot@firma.iam.gserviceaccount.test"
    oauth.service_accounts[email] = (public, {FIRM})
    key_file = tmp_path / "service-account.json"
    key_file.write_text(
        json.dumps(
            {
                "client_email": email,
                "private_key": private,
                "private_key_id": "k1",
                "token_uri": oauth.token_url,
            }
        )
    )
    oauth2 = {"provider": "google", "service_account_file": str(key_file)}
    mailbox = MailboxSettings(**mailbox_table(dovecot, oauth2))
    assert mailbox.oauth2 is not None and mailbox.oauth2.effective_grant == "service_account"
    # When the mailbox logs in
    connect(mailbox).logout()
    # Then the token came from a signed assertion of that account, acting as the mailbox user
    assert oauth.grants[-1] == ("urn:ietf:params:oauth:grant-type:jwt-bearer", email)
