"""A real mail server on loopback (free ports) and blocking smtplib/imapclient helpers.

The server runs in the test's event loop; the clients block, so tests call them through
``asyncio.to_thread``.
"""

from __future__ import annotations

import asyncio
import smtplib
import threading
from collections.abc import AsyncIterator, Iterator, Sequence
from contextlib import contextmanager
from email.message import EmailMessage

import pytest
from imapclient import IMAPClient

from mock_portal.mail import Mailbox, MailServer

HOST = "127.0.0.1"
PORTAL = "noreply@assist.perkeso.test"

FIRM = Mailbox(
    user="payroll@akaun-sejahtera.my",
    password="sejahtera-demo-1",
    addresses=("payroll+halim@akaun-sejahtera.my", "Payroll+Bengkel@akaun-sejahtera.my"),
)
SOLO = Mailbox(user="hr@cahaya-logistik.my", password="cahaya-demo-3", addresses=("hr@cahaya-logistik.my",))


@pytest.fixture
async def mail_server() -> AsyncIterator[MailServer]:
    server = MailServer(HOST, 0, 0, [FIRM, SOLO])
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


def send(
    server: MailServer,
    to: str | Sequence[str],
    subject: str = "Kata laluan",
    sender: str = PORTAL,
    body: str = "Kata laluan anda: Xy12345!",
) -> None:
    """Send one message over SMTP; blocks until the server has accepted it."""
    recipients = [to] if isinstance(to, str) else list(to)
    message = EmailMessage()
    message["From"] = sender
    message["To"] = ", ".join(recipients)
    message["Subject"] = subject
    message.set_content(body)
    with smtplib.SMTP(HOST, server.smtp_port, timeout=10) as smtp:
        smtp.send_message(message, from_addr=sender, to_addrs=recipients)


@contextmanager
def inbox(server: MailServer, mailbox: Mailbox) -> Iterator[IMAPClient]:
    """An IMAP client logged in as *mailbox*, with INBOX selected."""
    client = IMAPClient(HOST, port=server.imap_port, ssl=False, timeout=10)
    try:
        client.login(mailbox.user, mailbox.password)
        client.select_folder("INBOX")
        yield client
    finally:
        client.logout()


def subjects(server: MailServer, mailbox: Mailbox) -> list[str]:
    """The subjects in *mailbox*'s INBOX, oldest first."""
    with inbox(server, mailbox) as client:
        fetched = client.fetch(client.search(), ["ENVELOPE"])
        return [fetched[uid][b"ENVELOPE"].subject.decode() for uid in sorted(fetched)]


async def start_idling(server: MailServer, mailbox: Mailbox, timeout: float) -> asyncio.Task[list[object]]:
    """Start a client idling on *mailbox*'s INBOX (in a thread) and return once it idles.
    The task gives what one ``idle_check(timeout)`` returned ([] if nothing came)."""
    idling = threading.Event()

    def idle_once() -> list[object]:
        with inbox(server, mailbox) as client:
            client.idle()
            idling.set()
            try:
                return list(client.idle_check(timeout=timeout))
            finally:
                client.idle_done()

    task = asyncio.create_task(asyncio.to_thread(idle_once))
    if not await asyncio.to_thread(idling.wait, 10):
        raise TimeoutError("the IMAP client did not start idling")
    return task
