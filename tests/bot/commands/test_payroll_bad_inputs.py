"""100+ bad payrolls, as a new user would write them, through `assist-bot textfile build`: each is
refused with `FILE:LINE: column:`, exit 1, and no file written (DESIGN: never guess silently).

Every case is a payroll whose line 2 is good and whose bad row (if any) is on line 3 unless said. A
share of the cases run the real CLI (`python -m bot textfile build ...`) as a subprocess; the rest
call the same entry point (`bot.cli.main`) in-process, for speed.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest

from bot.cli import main

ROOT = Path(__file__).resolve().parents[3]
HEADER = [
    "id_number",
    "name",
    "wages",
    "id_type",
    "citizenship",
    "date_of_birth",
    "category",
    "status",
    "status_date",
    "employment_date",
    "skbbk",
]
GOOD = {"id_number": "850612-10-5432", "name": "Tan Mei Ling", "wages": "2950.00"}


def row(**cells: str) -> list[str]:
    base = {"id_number": "900101-14-5678", "name": "Ali bin Abu", "wages": "1700.00"}
    base.update(cells)
    return [base.get(h, "") for h in HEADER]


@dataclass(frozen=True)
class Case:
    id: str
    line: int
    column: str
    rows: tuple[tuple[str, ...], ...] = ()  # data rows after the good line 2 (CSV cells)
    raw: str | None = None  # a whole CSV text instead (header and all)
    header: tuple[str, ...] = tuple(HEADER)
    good_first: bool = True
    xlsx: bool = False


def c(id: str, column: str, line: int = 3, **cells: str) -> Case:
    return Case(id, line, column, (tuple(row(**cells)),))


ROW_CASES = [
    # identifiers: never guessed
    c("mistyped-mykad-with-dob", "id_number", id_number="900101-14-567", date_of_birth="1990-01-01"),
    c("mistyped-mykad-no-dob", "id_number", id_number="900101-14-567"),
    c("mykad-with-spaces", "id_number", id_number="900101 14 5678"),
    c("mykad-bad-date", "id_number", id_number="901301-14-5678"),
    c("mykad-bad-place", "id_number", id_number="900101-17-5678"),
    c("mykad-place-00", "id_number", id_number="900101-00-5678"),
    c("mykad-13-digits", "id_number", id_number="9001011456781"),
    c("mykad-letter", "id_number", id_number="90010114567X"),
    c("undeclared-passport", "id_number", id_number="A12345678", date_of_birth="1980-01-01"),
    c("undeclared-short-number", "id_number", id_number="12345"),
    c("id-empty", "id_number", id_number=""),
    c(
        "passport-too-long",
        "id_number",
        id_number="P-1234-5678-9012-3",
        id_type="passport",
        date_of_birth="1980-01-01",
    ),
    c("passport-symbols", "id_number", id_number="AB#123", id_type="passport", date_of_birth="1980-01-01"),
    c("declared-mykad-not-mykad", "id_number", id_number="A1234567", id_type="mykad"),
    c("duplicate-of-line-2", "id_number", id_number="850612105432", name="Someone Else"),
    c("fullwidth-digits", "id_number", id_number="９００１０１１４５６７８"),
    c("citizen-declared-passportlike", "id_number", id_number="K1234567", citizenship="citizen"),
    c("id-200k", "id_number", id_number="9" * 200_000),
    # declared types and citizenship
    c("id-type-visa", "id_type", id_type="visa"),
    c("id-type-ic", "id_type", id_type="ic"),
    c("citizenship-martian", "citizenship", citizenship="martian"),
    c("citizenship-malaysian", "citizenship", citizenship="malaysian"),
    # birth dates
    c("dob-month-13", "date_of_birth", date_of_birth="1990-13-01"),
    c("dob-slashes", "date_of_birth", date_of_birth="01/01/1990"),
    c("dob-mismatch-mykad", "date_of_birth", date_of_birth="1990-01-02"),
    c(
        "dob-after-month",
        "date_of_birth",
        id_number="B1234567",
        id_type="passport",
        date_of_birth="2027-01-01",
    ),
    c("passport-no-dob-no-category", "date_of_birth", id_number="B7654321", id_type="passport"),
    c("old-ic-no-dob", "date_of_birth", id_number="A1234567", id_type="old_ic"),
    # category
    c("category-3", "category", category="3"),
    c("category-0", "category", category="0"),
    c("category-word", "category", category="one"),
    # status and dates
    c("status-x", "status", status="X"),
    c("status-two-letters", "status", status="BH"),
    c("status-date-without-status", "status_date", status_date="2026-10-05"),
    c("status-date-bad", "status_date", status="H", status_date="2026-13-01"),
    c("status-date-after-month", "status_date", status="H", status_date="2026-11-02"),
    c("left-undated", "status_date", status="H"),
    c("died-undated", "status_date", status="M"),
    c("joined-undated", "status_date", status="B"),
    c("employment-date-after-month", "employment_date", employment_date="2026-11-30"),
    c("employment-date-word", "employment_date", employment_date="yesterday"),
    # wages: must be an amount that fits its field
    c("wages-negative", "wages", wages="-5.00"),
    c("wages-words", "wages", wages="one thousand"),
    c("wages-3-decimals", "wages", wages="1000.123"),
    c("wages-empty", "wages", wages=""),
    c("wages-too-big", "wages", wages="99999999999999.99"),
    c("wages-too-big-separators", "wages", wages="99,999,999,999,999.99"),
    c("wages-european", "wages", wages="1.700,00"),
    c("wages-rm-negative", "wages", wages="RM-5"),
    c("wages-exponent", "wages", wages="1e3"),
    c("wages-nan", "wages", wages="NaN"),
    c("wages-two-points", "wages", wages="1700.00.00"),
    c("wages-200k", "wages", wages="1" * 200_000),
    # names
    c("name-empty", "name", name=""),
    c("name-chinese", "name", name="陈美玲"),
    c("name-emoji", "name", name="Happy 😀"),
    c("name-151", "name", name="A" * 151),
    c("name-200k", "name", name="A" * 200_000),
    c("name-accent", "name", name="José Ramírez"),
    # skbbk
    c("skbbk-maybe", "skbbk", skbbk="maybe"),
    c("skbbk-amount", "skbbk", skbbk="44.65"),
]

SHAPE_CASES = [
    Case("cells-beyond-header", 3, "column 12", (tuple(row() + ["extra"]),)),
    Case(
        "unquoted-thousands", 3, "column 12", (tuple(row(wages="1", skbbk="700.00")[:10] + ["1", "700.00"]),)
    ),
    Case(
        "unclosed-quote",
        3,
        "name",
        raw=",".join(HEADER)
        + "\n"
        + ",".join(row(**GOOD))
        + '\n900101-14-5678,"Ali bin Abu,1700.00,,,,,,,,\n'
        + ",".join(row(id_number="880808-05-5556", name="Wong Ah Lek"))
        + "\n",
    ),
    Case(
        "unclosed-quote-on-line-4",
        4,
        "wages",
        raw=",".join(HEADER)
        + "\n"
        + ",".join(row(**GOOD))
        + "\n"
        + ",".join(row())
        + '\n880808-05-5556,Wong,"1700\n',
    ),
    Case(
        "quote-closed-lines-later",
        3,
        "name",
        raw=",".join(HEADER)
        + "\n"
        + ",".join(row(**GOOD))
        + '\n900101-14-5678,"Ali\nbin Abu",1700.00,,,,,,,,\n',
    ),
    Case("header-unknown-column", 1, "salary", header=tuple(HEADER[:2] + ["salary"] + HEADER[3:])),
    Case("header-duplicate", 1, "name", header=tuple(HEADER[:10] + ["name"])),
    Case("header-missing-wages", 1, "wages", raw="id_number,name\n900101-14-5678,Ali\n"),
    Case("header-empty-name", 1, "column 4", header=tuple(HEADER[:3] + [""] + HEADER[4:])),
    Case("header-only", 1, "wages", raw=",".join(HEADER) + "\n"),
    Case("empty-file", 1, "id_number", raw=""),
    Case(
        "all-zero",
        1,
        "wages",
        raw=",".join(HEADER)
        + "\n"
        + ",".join(row(wages="0.00"))
        + "\n"
        + ",".join(row(**{**GOOD, "wages": "0"}))
        + "\n",
    ),
    Case("not-utf8", 3, "file", raw=None, rows=(("LATIN1",),)),
]


def xlsx_of(case: Case) -> Case:
    return Case(
        case.id + "-xlsx", case.line, case.column, case.rows, None, case.header, case.good_first, True
    )


XLSX_SAFE = [
    k
    for k in ROW_CASES
    if k.id not in {"id-200k", "wages-200k", "name-200k"}  # Excel holds at most 32,767 characters a cell
] + [SHAPE_CASES[0], SHAPE_CASES[5], SHAPE_CASES[6], SHAPE_CASES[8]]
CASES = (
    ROW_CASES
    + SHAPE_CASES
    + [xlsx_of(k) for k in XLSX_SAFE]
    + [
        Case("name-32k-xlsx", 3, "name", (tuple(row(name="B" * 32_000)),), xlsx=True),
    ]
)
# Every fifth case runs the real CLI in a subprocess; the others the same entry point in-process.
SUBPROCESS = {k.id for i, k in enumerate(CASES) if i % 5 == 0}


def write_case(case: Case, folder: Path) -> Path:
    if case.xlsx:
        path = folder / "payroll.xlsx"
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.append(list(case.header))
        sheet.append(row(**GOOD))
        for r in case.rows:
            sheet.append(list(r))
        book.save(path)
        return path
    path = folder / "payroll.csv"
    if case.id == "not-utf8":
        text = ",".join(HEADER) + "\n" + ",".join(row(**GOOD)) + "\n"
        path.write_bytes(text.encode() + ",".join(row(name="Jos\xe9")).encode("latin-1") + b"\n")
        return path
    if case.raw is not None:
        path.write_text(case.raw, encoding="utf-8", newline="")
        return path
    import csv

    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(case.header)
        writer.writerow(row(**GOOD))
        writer.writerows(case.rows)
    return path


def build_args(payroll: Path, out: Path) -> list[str]:
    return [
        "textfile",
        "build",
        str(payroll),
        "--employer-code",
        "E1102069801V",
        "--month",
        "2026-10",
        "--scheme",
        "socso+eis",
        "-o",
        str(out),
    ]


def run_cli(args: list[str], subprocess_run: bool, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    if subprocess_run:
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        done = subprocess.run(
            [sys.executable, "-m", "bot", *args], capture_output=True, text=True, env=env, timeout=600
        )
        return done.returncode, done.stderr
    with pytest.raises(SystemExit) as exit_info:
        main(args)
    return int(exit_info.value.code or 0), capsys.readouterr().err


def test_there_are_at_least_100_cases_csv_and_xlsx() -> None:
    assert len(CASES) >= 100 and len({k.id for k in CASES}) == len(CASES)
    assert sum(k.xlsx for k in CASES) >= 30 and len(SUBPROCESS) >= 20


def test_the_good_part_alone_builds(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # The control: the same header and good line, without the bad one, is accepted.
    payroll = write_case(Case("good", 0, "", ()), tmp_path)
    code, err = run_cli(build_args(payroll, tmp_path / "out.txt"), False, capsys)
    assert code == 0, err
    assert (tmp_path / "out.txt").exists()


@pytest.mark.parametrize("case", CASES, ids=lambda k: k.id)
def test_a_bad_payroll_is_refused_at_its_line_and_column_and_nothing_is_written(
    case: Case, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    payroll = write_case(case, tmp_path)
    out = tmp_path / "SOCSO_EIS_102026.txt"
    code, err = run_cli(build_args(payroll, out), case.id in SUBPROCESS, capsys)
    assert code == 1, err[-2000:]
    assert f"{payroll}:{case.line}: {case.column}: " in err, err[-2000:]
    assert "Traceback" not in err
    assert not out.exists() and [p.name for p in tmp_path.iterdir()] == [payroll.name]
    assert len(err) < 20_000  # a 200,000-character cell is quoted cut, not whole


def test_a_mistyped_mykad_names_id_number_not_date_of_birth(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    payroll = write_case(c("x", "id_number", id_number="900101-14-567"), tmp_path)
    code, err = run_cli(build_args(payroll, tmp_path / "o.txt"), False, capsys)
    assert code == 1 and ":3: id_number: '900101-14-567' is not a valid MyKad" in err
    assert "date_of_birth" not in err.split("id_number", 1)[0]
    assert ":3: date_of_birth:" not in err


def test_an_output_folder_that_does_not_exist_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    payroll = write_case(Case("good", 0, "", ()), tmp_path)
    out = tmp_path / "missing" / "out.txt"
    code, err = run_cli(build_args(payroll, out), True, capsys)
    assert code == 64 and "does not exist" in err and "Traceback" not in err
    assert not (tmp_path / "missing").exists()
