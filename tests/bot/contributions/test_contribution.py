"""What each employee owes: DOMAIN.md 2.3's worked examples, SKBBK, batches and totals."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from bot.core.contributions import (
    Citizenship,
    Coverage,
    Employee,
    IdType,
    Month,
    compute,
    load_skbbk,
    shares_for,
)
from bot.core.contributions.contribution import Totals

OCT_2024 = Month(2024, 10)
CAT1, CAT2 = Coverage(1, True, False), Coverage(2, False, False)

# Wage -> (Cat1 ER, Cat1 EE, Cat2 ER, EIS each), the worked examples of DOMAIN.md 2.3.
WORKED = {
    "350.00": ("6.15", "1.75", "4.40", "0.70"),
    "450.00": ("7.85", "2.25", "5.60", "0.90"),
    "1700.00": ("28.85", "8.25", "20.60", "3.30"),
    "2000.00": ("34.15", "9.75", "24.40", "3.90"),
    "2950.00": ("51.65", "14.75", "36.90", "5.90"),
    "3000.01": ("53.35", "15.25", "38.10", "6.10"),
    "5500.00": ("95.35", "27.25", "68.10", "10.90"),
    "8000.00": ("104.15", "29.75", "74.40", "11.90"),
}


def sen(rm: str) -> int:
    return int(Decimal(rm) * 100)


@pytest.mark.parametrize("wage", sorted(WORKED, key=Decimal))
def test_given_a_worked_example_when_computing_october_2024_then_every_share_matches(wage: str) -> None:
    cat1_er, cat1_ee, cat2_er, eis = (sen(v) for v in WORKED[wage])
    cat1 = shares_for(sen(wage), CAT1, OCT_2024)
    assert (cat1.socso_employer, cat1.socso_employee, cat1.eis_employer, cat1.eis_employee) == (
        cat1_er,
        cat1_ee,
        eis,
        eis,
    )
    cat2 = shares_for(sen(wage), CAT2, OCT_2024)
    assert (cat2.socso_employer, cat2.socso_employee, cat2.eis_total) == (cat2_er, 0, 0)


def test_given_the_domain_example_then_the_socso_total_is_37_10() -> None:
    assert shares_for(170000, CAT1, OCT_2024).socso_total == 3710


def test_given_zero_wages_then_nothing_is_owed() -> None:
    shares = shares_for(0, Coverage(1, True, True), Month(2026, 10))
    assert shares.socso_total == shares.eis_total == shares.skbbk_employee == 0


def test_given_an_arrears_month_under_the_rm4000_ceiling_then_its_cap_applies() -> None:
    shares = shares_for(sen("8000.00"), CAT1, Month(2021, 3))
    assert (shares.socso_employer, shares.socso_employee, shares.eis_employer) == (6915, 1975, 790)


def test_given_june_2026_when_skbbk_applies_then_perkesos_share_is_added() -> None:
    shares = shares_for(sen("1700.00"), Coverage(1, True, True), Month(2026, 6))
    assert shares.skbbk_employee == 1235  # DOMAIN.md 2.3 row 21: 12.35 (the old estimate said 12.40)
    capped = shares_for(sen("9000.00"), Coverage(1, True, True), Month(2026, 6))
    assert capped.skbbk_employee == 4465  # row 65, the phase-1 cap


def test_given_a_user_skbbk_table_then_it_replaces_perkesos(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "skbbk.csv"
    path.write_text("# official\nrow,wage_over,wage_up_to,employee\n1,0.00,1000.00,1.00\n2,1000.00,,9.99\n")
    table = load_skbbk(path)
    assert table.uncertain  # only the user's word for it
    shares = shares_for(sen("1700.00"), Coverage(1, True, True), Month(2026, 6), skbbk=table)
    assert shares.skbbk_employee == 999
    assert table.amount_for(100000, Month(2026, 5)) == 0  # before the scheme


def test_given_a_batch_when_computing_then_each_employee_gets_their_coverage_and_totals_add_up() -> None:
    local = Employee(2, "900101145678", IdType.MYKAD, "ALI", 170000, Citizenship.CITIZEN, date(1990, 1, 1))
    foreign = Employee(3, "A1234567", IdType.PASSPORT, "JOHN", 170000, Citizenship.FOREIGN, date(1990, 1, 1))
    lines = compute([local, foreign], OCT_2024)
    assert [line.shares.eis_total for line in lines] == [660, 0]
    totals = Totals.of(line.shares for line in lines)
    assert totals.as_dict() == {
        "employees": 2,
        "socso_employer": 5770,
        "socso_employee": 1650,
        "eis_employer": 330,
        "eis_employee": 330,
        "skbbk_employee": 0,
        "total": 8080,
    }
