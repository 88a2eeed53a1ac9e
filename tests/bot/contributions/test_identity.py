"""MyKad checks (python-stdnum), birth-date century, ID and name as the file holds them."""

from __future__ import annotations

from datetime import date

import pytest

from bot.core.contributions.identity import (
    check_mykad,
    file_name,
    looks_like_mykad,
    mykad_birth_date,
    other_id,
)

TODAY = date(2026, 11, 15)


def test_given_a_dashed_mykad_then_it_becomes_12_digits() -> None:
    assert check_mykad("900101-14-5678") == "900101145678"
    assert check_mykad(" 900101 14 5678 ") == "900101145678"


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("90010114567", "must be 12 digits"),
        ("901301-14-5678", "901301 is not a date"),
        ("900230-14-5678", "900230 is not a date"),
        ("900101-17-5678", "17 is not a place-of-birth code"),
        ("900101-00-5678", "00 is not a place-of-birth code"),
        ("900101-70-5678", "70 is not a place-of-birth code"),
    ],
)
def test_given_an_invalid_mykad_then_the_reason_is_named(number: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        check_mykad(number)


@pytest.mark.parametrize("place", ["01", "16", "21", "59", "60", "82", "98", "99"])
def test_given_stdnums_place_codes_then_they_are_accepted(place: str) -> None:
    assert check_mykad(f"900101{place}5678")


@pytest.mark.parametrize(
    ("number", "born"),
    [
        ("900101145678", date(1990, 1, 1)),
        ("050315101234", date(2005, 3, 15)),  # stdnum alone would say 1905
        ("261231101234", date(1926, 12, 31)),  # 2026-12-31 is after today: 1926
        ("000229101234", date(2000, 2, 29)),  # only 2000 has that day
    ],
)
def test_given_a_mykad_then_the_birth_date_takes_the_latest_century_not_in_the_future(
    number: str, born: date
) -> None:
    assert mykad_birth_date(number, TODAY) == born


def test_given_numbers_then_only_twelve_digits_look_like_a_mykad() -> None:
    assert looks_like_mykad("900101-14-5678") and looks_like_mykad("901301145678")
    assert not looks_like_mykad("A12345678") and not looks_like_mykad("12345")


def test_given_other_ids_then_dashes_go_and_letters_are_upper_case() -> None:
    assert other_id("a-123 4567") == "A1234567"
    with pytest.raises(ValueError, match="longer than"):
        other_id("P1234567890123")
    with pytest.raises(ValueError, match="letters, digits"):
        other_id("A123#45")


def test_given_a_name_then_it_is_upper_case_ascii_with_single_spaces() -> None:
    assert file_name("  Muthu  a/l Rajan ") == "MUTHU A/L RAJAN"
    assert file_name("John O'Brien (Jr.) & Co @ KL-1, 2") == "JOHN O'BRIEN (JR.) & CO @ KL-1, 2"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("陈美玲", "cannot be written"),
        ("Zoë", "cannot be written"),
        ("Ali 😀", "cannot be written"),
        ("", "is empty"),
        ("A" * 151, "151 characters"),
    ],
)
def test_given_a_name_the_file_cannot_hold_then_it_is_refused(name: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        file_name(name)
