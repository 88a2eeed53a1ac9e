"""The shipped tables: official rows, every band boundary, table choice by month, and an oracle."""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal

import pytest

from bot.core.contributions import Month, NoTableError, table_for
from bot.core.contributions.tables import all_tables

OCT_2024 = Month(2024, 10)

# Rows of https://www.perkeso.gov.my/en/rate-of-contribution.html as quoted in DOMAIN.md 2.3:
# row -> (Cat1 ER, Cat1 EE, Cat2 ER, EIS each), RM.
OFFICIAL = {
    1: ("0.40", "0.10", "0.30", "0.05"),
    2: ("0.70", "0.20", "0.50", "0.10"),
    3: ("1.10", "0.30", "0.80", "0.15"),
    4: ("1.50", "0.40", "1.10", "0.20"),
    5: ("2.10", "0.60", "1.50", "0.25"),
    6: ("2.95", "0.85", "2.10", "0.35"),
    7: ("4.35", "1.25", "3.10", "0.50"),
    8: ("6.15", "1.75", "4.40", "0.70"),
    9: ("7.85", "2.25", "5.60", "0.90"),
    10: ("9.65", "2.75", "6.90", "1.10"),
    54: ("86.65", "24.75", "61.90", "9.90"),
    64: ("104.15", "29.75", "74.40", "11.90"),
    65: ("104.15", "29.75", "74.40", "11.90"),
}
# EIS spot checks [S2] (DOMAIN.md 2.3): row -> EIS each.
EIS_SPOT = {7: "0.50", 14: "1.90", 24: "3.90", 56: "10.30", 64: "11.90"}


def sen(rm: str) -> int:
    return int(Decimal(rm) * 100)


def closed_form(row: int, over: int, up_to: int) -> tuple[int, int, int, int]:
    """DOMAIN.md 2.3's derivation, used only as an oracle: (Cat1 ER, Cat1 EE, Cat2 ER, EIS) in sen."""
    if row == 1:
        return 40, 10, 30, 5
    mid = Decimal(over + up_to) / 200  # RM

    def step(x: Decimal, to: str, mode: str) -> int:
        unit = Decimal(to)
        return int((x / unit).quantize(Decimal(1), rounding=mode) * unit * 100)

    total = step(mid * Decimal("0.0225"), "0.10", ROUND_HALF_UP)
    employee = step(mid * Decimal("0.005"), "0.05", ROUND_HALF_EVEN)
    return (
        total - employee,
        employee,
        step(mid * Decimal("0.0125"), "0.10", ROUND_HALF_UP),
        step(mid * Decimal("0.002"), "0.05", ROUND_CEILING),
    )


@pytest.mark.parametrize("row", sorted(OFFICIAL))
def test_given_the_rm6000_table_when_reading_an_official_row_then_every_share_matches_perkeso(
    row: int,
) -> None:
    band = table_for(OCT_2024).bands[row - 1]
    assert (band.cat1_employer, band.cat1_employee, band.cat2_employer, band.eis_each) == tuple(
        sen(v) for v in OFFICIAL[row]
    )


def test_given_the_cat2_typo_seen_elsewhere_then_row_10_is_6_90_not_6_60() -> None:
    assert table_for(OCT_2024).bands[9].cat2_employer == 690


@pytest.mark.parametrize("row", sorted(EIS_SPOT))
def test_given_eis_spot_checks_then_the_table_agrees(row: int) -> None:
    assert table_for(OCT_2024).bands[row - 1].eis_each == sen(EIS_SPOT[row])


@pytest.mark.parametrize("table", all_tables(), ids=lambda t: t.name)
def test_given_each_shipped_table_then_every_row_matches_the_closed_form_oracle(table) -> None:  # type: ignore[no-untyped-def]
    for band in table.bands:
        up_to = band.up_to if band.up_to is not None else table.ceiling  # above the ceiling: the cap row
        over = band.over if band.up_to is not None else table.bands[-2].over
        expected = closed_form(band.row, over, up_to)
        assert (band.cat1_employer, band.cat1_employee, band.cat2_employer, band.eis_each) == expected, band


@pytest.mark.parametrize("table", all_tables(), ids=lambda t: t.name)
def test_given_each_table_when_a_wage_sits_on_a_band_boundary_then_it_belongs_below_and_one_sen_more_above(
    table,
) -> None:  # type: ignore[no-untyped-def]
    # "exceed RM30 but not exceed RM50": upper bound inclusive, compared in sen [S].
    for index, band in enumerate(table.bands[:-1]):
        assert band.up_to is not None
        assert table.band_for(band.up_to) is band  # e.g. RM30.00 -> row 1
        assert table.band_for(band.up_to + 1) is table.bands[index + 1]  # RM30.01 -> row 2
        assert table.band_for(band.over + 1) is band


def test_given_the_first_rows_when_wages_are_tiny_then_row_1_applies_and_zero_owes_nothing() -> None:
    table = table_for(OCT_2024)
    assert table.band_for(1).row == 1
    assert table.band_for(3000).row == 1 and table.band_for(3001).row == 2
    assert table.band_for(0) is None


@pytest.mark.parametrize(
    ("ceiling_month", "ceiling", "rows"),
    [
        (Month(2016, 6), 400000, 45),
        (Month(2022, 8), 400000, 45),
        (Month(2022, 9), 500000, 55),
        (Month(2024, 9), 500000, 55),
        (Month(2024, 10), 600000, 65),
        (Month(2030, 1), 600000, 65),
    ],
)
def test_given_a_contribution_month_when_choosing_the_table_then_its_ceiling_applies(
    ceiling_month: Month, ceiling: int, rows: int
) -> None:
    table = table_for(ceiling_month)
    assert (table.ceiling, len(table.bands)) == (ceiling, rows)
    # Above the ceiling every wage pays the last band below it.
    assert table.band_for(ceiling + 1) == table.bands[-1]
    cap, last = table.bands[-1], table.bands[-2]
    assert (cap.cat1_employer, cap.cat1_employee, cap.cat2_employer, cap.eis_each) == (
        last.cat1_employer,
        last.cat1_employee,
        last.cat2_employer,
        last.eis_each,
    )


def test_given_the_rm5000_table_when_wages_exceed_5000_then_row_54_is_the_cap() -> None:
    band = table_for(Month(2023, 5)).band_for(800000)
    assert band is not None and (band.cat1_employer, band.cat1_employee, band.eis_each) == (8665, 2475, 990)


def test_given_a_month_before_june_2016_when_choosing_a_table_then_it_is_refused() -> None:
    with pytest.raises(NoTableError, match="2016-05"):
        table_for(Month(2016, 5))
