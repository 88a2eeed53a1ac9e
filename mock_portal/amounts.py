"""Amounts and counts typed into the portal's forms, read as strictly as a real portal reads them:
ASCII digits only, no exponent, no `inf`/`nan`, a ceiling that fits the state's integers. Anything
else is `None`, and the route shows the field's message."""

from __future__ import annotations

import re

# RM 9,999,999,999.99 at most (fits SQLite's 64-bit integers in sen, with room for sums).
AMOUNT = re.compile(r"(?:[0-9]{1,10}(?:\.[0-9]{0,2})?|\.[0-9]{1,2})")
COUNT = re.compile(r"[0-9]{1,9}")


def parse_ringgit(text: str) -> int | None:
    """'1,234.50' → 123450 sen; None when it is not an amount (or is negative, or absurdly large)."""
    cleaned = text.replace(",", "").strip()
    if not AMOUNT.fullmatch(cleaned):
        return None
    whole, _, cents = cleaned.partition(".")
    return int(whole or "0") * 100 + int(cents.ljust(2, "0"))


def parse_count(text: str) -> int | None:
    """A whole number of at most 9 ASCII digits, else None."""
    cleaned = text.strip()
    return int(cleaned) if COUNT.fullmatch(cleaned) else None
