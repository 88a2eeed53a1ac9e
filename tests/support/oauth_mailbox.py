"""One firm mailbox that only takes OAuth2 (XOAUTH2), as Microsoft 365's does: the local authorization
server, Dovecot asking it about tokens, an SMTP relay delivering every demo employer's mail there,
and portfolios whose mailboxes log in with `auth = "oauth2"`.

Import the fixtures into a test module (`from tests.support.oauth_mailbox import oauth, dovecot`).
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import tomli_w

from mock_portal.config import DEFAULT_SEED_FILE
from mock_portal.seed import load_seed
from tests.support.demo_portfolio import DEMO_PORTFOLIO
from tests.support.dovecot import DovecotServer
from tests.support.oauth_server import OAuthServer
from tests.support.smtp_relay import MaildirRelay

FIRM = "akaun@firma-oauth.test"  # the firm's one mailbox, OAuth2 only
APP, APP_SECRET = "assist-app", "app-secret-1"  # a confidential app (client credentials, app-only)
PUBLIC = "assist-public"  # a public client (device code, refresh tokens)


@pytest.fixture(scope="module")
def oauth() -> Iterator[OAuthServer]:
    with OAuthServer(clients={APP: APP_SECRET, PUBLIC: None}, app_users={APP: FIRM}) as server:
        yield server


@pytest.fixture(scope="module")
def dovecot(oauth: OAuthServer) -> Iterator[DovecotServer]:
    with DovecotServer({}, oauth2_users=(FIRM,), introspection_url=oauth.introspection_url) as server:
        yield server


@pytest.fixture(scope="module")
def relay(dovecot: DovecotServer) -> Iterator[MaildirRelay]:
    """Every demo employer's login email delivered to the firm's one OAuth2 mailbox."""
    seed = load_seed(DEFAULT_SEED_FILE)
    addresses = {address: FIRM for box in seed.mailboxes for address in box.addresses}
    with MaildirRelay(dovecot, addresses) as smtp:
        yield smtp


def client_credentials(oauth: OAuthServer, **extra: Any) -> dict[str, Any]:
    """Microsoft app-only access, its token endpoint overridden to the local server."""
    return {
        "provider": "microsoft",
        "tenant": "firma-oauth.test",
        "client_id": APP,
        "client_secret_env": "TEST_OAUTH_CLIENT_SECRET",
        "token_url": oauth.token_url,
        **extra,
    }


def delegated(oauth: OAuthServer, token_store: Path, **extra: Any) -> dict[str, Any]:
    """A refresh token kept by `mailbox authorize` (generic provider, public client)."""
    return {
        "provider": "generic",
        "client_id": PUBLIC,
        "scope": "imap offline_access",
        "token_url": oauth.token_url,
        "device_authorization_url": oauth.device_url,
        "token_store": str(token_store),
        **extra,
    }


def mailbox_table(dovecot: DovecotServer, oauth2: dict[str, Any]) -> dict[str, Any]:
    return {
        "host": dovecot.host,
        "port": dovecot.imap_port,
        "tls": False,
        "user": FIRM,
        "auth": "oauth2",
        "oauth2": oauth2,
    }


def oauth_portfolio(
    folder: Path, base_url: str, mailbox: dict[str, Any], names: list[str] | None = None
) -> Path:
    """The demo portfolio (all ten, or `names`) with every mailbox replaced by `mailbox`."""
    data = tomllib.loads(DEMO_PORTFOLIO.read_text(encoding="utf-8"))
    data["portal"] = {"base_url": base_url}
    employers = [e for e in data["employers"] if names is None or e["name"] in names]
    for employer in employers:
        employer["mailbox"] = mailbox
        employer.pop("payroll", None)
    data["employers"] = employers
    path = folder / "portfolio-oauth.toml"
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    return path
