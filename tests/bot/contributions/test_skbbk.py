"""LINDUNG 24 Jam (SKBBK): PERKESO's 65-row table (DOMAIN.md 2.3) against its stated rule, in v2 lines
for every band, Category 1 and 2 and a foreign worker alike; v2 by default from June 2026."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

from bot.core.contributions import (
    Kind,
    Month,
    Scheme,
    compute,
    import_payroll,
    kind_of,
    read_textfile,
    render,
)
from bot.core.contributions.skbbk import default_skbbk
from bot.core.contributions.tables import table_for
from bot.core.errors import BusinessError

JULY = Month(2026, 7)
TABLE = default_skbbk()
BANDS = table_for(JULY).bands


def round5(rm: Decimal, rounding: str = ROUND_HALF_UP) -> int:
    """Round RM to the nearest 5 sen (half up unless told); in sen."""
    return int((rm * 20).quantize(Decimal(1), rounding=rounding) * 5)


def oracle(row: int) -> int:
    """DOMAIN.md 2.3: round5(mid x 1.25%) - round5(mid x 0.5%), rows 1 and 3 set by hand. The second
    term is "today's Cat 1 employee share", which DOMAIN.md's closed form rounds half-even (row 4:
    0.425 -> 0.40); the first term too rounds half-even (row 37: 40.625 -> 40.60, giving the table's
    24.35): DOMAIN.md does not say which way halves go, the table settles it."""
    if row == 1:
        return 20
    if row == 3:
        return 50
    band = BANDS[row - 1]
    up_to = band.up_to if band.up_to is not None else BANDS[row - 2].up_to
    over = band.over if band.up_to is not None else BANDS[row - 2].over
    mid = Decimal(over + up_to) / 2 / 100
    employee = round5(mid * Decimal("0.005"), ROUND_HALF_EVEN)
    assert employee == band.cat1_employee  # the same as our Cat 1 employee share
    return round5(mid * Decimal("0.0125"), ROUND_HALF_EVEN) - employee


def test_the_table_has_65_rows_on_the_socso_bands_and_is_capped_at_44_65() -> None:
    assert len(TABLE.amounts) == 65 and list(TABLE.uppers) == [b.up_to for b in BANDS[:-1]]
    assert TABLE.amounts[-1] == TABLE.amounts[-2] == 4465 and not TABLE.uncertain


@pytest.mark.parametrize("row", range(1, 66))
def test_every_row_follows_the_stated_rule(row: int) -> None:
    assert TABLE.amounts[row - 1] == oracle(row)


def test_the_spec_examples_and_the_old_estimates_error() -> None:
    assert TABLE.amount_for(170000, JULY) == 1235  # RM1,600.01-1,700: 12.35 (the estimate said 12.40)
    assert TABLE.amount_for(3000, JULY) == 20 and TABLE.amount_for(7000, JULY) == 50
    assert TABLE.amount_for(170000, Month(2026, 5)) == 0  # before the scheme


def test_after_phase_1_there_is_no_table_rather_than_a_guess() -> None:
    with pytest.raises(BusinessError, match="no LINDUNG 24 Jam"):
        TABLE.amount_for(170000, Month(2028, 6))


def test_a_july_2026_combined_file_is_v2_by_default() -> None:
    assert kind_of(Scheme.COMBINED, None, JULY) is Kind.COMBINED_V2
    assert kind_of(Scheme.COMBINED, None, Month(2026, 6)) is Kind.COMBINED_V2


def test_every_band_in_a_v2_line_for_category_1_category_2_and_a_foreign_worker(tmp_path: Path) -> None:
    # One wage per band (its upper edge; RM8,000 for the open row), for three kinds of employee.
    wages = [b.up_to if b.up_to is not None else 800000 for b in BANDS]
    rows = ["id_number,name,wages,id_type,citizenship,date_of_birth,category,skbbk"]
    for i, w in enumerate(wages):
        rm = f"{w // 100}.{w % 100:02d}"
        rows.append(f"A{i:07d},CAT ONE {i},{rm},passport,citizen,1990-01-01,,")
        rows.append(f"B{i:07d},CAT TWO {i},{rm},passport,citizen,1950-01-01,,")
        rows.append(f"C{i:07d},FOREIGN {i},{rm},passport,foreign,1990-01-01,,")
    rows.append("D0000001,EXEMPT ONE,1700.00,passport,citizen,1990-01-01,,exempt")
    payroll = tmp_path / "bands.csv"
    payroll.write_text("\n".join(rows) + "\n")
    employees = import_payroll(payroll, JULY, today=date(2026, 8, 1))
    rendered = render(
        compute(employees, JULY), employer_code="E1102069801V", month=JULY, kind=Kind.COMBINED_V2
    )
    out = tmp_path / "v2.txt"
    out.write_text(rendered.text, newline="")
    back = read_textfile(out, today=date(2026, 8, 1))
    assert back.problems == [] and back.kind is Kind.COMBINED_V2
    by_id = {r.id_number: r for r in back.records}
    for i, band in enumerate(BANDS):
        one, two, foreign = by_id[f"A{i:07d}"], by_id[f"B{i:07d}"], by_id[f"C{i:07d}"]
        expected = TABLE.amounts[i]
        assert one.skbbk_employee == two.skbbk_employee == foreign.skbbk_employee == expected, band.row
        assert (one.socso_employer, one.socso_employee) == (band.cat1_employer, band.cat1_employee)
        assert (two.socso_employer, two.socso_employee) == (band.cat2_employer, 0)  # Category 2
        assert (foreign.eis_employer, foreign.eis_employee) == (0, 0)  # foreign: no EIS, SKBBK yes
        line = rendered.lines[[r.id_number for r in back.records].index(one.id_number)]
        assert line[238:244] == f"{expected:06d}" and len(line) == 280
    assert by_id["D0000001"].skbbk_employee == 0  # skbbk = exempt
