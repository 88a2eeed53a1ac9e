"""The emailed one-time login password: generation, storage form, checking, and the email."""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
import string
from email.message import EmailMessage

from mock_portal.mailer import new_message
from mock_portal.state import Employer

ALPHABET = string.ascii_letters + string.digits
PASSWORD_LENGTH = 10


def generate_password() -> str:
    """10 letters and digits from `secrets`, with at least one of each."""
    while True:
        password = "".join(secrets.choice(ALPHABET) for _ in range(PASSWORD_LENGTH))
        if any(c.isdigit() for c in password) and any(c.isalpha() for c in password):
            return password


def hash_password(password: str) -> str:
    salt = secrets.token_hex(8)
    digest = hashlib.sha256((salt + password).encode()).hexdigest()
    return f"{salt}${digest}"


def password_matches(password: str, stored: str) -> bool:
    salt, digest = stored.split("$", 1)
    return hmac.compare_digest(hashlib.sha256((salt + password).encode()).hexdigest(), digest)


def minutes(seconds: float) -> int:
    """Whole minutes for a message, rounded up, at least one."""
    return max(1, math.ceil(seconds / 60))


def password_email(employer: Employer, password: str, sender: str, subject: str, ttl: float) -> EmailMessage:
    body = (
        "Salam sejahtera,\n\n"
        f"Kata laluan untuk log masuk ke portal ASSIST bagi {employer.name} ({employer.code}):\n\n"
        f"Kata Laluan: {password}\n\n"
        f"Kata laluan ini sah selama {minutes(ttl)} minit dan hanya boleh digunakan sekali.\n"
        "Jika anda tidak meminta kata laluan ini, sila abaikan emel ini.\n\n"
        "Pertubuhan Keselamatan Sosial (PERKESO)\n"
        "Emel ini dijana oleh komputer. Sila jangan balas.\n"
    )
    return new_message(sender=sender, to=employer.email, subject=subject, body=body)
