"""IMAP side of the bundled mail server: pymap's in-memory ``dict`` backend with our own
users, served on loopback, plus the delivery entry point the SMTP side calls.

How a delivery wakes IDLE: pymap's IMAP APPEND ends in ``MailboxData.append``, which
stores the message and sets the mailbox's ``_updated`` event. An IDLE session waits on
exactly that event (``IDLE`` → ``check_mailbox(wait_on=done)`` →
``update_selected``, which waits on ``done.or_event(mailbox._updated)``), then sends
the new ``EXISTS``. :meth:`ImapStore.deliver` calls the same ``append`` on the same
``MailboxData`` object the user's sessions hold, so IDLE clients wake at once. This only
works in one event loop: those events are ``asyncio.Event`` s, and setting one from
another thread (as aiosmtpd's threaded ``Controller`` would) does not wake the loop
that waits on it; hence everything here runs in the caller's loop.
"""

from __future__ import annotations

import asyncio
import ssl
from argparse import Namespace
from datetime import datetime

from proxyprotocol.reader import ProxyProtocolReader
from proxyprotocol.sock import SocketInfo
from pymap.backend.dict import Config, Identity, Login
from pymap.backend.dict.filter import FilterSet
from pymap.backend.dict.mailbox import MailboxData
from pymap.concurrent import Subsystem
from pymap.parsing.message import AppendMessage
from pymap.user import UserMetadata
from pysasl.hashing import Cleartext

from .folders import Folders
from .imap_connection import WholeResponseServer

INBOX = "INBOX"


class _LoopbackConfig(Config):
    """pymap's dict-backend config, minus what a loopback test server doesn't want."""

    @property
    def greeting(self) -> bytes:
        # pymap's default greeting resolves the host's FQDN on every connection,
        # which can stall for seconds on a machine without DNS.
        return b"Server ready (assist mock mail)"


def _config(host: str, port: int) -> _LoopbackConfig:
    return _LoopbackConfig(
        # pymap reads a few settings straight off its argparse namespace.
        Namespace(passlib_cfg=None, proxy_protocol=None),
        host=host,
        port=port,
        # No login has the demo name and demo data is off: only our users exist.
        demo_data=False,
        demo_user="",
        demo_password="",
        # Loopback only: plain LOGIN without STARTTLS, and a default SSL context so
        # pymap does not pick up certificate files from CERT_FILE/KEY_FILE.
        tls_enabled=False,
        ssl_context=ssl.create_default_context(ssl.Purpose.CLIENT_AUTH),
        reject_dnsbl=False,
        # Mock passwords are known test data; hashing would only cost time, and the
        # default thread pool for hashing would outlive the server.
        hash_context=Cleartext(),
        cpu_subsystem=Subsystem.for_asyncio(),
    )


class ImapStore:
    """The users, their mailboxes and the IMAP listener (all in this event loop)."""

    def __init__(self, host: str, port: int) -> None:
        self._config = _config(host, port)
        self._login = Login(self._config)
        self._connections: set[asyncio.Task[None]] = set()

    async def add_user(self, user: str, password: str) -> None:
        """Create the login (or change its password), keeping any mail it has."""
        identity = Identity(user, self._login, None, frozenset())
        metadata = UserMetadata(
            self._config, user, password=password, previous_entity_tag=UserMetadata.REPLACE_ANY
        )
        await identity.set(metadata)
        # Create the mailbox set now, in the cache pymap's sessions look in
        # (Identity.new_session), so deliveries and logins share one object.
        self._config.set_cache.setdefault(user, (Folders(), FilterSet()))

    async def deliver(self, user: str, message: bytes, when: datetime) -> None:
        """Put *message* into *user*'s INBOX as APPEND would, waking IDLE sessions."""
        inbox = await self._inbox(user)
        # recent=True: no session "owns" this message yet, as with any MTA delivery.
        await inbox.append(AppendMessage(message, when=when), recent=True)

    async def empty_all(self) -> None:
        """Expunge every message of every user (logins and folders stay)."""
        for mailbox_set, _ in list(self._config.set_cache.values()):
            for entry in (await mailbox_set.list_mailboxes()).list():
                if not entry.exists:  # a \Noselect parent of a nested folder
                    continue
                folder = await mailbox_set.get_mailbox(entry.name)
                # delete() sets the update event too: selected sessions see EXPUNGE.
                await folder.delete([msg.uid async for msg in folder.messages()])

    async def listen(self) -> asyncio.Server:
        """Start serving IMAP on the configured host and port."""
        imap_server = WholeResponseServer(self._login, self._config)

        async def serve(
            reader: asyncio.StreamReader, writer: asyncio.StreamWriter, sock_info: SocketInfo
        ) -> None:
            task = asyncio.current_task()
            assert task is not None
            self._connections.add(task)
            try:
                await imap_server(reader, writer, sock_info)
            finally:
                self._connections.discard(task)

        # pymap's own IMAPService wraps its callback in a PROXY-protocol reader (a
        # no-op with proxy_protocol=None) which supplies the SocketInfo it needs.
        callback = ProxyProtocolReader(self._config.proxy_protocol).get_callback(serve)
        return await asyncio.start_server(callback, host=self._config.host, port=int(self._config.port))

    async def disconnect_all(self) -> None:
        """End every open IMAP connection (clients get BYE), e.g. at shutdown:
        closing the listener alone leaves them, and IDLE ones, running."""
        tasks = list(self._connections)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def _inbox(self, user: str) -> MailboxData:
        mailbox_set, _ = self._config.set_cache[user]
        return await mailbox_set.get_mailbox(INBOX)
