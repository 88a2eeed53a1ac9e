"""IMAP access: login, the search/fetch/store features the bot uses, and IDLE waking
on SMTP delivery."""

from __future__ import annotations

import asyncio
from datetime import date, datetime, timedelta

import pytest
from imapclient import IMAPClient
from imapclient.exceptions import LoginError

from mock_portal.mail import MailServer

from .conftest import FIRM, HOST, PORTAL, SOLO, inbox, send, start_idling

WAKE_BOUND_S = 2.0  # generous: a wake takes milliseconds, this only catches "never"


async def test_wrong_password_is_refused(mail_server: MailServer) -> None:
    def login_wrong() -> None:
        client = IMAPClient(HOST, port=mail_server.imap_port, ssl=False, timeout=10)
        try:
            client.login(SOLO.user, "not-the-password")
        finally:
            client.shutdown()

    with pytest.raises(LoginError):
        await asyncio.to_thread(login_wrong)


async def test_capability_lists_idle(mail_server: MailServer) -> None:
    def capabilities() -> tuple[bytes, ...]:
        with inbox(mail_server, SOLO) as client:
            return tuple(client.capabilities())

    assert b"IDLE" in await asyncio.to_thread(capabilities)


async def test_search_fetch_and_store_seen(mail_server: MailServer) -> None:
    # Given two messages, from different senders
    before = datetime.now() - timedelta(seconds=1)
    await asyncio.to_thread(send, mail_server, SOLO.addresses[0], "Kata laluan ASSIST")
    await asyncio.to_thread(send, mail_server, SOLO.addresses[0], "Newsletter", "news@x.my")

    def read() -> None:
        with inbox(mail_server, SOLO) as client:
            # Then SEARCH narrows by each criterion the bot uses
            [wanted] = client.search(["FROM", PORTAL, "SUBJECT", "ASSIST"])
            assert client.search(["TO", "hr@cahaya-logistik.my"]) == client.search()
            assert client.search(["SINCE", date.today()]) == client.search()
            [newsletter] = client.search(["HEADER", "Subject", "Newsletter"])
            assert newsletter != wanted
            assert client.search(["UNSEEN"]) == client.search()
            assert b"\\Seen" not in client.get_flags([wanted])[wanted]
            # And FETCH gives the raw message, delivery time, flags and envelope
            data = client.fetch([wanted], ["RFC822", "INTERNALDATE", "FLAGS", "ENVELOPE"])[wanted]
            assert b"Kata laluan anda" in data[b"RFC822"]
            assert before <= data[b"INTERNALDATE"] <= datetime.now() + timedelta(seconds=1)
            envelope = data[b"ENVELOPE"]
            assert envelope.subject == b"Kata laluan ASSIST"
            assert envelope.from_[0].mailbox + b"@" + envelope.from_[0].host == PORTAL.encode()
            # (fetching RFC822, not BODY.PEEK, marks it \Seen, as RFC 3501 says)
            assert wanted not in client.search(["UNSEEN"])
            # When the bot marks the other one \Seen with STORE
            assert client.search(["UNSEEN"]) == [newsletter]
            client.add_flags([newsletter], [b"\\Seen"])
            # Then nothing is UNSEEN any more
            assert client.search(["UNSEEN"]) == []
            assert b"\\Seen" in client.get_flags([newsletter])[newsletter]

    await asyncio.to_thread(read)


async def test_idle_client_is_woken_by_smtp_delivery(mail_server: MailServer) -> None:
    # Given a client idling on the INBOX
    waiter = await start_idling(mail_server, FIRM, timeout=WAKE_BOUND_S)
    # When a message arrives over SMTP
    await asyncio.to_thread(send, mail_server, FIRM.addresses[0])
    # Then idle_check returns an EXISTS within the bound (it returns [] on timeout)
    assert (1, b"EXISTS") in await waiter


async def test_idle_clients_of_other_mailboxes_stay_asleep(mail_server: MailServer) -> None:
    # Given a client idling on one mailbox
    waiter = await start_idling(mail_server, SOLO, timeout=0.5)
    # When mail goes to another mailbox
    await asyncio.to_thread(send, mail_server, FIRM.addresses[0])
    # Then this one hears nothing
    assert await waiter == []
