"""Our SOCSO and EIS tables against an independent copy: PyPI's `malaysia-statutory-rates` (0.1.1,
scraped from https://www.perkeso.gov.my/en/rate-of-contribution.html and PERKESO's Act 4 / Act 800
rate PDFs), at both edges of every band (lower bound exclusive: RM0.01 above it; upper inclusive).

Deliberate differences: none in SOCSO or EIS. The package has no SKBBK (LINDUNG 24 Jam) data (checked
below), so the SKBBK table is checked against DOMAIN.md 2.3's rule instead (test_skbbk.py).
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from malaysia_statutory_rates import load_rate, load_rates

from bot.core.contributions import Month, table_for

CURRENT = table_for(Month(2026, 10))  # the RM6,000-ceiling table, in force since 2024-10
SOCSO = load_rate("socso_rates")
EIS = load_rate("eis_rates")


def sen(value: float | int | None) -> int:
    return int(Decimal(str(value)) * 100)


def edges(row: dict) -> list[int]:
    low = sen(row["wage_min"]) + 1  # RM0.01 above the exclusive lower bound
    high = sen(row["wage_max"]) if row["wage_max"] is not None else 10_000_000  # RM100,000: capped
    return [low, high]


def test_the_independent_data_is_the_rm6000_table_with_65_bands() -> None:
    assert SOCSO["wage_ceiling"] == EIS["wage_ceiling"] == 6000
    assert SOCSO["effective_from"] == EIS["effective_from"] == "2024-10-01"
    assert len(SOCSO["rate_table"]) == len(EIS["rate_table"]) == len(CURRENT.bands) == 65


@pytest.mark.parametrize("row", SOCSO["rate_table"], ids=lambda r: f"socso-row{r['row']}")
def test_every_socso_band_equals_the_independent_data_at_both_edges(row: dict) -> None:
    for wage in edges(row):
        band = CURRENT.band_for(wage)
        assert band is not None and band.row == row["row"], wage
        assert band.cat1_employer == sen(row["employer_schedule1"]), (wage, "Category 1 employer")
        assert band.cat1_employee == sen(row["employee_schedule1"]), (wage, "Category 1 employee")
        assert band.cat1_total == sen(row["total_schedule1"]), (wage, "Category 1 total")
        assert band.cat2_employer == sen(row["total_schedule2"]), (wage, "Category 2 (employer only)")


@pytest.mark.parametrize("row", EIS["rate_table"], ids=lambda r: f"eis-row{r['row']}")
def test_every_eis_band_equals_the_independent_data_at_both_edges(row: dict) -> None:
    for wage in edges(row):
        band = CURRENT.band_for(wage)
        assert band is not None and band.row == row["row"], wage
        assert band.eis_each == sen(row["employer"]) == sen(row["employee"]), wage
        assert 2 * band.eis_each == sen(row["total"]), wage


def test_the_band_edges_themselves_agree() -> None:
    ours = [(b.over, b.up_to) for b in CURRENT.bands]
    theirs = [
        (sen(r["wage_min"]), sen(r["wage_max"]) if r["wage_max"] is not None else None)
        for r in SOCSO["rate_table"]
    ]
    assert ours == theirs


def test_the_independent_package_carries_no_skbbk_data_to_check_against() -> None:
    # If a later version adds LINDUNG 24 Jam, this fails and the check belongs here.
    text = repr(load_rates()).lower()
    assert "skbbk" not in text and "lindung" not in text
