"""pymap's in-memory mailboxes, with an INBOX whose IDLE cannot miss a delivery that
lands just as the IDLE starts.

pymap's IDLE waits for the *next* signal of the mailbox's update event. A delivery that
lands after the client's last command was answered but before the IDLE task starts
waiting (same event-loop turn) signals nobody, and the client would sleep on a message
that is already there. So before waiting we look at the mailbox's change counter: if it
moved since the session last looked, we answer at once.
"""

from __future__ import annotations

from pymap.backend.dict.mailbox import MailboxData, MailboxSet
from pymap.concurrent import Event
from pymap.selected import SelectedMailbox


class WakefulMailbox(MailboxData):
    """A dict-backend mailbox whose IDLE reports changes it would otherwise miss."""

    async def update_selected(
        self, selected: SelectedMailbox, *, wait_on: Event | None = None
    ) -> SelectedMailbox:
        seen = selected.mod_sequence
        if wait_on is not None and seen is not None and self._mod_sequences.highest > seen:
            wait_on = None  # changed since the session last looked: report it now
        return await super().update_selected(selected, wait_on=wait_on)


class Folders(MailboxSet):
    """A user's mailbox set whose INBOX (where deliveries land) is a WakefulMailbox.

    Folders the client creates are plain pymap mailboxes: nothing is delivered there.
    """

    def __init__(self) -> None:
        super().__init__()
        self._inbox = WakefulMailbox(self._content_cache, self._thread_cache)
