"""The mock portal's bundled mail server: SMTP in (aiosmtpd), IMAP out (pymap), on loopback;
an SMTP delivery wakes IMAP IDLE clients at once."""

from .mailbox import Mailbox
from .server import MailServer

__all__ = ["MailServer", "Mailbox"]
