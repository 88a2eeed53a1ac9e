"""The writer checks every line's length before anything is written: an amount too wide for its
field is refused (LineTooLong), never written as a longer line."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from bot.core.contributions import Kind, Month, compute, import_payroll, render, write_textfile
from bot.core.contributions.writer import LineTooLong, Rendered
from tests.bot.contributions.conftest import PAYROLL

OCT = Month(2026, 10)


def test_given_wages_wider_than_14_digits_when_rendering_then_line_too_long_and_no_line_written() -> None:
    contributions = compute(import_payroll(PAYROLL / "good.csv", OCT, today=date(2026, 11, 15)), OCT)
    huge = replace(contributions[1], shares=replace(contributions[1].shares, wages=10**16 - 1))
    with pytest.raises(
        LineTooLong, match=r"line\(s\) would not be 278 characters \(line 2: 280 characters\)"
    ):
        render([contributions[0], huge], employer_code="E1102069801V", month=OCT, kind=Kind.COMBINED_V2)


def test_given_a_bad_line_among_good_ones_when_writing_then_nothing_is_written(tmp_path: Path) -> None:
    good = "E1102069801V" + " " * 266 + "\r\n"
    rendered = Rendered(Kind.COMBINED_V1, [good, good[:-2] + "X\r\n", good], None)  # type: ignore[arg-type]
    target = tmp_path / "out.txt"
    with pytest.raises(LineTooLong, match="line 2: 279 characters"):
        write_textfile(target, rendered)
    assert list(tmp_path.iterdir()) == []
