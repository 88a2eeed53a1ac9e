"""Ringgit amounts as integer sen: parsing payroll text and printing totals, never floats."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

# Plain "1700", "1700.5", "1700.50" or with thousands separators "1,700.00" (Excel exports).
_AMOUNT = re.compile(r"^(?:\d+|\d{1,3}(?:,\d{3})+)(?:\.\d{1,2})?$")


def parse_ringgit(text: str) -> int:
    """Parse a non-negative RM amount with at most two decimals into sen.

    Raises ValueError with a message fit for a payroll problem report.
    """
    value = text.strip()
    if value.upper().startswith("RM"):
        value = value[2:].strip()
    if value.startswith("-"):
        raise ValueError(f"negative amount {text.strip()!r}")
    if not _AMOUNT.match(value):
        if re.match(r"^[\d,]*\.\d{3,}$", value):
            raise ValueError(f"{text.strip()!r} has more than 2 decimals")
        raise ValueError(f"{text.strip()!r} is not an amount in RM (e.g. 1700.00)")
    try:
        sen = Decimal(value.replace(",", "")) * 100
    except InvalidOperation as exc:  # pragma: no cover - the regex already screens this
        raise ValueError(f"{text.strip()!r} is not an amount in RM") from exc
    return int(sen)


def sen_from_rm(text: str) -> int:
    """Parse a trusted RM amount from a shipped data file (e.g. ``"104.15"``) into sen."""
    return int(Decimal(text) * 100)


def format_rm(sen: int) -> str:
    """Print sen as ringgit with thousands separators, e.g. ``1,700.00``."""
    sign = "-" if sen < 0 else ""
    whole, cents = divmod(abs(sen), 100)
    return f"{sign}{whole:,}.{cents:02d}"
