"""Everything one running portal shares across requests: settings, state, faults, mail."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Protocol

from starlette.requests import Request

from mock_portal.config import PortalConfig
from mock_portal.faults import Faults
from mock_portal.mail import Mailbox
from mock_portal.mailer import Mailer
from mock_portal.seed import Seed
from mock_portal.state import Store


class MailService(Protocol):
    """What the portal needs of the bundled mail server (mock_portal.mail.MailServer)."""

    @property
    def smtp_port(self) -> int: ...

    @property
    def imap_port(self) -> int: ...

    async def reset(self) -> None: ...

    async def add_mailbox(self, mailbox: Mailbox) -> None: ...


@dataclass
class Portal:
    config: PortalConfig
    seed: Seed
    store: Store
    faults: Faults
    mailer: Mailer
    mail_server: MailService
    mail_host: str

    def __post_init__(self) -> None:
        self.store.payments.pending_expiry = self.fpx_pending_expiry

    def fpx_pending_expiry(self) -> float:
        """How long FPX leaves a transaction `Pending` before timing it out (faults, else config)."""
        return self.faults.fpx_pending_expiry(self.config.fpx_pending_expiry)

    async def reset(self) -> None:
        """State back to the seed, mailboxes emptied, faults cleared, delayed mail forgotten."""
        await self.mailer.cancel_scheduled()
        self.faults.clear()
        self.store.reset(self.seed)
        await self.mail_server.reset()

    async def mail_is_up(self) -> bool:
        """Both bundled mail servers accept connections and greet."""
        for port in (self.mail_server.smtp_port, self.mail_server.imap_port):
            if not await _greets(self.mail_host, port):
                return False
        return True


async def _greets(host: str, port: int) -> bool:
    try:
        reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), timeout=2)
    except (TimeoutError, OSError):
        return False
    try:
        greeting = await asyncio.wait_for(reader.readline(), timeout=2)
        return bool(greeting)
    except (TimeoutError, OSError):
        return False
    finally:
        writer.close()
        try:
            await writer.wait_closed()
        except OSError:
            pass


def portal_of(request: Request) -> Portal:
    """The running portal, from any route or dependency."""
    return request.app.state.portal  # type: ignore[no-any-return]
