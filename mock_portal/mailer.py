"""Outgoing mail: SMTP to the bundled server (or --smtp-relay), with the mail faults applied."""

from __future__ import annotations

import asyncio
import logging
import smtplib
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from mock_portal.faults import Faults
from mock_portal.state import Store

log = logging.getLogger(__name__)


def new_message(sender: str, to: str, subject: str, body: str) -> EmailMessage:
    """A plain-text message with the headers a real mail system would put on it."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain="perkeso.gov.my")
    message.set_content(body)
    return message


class Mailer:
    """Sends the portal's mail without blocking the event loop; records each mail in the state."""

    def __init__(self, store: Store, faults: Faults, smtp_host: str, smtp_port: int) -> None:
        self.store = store
        self.faults = faults
        self.smtp_host = smtp_host
        self.smtp_port = smtp_port
        self._scheduled: set[asyncio.Task[None]] = set()

    async def send(self, message: EmailMessage) -> None:
        """Send now, or schedule it when a mail delay is injected; a drop only records it."""
        decision = self.faults.for_mail()
        mail_id = self.store.mails.new(
            to=str(message["To"]),
            subject=str(message["Subject"]),
            message_id=str(message["Message-ID"]),
            dropped=decision.drop,
            duplicated=decision.duplicate and not decision.drop,
        )
        if decision.drop:
            log.info("mail fault: dropped %s to %s", message["Message-ID"], message["To"])
            return
        copies = 2 if decision.duplicate else 1
        if decision.delay_ms <= 0:
            await self._deliver(mail_id, message, copies)
            return
        task = asyncio.create_task(self._deliver_later(mail_id, message, copies, decision.delay_ms / 1000))
        self._scheduled.add(task)
        task.add_done_callback(self._scheduled.discard)

    async def _deliver_later(self, mail_id: int, message: EmailMessage, copies: int, delay: float) -> None:
        await asyncio.sleep(delay)
        await self._deliver(mail_id, message, copies)

    async def _deliver(self, mail_id: int, message: EmailMessage, copies: int) -> None:
        try:
            for _ in range(copies):
                await asyncio.to_thread(self._smtp_send, message)
        except (OSError, smtplib.SMTPException) as exc:
            log.error("could not send mail to %s: %s", message["To"], exc)
            self.store.mails.sent(mail_id, error=str(exc) or type(exc).__name__)
            return
        self.store.mails.sent(mail_id)

    def _smtp_send(self, message: EmailMessage) -> None:
        with smtplib.SMTP(self.smtp_host, self.smtp_port, timeout=15) as smtp:
            smtp.send_message(message)

    async def cancel_scheduled(self) -> None:
        """Forget delayed mails (a reset must not deliver yesterday's passwords)."""
        tasks = list(self._scheduled)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
