"""The INBOX's IDLE does not miss a delivery that lands just before it starts waiting.

Driven at pymap's mailbox level: the loopback race (a delivery in the same event-loop
turn as the IDLE command) cannot be produced on demand over sockets.
"""

from __future__ import annotations

import asyncio

from pymap.concurrent import Event
from pymap.flags import PermanentFlags, SessionFlags
from pymap.parsing.message import AppendMessage
from pymap.selected import SelectedMailbox

from mock_portal.mail.folders import Folders

MESSAGE = b"From: noreply@assist.perkeso.test\r\nSubject: Kata laluan\r\n\r\nXy12345!\r\n"


async def test_idle_reports_a_delivery_made_before_it_started_waiting() -> None:
    # Given a session that has seen the INBOX as it is
    inbox = await Folders().get_mailbox("INBOX")
    selected = SelectedMailbox(
        inbox.mailbox_id,
        False,
        PermanentFlags(inbox.permanent_flags),
        SessionFlags(inbox.session_flags),
        selected_set=inbox.selected_set,
    )
    selected = await inbox.update_selected(selected)
    assert selected.messages.exists == 0
    # When a message lands before the IDLE starts waiting
    await inbox.append(AppendMessage(MESSAGE), recent=True)
    never = Event.for_asyncio()
    # Then the IDLE wait returns at once with the message instead of sleeping
    selected = await asyncio.wait_for(inbox.update_selected(selected, wait_on=never), 2)
    assert selected.messages.exists == 1
