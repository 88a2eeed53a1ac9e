"""Running the mail server: ports, reset, mailboxes added at runtime, stopping."""

from __future__ import annotations

import asyncio
import smtplib
import threading

import pytest
from imapclient import IMAPClient

from mock_portal.mail import Mailbox, MailServer

from .conftest import FIRM, HOST, SOLO, send, subjects


async def test_port_zero_binds_free_ports(mail_server: MailServer) -> None:
    assert mail_server.smtp_port > 0
    assert mail_server.imap_port > 0
    assert mail_server.smtp_port != mail_server.imap_port


async def test_reset_empties_every_mailbox(mail_server: MailServer) -> None:
    # Given mail in both mailboxes
    await asyncio.to_thread(send, mail_server, FIRM.addresses[0], "lama")
    await asyncio.to_thread(send, mail_server, SOLO.addresses[0], "lama")
    # When the mock is reset
    await mail_server.reset()
    # Then both are empty, and still take new mail
    assert await asyncio.to_thread(subjects, mail_server, FIRM) == []
    assert await asyncio.to_thread(subjects, mail_server, SOLO) == []
    await asyncio.to_thread(send, mail_server, SOLO.addresses[0], "baru")
    assert await asyncio.to_thread(subjects, mail_server, SOLO) == ["baru"]


async def test_mailbox_added_at_runtime_gets_mail(mail_server: MailServer) -> None:
    # Given a running server that does not know an address
    newcomer = Mailbox("admin@tadika-ceria.my", "tadika-demo-6", ("admin@tadika-ceria.my",))
    with pytest.raises(smtplib.SMTPRecipientsRefused):
        await asyncio.to_thread(send, mail_server, "admin@tadika-ceria.my")
    # When its mailbox is added
    await mail_server.add_mailbox(newcomer)
    # Then mail to it is accepted and readable with its login
    await asyncio.to_thread(send, mail_server, "admin@tadika-ceria.my", "selamat datang")
    assert await asyncio.to_thread(subjects, mail_server, newcomer) == ["selamat datang"]


async def test_address_of_another_mailbox_cannot_be_taken(mail_server: MailServer) -> None:
    thief = Mailbox("thief@x.my", "pw", (SOLO.addresses[0].upper(),))
    with pytest.raises(ValueError):
        await mail_server.add_mailbox(thief)
    await asyncio.to_thread(send, mail_server, SOLO.addresses[0], "masih milik saya")
    assert await asyncio.to_thread(subjects, mail_server, SOLO) == ["masih milik saya"]


async def test_stop_ends_idle_connections_and_frees_the_ports() -> None:
    # Given a server with a client idling on it
    server = MailServer(HOST, 0, 0, [SOLO])
    await server.start()
    idling = threading.Event()

    def idle_until_dropped() -> list[object]:
        client = IMAPClient(HOST, port=server.imap_port, ssl=False, timeout=10)
        try:
            client.login(SOLO.user, SOLO.password)
            client.select_folder("INBOX")
            client.idle()
            idling.set()
            return list(client.idle_check(timeout=5))
        finally:
            client.shutdown()

    client_thread = asyncio.create_task(asyncio.to_thread(idle_until_dropped))
    assert await asyncio.to_thread(idling.wait, 10)
    ports = server.smtp_port, server.imap_port
    # When it stops
    await asyncio.wait_for(server.stop(), 5)
    # Then the idling client is told BYE, and a new server can bind the same ports
    responses = await asyncio.wait_for(client_thread, 10)
    assert any(response[0] == b"BYE" for response in responses)  # type: ignore[index]
    again = MailServer(HOST, *ports, [SOLO])
    await again.start()
    await again.stop()
