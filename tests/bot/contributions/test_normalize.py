"""Text files from payroll software: three foreign styles normalise to the bot's own file, byte for
byte; a wrong amount is refused by line with the expected amount, unless accepted on request."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.core.contributions import (
    Kind,
    Month,
    TextFileError,
    compute,
    import_payroll,
    normalize_textfile,
    render,
)
from tests.bot.contributions.conftest import PAYROLL

OCT = Month(2026, 10)
TODAY = date(2026, 11, 15)
AMOUNTS = [(200, 214), (214, 220), (220, 226), (226, 232), (232, 238), (238, 244)]


def bot_file() -> str:
    employees = import_payroll(PAYROLL / "good.csv", OCT, today=TODAY)
    return render(
        compute(employees, OCT), employer_code="E1102069801V", month=OCT, kind=Kind.COMBINED_V2
    ).text


def space_padded(line: str) -> str:
    for a, b in AMOUNTS:  # as a TS payroll renderer does: at least 3 digits, space-padded
        line = line[:a] + line[a:b].lstrip("0").rjust(3, "0").rjust(b - a) + line[b:]
    return line


def lines_of(text: str) -> list[str]:
    return text.split("\r\n")[:-1]


STYLES = {
    "zero-padded CRLF, lower-case names": lambda ls: "".join(
        ln[:44] + ln[44:194].lower() + ln[194:] + "\r\n" for ln in ls
    ),
    "space-padded": lambda ls: "".join(space_padded(ln) + "\r\n" for ln in ls),
    "LF, no final newline, trailing spaces cut": lambda ls: "\n".join(ln.rstrip() for ln in ls),
}


@pytest.mark.parametrize("style", STYLES)
def test_a_foreign_style_file_normalises_to_the_bots_own_bytes(style: str, tmp_path: Path) -> None:
    canonical = bot_file()
    foreign = tmp_path / "foreign.txt"
    foreign.write_bytes(STYLES[style](lines_of(canonical)).encode("ascii"))
    assert foreign.read_bytes() != canonical.encode()
    result = normalize_textfile(str(foreign), month=OCT, employer_code="E1102069801V", today=TODAY)
    assert result.rendered.text.encode("ascii") == canonical.encode("ascii")
    assert result.warnings == ()


def test_a_v1_file_for_october_becomes_v2_with_the_skbbk_share_and_a_warning(tmp_path: Path) -> None:
    canonical = bot_file()
    v1 = "".join(ln[:238] + " " * 40 + "\r\n" for ln in lines_of(canonical))
    foreign = tmp_path / "v1.txt"
    foreign.write_text(v1, newline="")
    result = normalize_textfile(str(foreign), today=TODAY)
    assert result.source_kind is Kind.COMBINED_V1 and result.rendered.text == canonical
    assert any("version 1 (no SKBBK)" in w for w in result.warnings)


def test_a_wrong_amount_is_refused_by_line_with_the_expected_amount(tmp_path: Path) -> None:
    ls = lines_of(bot_file())
    ls[1] = ls[1][:238] + "001240" + ls[1][244:]  # the old estimate's SKBBK on RM2,950 is wrong anyway
    ls[0] = ls[0][:214] + "002900" + ls[0][220:]  # SOCSO employer 29.00 instead of 28.85
    foreign = tmp_path / "wrong.txt"
    foreign.write_text("\r\n".join(ls) + "\r\n", newline="")
    with pytest.raises(TextFileError) as info:
        normalize_textfile(str(foreign), today=TODAY)
    text = [str(p) for p in info.value.problems]
    assert text[0].startswith(
        f"{foreign}:1: SOCSO (215-226): RM29.00 / 8.25 on wages RM1,700.00: expected 28.85 / 8.25"
    )
    assert text[1].startswith(
        f"{foreign}:2: SKBBK employee (239-244): RM12.40 on wages RM2,950.00: expected 22.15"
    )
    accepted = normalize_textfile(str(foreign), today=TODAY, accept_file_amounts=True)
    assert len(accepted.warnings) == 2 and "002900" in accepted.rendered.lines[0]
