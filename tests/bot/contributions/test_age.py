"""The age rule in one place (age.py): the first day of the month by default, the last on request."""

from __future__ import annotations

from datetime import date

import pytest

from bot.core.contributions import Month
from bot.core.contributions.age import AgeDay, age_in, configured_day
from bot.core.contributions.rules import Citizenship, coverage
from bot.core.errors import ConfigError

BORN = date(1966, 5, 15)  # turns 60 on 15 May 2026


def test_given_the_default_then_a_may_birthday_moves_to_category_2_in_june() -> None:
    assert configured_day({}) is AgeDay.FIRST
    assert age_in(BORN, Month(2026, 5)) == 59 and age_in(BORN, Month(2026, 6)) == 60
    may = coverage(Month(2026, 5), citizenship=Citizenship.CITIZEN, date_of_birth=BORN)
    june = coverage(Month(2026, 6), citizenship=Citizenship.CITIZEN, date_of_birth=BORN)
    assert (may.socso_category, may.eis) == (1, True) and (june.socso_category, june.eis) == (2, False)


def test_given_the_last_day_then_may_already_counts_60() -> None:
    assert configured_day({"ASSIST_AGE_DAY": "LAST"}) is AgeDay.LAST
    assert age_in(BORN, Month(2026, 5), AgeDay.LAST) == 60
    assert age_in(date(2008, 5, 31), Month(2026, 5), AgeDay.LAST) == 18  # EIS from May, not June
    assert age_in(date(2008, 5, 31), Month(2026, 5)) == 17


def test_given_a_bad_setting_then_a_config_error() -> None:
    with pytest.raises(ConfigError, match="ASSIST_AGE_DAY='noon': expected first or last"):
        configured_day({"ASSIST_AGE_DAY": "noon"})
