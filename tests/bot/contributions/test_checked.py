"""The checked file: built and checked once, sent only while its source and bytes are unchanged."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.core.contributions import (
    CheckedFile,
    CheckedFileChanged,
    Month,
    Scheme,
    check_foreign_textfile,
    check_payroll,
    submission,
    verify,
)
from bot.core.errors import ConfigError
from tests.bot.contributions.conftest import PAYROLL, TODAY

OCT = Month(2026, 10)
CODE = "E1102069801V"


def build(tmp_path: Path, scheme: Scheme = Scheme.COMBINED) -> CheckedFile:
    payroll = tmp_path / "good.csv"
    payroll.write_bytes((PAYROLL / "good.csv").read_bytes())
    return check_payroll(
        payroll, tmp_path / "out.txt", employer_code=CODE, month=OCT, scheme=scheme, today=TODAY
    )


def test_given_a_good_payroll_when_checked_then_hashes_month_kind_and_totals_travel_as_json(
    tmp_path: Path,
) -> None:
    checked = build(tmp_path)
    assert (checked.month, checked.kind, checked.format_version) == ("2026-10", "socso+eis v2", 2)
    assert checked.employees == 11 and checked.skbbk_employee > 0
    again = CheckedFile.from_dict(json.loads(json.dumps(checked.to_dict())))
    assert again == checked
    verify(again)  # nothing changed: no error
    sub = submission(again, today=TODAY)
    assert sub.rendered.text.encode() == Path(checked.path).read_bytes()
    assert sub.rendered.totals.as_dict() == checked.totals().as_dict()
    assert len(sub.entries) == checked.employees and all(e.wages > 0 or e.status for e in sub.entries)


def test_given_the_payroll_edited_after_the_check_then_verify_says_run_the_month_again(
    tmp_path: Path,
) -> None:
    checked = build(tmp_path)
    payroll = Path(checked.source)
    payroll.write_text(payroll.read_text().replace("1700.00", "1800.00"))
    with pytest.raises(
        CheckedFileChanged,
        match=r"the payroll .*good.csv changed since the text file was "
        r"checked at .*; run the month again",
    ):
        verify(checked)
    with pytest.raises(CheckedFileChanged):
        submission(checked, today=TODAY)


def test_given_the_checked_file_edited_then_verify_refuses(tmp_path: Path) -> None:
    checked = build(tmp_path)
    Path(checked.path).write_bytes(Path(checked.path).read_bytes().replace(b"001235", b"001240"))
    with pytest.raises(CheckedFileChanged, match=r"checked text file .* changed since it was checked"):
        verify(checked)


def test_given_a_foreign_file_then_the_canonical_one_is_checked_with_its_own_source_hash(
    tmp_path: Path,
) -> None:
    bot_file = build(tmp_path)
    foreign = tmp_path / "from_software.txt"
    foreign.write_bytes(Path(bot_file.path).read_bytes().replace(b"\r\n", b"\n").rstrip(b"\n"))
    checked = check_foreign_textfile(
        foreign, tmp_path / "canon.txt", month=OCT, employer_code=CODE, today=TODAY
    )
    assert Path(checked.path).read_bytes() == Path(bot_file.path).read_bytes()
    assert checked.source_type == "textfile" and checked.totals() == bot_file.totals()
    foreign.write_bytes(b"")
    with pytest.raises(CheckedFileChanged, match=r"the text file .* changed since"):
        verify(checked)


def test_given_a_missing_output_folder_then_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        check_payroll(
            PAYROLL / "good.csv",
            tmp_path / "nope" / "out.txt",
            employer_code=CODE,
            month=OCT,
            scheme=Scheme.COMBINED,
            today=TODAY,
        )
