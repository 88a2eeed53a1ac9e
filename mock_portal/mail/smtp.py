"""SMTP side of the bundled mail server: an aiosmtpd handler that accepts mail for known
addresses only and hands each message to a delivery callback, once per mailbox."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from email.utils import format_datetime
from weakref import WeakSet

from aiosmtpd.smtp import SMTP, Envelope, Session

from .mailbox import AddressBook

log = logging.getLogger(__name__)

HOSTNAME = "mail.assist-mock.test"

#: Stores one message (raw bytes, CRLF lines) in a user's INBOX, dated *when*.
Deliver = Callable[[str, bytes, datetime], Awaitable[None]]


class DeliveryHandler:
    """aiosmtpd handler: RCPT checks the address book, DATA delivers to each owner."""

    def __init__(self, addresses: AddressBook, deliver: Deliver) -> None:
        self._addresses = addresses
        self._deliver = deliver

    async def handle_RCPT(
        self,
        server: SMTP,
        session: Session,
        envelope: Envelope,
        address: str,
        rcpt_options: list[str],
    ) -> str:
        if self._addresses.owner(address) is None:
            # Rejected at RCPT, like a real MX, so the sender learns it at once.
            return f"550 5.1.1 <{address}>: Recipient address rejected: no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(
        self,
        server: SMTP,
        session: Session,
        envelope: Envelope,
    ) -> str:
        when = datetime.now(UTC)
        message = _trace_headers(session, envelope, when) + _raw(envelope)
        # Two addresses of one mailbox in one message make one copy, as an MTA
        # expanding aliases into the same mailbox does.
        for user in self._addresses.owners(envelope.rcpt_tos):
            await self._deliver(user, message, when)
        log.info("delivered mail from %s to %s", envelope.mail_from, envelope.rcpt_tos)
        return "250 2.0.0 Message accepted for delivery"


class SmtpListener:
    """Serves SMTP in the running loop, not in aiosmtpd's threaded ``Controller``:
    deliveries must happen in the loop the IMAP sessions wait in, or IDLE is not woken."""

    def __init__(self, handler: DeliveryHandler) -> None:
        self._handler = handler
        self._sessions: WeakSet[SMTP] = WeakSet()

    async def listen(self, host: str, port: int) -> asyncio.Server:
        """Start accepting connections on *host*:*port*."""
        loop = asyncio.get_running_loop()
        return await loop.create_server(self._new_session, host=host, port=port)

    def disconnect_all(self) -> None:
        """Drop open SMTP connections (closing the listener alone leaves them)."""
        for session in list(self._sessions):
            if session.transport is not None:
                session.transport.close()

    def _new_session(self) -> SMTP:
        # A fixed hostname: aiosmtpd would otherwise look up the FQDN per connection.
        session = SMTP(self._handler, hostname=HOSTNAME, loop=asyncio.get_running_loop())
        self._sessions.add(session)
        return session


def _raw(envelope: Envelope) -> bytes:
    content = envelope.original_content or b""
    # smtplib and aiosmtpd keep CRLF, but IMAP clients expect CRLF strictly.
    return content.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


def _trace_headers(session: Session, envelope: Envelope, when: datetime) -> bytes:
    """The Return-Path and Received lines a delivering MTA prepends."""
    return (
        f"Return-Path: <{envelope.mail_from or ''}>\r\n"
        f"Received: from {session.host_name or 'unknown'} by {HOSTNAME}"
        f" with ESMTP; {format_datetime(when)}\r\n"
    ).encode()
