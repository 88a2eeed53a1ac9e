"""Ringgit text to integer sen and back."""

from __future__ import annotations

import pytest

from bot.core.contributions.money import format_rm, parse_ringgit
from bot.core.contributions.month import Month


@pytest.mark.parametrize(
    ("text", "sen"),
    [
        ("1700.00", 170000),
        ("1700", 170000),
        ("1700.5", 170050),
        ("0.01", 1),
        ("1,700.00", 170000),
        (" RM 3,000.01 ", 300001),
        ("0", 0),
    ],
)
def test_given_an_amount_then_it_becomes_exact_sen(text: str, sen: int) -> None:
    assert parse_ringgit(text) == sen


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("-5.00", "negative"),
        ("1700.001", "more than 2 decimals"),
        ("abc", "not an amount"),
        ("1,70.00", "not an amount"),
        ("1e3", "not an amount"),
        ("", "not an amount"),
    ],
)
def test_given_a_bad_amount_then_the_reason_is_named(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_ringgit(text)


def test_given_sen_then_ringgit_prints_with_separators() -> None:
    assert format_rm(1234567) == "12,345.67" and format_rm(5) == "0.05"


def test_given_month_text_then_it_parses_both_ways() -> None:
    assert Month.parse("2024-10") == Month.from_mmyyyy("102024") == Month(2024, 10)
    assert Month(2024, 2).last_day.day == 29 and Month(2024, 10).mmyyyy == "102024"
    for bad in ("2024-13", "2024/10", "10-2024"):
        with pytest.raises(ValueError):
            Month.parse(bad)
