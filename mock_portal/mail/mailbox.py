"""Who receives what: the mailboxes (IMAP logins) and the address book routing SMTP
recipients to them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Mailbox:
    """One IMAP login and the recipient addresses delivered into its INBOX."""

    user: str  # IMAP login name, e.g. "payroll@akaun-sejahtera.my"
    password: str
    addresses: tuple[str, ...]  # compared lower-case


def normalise(address: str) -> str:
    """The form addresses are compared in: trimmed, without <>, lower-case."""
    return address.strip().strip("<>").strip().lower()


class AddressBook:
    """Maps recipient addresses to mailbox users (several addresses may share one)."""

    def __init__(self) -> None:
        self._owner: dict[str, str] = {}

    def add(self, mailbox: Mailbox) -> None:
        """Route the mailbox's addresses to it; an address owned by another user is an error."""
        addresses = [normalise(a) for a in mailbox.addresses]
        for address in addresses:
            owner = self._owner.get(address)
            if owner is not None and owner != mailbox.user:
                raise ValueError(f"{address} already delivers to {owner}")
        for address in addresses:
            self._owner[address] = mailbox.user

    def owner(self, address: str) -> str | None:
        """The user whose INBOX mail to *address* lands in, or None if nobody's."""
        return self._owner.get(normalise(address))

    def owners(self, addresses: Iterable[str]) -> list[str]:
        """The distinct users for known *addresses*, in first-seen order."""
        users: dict[str, None] = {}
        for address in addresses:
            user = self.owner(address)
            if user is not None:
                users[user] = None
        return list(users)
