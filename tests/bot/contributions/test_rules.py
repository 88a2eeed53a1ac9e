"""Who pays what: SOCSO category, EIS and SKBBK by age, citizenship, month and domestic work."""

from __future__ import annotations

from datetime import date

import pytest

from bot.core.contributions import Citizenship, Coverage, Month, coverage
from bot.core.contributions.rules import age_at

CITIZEN, PR, FOREIGN = Citizenship.CITIZEN, Citizenship.PR, Citizenship.FOREIGN
OCT_2024 = Month(2024, 10)


def test_given_a_birthday_in_the_month_then_age_counts_on_its_first_day() -> None:
    # Turns 60 on 15 Oct 2024: still 59 on 1 Oct, so Category 1 for October, 2 from November.
    born = date(1964, 10, 15)
    assert age_at(born, OCT_2024) == 59
    assert coverage(OCT_2024, citizenship=CITIZEN, date_of_birth=born).socso_category == 1
    assert coverage(Month(2024, 11), citizenship=CITIZEN, date_of_birth=born).socso_category == 2
    assert age_at(date(1964, 10, 1), OCT_2024) == 60


@pytest.mark.parametrize(
    ("citizenship", "born", "expected"),
    [
        (CITIZEN, date(1990, 1, 1), Coverage(1, True, False)),  # 34: Cat 1 + EIS
        (PR, date(1990, 1, 1), Coverage(1, True, False)),  # PR: as a citizen
        (CITIZEN, date(1964, 9, 30), Coverage(2, False, False)),  # 60: Cat 2, EIS stops
        (CITIZEN, date(2006, 10, 1), Coverage(1, True, False)),  # 18 on the 1st: EIS starts
        (CITIZEN, date(2006, 10, 2), Coverage(1, False, False)),  # 17 on the 1st: SOCSO only
        (FOREIGN, date(1990, 1, 1), Coverage(1, False, False)),  # foreign since Jul 2024: Cat 1, no EIS
        (FOREIGN, date(1960, 1, 1), Coverage(2, False, False)),  # foreign 60+: Cat 2
    ],
)
def test_given_an_employee_in_october_2024_then_category_and_eis_follow_age_and_citizenship(
    citizenship: Citizenship, born: date, expected: Coverage
) -> None:
    assert coverage(OCT_2024, citizenship=citizenship, date_of_birth=born) == expected


@pytest.mark.parametrize(
    ("month", "category"),
    [
        (Month(2018, 12), None),  # Workmen's Compensation Scheme, not SOCSO
        (Month(2019, 1), 2),  # Employment Injury only
        (Month(2024, 6), 2),
        (Month(2024, 7), 1),  # Invalidity too, from 1 Jul 2024
    ],
)
def test_given_a_foreign_worker_under_55_then_the_category_follows_the_2019_and_2024_changes(
    month: Month, category: int | None
) -> None:
    cover = coverage(month, citizenship=FOREIGN, date_of_birth=date(1990, 1, 1))
    assert cover.socso_category == category and not cover.eis


def test_given_a_foreign_worker_who_first_entered_at_55_then_category_2() -> None:
    cover = coverage(OCT_2024, citizenship=FOREIGN, date_of_birth=date(1968, 1, 1), first_contribution_age=55)
    assert cover.socso_category == 2


def test_given_a_local_first_contributing_at_55_or_over_then_category_2_but_eis_still_applies() -> None:
    cover = coverage(OCT_2024, citizenship=CITIZEN, date_of_birth=date(1968, 1, 1), first_contribution_age=56)
    assert cover == Coverage(2, True, False)
    early = coverage(OCT_2024, citizenship=CITIZEN, date_of_birth=date(1968, 1, 1), first_contribution_age=54)
    assert early.socso_category == 1


def test_given_a_category_column_then_it_forces_the_socso_category_only() -> None:
    cover = coverage(OCT_2024, citizenship=CITIZEN, date_of_birth=date(1970, 1, 1), category=2)
    assert cover == Coverage(2, True, False)


def test_given_a_foreign_worker_with_a_category_then_no_birth_date_is_needed() -> None:
    assert coverage(OCT_2024, citizenship=FOREIGN, date_of_birth=None, category=2).socso_category == 2
    with pytest.raises(ValueError, match="date_of_birth"):
        coverage(OCT_2024, citizenship=CITIZEN, date_of_birth=None, category=2)


def test_given_months_before_eis_began_then_no_eis() -> None:
    assert not coverage(Month(2017, 12), citizenship=CITIZEN, date_of_birth=date(1990, 1, 1)).eis
    assert coverage(Month(2018, 1), citizenship=CITIZEN, date_of_birth=date(1990, 1, 1)).eis


@pytest.mark.parametrize(
    ("citizenship", "month", "expected"),
    [
        (CITIZEN, Month(2021, 5), Coverage(None, False, False)),  # before 1 Jun 2021: not covered
        (CITIZEN, Month(2021, 6), Coverage(1, True, False)),  # local: EI + Invalidity + EIS
        (FOREIGN, Month(2021, 6), Coverage(2, False, False)),  # foreign: EI only, no EIS
        (FOREIGN, Month(2024, 7), Coverage(1, False, False)),  # foreign: + Invalidity from Jul 2024
    ],
)
def test_given_a_domestic_worker_then_coverage_starts_june_2021(
    citizenship: Citizenship, month: Month, expected: Coverage
) -> None:
    assert coverage(month, citizenship=citizenship, date_of_birth=date(1990, 1, 1), domestic=True) == expected


def test_given_june_2026_then_skbbk_applies_to_everyone_socso_covers() -> None:
    assert not coverage(Month(2026, 5), citizenship=CITIZEN, date_of_birth=date(1990, 1, 1)).skbbk
    assert coverage(Month(2026, 6), citizenship=CITIZEN, date_of_birth=date(1990, 1, 1)).skbbk
    assert coverage(Month(2026, 6), citizenship=FOREIGN, date_of_birth=date(1950, 1, 1)).skbbk
