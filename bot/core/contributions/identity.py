"""Who an employee is, as the text files need it: ID number, ID type, birth date, printable name.

MyKad checks are python-stdnum's (``stdnum.my.nric``: length, date, place-of-birth code from the
National Registration Department's list). Its date and place lookups are cached per value: a
100,000-row payroll has few distinct birth dates and places, and stdnum's numdb lookup is slow.
"""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum
from functools import lru_cache

from stdnum.exceptions import ValidationError
from stdnum.my import nric

from bot.core.contributions.rules import Citizenship

ID_FIELD_WIDTH = 12
NAME_FIELD_WIDTH = 150


class IdType(StrEnum):
    MYKAD = "mykad"
    OLD_IC = "old_ic"
    PASSPORT = "passport"
    SSFW = "ssfw"  # SOCSO's Foreign Workers' Social Security number
    ARMY = "army"
    POLICE = "police"


# CONTRACT.md: citizenship defaults from the ID type. A MyKad holder may be a PR: say so in the file.
DEFAULT_CITIZENSHIP = {
    IdType.MYKAD: Citizenship.CITIZEN,
    IdType.OLD_IC: Citizenship.CITIZEN,
    IdType.ARMY: Citizenship.CITIZEN,
    IdType.POLICE: Citizenship.CITIZEN,
    IdType.PASSPORT: Citizenship.FOREIGN,
    IdType.SSFW: Citizenship.FOREIGN,
}

_LOOKS_LIKE_MYKAD = re.compile(r"^\d{6}-?\d{2}-?\d{4}$", re.ASCII)  # ASCII: not fullwidth digits
_OTHER_ID = re.compile(r"^[A-Z0-9]+$")
# What we let into the 150-character name field: the printable ASCII of Malaysian names. Anything
# else (Chinese or Tamil script, emoji, accented letters) is refused, not transliterated: the
# employer must write the name as registered with PERKESO [U: the portal's character set is unknown].
NAME_ALLOWED = "A-Z 0-9 space . , ' - / @ ( ) &"
_NAME_OK = re.compile(r"^[A-Z0-9 .,'\-/@()&]+$")
_NAME_BAD = re.compile(r"[^A-Z0-9 .,'\-/@()&]")


@lru_cache(maxsize=256)
def _place_known(code: str) -> bool:
    try:
        nric.get_birth_place("000101" + code + "0000")
    except ValidationError:
        return False
    return True


@lru_cache(maxsize=65536)
def _mykad_dates(yymmdd: str) -> tuple[date, ...]:
    """The readings of YYMMDD in 19YY and 20YY that are real dates (stdnum validates at least one)."""
    nric.get_birth_date(yymmdd + "000000")  # raises InvalidComponent for e.g. 991332
    found = []
    for century in (1900, 2000):
        try:
            found.append(date(century + int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:6])))
        except ValueError:
            pass
    return tuple(found)


def check_mykad(number: str) -> str:
    """The MyKad as 12 digits; ValueError naming what is wrong (length, date, place of birth)."""
    # Same as stdnum's nric.compact (drop spaces, dashes, '*'), without its per-character generator:
    # it costs a second per 100,000 rows.
    digits = number.replace("-", "").replace(" ", "").replace("*", "").strip()
    if len(digits) != 12 or not (digits.isascii() and digits.isdigit()):
        raise ValueError(f"MyKad {number!r} must be 12 digits (YYMMDD-PB-###G)")
    try:
        _mykad_dates(digits[:6])
    except ValidationError:
        raise ValueError(f"MyKad {number!r}: {digits[:6]} is not a date (YYMMDD)") from None
    if not _place_known(digits[6:8]):
        raise ValueError(f"MyKad {number!r}: {digits[6:8]} is not a place-of-birth code")
    return digits


def mykad_birth_date(digits: str, today: date) -> date:
    """Birth date of a checked MyKad. The century is not in the number: we take 20YY unless that is
    after ``today``, i.e. we assume nobody on a payroll is 100 or older [U] (as farhan-helmy/malaysiaic).
    A ``date_of_birth`` column settles it for anyone else."""
    readings = _mykad_dates(digits[:6])
    not_future = [d for d in readings if d <= today]
    return not_future[-1] if not_future else readings[0]


def looks_like_mykad(number: str) -> bool:
    """Twelve digits, optionally dashed as YYMMDD-PB-####: meant as a MyKad even if invalid."""
    return bool(_LOOKS_LIKE_MYKAD.match(number.strip()))


def other_id(number: str) -> str:
    """A non-MyKad ID as written in the file: upper-case letters and digits, dashes and spaces removed."""
    cleaned = re.sub(r"[\s-]", "", number).upper()
    if not _OTHER_ID.match(cleaned):
        raise ValueError(f"{number!r} may only hold letters, digits, dashes and spaces")
    if len(cleaned) > ID_FIELD_WIDTH:
        raise ValueError(f"{cleaned!r} is longer than the file's {ID_FIELD_WIDTH} characters")
    return cleaned


def name_ok(name: str) -> bool:
    """Whether a name is already as the file must hold it (a reader's quick check)."""
    return bool(_NAME_OK.match(name)) and "  " not in name and len(name) <= NAME_FIELD_WIDTH


def file_name(name: str) -> str:
    """The name as the file holds it: upper-case ASCII, single spaces; ValueError otherwise."""
    cleaned = " ".join(name.split()).upper()
    if not cleaned:
        raise ValueError("is empty")
    if not _NAME_OK.match(cleaned):
        bad = "".join(dict.fromkeys(_NAME_BAD.findall(cleaned)))
        raise ValueError(f"{bad!r} cannot be written in the file (allowed: {NAME_ALLOWED})")
    if len(cleaned) > NAME_FIELD_WIDTH:
        raise ValueError(f"is {len(cleaned)} characters, the file holds {NAME_FIELD_WIDTH}")
    return cleaned
