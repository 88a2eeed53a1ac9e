"""The emailed login password: watch an IMAP mailbox for the portal's mail and take the password.

The watch opens *before* the bot asks the portal for a password and remembers the mailbox's UIDNEXT,
so that only mail that arrives after the request counts (no clock comparison between machines, and
a password mail left over from an earlier login is never taken). A mail matches when its recipient
is the employer's login email (accounting firms receive many employers' mail in one mailbox) and its
sender and subject match the configured patterns; the one taken is marked seen.

Only the latest request's password counts: a request whose watch ended without a password (the
password page failed, the attempt is retried) stays *outstanding*, and its mail may still arrive,
late, after the next request. So while earlier requests of this process are outstanding, the watch
waits until it has seen as many matching mails as requests, or `stale_grace_seconds` after the
first one, and takes the newest. Should the portal still refuse it, `newer_password()` gives a mail
that arrived after it, once: a login attempt types at most one stale password.

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
import threading
import time
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from datetime import datetime
from email.message import EmailMessage

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError
from pydantic import SecretStr

from bot.core.errors import ApplicationError, MailTimeout
from bot.core.mailbox_connection import connect, redact
from bot.core.mailbox_settings import MailboxSettings
from bot.core.password_rule import PasswordRule
from bot.core.settings import PasswordMailSettings

log = logging.getLogger(__name__)
# imapclient logs the raw protocol at DEBUG, message bodies included: the password mail must never
# reach a log, whatever level the user asks for.
logging.getLogger("imapclient.imaplib").setLevel(logging.INFO)

_executor = ThreadPoolExecutor(max_workers=64, thread_name_prefix="imap")


_Key = tuple[str, int, str, str, str]


class _Requests:
    """The password requests of this process whose mail was not taken, per mailbox and recipient:
    the UID floor of each, and when it was made (forgotten after an hour)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._open: dict[_Key, list[tuple[int, float]]] = {}

    def earlier(self, key: _Key) -> list[int]:
        with self._lock:
            fresh = [(f, t) for f, t in self._open.get(key, []) if time.monotonic() - t < 3600]
            self._open[key] = fresh
            return [f for f, _ in fresh]

    def outstanding(self, key: _Key, floor: int) -> None:
        with self._lock:
            self._open.setdefault(key, []).append((floor, time.monotonic()))

    def answered(self, key: _Key) -> None:
        with self._lock:
            self._open.pop(key, None)


_requests = _Requests()


