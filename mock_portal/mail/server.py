"""The bundled mail server of the mock portal: SMTP in, IMAP out, on loopback, in the
portal's own event loop, so that an SMTP delivery wakes IMAP IDLE clients at once."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from .imap import ImapStore
from .mailbox import AddressBook, Mailbox
from .smtp import DeliveryHandler, SmtpListener


class MailServer:
    """SMTP (aiosmtpd) delivering into IMAP (pymap) mailboxes, several users with aliases.

    Mail to an address no mailbox lists is refused with 550. Port 0 picks a free port;
    :attr:`smtp_port` and :attr:`imap_port` tell the real ones after :meth:`start`.
    """

    def __init__(self, host: str, smtp_port: int, imap_port: int, mailboxes: Sequence[Mailbox]) -> None:
        self._host = host
        self._wanted_smtp_port = smtp_port
        self._addresses = AddressBook()
        self._store = ImapStore(host, imap_port)
        self._initial = tuple(mailboxes)
        self._smtp = SmtpListener(DeliveryHandler(self._addresses, self._store.deliver))
        self._servers: list[asyncio.Server] = []

    async def start(self) -> None:
        """Create the mailboxes and listen on both ports (both ready on return)."""
        if self._servers:
            raise RuntimeError("mail server already started")
        for mailbox in self._initial:
            await self.add_mailbox(mailbox)
        try:
            self._servers.append(await self._smtp.listen(self._host, self._wanted_smtp_port))
            self._servers.append(await self._store.listen())
        except BaseException:
            await self.stop()
            raise

    async def stop(self) -> None:
        """Stop listening and drop open connections (idempotent)."""
        servers, self._servers = self._servers, []
        for server in servers:
            server.close()
        # Open connections outlive their listener (and Python 3.12+'s wait_closed()
        # waits for them): end them, so an IDLE client can't keep the server alive.
        self._smtp.disconnect_all()
        await self._store.disconnect_all()
        for server in servers:
            await server.wait_closed()

    @property
    def smtp_port(self) -> int:
        """The port SMTP listens on (after :meth:`start`)."""
        return self._port(0)

    @property
    def imap_port(self) -> int:
        """The port IMAP listens on (after :meth:`start`)."""
        return self._port(1)

    async def add_mailbox(self, mailbox: Mailbox) -> None:
        """Create a login with its addresses, now or while running.

        Adding a user again updates its password and adds addresses, keeping its mail;
        an address that already delivers to another user raises ValueError.
        """
        self._addresses.add(mailbox)  # validates first, so a conflict changes nothing
        await self._store.add_user(mailbox.user, mailbox.password)

    async def reset(self) -> None:
        """Empty every mailbox; logins and addresses stay."""
        await self._store.empty_all()

    def _port(self, index: int) -> int:
        if len(self._servers) <= index:
            raise RuntimeError("mail server not started")
        port: int = self._servers[index].sockets[0].getsockname()[1]
        return port
