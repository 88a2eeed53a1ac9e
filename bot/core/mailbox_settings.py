"""Where an employer's password emails arrive, and how the bot logs in there (`[employers.mailbox]`).

`auth = "password"`: IMAP LOGIN with a password. `auth = "oauth2"`: IMAP `AUTHENTICATE XOAUTH2` with
an access token from `[employers.mailbox.oauth2]`, which Microsoft 365 and Google Workspace need
(Exchange Online turned basic authentication off for IMAP). Provider defaults fill in the endpoints
and the scope; every one of them can be overridden (a firm's own identity server, or a test's).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, model_validator

from bot.core.secret_sources import resolve_secret
from bot.core.validation import Name, Port

Grant = Literal["client_credentials", "refresh_token", "service_account"]

MICROSOFT_LOGIN = "https://login.microsoftonline.com"
# App-only access (client credentials) asks for the resource's .default scope; delegated access for
# IMAP itself, plus offline_access so that a refresh token comes back.
MICROSOFT_APP_SCOPE = "https://outlook.office365.com/.default"
MICROSOFT_DELEGATED_SCOPE = "https://outlook.office.com/IMAP.AccessAsUser.All offline_access"
GOOGLE_TOKEN_URL = "https://oauth2.googleapis.com/token"
GOOGLE_DEVICE_URL = "https://oauth2.googleapis.com/device/code"
GOOGLE_SCOPE = "https://mail.google.com/"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class OAuth2Settings(_Strict):
    """The OAuth2 client that gets the mailbox's access tokens."""

    provider: Literal["microsoft", "google", "generic"] = "generic"
    grant: Grant | None = Field(
        default=None,
        description="client_credentials (Microsoft app-only IMAP), refresh_token (delegated: from "
        "`mailbox authorize` or refresh_token*), service_account (Google domain-wide delegation); "
        "default: service_account with a service_account_file, client_credentials for Microsoft "
        "with a client secret and no refresh token, else refresh_token",
    )
    tenant: str = Field(default="organizations", description="Microsoft Entra tenant id or domain")
    client_id: str = ""
    client_secret: SecretStr | None = None
    client_secret_env: str | None = None
    client_secret_file: Path | None = None
    client_secret_command: str | None = None
    refresh_token: SecretStr | None = None
    refresh_token_env: str | None = None
    refresh_token_file: Path | None = None
    refresh_token_command: str | None = None
    token_store: Path | None = Field(
        default=None,
        description="file (0600) where `mailbox authorize` keeps the refresh token "
        "[default: <state_dir>/mailbox-tokens/<user>.json]",
    )
    service_account_file: Path | None = Field(default=None, description="Google service account key (JSON)")
    scope: str | None = Field(default=None, description="[default: the provider's IMAP scope]")
    token_url: str | None = Field(default=None, description="[default: the provider's token endpoint]")
    device_authorization_url: str | None = Field(
        default=None, description="RFC 8628 endpoint for `mailbox authorize` [default: the provider's]"
    )
    refresh_margin_seconds: float = Field(
        default=300.0, ge=0, description="get a new access token this long before the current one expires"
    )
    timeout_seconds: float = Field(default=30.0, gt=0, description="HTTP timeout of the token endpoint")

    @model_validator(mode="after")
    def _complete(self) -> OAuth2Settings:
        self.client_secret = resolve_secret(
            self.client_secret,
            self.client_secret_env,
            self.client_secret_file,
            self.client_secret_command,
            name="client_secret",
        )
        self.refresh_token = resolve_secret(
            self.refresh_token,
            self.refresh_token_env,
            self.refresh_token_file,
            self.refresh_token_command,
            name="refresh_token",
        )
        if self.effective_grant != "service_account" and not self.client_id:
            raise ValueError("oauth2 needs client_id")
        if self.effective_grant == "client_credentials" and self.client_secret is None:
            raise ValueError("the client_credentials grant needs client_secret (or _env, _file, _command)")
        if self.provider == "generic" and not self.token_url:
            raise ValueError("provider 'generic' needs token_url")
        if self.effective_grant == "service_account" and self.service_account_file is None:
            raise ValueError("the service_account grant needs service_account_file")
        return self

    @property
    def effective_grant(self) -> Grant:
        if self.grant is not None:
            return self.grant
        if self.service_account_file is not None:
            return "service_account"
        if self.provider == "microsoft" and self.client_secret is not None and self.refresh_token is None:
            return "client_credentials"
        return "refresh_token"

    @property
    def token_endpoint(self) -> str:
        if self.token_url:
            return self.token_url
        if self.provider == "microsoft":
            return f"{MICROSOFT_LOGIN}/{self.tenant}/oauth2/v2.0/token"
        return GOOGLE_TOKEN_URL

    @property
    def device_endpoint(self) -> str | None:
        if self.device_authorization_url:
            return self.device_authorization_url
        if self.provider == "microsoft":
            return f"{MICROSOFT_LOGIN}/{self.tenant}/oauth2/v2.0/devicecode"
        if self.provider == "google":
            return GOOGLE_DEVICE_URL
        return None

    @property
    def effective_scope(self) -> str:
        if self.scope is not None:
            return self.scope
        if self.provider == "microsoft":
            return (
                MICROSOFT_APP_SCOPE
                if self.effective_grant == "client_credentials"
                else MICROSOFT_DELEGATED_SCOPE
            )
        if self.provider == "google":
            return GOOGLE_SCOPE
        return ""


class MailboxSettings(_Strict):
    """Where an employer's password emails arrive: any IMAP server (Gmail, Exchange, Dovecot, ...)."""

    host: Name
    port: Port = 993
    tls: bool = True
    user: Name
    auth: Literal["password", "oauth2"] = "password"
    password: SecretStr | None = None
    password_env: str | None = Field(
        default=None, description="name of an environment variable holding the password"
    )
    password_file: Path | None = Field(default=None, description="file whose first line is the password")
    password_command: str | None = Field(
        default=None, description="command whose first output line is the password (a secret manager's CLI)"
    )
    oauth2: OAuth2Settings | None = None
    folder: Name = "INBOX"

    @model_validator(mode="after")
    def _resolve_credentials(self) -> MailboxSettings:
        if self.auth == "oauth2":
            if self.oauth2 is None:
                raise ValueError('auth = "oauth2" needs an [employers.mailbox.oauth2] table')
            return self
        self.password = resolve_secret(
            self.password, self.password_env, self.password_file, self.password_command
        )
        if self.password is None:
            raise ValueError("a mailbox needs password, password_env, password_file or password_command")
        return self

    def describe(self) -> str:
        return f"{self.user} at {self.host}:{self.port}/{self.folder}"

    def default_token_store(self, state_dir: Path) -> Path:
        """Where `mailbox authorize` keeps this mailbox's refresh token unless `token_store` says."""
        safe = re.sub(r"[^A-Za-z0-9@._+-]", "_", f"{self.user}@{self.host}")
        return state_dir / "mailbox-tokens" / f"{safe}.json"
