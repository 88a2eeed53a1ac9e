"""What the portal's password email looks like: sender, subject and the password's place in the text,
matched for one recipient (an accounting firm receives many employers' mail in one mailbox)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import getaddresses

from bot.core.errors import ConfigError
from bot.core.settings import PasswordMailSettings

_RECIPIENT_HEADERS = ("To", "Cc", "Delivered-To", "X-Original-To", "Envelope-To")


@dataclass(frozen=True)
class PasswordRule:
    """What the portal's password email looks like (compiled from `PasswordMailSettings`)."""

    sender: re.Pattern[str]
    subject: re.Pattern[str]
    password: re.Pattern[str]

    @classmethod
    def from_settings(cls, settings: PasswordMailSettings) -> PasswordRule:
        try:
            rule = cls(
                sender=re.compile(settings.sender_pattern, re.IGNORECASE),
                subject=re.compile(settings.subject_pattern, re.IGNORECASE),
                password=re.compile(settings.password_pattern),
            )
        except re.error as exc:
            raise ConfigError(f"mail: invalid pattern: {exc}") from exc
        if rule.password.groups < 1:
            raise ConfigError("mail.password_pattern needs one group around the password")
        return rule

    def password_in(self, message: EmailMessage, recipient: str) -> str | None:
        """The password if `message` is the portal's password mail for `recipient`, else None."""
        if recipient.lower() not in _recipients(message):
            return None
        if not self.sender.search(str(message.get("From", ""))):
            return None
        if not self.subject.search(str(message.get("Subject", ""))):
            return None
        match = self.password.search(_text_of(message))
        return match.group(1) if match else None


def _recipients(message: EmailMessage) -> set[str]:
    values: list[str] = []
    for header in _RECIPIENT_HEADERS:
        values.extend(str(v) for v in message.get_all(header, []))
    return {addr.lower() for _, addr in getaddresses(values) if addr}


def _text_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    content = part.get_content()
    return content if isinstance(content, str) else ""
