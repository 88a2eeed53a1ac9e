"""Connecting and logging in to an employer's mailbox: IMAP LOGIN with a password, or
`AUTHENTICATE XOAUTH2` with an OAuth2 access token (imapclient's `oauth2_login`).

Everything after the login (SELECT, IDLE, SEARCH, FETCH) is the same for both. A refused login is a
`ConfigError`: no retry makes a wrong password right. When a password login is refused by a server
that offers XOAUTH2 (Microsoft 365 and Google do, and answer `LOGIN failed` or `Basic authentication
is disabled`), the message says to set `auth = "oauth2"`.
"""

from __future__ import annotations

import email
import email.policy
import re
import ssl
from dataclasses import dataclass
from email.message import EmailMessage

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError, LoginError

from bot.core.access_tokens import access_tokens_for
from bot.core.errors import ApplicationError, ConfigError
from bot.core.mailbox_settings import MailboxSettings
from bot.core.password_rule import PasswordRule

_BASIC_AUTH_OFF = re.compile(
    r"basic auth|LOGIN failed|application-specific password|web login", re.IGNORECASE
)


def connect(mailbox: MailboxSettings, employer: str = "NAME") -> IMAPClient:
    """A logged-in IMAP client for `mailbox` (nothing selected yet)."""
    try:
        context = ssl.create_default_context() if mailbox.tls else None
        client = IMAPClient(mailbox.host, port=mailbox.port, ssl=mailbox.tls, ssl_context=context, timeout=30)
    except IMAPClientError as exc:
        raise ApplicationError(f"mailbox {mailbox.describe()}: {redact(str(exc))}") from exc
    except (TimeoutError, OSError) as exc:
        raise ApplicationError(f"mailbox {mailbox.describe()} unreachable: {exc}") from exc
    try:
        if mailbox.auth == "oauth2":
            _oauth2_login(client, mailbox, employer)
        else:
            _password_login(client, mailbox, employer)
    except BaseException:
        client.shutdown()
        raise
    return client


def _password_login(client: IMAPClient, mailbox: MailboxSettings, employer: str) -> None:
    assert mailbox.password is not None  # resolved by MailboxSettings
    try:
        client.login(mailbox.user, mailbox.password.get_secret_value())
    except LoginError as exc:
        raise ConfigError(password_refused(mailbox, client, str(exc), employer)) from None
    except IMAPClientError as exc:
        raise ApplicationError(f"mailbox {mailbox.describe()}: {redact(str(exc))}") from None


def password_refused(mailbox: MailboxSettings, client: IMAPClient, reply: str, employer: str) -> str:
    """The message for a refused password login; names `auth = "oauth2"` where that is the cure."""
    reply = redact(reply)
    offers_oauth = any(client.has_capability(c) for c in ("AUTH=XOAUTH2", "AUTH=OAUTHBEARER"))
    message = f"mailbox {mailbox.describe()} refused the password login ({reply})"
    if offers_oauth or _BASIC_AUTH_OFF.search(reply):
        message += (
            ". This server may refuse basic (password) authentication, as Microsoft 365 and Google do: "
            f'set auth = "oauth2" with an [employers.mailbox.oauth2] table for employer {employer} '
            f"(see the README's mailbox section), then run `assist-bot mailbox check -e {employer}`"
        )
    else:
        message += "; check the mailbox user and password"
    return message


def _oauth2_login(client: IMAPClient, mailbox: MailboxSettings, employer: str) -> None:
    tokens = access_tokens_for(mailbox, employer)
    for attempt in (1, 2):
        try:
            client.oauth2_login(mailbox.user, tokens.token())
            return
        except LoginError as exc:
            # A cached token the server no longer takes (revoked, or expired sooner than it said):
            # one new token, once.
            tokens.invalidate()
            if attempt == 2:
                raise ConfigError(
                    f"mailbox {mailbox.describe()} refused a fresh OAuth2 access token ({redact(str(exc))}): "
                    "check that the app has IMAP access to this mailbox (Microsoft: the service principal "
                    "and mailbox permission; Google: the delegated scope) and the oauth2 scope"
                ) from None
        except IMAPClientError as exc:
            raise ApplicationError(f"mailbox {mailbox.describe()}: {redact(str(exc))}") from None


def redact(text: str) -> str:
    """IMAP error texts can echo the command; never let a LOGIN or AUTHENTICATE line reach a log."""
    text = re.sub(r"(?i)(login\s+\S+\s+)\S+", r"\1****", text)
    return re.sub(r"(?i)(authenticate\s+\S+\s+)\S+", r"\1****", text)


@dataclass(frozen=True)
class MailboxReport:
    """What `mailbox check` found: the login worked, and what the bot will be able to do there."""

    mailbox: str
    auth: str
    idle: bool
    password_mails: int
    messages: int


def check_mailbox(
    mailbox: MailboxSettings, rule: PasswordRule, recipient: str, employer: str
) -> MailboxReport:
    """Log in, open the folder read-only and count the password mails for `recipient` (the portal is
    not touched, nothing is marked seen)."""
    client = connect(mailbox, employer)
    try:
        status = client.select_folder(mailbox.folder, readonly=True)
        uids = client.search(["ALL"])
        found = 0
        for start in range(0, len(uids), 200):
            batch = uids[start : start + 200]
            for data in client.fetch(batch, ["BODY.PEEK[]"]).values():
                raw = data.get(b"BODY[]")
                message = email.message_from_bytes(raw, policy=email.policy.default) if raw else None
                if isinstance(message, EmailMessage) and rule.password_in(message, recipient) is not None:
                    found += 1
        return MailboxReport(
            mailbox=mailbox.describe(),
            auth=mailbox.auth,
            idle=bool(client.has_capability("IDLE")),
            password_mails=found,
            messages=int(status.get(b"EXISTS", len(uids))),
        )
    except IMAPClientError as exc:
        raise ApplicationError(f"mailbox {mailbox.describe()}: {redact(str(exc))}") from exc
    finally:
        try:
            client.logout()
        except (IMAPClientError, OSError):
            pass  # hung up already
