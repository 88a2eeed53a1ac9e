"""The emailed login password: watch an IMAP mailbox for the portal's mail and take the password.

The watch opens *before* the bot asks the portal for a password and remembers the mailbox's UIDNEXT,
so that only mail that arrives after the request counts (no clock comparison between machines, and
a password mail left over from an earlier login is never taken). Among those it takes the first
whose recipient is the employer's login email (accounting firms receive many employers' mail in one
mailbox) and whose sender and subject match the configured patterns, then marks it seen.

IMAP IDLE wakes the watch the moment the mail is delivered; servers without IDLE are polled.
imapclient is blocking, so each watch lives on a worker thread of its own pool: a portfolio run has
many employers waiting for mail at once and must not starve the event loop's default executor.
The password is never logged, and is kept only as a `SecretStr`.
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import logging
import re
import ssl
import time
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import getaddresses

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError
from pydantic import SecretStr

from bot.core.errors import ApplicationError, ConfigError, MailTimeout
from bot.core.settings import MailboxSettings, PasswordMailSettings

log = logging.getLogger(__name__)
# imapclient logs the raw protocol at DEBUG, message bodies included: the password mail must never
# reach a log, whatever level the user asks for.
logging.getLogger("imapclient.imaplib").setLevel(logging.INFO)

_executor = ThreadPoolExecutor(max_workers=64, thread_name_prefix="imap")
_RECIPIENT_HEADERS = ("To", "Cc", "Delivered-To", "X-Original-To", "Envelope-To")


@dataclass(frozen=True)
class PasswordRule:
    """What the portal's password email looks like (compiled from `PasswordMailSettings`)."""

    sender: re.Pattern[str]
    subject: re.Pattern[str]
    password: re.Pattern[str]

    @classmethod
    def from_settings(cls, settings: PasswordMailSettings) -> PasswordRule:
        try:
            rule = cls(
                sender=re.compile(settings.sender_pattern, re.IGNORECASE),
                subject=re.compile(settings.subject_pattern, re.IGNORECASE),
                password=re.compile(settings.password_pattern),
            )
        except re.error as exc:
            raise ConfigError(f"mail: invalid pattern: {exc}") from exc
        if rule.password.groups < 1:
            raise ConfigError("mail.password_pattern needs one group around the password")
        return rule

    def password_in(self, message: EmailMessage, recipient: str) -> str | None:
        """The password if `message` is the portal's password mail for `recipient`, else None."""
        if recipient.lower() not in _recipients(message):
            return None
        if not self.sender.search(str(message.get("From", ""))):
            return None
        if not self.subject.search(str(message.get("Subject", ""))):
            return None
        match = self.password.search(_text_of(message))
        return match.group(1) if match else None


def _recipients(message: EmailMessage) -> set[str]:
    values: list[str] = []
    for header in _RECIPIENT_HEADERS:
        values.extend(str(v) for v in message.get_all(header, []))
    return {addr.lower() for _, addr in getaddresses(values) if addr}


def _text_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    content = part.get_content()
    return content if isinstance(content, str) else ""


