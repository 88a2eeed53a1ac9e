"""Payroll import: CONTRACT.md columns, defaults, and every kind of bad input reported at once."""

from __future__ import annotations

from datetime import date

import pytest

from bot.core.contributions import Citizenship, IdType, Month, PayrollError, import_payroll

from .conftest import PAYROLL, TODAY

OCT_2024 = Month(2024, 10)
HEADER = "id_number,name,wages"


def problems(path, month: Month = OCT_2024) -> list[str]:  # type: ignore[no-untyped-def]
    with pytest.raises(PayrollError) as caught:
        import_payroll(path, month, today=TODAY)
    return [str(p) for p in caught.value.problems]


def test_given_the_good_csv_then_every_employee_is_read_with_defaults_filled_in() -> None:
    employees = import_payroll(PAYROLL / "good.csv", OCT_2024, today=TODAY)
    assert len(employees) == 12
    ali = employees[0]
    assert (
        ali.line,
        ali.id_number,
        ali.id_type,
        ali.citizenship,
        ali.date_of_birth,
        ali.wages,
        ali.name,
    ) == (2, "900101145678", IdType.MYKAD, Citizenship.CITIZEN, date(1990, 1, 1), 170000, "ALI BIN ABU")
    john = employees[5]
    assert (john.id_type, john.citizenship, john.date_of_birth) == (
        IdType.PASSPORT,
        Citizenship.FOREIGN,
        date(1980, 2, 3),
    )
    assert employees[9].wages == 120050  # "1,200.50"
    assert (employees[8].status, employees[8].status_date) == ("B", date(2024, 10, 7))


def test_given_the_same_payroll_as_xlsx_then_it_reads_exactly_as_the_csv() -> None:
    # good.xlsx has real dates, float wages and a MyKad typed as a number (leading zero lost).
    assert import_payroll(PAYROLL / "good.xlsx", OCT_2024, today=TODAY) == import_payroll(
        PAYROLL / "good.csv", OCT_2024, today=TODAY
    )


def test_given_the_bad_csv_then_every_problem_is_reported_by_line_and_column() -> None:
    found = problems(PAYROLL / "bad.csv")
    name = str(PAYROLL / "bad.csv")
    expected = [
        "2: id_number: MyKad '901301-14-5678': 901301 is not a date (YYMMDD); set id_type if this is not a MyKad",
        "3: id_number: MyKad '900101-17-5678': 17 is not a place-of-birth code; set id_type if this is not a MyKad",
        "5: id_number: 900101145678 is also on line 4 (duplicate employee)",
        "6: wages: negative amount '-5.00'",
        "7: wages: 'one thousand' is not an amount in RM (e.g. 1700.00)",
        "8: wages: '1000.123' has more than 2 decimals",
        "9: name: '陈美玲' cannot be written in the file (allowed: A-Z 0-9 space . , ' - / @ ( ) &)",
        "10: name: '😀' cannot be written in the file (allowed: A-Z 0-9 space . , ' - / @ ( ) &)",
        "11: name: is empty",
        "12: citizenship: 'martian' is not one of citizen, pr, foreign",
        "13: category: '3' is not one of 1, 2",
        "14: status: 'X' is not one of B (new employee), H (left), M (died), S (on PERKESO sick leave), T (unpaid leave)",
        "15: status_date: required with status H (left)",
        "16: status_date: 2024-11-02 is after the contribution month 2024-10",
        "17: date_of_birth: required when the ID is not a MyKad (age decides the SOCSO category and EIS); "
        "for a foreign worker a category will do",
        "18: date_of_birth: 1990-01-16 does not match the MyKad (900115)",
        "19: id_number: 'P1234567890123' is longer than the file's 12 characters",
    ]
    assert found == [f"{name}:{line}" for line in expected]


def test_given_unknown_and_missing_columns_then_the_header_line_says_so() -> None:
    name = str(PAYROLL / "bad_columns.csv")
    assert problems(PAYROLL / "bad_columns.csv") == [
        f"{name}:1: salary: unknown column (expected: id_number, name, wages, id_type, citizenship, "
        "date_of_birth, category, status, status_date, employment_date, skbbk)",
        f"{name}:1: grade: unknown column (expected: id_number, name, wages, id_type, citizenship, "
        "date_of_birth, category, status, status_date, employment_date, skbbk)",
        f"{name}:1: wages: required column is missing",
    ]


def test_given_a_future_month_then_it_is_refused_with_the_rows_still_checked(write_csv) -> None:  # type: ignore[no-untyped-def]
    path = write_csv(HEADER, "900101-14-5678,Ali,abc")
    assert problems(path, Month(2026, 12)) == [
        f"{path}:0: month: 2026-12 is in the future (today is 2026-11-15); PERKESO refuses advance months",
        f"{path}:2: wages: 'abc' is not an amount in RM (e.g. 1700.00)",
    ]


def test_given_the_current_month_then_it_is_accepted(write_csv) -> None:  # type: ignore[no-untyped-def]
    path = write_csv(HEADER, "900101-14-5678,Ali,1700")
    assert len(import_payroll(path, Month(2026, 11), today=TODAY)) == 1


def test_given_a_month_without_a_table_then_it_is_refused(write_csv) -> None:  # type: ignore[no-untyped-def]
    path = write_csv(HEADER, "900101-14-5678,Ali,1700")
    assert problems(path, Month(2015, 1)) == [
        f"{path}:0: month: no contribution table for 2015-01 (tables start at 2016-06)"
    ]


def test_given_header_case_spaces_blank_lines_and_a_bom_then_they_are_tolerated(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "excel.csv"
    path.write_bytes("\ufeffID_Number , Name,Wages\r\n900101-14-5678,Ali,1700\r\n,,\r\n\r\n".encode())
    assert [e.name for e in import_payroll(path, OCT_2024, today=TODAY)] == ["ALI"]


def test_given_an_empty_payroll_or_a_bad_file_then_it_is_a_problem(write_csv, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = write_csv(HEADER)
    assert problems(path) == [f"{path}:1: wages: the payroll has no employees"]
    latin1 = tmp_path / "latin1.csv"
    latin1.write_bytes(b"id_number,name,wages\n900101-14-5678,Zo\xeb,1700\n")
    assert problems(latin1) == [f"{latin1}:2: file: is not UTF-8 text (save it as CSV UTF-8)"]
    other = tmp_path / "payroll.ods"
    other.write_bytes(b"x")
    assert problems(other) == [f"{other}:0: file: unsupported payroll type '.ods' (use .csv or .xlsx)"]


def test_given_a_pr_with_a_mykad_and_a_foreigner_with_a_category_then_both_are_read(write_csv) -> None:  # type: ignore[no-untyped-def]
    path = write_csv(
        "id_number,name,wages,citizenship,category,id_type",
        "900101-14-5678,Ali,1700,pr,,",
        "SSFW12345,Budi,1500,,2,ssfw",
    )
    pr, budi = import_payroll(path, OCT_2024, today=TODAY)
    assert pr.citizenship is Citizenship.PR
    assert (budi.citizenship, budi.category, budi.date_of_birth) == (Citizenship.FOREIGN, 2, None)
