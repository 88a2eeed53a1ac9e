"""Identifier checks and the numbers PERKESO issues: employer codes and SOCSO foreign-worker numbers.

The employer code's check letter is INVENTED for the mock (DOMAIN.md §4.2: PERKESO's algorithm is
unknown): codes the mock issues carry it, but codes are never refused for lacking it, because the
seeded demo codes (copied from public examples) do not follow it.
"""

from __future__ import annotations

import re
from datetime import date

from stdnum.exceptions import ValidationError
from stdnum.my import nric

# New SSM numbers (since Oct 2019): YYYY + entity type 01-06 + 6 digits; old ones e.g. 1312525-A,
# 001234567-X, LLP0000092-LGN (DOMAIN.md §4.3).
_SSM_NEW = re.compile(r"^(19|20)\d{2}0[1-6]\d{6}$")
_SSM_OLD = re.compile(r"^(\d{1,9}-[A-Z]|LLP\d{7}-[A-Z]{3})$")
_PASSPORT = re.compile(r"^[A-Z0-9]{6,12}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
_WEIGHTS = (10, 9, 8, 7, 6, 5, 4, 3, 2, 1)
# PERKESO office of the registration: the mock registers everything at Kuala Lumpur ("14").
OFFICE = "14"


def compact(value: str) -> str:
    """An ID as PERKESO files it: no dashes or spaces, upper case."""
    return value.replace("-", "").replace(" ", "").strip().upper()


def mykad_problem(value: str) -> str | None:
    """Why `value` is not a MyKad number (length, birth date, place-of-birth code), or None."""
    digits = compact(value)
    if len(digits) != 12 or not digits.isdigit():
        return "Invalid MyKad number: 12 digits are required (YYMMDD-PB-###G)."
    try:
        nric.validate(digits)
    except ValidationError:
        return "Invalid MyKad number: the birth date or the place-of-birth code is not valid."
    return None


def mykad_birth_date(value: str) -> date:
    return nric.get_birth_date(compact(value))


def mykad_gender(value: str) -> str:
    """M for an odd last digit, F for an even one (DOMAIN.md §4.1)."""
    return "M" if int(compact(value)[-1]) % 2 else "F"


def passport_problem(value: str) -> str | None:
    if not _PASSPORT.match(compact(value)):
        return "Invalid passport number: 6 to 12 letters and digits."
    return None


def ssm_problem(value: str) -> str | None:
    if _SSM_NEW.match(value.strip()) or _SSM_OLD.match(value.strip().upper()):
        return None
    return "Invalid SSM registration number (e.g. 201901000005 or 1312525-A)."


def email_problem(value: str) -> str | None:
    return None if _EMAIL.match(value.strip()) else "Invalid email address."


def check_letter(prefix: str, digits: str) -> str:
    """The invented check letter of an employer code: weighted digit sum plus the prefix, mod 26."""
    total = sum(w * int(d) for w, d in zip(_WEIGHTS, digits, strict=False)) + 11 * (
        ord(prefix) - ord("A") + 1
    )
    return chr(ord("A") + total % 26)


def employer_code(domestic: bool, serial: int) -> str:
    """`E` (or `D` for a domestic-worker employer) + office + 8-digit serial + check letter."""
    prefix = "D" if domestic else "E"
    digits = f"{OFFICE}{serial:08d}"
    return f"{prefix}{digits}{check_letter(prefix, digits)}"


def has_valid_check_letter(code: str) -> bool:
    return bool(re.fullmatch(r"[A-Z]\d{10}[A-Z]", code)) and check_letter(code[0], code[1:11]) == code[11]


def foreign_worker_number(year: int, serial: int) -> str:
    """A SOCSO foreign-worker number (SSFW): 12 digits, reportedly (DOMAIN.md §3.2): YY + 10-digit serial."""
    return f"{year % 100:02d}{serial:010d}"
