"""How a payment ends: the money arrived (documents paid, receipt emailed) or it did not."""

from __future__ import annotations

import secrets

from mock_portal.payments.receipt import receipt_mail
from mock_portal.payments.store import UNSUCCESSFUL, Payment
from mock_portal.portal import Portal


async def settle(portal: Portal, reference: str, **fields: object) -> Payment:
    """Successful: the documents are paid and the receipt goes to the payment's email address."""
    payment = portal.store.payments.succeed(reference, **fields)
    employer = portal.store.employer(payment.employer_code)
    assert employer is not None
    await portal.mailer.send(receipt_mail(portal.config.mail_from, employer, payment))
    return payment


def fail(portal: Portal, reference: str, reason: str) -> Payment:
    return portal.store.payments.update(reference, status=UNSUCCESSFUL, reason=reason)


def fpx_transaction_id(portal: Portal) -> str:
    """FPX's own id of a transaction: date + 10 digits."""
    return f"{portal.config.current_date():%y%m%d}{secrets.randbelow(10**10):010d}"