class PasswordWatch:
    """A blocking watch on one mailbox for one recipient; use `watch_password` from async code."""

    def __init__(self, mailbox: MailboxSettings, settings: PasswordMailSettings, recipient: str) -> None:
        self.mailbox = mailbox
        self.settings = settings
        self.rule = PasswordRule.from_settings(settings)
        self.recipient = recipient
        self.opened_at: datetime | None = None
        self._client: IMAPClient | None = None
        self._uid_floor = 1

    # -- connection -----------------------------------------------------------------------------
    def open(self) -> None:
        """Connect, log in, select the folder and remember where new mail will start."""
        mb = self.mailbox
        assert mb.password is not None  # resolved by MailboxSettings
        try:
            context = ssl.create_default_context() if mb.tls else None
            client = IMAPClient(mb.host, port=mb.port, ssl=mb.tls, ssl_context=context, timeout=30)
            client.login(mb.user, mb.password.get_secret_value())
            status = client.select_folder(mb.folder)
        except IMAPClientError as exc:
            raise ApplicationError(f"mailbox {mb.describe()}: {_redact(str(exc))}") from exc
        except (TimeoutError, OSError) as exc:
            raise ApplicationError(f"mailbox {mb.describe()} unreachable: {exc}") from exc
        self._client = client
        self.opened_at = datetime.now().astimezone()
        uidnext = status.get(b"UIDNEXT")
        if uidnext is None:  # a server that does not say: take the highest UID there is
            uids = client.search(["ALL"])
            uidnext = max(uids) + 1 if uids else 1
        self._uid_floor = int(uidnext)
        log.debug("watching %s for %s from UID %d", mb.describe(), self.recipient, self._uid_floor)

    def close(self) -> None:
        if self._client is None:
            return
        try:
            self._client.logout()
        except (IMAPClientError, OSError):
            pass  # the mailbox may have hung up already; nothing to clean up then
        self._client = None

    # -- waiting --------------------------------------------------------------------------------
    def wait(self, timeout: float | None = None) -> SecretStr:
        """Block until the password mail arrives (IDLE, else polling); `MailTimeout` after `timeout`."""
        client = self._require_client()
        limit = self.settings.timeout_seconds if timeout is None else timeout
        deadline = time.monotonic() + limit
        can_idle = client.has_capability("IDLE")
        try:
            while True:
                password = self._take_password()
                if password is not None:
                    return password
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise MailTimeout(
                        f"no password email for {self.recipient} arrived in mailbox {self.mailbox.describe()} "
                        f"within {limit:.0f} s (waiting since {self.opened_at:%Y-%m-%d %H:%M:%S %Z})"
                    )
                if can_idle:
                    self._idle(min(remaining, self.settings.idle_refresh_seconds))
                else:
                    pause = min(remaining, self.settings.poll_interval_seconds)
                    time.sleep(pause)  # allowed: polling fallback, server has no IDLE
                    client.noop()
        except IMAPClientError as exc:
            raise ApplicationError(f"mailbox {self.mailbox.describe()}: {_redact(str(exc))}") from exc
        except (TimeoutError, OSError) as exc:
            raise ApplicationError(f"mailbox {self.mailbox.describe()} connection lost: {exc}") from exc

    def _idle(self, seconds: float) -> None:
        client = self._require_client()
        client.idle()
        try:
            client.idle_check(timeout=seconds)
        finally:
            client.idle_done()

    def _take_password(self) -> SecretStr | None:
        client = self._require_client()
        # Some servers (pymap) show a session new mail only after a command has synchronised it;
        # NOOP is that command everywhere, and costs one round trip.
        client.noop()
        uids = [uid for uid in client.search(["UID", f"{self._uid_floor}:*"]) if uid >= self._uid_floor]
        if not uids:
            return None
        fetched = client.fetch(uids, ["BODY.PEEK[]"])
        for uid in sorted(uids):
            raw = fetched.get(uid, {}).get(b"BODY[]")
            if not raw:
                continue
            message = email.message_from_bytes(raw, policy=email.policy.default)
            assert isinstance(message, EmailMessage)
            password = self.rule.password_in(message, self.recipient)
            if password is not None:
                client.add_flags([uid], [b"\\Seen"])
                log.info(
                    "password email for %s found in %s (UID %d)", self.recipient, self.mailbox.describe(), uid
                )
                return SecretStr(password)
        return None

    def _require_client(self) -> IMAPClient:
        if self._client is None:
            raise RuntimeError("PasswordWatch used before open()")
        return self._client


def _redact(text: str) -> str:
    """IMAP error texts can echo the command; never let a LOGIN line reach a log."""
    return re.sub(r"(?i)(login\s+\S+\s+)\S+", r"\1****", text)


class AsyncPasswordWatch:
    """The async face of a `PasswordWatch`: its blocking calls run on the mail thread pool."""

    def __init__(self, watch: PasswordWatch) -> None:
        self._watch = watch

    async def password(self, timeout: float | None = None) -> SecretStr:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(_executor, self._watch.wait, timeout)


@asynccontextmanager
async def watch_password(
    mailbox: MailboxSettings, settings: PasswordMailSettings, recipient: str
) -> AsyncIterator[AsyncPasswordWatch]:
    """Open a watch before asking for a password; `await watch.password()` after asking."""
    watch = PasswordWatch(mailbox, settings, recipient)
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(_executor, watch.open)
    try:
        yield AsyncPasswordWatch(watch)
    finally:
        await loop.run_in_executor(_executor, watch.close)
