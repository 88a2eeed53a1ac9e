"""OAuth2 access tokens for IMAP XOAUTH2 mailboxes (Microsoft 365, Google Workspace, any OAuth2 server).

The grants themselves are Authlib's (`authlib.integrations.httpx_client`): client credentials
(Microsoft app-only IMAP), refresh token (delegated access, kept by `mailbox authorize`), the
JWT-bearer assertion of a Google service account with domain-wide delegation, and the device-code
grant of RFC 8628 for `mailbox authorize`. Authlib was chosen over MSAL because one library covers
all three providers and lets every endpoint be overridden (MSAL knows only Microsoft's authorities).

One `AccessTokens` per mailbox and process, shared by every employer whose mail lands there: a
token is fetched once, reused until `refresh_margin_seconds` before it expires, then replaced. A
refused refresh token is a `ConfigError` (exit 64) telling to run `mailbox authorize` again; it is
never retried. Tokens are never logged.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from authlib.integrations.base_client import OAuthError
from joserfc.jwk import RSAKey

with warnings.catch_warnings():
    # Authlib 1.9 prefers the httpx2 package and warns on every start when it finds httpx instead;
    # httpx is what this project uses (and Authlib supports it until 2.0, hence authlib<2).
    warnings.simplefilter("ignore", DeprecationWarning)
    from authlib.integrations.httpx_client import AssertionClient, OAuth2Client

from bot.core.errors import ApplicationError, ConfigError
from bot.core.mailbox_settings import MailboxSettings, OAuth2Settings

log = logging.getLogger(__name__)

DEVICE_CODE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"
# Errors of the token endpoint that no retry can fix (RFC 6749 §5.2).
_REFUSALS = {"invalid_grant", "invalid_client", "unauthorized_client", "invalid_scope", "access_denied"}


@dataclass(frozen=True)
class AccessToken:
    value: str
    expires_at: float  # time.time() seconds

    def fresh(self, margin: float) -> bool:
        return time.time() < self.expires_at - margin


class AccessTokens:
    """The access tokens of one OAuth2 mailbox: cached, refreshed before they expire."""

    def __init__(self, mailbox: MailboxSettings, employer: str = "NAME") -> None:
        assert mailbox.oauth2 is not None
        self.mailbox = mailbox
        self.oauth: OAuth2Settings = mailbox.oauth2
        self.employer = employer
        self._lock = threading.Lock()
        self._token: AccessToken | None = None
        self.fetched = 0

    def token(self) -> str:
        """A valid access token, fetched when there is none or it expires within the margin."""
        with self._lock:
            if self._token is None or not self._token.fresh(self.oauth.refresh_margin_seconds):
                self._token = self._fetch()
                self.fetched += 1
            return self._token.value

    def invalidate(self) -> None:
        """Forget the cached token (the IMAP server refused it: revoked or expired early)."""
        with self._lock:
            self._token = None

    # -- grants ---------------------------------------------------------------------------------
    def _fetch(self) -> AccessToken:
        grant = self.oauth.effective_grant
        try:
            if grant == "client_credentials":
                with oauth_client(self.oauth) as client:
                    token = client.fetch_token(self.oauth.token_endpoint, grant_type="client_credentials")
            elif grant == "service_account":
                with self._service_account() as assertion_client:
                    token = assertion_client.refresh_token()
            else:
                token = self._refresh()
        except OAuthError as exc:
            raise self._refused(grant, exc) from None
        except (httpx.HTTPError, ValueError) as exc:  # unreachable, or an answer that is not a token
            raise ApplicationError(
                f"mailbox {self.mailbox.describe()}: token endpoint {self.oauth.token_endpoint} "
                f"failed: {type(exc).__name__}"
            ) from None
        log.info("mailbox %s: new OAuth2 access token (%s)", self.mailbox.describe(), grant)
        expires_in = float(token.get("expires_in") or 3600)
        return AccessToken(value=str(token["access_token"]), expires_at=time.time() + expires_in)

    def _refresh(self) -> dict[str, Any]:
        store = TokenStore(self.oauth.token_store) if self.oauth.token_store else None
        refresh = self.oauth.refresh_token.get_secret_value() if self.oauth.refresh_token else None
        if refresh is None and store is not None:
            refresh = store.load()
        if refresh is None:
            raise ConfigError(
                f"mailbox {self.mailbox.describe()} has no OAuth2 refresh token yet: run "
                f"`assist-bot mailbox authorize -e {self.employer}` (or set oauth2.refresh_token_command)"
            )
        with oauth_client(self.oauth) as client:
            token = client.refresh_token(self.oauth.token_endpoint, refresh_token=refresh)
        rotated = token.get("refresh_token")
        if rotated and rotated != refresh and store is not None and self.oauth.refresh_token is None:
            store.save(str(rotated))  # servers that rotate refresh tokens invalidate the old one
        return dict(token)

    def _service_account(self) -> AssertionClient:
        oauth = self.oauth
        assert oauth.service_account_file is not None
        try:
            key = json.loads(oauth.service_account_file.read_text())
        except (OSError, ValueError) as exc:
            raise ConfigError(
                f"cannot read service_account_file {oauth.service_account_file}: {exc}"
            ) from None
        return AssertionClient(
            token_endpoint=key.get("token_uri", oauth.token_endpoint)
            if not oauth.token_url
            else oauth.token_url,
            issuer=key["client_email"],
            subject=self.mailbox.user,  # domain-wide delegation: act as the mailbox's user
            claims={"scope": oauth.effective_scope},
            key=RSAKey.import_key(key["private_key"]),
            header={"alg": "RS256", "kid": key.get("private_key_id")},
            timeout=oauth.timeout_seconds,
        )

    def _refused(self, grant: str, exc: OAuthError) -> ConfigError | ApplicationError:
        what = (
            f"mailbox {self.mailbox.describe()}: the token endpoint refused the {grant} grant ({exc.error})"
        )
        if exc.error not in _REFUSALS:
            return ApplicationError(what)
        if grant == "refresh_token":
            return ConfigError(
                f"{what}: the refresh token was revoked or has expired. "
                f"Run `assist-bot mailbox authorize -e {self.employer}` again."
            )
        return ConfigError(
            f"{what}: check client_id, the client secret, the tenant and the app's IMAP permission"
        )


def oauth_client(oauth: OAuth2Settings) -> OAuth2Client:
    """Authlib's client for the token endpoint: confidential (secret in the body) or public."""
    secret = oauth.client_secret.get_secret_value() if oauth.client_secret else None
    return OAuth2Client(
        client_id=oauth.client_id,
        client_secret=secret,
        scope=oauth.effective_scope or None,
        token_endpoint_auth_method="client_secret_post" if secret else "none",
        timeout=oauth.timeout_seconds,
    )


