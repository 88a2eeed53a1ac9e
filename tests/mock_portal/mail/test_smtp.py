"""SMTP delivery: routing by address, aliases, rejection, concurrency."""

from __future__ import annotations

import asyncio
import smtplib

import pytest

from mock_portal.mail import MailServer

from .conftest import FIRM, SOLO, send, subjects


async def test_mail_to_an_address_lands_in_its_mailbox_only(mail_server: MailServer) -> None:
    # Given two mailboxes
    # When mail goes to the single-address one
    await asyncio.to_thread(send, mail_server, "hr@cahaya-logistik.my", "untuk cahaya")
    # Then it is in that INBOX and not in the other
    assert await asyncio.to_thread(subjects, mail_server, SOLO) == ["untuk cahaya"]
    assert await asyncio.to_thread(subjects, mail_server, FIRM) == []


async def test_two_addresses_of_one_mailbox_both_land_there(mail_server: MailServer) -> None:
    # Given a mailbox with two addresses (one listed in mixed case)
    # When mail goes to each, the second spelled differently again
    await asyncio.to_thread(send, mail_server, "payroll+halim@akaun-sejahtera.my", "halim")
    await asyncio.to_thread(send, mail_server, "PAYROLL+bengkel@Akaun-Sejahtera.my", "bengkel")
    # Then both are in its INBOX
    assert await asyncio.to_thread(subjects, mail_server, FIRM) == ["halim", "bengkel"]


async def test_one_message_to_two_aliases_is_stored_once(mail_server: MailServer) -> None:
    # When one message names both addresses of a mailbox
    both = ["payroll+halim@akaun-sejahtera.my", "payroll+bengkel@akaun-sejahtera.my"]
    await asyncio.to_thread(send, mail_server, both, "sekali")
    # Then the mailbox holds one copy
    assert await asyncio.to_thread(subjects, mail_server, FIRM) == ["sekali"]


async def test_unknown_recipient_is_rejected_with_550(mail_server: MailServer) -> None:
    # When mail goes to an address no mailbox has
    with pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
        await asyncio.to_thread(send, mail_server, "nobody@akaun-sejahtera.my")
    # Then the server refuses the recipient with 550
    code, _ = refused.value.recipients["nobody@akaun-sejahtera.my"]
    assert code == 550


async def test_known_recipients_still_get_mail_when_another_is_refused(mail_server: MailServer) -> None:
    # When one message names a known and an unknown address
    await asyncio.to_thread(send, mail_server, ["hr@cahaya-logistik.my", "nobody@x.my"], "separuh")
    # Then the known one gets it (smtplib raises only if every recipient is refused)
    assert await asyncio.to_thread(subjects, mail_server, SOLO) == ["separuh"]


async def test_concurrent_deliveries_to_different_mailboxes(mail_server: MailServer) -> None:
    # When 20 messages go out at once, alternating between two mailboxes
    targets = {"firm": "payroll+halim@akaun-sejahtera.my", "solo": "hr@cahaya-logistik.my"}
    jobs = [(name, n) for n in range(10) for name in targets]
    await asyncio.gather(
        *(asyncio.to_thread(send, mail_server, targets[name], f"{name}-{n}") for name, n in jobs)
    )
    # Then each mailbox has exactly its own ten
    firm = await asyncio.to_thread(subjects, mail_server, FIRM)
    solo = await asyncio.to_thread(subjects, mail_server, SOLO)
    assert sorted(firm) == sorted(f"firm-{n}" for n in range(10))
    assert sorted(solo) == sorted(f"solo-{n}" for n in range(10))