class PasswordWatch:
    """A blocking watch on one mailbox for one recipient; use `watch_password` from async code."""

    def __init__(
        self, mailbox: MailboxSettings, settings: PasswordMailSettings, recipient: str, employer: str = "NAME"
    ) -> None:
        self.mailbox = mailbox
        self.settings = settings
        self.rule = PasswordRule.from_settings(settings)
        self.recipient = recipient
        self.employer = employer
        self.opened_at: datetime | None = None
        self.taken_uid: int | None = None
        self._client: IMAPClient | None = None
        self._uid_floor = 1
        self._earlier: list[int] = []
        self._key: _Key = (mailbox.host, mailbox.port, mailbox.user, mailbox.folder, recipient.lower())

    # -- connection -----------------------------------------------------------------------------
    def open(self) -> None:
        """Connect, log in, select the folder and remember where new mail will start."""
        mb = self.mailbox
        client = connect(mb, self.employer)
        try:
            status = client.select_folder(mb.folder)
            uidnext = status.get(b"UIDNEXT")
            if uidnext is None:  # a server that does not say: take the highest UID there is
                uids = client.search(["ALL"])
                uidnext = max(uids) + 1 if uids else 1
        except IMAPClientError as exc:
            client.shutdown()
            raise ApplicationError(f"mailbox {mb.describe()}: {redact(str(exc))}") from exc
        except (TimeoutError, OSError) as exc:
            client.shutdown()
            raise ApplicationError(f"mailbox {mb.describe()} unreachable: {exc}") from exc
        self._client = client
        self.opened_at = datetime.now().astimezone()
        self._uid_floor = int(uidnext)
        self._earlier = _requests.earlier(self._key)
        log.debug(
            "watching %s for %s from UID %d (%d earlier request(s) unanswered)",
            mb.describe(),
            self.recipient,
            self._uid_floor,
            len(self._earlier),
        )

    def close(self) -> None:
        if self.taken_uid is None and self.opened_at is not None:
            _requests.outstanding(self._key, self._uid_floor)  # its mail may still come, late
        if self._client is None:
            return
        try:
            self._client.logout()
        except (IMAPClientError, OSError):
            pass  # the mailbox may have hung up already; nothing to clean up then
        self._client = None

    # -- waiting --------------------------------------------------------------------------------
    def wait(self, timeout: float | None = None) -> SecretStr:
        """Block until the latest request's password mail is there (IDLE, else polling);
        `MailTimeout` after `timeout`."""
        limit = self.settings.timeout_seconds if timeout is None else timeout
        floor = min([self._uid_floor, *self._earlier])
        expected = 1 + len(self._earlier)
        first_seen: list[float] = []

        def choose(found: list[tuple[int, str]]) -> tuple[int, str] | None:
            if not found:
                return None
            if not first_seen:
                first_seen.append(time.monotonic())
            settled = time.monotonic() - first_seen[0] >= self.settings.stale_grace_seconds
            return found[-1] if len(found) >= expected or settled else None

        password = self._wait_for(floor, limit, choose, self.settings.stale_grace_seconds)
        if password is None:
            raise MailTimeout(
                f"no password email for {self.recipient} arrived in mailbox {self.mailbox.describe()} "
                f"within {limit:.0f} s (waiting since {self.opened_at:%Y-%m-%d %H:%M:%S %Z})"
            )
        _requests.answered(self._key)
        return password

    def newer(self, timeout: float | None = None) -> SecretStr | None:
        """A matching mail that arrived after the one taken, within `timeout` (default: the stale
        grace), or None: for one more try when the portal refused the password taken."""
        if self.taken_uid is None:
            return None
        limit = self.settings.stale_grace_seconds if timeout is None else timeout
        return self._wait_for(self.taken_uid + 1, limit, lambda found: found[-1] if found else None, None)

    def _wait_for(
        self,
        floor: int,
        limit: float,
        choose: Callable[[list[tuple[int, str]]], tuple[int, str] | None],
        recheck: float | None,
    ) -> SecretStr | None:
        client = self._require_client()
        deadline = time.monotonic() + limit
        can_idle = client.has_capability("IDLE")
        try:
            while True:
                chosen = choose(self._matching(floor))
                if chosen is not None:
                    uid, password = chosen
                    client.add_flags([uid], [b"\\Seen"])
                    self.taken_uid = uid
                    log.info(
                        "password email for %s found in %s (UID %d)",
                        self.recipient,
                        self.mailbox.describe(),
                        uid,
                    )
                    return SecretStr(password)
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return None
                pause = min(remaining, self.settings.idle_refresh_seconds, recheck or remaining)
                if can_idle:
                    self._idle(pause)
                else:
                    wait = min(pause, self.settings.poll_interval_seconds)
                    time.sleep(wait)  # allowed: polling fallback, server has no IDLE
                    client.noop()
        except IMAPClientError as exc:
            raise ApplicationError(f"mailbox {self.mailbox.describe()}: {redact(str(exc))}") from exc
        except (TimeoutError, OSError) as exc:
            raise ApplicationError(f"mailbox {self.mailbox.describe()} connection lost: {exc}") from exc

    def _idle(self, seconds: float) -> None:
        client = self._require_client()
        client.idle()
        try:
            client.idle_check(timeout=seconds)
        finally:
            client.idle_done()

    def _matching(self, floor: int) -> list[tuple[int, str]]:
        """(UID, password) of every password mail for the recipient from UID `floor` on, oldest first."""
        client = self._require_client()
        # Some servers (pymap) show a session new mail only after a command has synchronised it;
        # NOOP is that command everywhere, and costs one round trip.
        client.noop()
        uids = [uid for uid in client.search(["UID", f"{floor}:*"]) if uid >= floor]
        if not uids:
            return []
        fetched = client.fetch(uids, ["BODY.PEEK[]"])
        found = []
        for uid in sorted(uids):
            raw = fetched.get(uid, {}).get(b"BODY[]")
            if not raw:
                continue
            message = email.message_from_bytes(raw, policy=email.policy.default)
            assert isinstance(message, EmailMessage)
            password = self.rule.password_in(message, self.recipient)
            if password is not None:
                found.append((uid, password))
        return found

    def _require_client(self) -> IMAPClient:
        if self._client is None:
            raise RuntimeError("PasswordWatch used before open()")
        return self._client


class AsyncPasswordWatch:
    """The async face of a `PasswordWatch`: its blocking calls run on the mail thread pool."""

    def __init__(self, watch: PasswordWatch) -> None:
        self._watch = watch

    async def password(self, timeout: float | None = None) -> SecretStr:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(_executor, self._watch.wait, timeout)

    async def newer_password(self, timeout: float | None = None) -> SecretStr | None:
        """After the portal refused `password()`: a newer matching mail within the wait, or None."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(_executor, self._watch.newer, timeout)


@asynccontextmanager
async def watch_password(
    mailbox: MailboxSettings, settings: PasswordMailSettings, recipient: str, employer: str = "NAME"
) -> AsyncIterator[AsyncPasswordWatch]:
    """Open a watch before asking for a password; `await watch.password()` after asking."""
    watch = PasswordWatch(mailbox, settings, recipient, employer)
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(_executor, watch.open)
    try:
        yield AsyncPasswordWatch(watch)
    finally:
        await loop.run_in_executor(_executor, watch.close)
