"""`assist-bot textfile build|check`: summaries, JSON, files written, exit codes 0 / 1 / 64."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.commands.textfile import app

ROOT = Path(__file__).resolve().parents[3]
GOOD = ROOT / "fixtures" / "payroll" / "good.csv"
BAD = ROOT / "fixtures" / "payroll" / "bad.csv"
GOLDEN = ROOT / "fixtures" / "golden"
runner = CliRunner()
BUILD = ["build", str(GOOD), "--employer-code", "E1102069801V", "--month", "2024-10"]


def test_given_a_good_payroll_when_building_then_the_summary_prints_and_the_file_matches_golden(
    tmp_path: Path,
) -> None:
    out = tmp_path / "socso.txt"
    result = runner.invoke(app, [*BUILD, "--scheme", "socso", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "11 employees" in result.stdout and "SOCSO" in result.stdout and "489.00" in result.stdout
    assert out.read_bytes() == (GOLDEN / "socso_102024.txt").read_bytes()


def test_given_json_when_building_then_stdout_is_one_json_document_with_totals_in_sen(tmp_path: Path) -> None:
    out = tmp_path / "combined.txt"
    result = runner.invoke(app, [*BUILD, "--scheme", "socso+eis", "-o", str(out), "--json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["kind"] == "socso+eis v1" and document["lines"] == 11 and document["skipped"] == 1
    assert document["totals_sen"] == {
        "employees": 11,
        "socso_employer": 39075,
        "socso_employee": 9825,
        "eis_employer": 2820,
        "eis_employee": 2820,
        "skbbk_employee": 0,
        "total": 54540,
    }
    assert out.read_bytes() == (GOLDEN / "socso_eis_v1_102024.txt").read_bytes()


def test_given_a_bad_payroll_when_building_then_every_problem_goes_to_stderr_exit_1_and_nothing_is_written(
    tmp_path: Path,
) -> None:
    out = tmp_path / "never.txt"
    result = runner.invoke(
        app,
        [
            "build",
            str(BAD),
            "--employer-code",
            "E1102069801V",
            "--month",
            "2024-10",
            "--scheme",
            "eis",
            "-o",
            str(out),
            "--json",
        ],
    )
    assert result.exit_code == 1
    assert f"{BAD}:5: id_number: 900101145678 is also on line 4 (duplicate employee)" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 17
    assert len(json.loads(result.stdout)["problems"]) == 17
    assert not out.exists()


def test_given_bad_usage_then_exit_64_with_the_reason(tmp_path: Path) -> None:
    cases = [
        (["--month", "2024-13"], "--month"),
        (["--month", "10-2024"], "expected YYYY-MM"),
        (["--scheme", "kwsp"], "--scheme 'kwsp'"),
        (["--format-version", "3"], "--format-version 3"),
        (["--employer-code", "E11"], "--employer-code"),
    ]
    for extra, message in cases:
        args = [*BUILD, "--scheme", "socso+eis", "-o", str(tmp_path / "x.txt"), *extra]
        result = runner.invoke(app, args)
        assert result.exit_code == 64, (extra, result.output)
        assert message in result.stderr
    missing = runner.invoke(app, [*BUILD, "-o", str(tmp_path / "x.txt")])
    assert missing.exit_code == 64 and "--scheme is required" in missing.stderr


def test_given_a_future_month_when_building_then_it_is_a_problem_exit_1(tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        [
            "build",
            str(GOOD),
            "--employer-code",
            "E1102069801V",
            "--month",
            "2099-01",
            "--scheme",
            "socso",
            "-o",
            str(tmp_path / "x.txt"),
        ],
    )
    assert result.exit_code == 1 and ":0: month: 2099-01 is in the future" in result.stderr


def test_given_october_2026_when_building_combined_then_version_2_carries_perkesos_skbbk(
    tmp_path: Path,
) -> None:
    out = tmp_path / "v2.txt"
    result = runner.invoke(
        app,
        [
            "build",
            str(GOOD),
            "--employer-code",
            "E1102069801V",
            "--month",
            "2026-10",
            "--scheme",
            "socso+eis",
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "SKBBK" in result.stdout and "UNCERTAIN" not in result.stderr
    assert out.read_bytes() == (GOLDEN / "socso_eis_v2_102026.txt").read_bytes()


def test_given_a_golden_file_when_checking_then_exit_0_with_a_summary() -> None:
    result = runner.invoke(app, ["check", str(GOLDEN / "socso_eis_v2_102026.txt")])
    assert result.exit_code == 0, result.output
    assert "no problems" in result.stdout
    document = json.loads(
        runner.invoke(app, ["check", str(GOLDEN / "eis_102024.txt"), "--scheme", "eis", "--json"]).stdout
    )
    assert (document["kind"], document["lines"], document["totals_sen"]["total"]) == ("eis", 7, 5640)


def test_given_a_broken_file_when_checking_then_exit_1_with_errors_by_line(tmp_path: Path) -> None:
    lines = (GOLDEN / "socso_102024.txt").read_bytes().split(b"\r\n")
    lines[1] = lines[1][:200] + b"00000000000001" + lines[1][214:]
    path = tmp_path / "broken.txt"
    path.write_bytes(b"\r\n".join(lines))
    result = runner.invoke(app, ["check", str(path), "--scheme", "socso", "--json"])
    assert result.exit_code == 1
    assert f"{path}:2: amount (201-214): RM0.01 is not a SOCSO total" in result.stderr
    assert json.loads(result.stdout)["problems"][0]["line"] == 2


def test_given_help_then_it_teaches_with_examples() -> None:
    for command in ("build", "check"):
        result = runner.invoke(app, [command, "--help"])
        assert (
            result.exit_code == 0 and "Examples" in result.stdout and "assist-bot textfile" in result.stdout
        )


NORMALIZE_STYLES = {
    "zero-CRLF-lower": lambda ls: "".join(ln[:44] + ln[44:194].lower() + ln[194:] + "\r\n" for ln in ls),
    "space-padded": lambda ls: "".join(
        "".join(
            ln[a:b].lstrip("0").rjust(3, "0").rjust(b - a) if (a, b) != (0, 200) else ln[:200]
            for a, b in [(0, 200), (200, 214), (214, 220), (220, 226), (226, 232), (232, 238), (238, 244)]
        )
        + ln[244:]
        + "\r\n"
        for ln in ls
    ),
    "LF-no-final-newline": lambda ls: "\n".join(ls),
}


@pytest.mark.parametrize("style", NORMALIZE_STYLES)
def test_given_a_foreign_style_file_when_normalizing_then_it_is_the_golden_file_byte_for_byte(
    style: str, tmp_path: Path
) -> None:
    golden = (GOLDEN / "socso_eis_v2_102026.txt").read_bytes()
    lines = golden.decode("ascii").split("\r\n")[:-1]
    foreign = tmp_path / "foreign.txt"
    foreign.write_bytes(NORMALIZE_STYLES[style](lines).encode("ascii"))
    out = tmp_path / "canonical.txt"
    result = runner.invoke(app, ["normalize", str(foreign), "-o", str(out), "--month", "2026-10", "--json"])
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == golden
    document = json.loads(result.stdout)
    assert document["kind"] == "socso+eis v2" and document["lines"] == len(lines)


def test_given_a_wrong_amount_when_normalizing_then_exit_1_by_line_and_nothing_written(
    tmp_path: Path,
) -> None:
    lines = (GOLDEN / "socso_eis_v2_102026.txt").read_text(encoding="ascii").split("\n")
    lines[2] = lines[2][:238] + "000001" + lines[2][244:]
    foreign = tmp_path / "wrong.txt"
    foreign.write_text("\n".join(lines))
    out = tmp_path / "canonical.txt"
    result = runner.invoke(app, ["normalize", str(foreign), "-o", str(out)])
    assert result.exit_code == 1
    assert f"{foreign}:3: SKBBK employee (239-244): RM0.01 on wages" in result.stderr
    assert "expected" in result.stderr and not out.exists()
    accepted = runner.invoke(app, ["normalize", str(foreign), "-o", str(out), "--accept-file-amounts"])
    assert accepted.exit_code == 0 and "warning:" in accepted.stderr and out.exists()


def test_given_a_missing_output_folder_when_normalizing_or_building_then_exit_64(tmp_path: Path) -> None:
    missing = tmp_path / "no" / "x.txt"
    result = runner.invoke(app, ["normalize", str(GOLDEN / "socso_eis_v2_102026.txt"), "-o", str(missing)])
    assert result.exit_code == 64 and "does not exist" in result.stderr
    result = runner.invoke(app, [*BUILD, "--scheme", "socso", "-o", str(missing)])
    assert result.exit_code == 64 and "does not exist" in result.stderr


def test_given_version_1_asked_for_july_2026_then_it_is_written_with_a_warning(tmp_path: Path) -> None:
    out = tmp_path / "v1.txt"
    args = [
        "build",
        str(GOOD),
        "--employer-code",
        "E1102069801V",
        "--month",
        "2026-07",
        "--scheme",
        "socso+eis",
    ]
    result = runner.invoke(app, [*args, "--format-version", "1", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "warning: version 1 has no SKBBK column" in result.stderr
    assert all(len(line) == 278 and line[238:].strip() == "" for line in out.read_text().splitlines())
    default = runner.invoke(app, [*args, "-o", str(tmp_path / "v2.txt")])
    assert default.exit_code == 0 and "warning" not in default.stderr
    assert all(line[238:244].isdigit() for line in (tmp_path / "v2.txt").read_text().splitlines())
