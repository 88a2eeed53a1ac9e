"""An SMTP server on loopback that delivers into a ``DovecotServer``'s Maildirs.

Stands in for the mail exchanger between the mock portal (``--smtp-relay HOST:PORT``) and the
employer's mailbox: portal → SMTP → Maildir → Dovecot IMAP → bot. aiosmtpd's ``Controller``
runs the server in its own thread with its own event loop, so it works from sync tests and from
tests that already run an asyncio loop.
"""

from __future__ import annotations

import time
from types import TracebackType
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from tests.support.dovecot import DovecotServer, free_port


class _DeliverToMaildir:
    """aiosmtpd handler: accept only mapped recipients, deliver to their Dovecot Maildir."""

    def __init__(self, relay: MaildirRelay):
        self._relay = relay

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, rcpt_options: list[str]
    ) -> str:
        if self._relay.user_for(address) is None:
            return f"550 5.1.1 <{address}>: Recipient address rejected: no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        body = envelope.original_content or envelope.content
        assert isinstance(body, bytes)
        for rcpt in envelope.rcpt_tos:
            user = self._relay.user_for(rcpt)
            if user is None:  # cannot happen: handle_RCPT refused it
                continue
            # What a delivery agent adds in front of the message (as Postfix + an LDA would).
            trace = (f"Return-Path: <{envelope.mail_from or ''}>\r\nDelivered-To: {rcpt}\r\n").encode()
            self._relay.dovecot.deliver(user, trace + body)
            self._relay.delivered.append((rcpt, user))
        return "250 2.0.0 OK: delivered"


class MaildirRelay:
    """SMTP (no auth, no TLS) on a free loopback port; ``mailboxes`` maps address → Dovecot user.

    Addresses are matched case-insensitively. Without ``mailboxes`` every Dovecot user name is
    its own address. Unknown recipients get ``550``.
    """

    def __init__(
        self,
        dovecot: DovecotServer,
        mailboxes: dict[str, str] | None = None,
        host: str = "127.0.0.1",
        port: int | None = None,
    ):
        self.dovecot = dovecot
        if mailboxes is None:
            mailboxes = {user: user for user in dovecot.users}
        unknown = sorted(set(mailboxes.values()) - set(dovecot.users))
        if unknown:
            raise ValueError(f"mailboxes point at users Dovecot does not have: {unknown}")
        self.mailboxes = {address.lower(): user for address, user in mailboxes.items()}
        self.host = host
        self.port = port or 0
        self._fixed_port = port is not None
        self._controller: Controller | None = None
        self.delivered: list[tuple[str, str]] = []  # (recipient address, dovecot user)

    def user_for(self, address: str) -> str | None:
        """The Dovecot user for an envelope recipient, or None."""
        return self.mailboxes.get(address.strip().strip("<>").lower())

    def start(self) -> MaildirRelay:
        if self._controller is not None:
            raise RuntimeError("MaildirRelay already started")
        last: Exception | None = None
        for _attempt in range(1 if self._fixed_port else 3):
            port = self.port if self._fixed_port else free_port(self.host)
            controller = Controller(
                _DeliverToMaildir(self),
                hostname=self.host,
                port=port,
                server_hostname="relay.test",
                ready_timeout=10,
                enable_SMTPUTF8=True,
            )
            try:
                controller.start()
            except Exception as exc:  # port taken between probe and bind: try another
                last = exc
                time.sleep(0.05)
                continue
            self._controller = controller
            self.port = port
            return self
        raise RuntimeError(f"MaildirRelay could not start on {self.host}: {last!r}")

    def stop(self) -> None:
        controller, self._controller = self._controller, None
        if controller is not None:
            controller.stop()

    @property
    def address(self) -> str:
        """``HOST:PORT``, as the mock portal's ``--smtp-relay`` takes it."""
        return f"{self.host}:{self.port}"

    def __enter__(self) -> MaildirRelay:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        state: Any = "running" if self._controller else "stopped"
        return f"<MaildirRelay {self.host}:{self.port} {state} mailboxes={sorted(self.mailboxes)}>"


__all__ = ["MaildirRelay"]