class TokenStore:
    """A refresh token in a file only the bot's user can read (0600, in a 0700 folder)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def load(self) -> str | None:
        try:
            data = json.loads(self.path.read_text())
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            raise ConfigError(f"cannot read the token store {self.path}: {exc}") from None
        token = data.get("refresh_token")
        return str(token) if token else None

    def save(self, refresh_token: str) -> None:
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as fh:
            json.dump({"refresh_token": refresh_token, "saved_at": time.time()}, fh)
        os.chmod(tmp, 0o600)
        os.replace(tmp, self.path)


# -- one AccessTokens per mailbox and process ---------------------------------------------------
_sources: dict[tuple[str, int, str, str, str], AccessTokens] = {}
_sources_lock = threading.Lock()


def access_tokens_for(mailbox: MailboxSettings, employer: str = "NAME") -> AccessTokens:
    """The process's shared `AccessTokens` for this mailbox and OAuth2 client."""
    assert mailbox.oauth2 is not None
    key = (mailbox.host, mailbox.port, mailbox.user, mailbox.oauth2.client_id, mailbox.oauth2.token_endpoint)
    with _sources_lock:
        source = _sources.get(key)
        if source is None:
            source = _sources[key] = AccessTokens(mailbox, employer)
        return source


def forget_access_tokens() -> None:
    """Drop every cached token (tests; a long-lived worker after a configuration change)."""
    with _sources_lock:
        _sources.clear()


def check_oauth_mailboxes(mailboxes: list[tuple[str, MailboxSettings]]) -> None:
    """Get one access token per OAuth2 mailbox before any browser opens: a revoked refresh token or a
    wrong client secret then ends the command with exit 64 and the fix, not one failure per employer."""
    for employer, mailbox in mailboxes:
        if mailbox.auth == "oauth2":
            access_tokens_for(mailbox, employer).token()


# -- RFC 8628 device authorization (`mailbox authorize`) ----------------------------------------
@dataclass(frozen=True)
class DeviceCode:
    verification_uri: str
    user_code: str
    device_code: str
    interval: float
    expires_in: float
    verification_uri_complete: str | None = None


def start_device_authorization(oauth: OAuth2Settings) -> DeviceCode:
    """Ask the device-authorization endpoint for a user code (RFC 8628 §3.1-3.2)."""
    if oauth.device_endpoint is None:
        raise ConfigError(
            "oauth2 needs device_authorization_url for `mailbox authorize` (provider 'generic')"
        )
    data = {"client_id": oauth.client_id, "scope": oauth.effective_scope}
    if oauth.client_secret is not None:
        data["client_secret"] = oauth.client_secret.get_secret_value()
    try:
        resp = httpx.post(oauth.device_endpoint, data=data, timeout=oauth.timeout_seconds)
        body = resp.json()
    except (httpx.HTTPError, ValueError) as exc:
        raise ApplicationError(f"device authorization at {oauth.device_endpoint} failed: {exc}") from None
    if resp.status_code != 200 or "device_code" not in body:
        raise ConfigError(
            f"device authorization at {oauth.device_endpoint} refused: {body.get('error', resp.status_code)}"
        )
    return DeviceCode(
        verification_uri=str(body.get("verification_uri") or body.get("verification_url")),
        user_code=str(body["user_code"]),
        device_code=str(body["device_code"]),
        interval=float(body.get("interval", 5)),
        expires_in=float(body.get("expires_in", 900)),
        verification_uri_complete=body.get("verification_uri_complete"),
    )


def finish_device_authorization(
    oauth: OAuth2Settings,
    code: DeviceCode,
    wait: Callable[[float], None] = time.sleep,  # allowed: RFC 8628 polling interval
) -> str:
    """Poll the token endpoint until the person has approved (RFC 8628 §3.4-3.5); the refresh token."""
    deadline = time.monotonic() + code.expires_in
    interval = code.interval
    with oauth_client(oauth) as client:
        while time.monotonic() < deadline:
            wait(interval)  # allowed: RFC 8628 makes the client poll at this interval
            try:
                token = client.fetch_token(
                    oauth.token_endpoint, grant_type=DEVICE_CODE_GRANT, device_code=code.device_code
                )
            except OAuthError as exc:
                if exc.error == "authorization_pending":
                    continue
                if exc.error == "slow_down":
                    interval += 5
                    continue
                raise ConfigError(f"device authorization ended: {exc.error}") from None
            refresh = token.get("refresh_token")
            if not refresh:
                raise ConfigError(
                    "the token endpoint gave no refresh token: add offline_access (Microsoft) to the scope"
                )
            return str(refresh)
    raise ConfigError(f"nobody approved code {code.user_code} within {code.expires_in:.0f} s; run it again")
