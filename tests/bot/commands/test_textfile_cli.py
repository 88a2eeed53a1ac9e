"""`assist-bot textfile build|check`: summaries, JSON, files written, exit codes 0 / 1 / 64."""

from __future__ import annotations

import json
from pathlib import Path

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
