"""Writers and readers: golden files byte for byte, DOMAIN.md's example line, round trips, errors by line."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.contributions import (
    Kind,
    Month,
    Scheme,
    TextFileError,
    check_textfile,
    compute,
    default_version,
    import_payroll,
    kind_of,
    read_textfile,
    render,
    write_textfile,
)

from .conftest import GOLDEN, PAYROLL, TODAY

CODE = "E1102069801V"
GOLDEN_FILES = [
    (Month(2024, 10), Kind.SOCSO, "socso_102024.txt"),
    (Month(2024, 10), Kind.EIS, "eis_102024.txt"),
    (Month(2024, 10), Kind.COMBINED_V1, "socso_eis_v1_102024.txt"),
    (Month(2026, 10), Kind.COMBINED_V2, "socso_eis_v2_102026.txt"),
]
SCHEME = {
    Kind.SOCSO: Scheme.SOCSO,
    Kind.EIS: Scheme.EIS,
    Kind.COMBINED_V1: Scheme.COMBINED,
    Kind.COMBINED_V2: Scheme.COMBINED,
}


def build(month: Month, kind: Kind, path: Path, payroll: Path = PAYROLL / "good.csv") -> None:
    employees = import_payroll(payroll, month, today=TODAY)
    write_textfile(path, render(compute(employees, month), employer_code=CODE, month=month, kind=kind))


@pytest.mark.parametrize(("month", "kind", "golden"), GOLDEN_FILES)
def test_given_the_good_payroll_when_writing_then_the_file_matches_the_golden_one_byte_for_byte(
    tmp_path: Path, month: Month, kind: Kind, golden: str
) -> None:
    build(month, kind, tmp_path / golden)
    assert (tmp_path / golden).read_bytes() == (GOLDEN / golden).read_bytes()


@pytest.mark.parametrize(("month", "kind", "golden"), GOLDEN_FILES)
def test_given_a_golden_file_when_reading_it_back_then_it_is_clean_and_matches_what_was_computed(
    month: Month, kind: Kind, golden: str
) -> None:
    result = check_textfile(GOLDEN / golden, scheme=SCHEME[kind], today=TODAY)
    assert (result.kind, result.month, result.employer_code) == (kind, month, CODE)
    raw = (GOLDEN / golden).read_bytes()
    assert raw.endswith(b"\r\n") and raw.count(b"\r\n") == raw.count(b"\n") == len(result.records)
    employees = {e.id_number: e for e in import_payroll(PAYROLL / "good.csv", month, today=TODAY)}
    shares = {c.employee.id_number: c.shares for c in compute(employees.values(), month)}
    for record in result.records:
        s = shares[record.id_number]
        assert record.name == employees[record.id_number].name
        if kind is Kind.SOCSO:
            assert record.amount == s.socso_total
        elif kind is Kind.EIS:
            assert record.amount == s.eis_total
        else:
            assert (
                record.wages,
                record.socso_employer,
                record.socso_employee,
                record.eis_employer,
                record.eis_employee,
                record.skbbk_employee,
            ) == (
                s.wages,
                s.socso_employer,
                s.socso_employee,
                s.eis_employer,
                s.eis_employee,
                s.skbbk_employee if kind is Kind.COMBINED_V2 else 0,
            )


def test_given_domain_md_example_then_the_socso_and_combined_lines_are_exactly_as_described() -> None:
    socso = (GOLDEN / "socso_102024.txt").read_bytes().split(b"\r\n")[0].decode()
    assert (
        socso
        == CODE + " " * 20 + "900101145678" + "ALI BIN ABU".ljust(150) + "102024" + "00000000003710" + " " * 9
    )
    combined = (GOLDEN / "socso_eis_v1_102024.txt").read_bytes().split(b"\r\n")[0].decode()
    assert combined[194:] == "10202400000000170000002885000825000330000330" + " " * 40


def test_given_who_is_in_which_file_then_uncovered_and_zero_wage_employees_are_left_out() -> None:
    socso = read_textfile(GOLDEN / "socso_102024.txt", scheme=Scheme.SOCSO, today=TODAY)
    eis = read_textfile(GOLDEN / "eis_102024.txt", scheme=Scheme.EIS, today=TODAY)
    ids = {r.id_number for r in socso.records}
    assert "930303028888" not in ids  # zero wages, no status: skipped
    unpaid = next(r for r in socso.records if r.id_number == "950228123334")
    assert (unpaid.amount, unpaid.status) == (0, "T")  # zero wages on unpaid leave: kept
    joiner = next(r for r in socso.records if r.id_number == "920715134445")
    assert (joiner.employment_date, joiner.status) == ("07102024", "B")
    eis_ids = {r.id_number for r in eis.records}
    # foreign workers, the 60-year-old and the 16-year-old are outside EIS
    assert not eis_ids & {"A12345678", "123456789012", "640101081235", "080301141112"}


def test_given_combined_versions_then_v2_is_the_default_from_june_2026() -> None:
    # Every month from June 2026 owes SKBBK, which only v2 carries (DOMAIN.md 2.3)
    assert default_version(Month(2026, 5)) == 1 and default_version(Month(2026, 6)) == 2
    assert default_version(Month(2026, 7)) == 2 and default_version(Month(2026, 9)) == 2
    assert kind_of(Scheme.COMBINED, None, Month(2026, 7)) is Kind.COMBINED_V2
    assert kind_of(Scheme.COMBINED, 1, Month(2026, 10)) is Kind.COMBINED_V1


def test_given_a_bad_employer_code_when_rendering_then_it_is_refused() -> None:
    with pytest.raises(ValueError, match="not an employer code"):
        render([], employer_code="E110206980", month=Month(2024, 10), kind=Kind.SOCSO)


def broken(tmp_path: Path, golden: str, edit) -> Path:  # type: ignore[no-untyped-def]
    lines = (GOLDEN / golden).read_bytes().decode().split("\r\n")[:-1]
    path = tmp_path / golden
    path.write_bytes(("\r\n".join(edit(lines)) + "\r\n").encode("utf-8"))
    return path


def messages(path: Path, scheme: Scheme | None = None) -> list[str]:
    with pytest.raises(TextFileError) as caught:
        check_textfile(path, scheme=scheme, today=TODAY)
    return [str(p).removeprefix(f"{path}:") for p in caught.value.problems]


def replace(line: str, start: int, text: str) -> str:
    """Overwrite from 1-based position ``start``."""
    return line[: start - 1] + text + line[start - 1 + len(text) :]


def test_given_a_combined_file_with_bad_lines_then_each_error_names_its_line_and_field(
    tmp_path: Path,
) -> None:
    def edit(lines: list[str]) -> list[str]:
        lines[0] = replace(lines[0], 215, "002886")  # SOCSO employer one sen off
        lines[1] = lines[1][:-1]  # 277 characters
        lines[2] = replace(lines[2], 195, "112024")  # another month
        lines[3] = replace(lines[3], 227, "000099")  # EIS for a 16-year-old outside EIS
        lines[4] = replace(lines[4], 45, "lim ah kow")  # lower case
        lines[5] = replace(lines[5], 201, "0000000055O000")  # a letter O in the wages
        lines[6] = replace(lines[6], 33, "900101145678")  # duplicate of line 1
        lines[7] = replace(lines[7], 45, "SITI Ñ")  # not ASCII
        lines[8] = replace(lines[8], 227, "000099")  # EIS employer != employee
        lines[9] = replace(lines[9], 260, "X")  # filler
        return lines

    assert messages(broken(tmp_path, "socso_eis_v1_102024.txt", edit)) == [
        "1: SOCSO (215-226): RM28.86 / 8.25 on wages RM1,700.00: expected 28.85 / 8.25 or 20.60 / 0.00 "
        "(Category 1 / Category 2)",
        "2: line: is 277 characters, expected 278 (socso+eis v1 file, as line 1)",
        "3: month (195-200): 112024 differs from line 1 (102024)",
        "4: EIS (227-238): RM0.99 / 0.00 on wages RM450.00: expected 0.90 each, or 0 for employees outside EIS",
        "5: name (45-194): 'lim ah kow' must be upper case with single spaces",
        "6: wages (201-214): '0000000055O000' must be right-justified digits",
        "7: ID number (33-44): 900101145678 is also on line 1",
        "8: line: non-ASCII byte at character 50",
        "9: EIS (227-238): RM0.99 / 3.90 on wages RM2,000.00: expected 3.90 each, or 0 for employees outside EIS",
        "10: filler (239-278): must be spaces",
    ]


def test_given_a_socso_file_with_bad_amounts_dates_and_statuses_then_each_is_reported(tmp_path: Path) -> None:
    def edit(lines: list[str]) -> list[str]:
        lines[0] = replace(lines[0], 201, "00000000003711")  # not a SOCSO total
        lines[1] = replace(lines[1], 215, "31022024")  # no such date
        lines[2] = replace(lines[2], 223, "Z")
        lines[8] = replace(lines[8], 215, "        ")  # B without its date
        return lines

    assert messages(broken(tmp_path, "socso_102024.txt", edit), Scheme.SOCSO) == [
        "1: amount (201-214): RM37.11 is not a SOCSO total in the socso_eis_rm6000.csv table",
        "2: employment date (215-222): '31022024' is not a date (DDMMYYYY)",
        "3: status (223): 'Z' is not one of B, H, M, S, T",
        "9: employment date (215-222): is required with status B",
    ]


def test_given_a_socso_file_checked_as_eis_then_its_amounts_are_refused(tmp_path: Path) -> None:
    found = messages(GOLDEN / "socso_102024.txt", Scheme.EIS)
    assert found[0] == "1: amount (201-214): RM37.10 is not a EIS total in the socso_eis_rm6000.csv table"


def test_given_space_padded_amounts_then_they_are_accepted(tmp_path: Path) -> None:
    path = broken(
        tmp_path,
        "socso_eis_v1_102024.txt",
        lambda lines: [replace(lines[0], 201, "        170000  2885   825   330   330")] + lines[1:],
    )
    assert len(check_textfile(path, today=TODAY).records) == 11


def test_given_a_file_of_the_wrong_length_or_scheme_then_line_1_says_what_was_expected(
    tmp_path: Path,
) -> None:
    path = tmp_path / "short.txt"
    path.write_bytes(b"E1102069801V\r\n")
    assert messages(path) == ["1: line: is 12 characters: expected 223 (SOCSO or EIS) or 278 (SOCSO + EIS)"]
    assert messages(GOLDEN / "socso_102024.txt", Scheme.COMBINED) == [
        "1: line: is 223 characters: expected 223 (SOCSO or EIS) or 278 (SOCSO + EIS) for --scheme socso+eis"
    ]
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    assert messages(empty) == ["0: file: is empty"]


def test_given_a_future_month_and_a_bad_employer_code_then_both_are_reported(tmp_path: Path) -> None:
    def edit(lines: list[str]) -> list[str]:
        return [replace(replace(line, 195, "122026"), 1, "X12345      ") for line in lines]

    found = messages(broken(tmp_path, "socso_eis_v1_102024.txt", edit))
    assert found[:2] == [
        "1: employer code (1-12): 'X12345' is not an employer code (letter, 7 or 10 digits, letter)",
        "1: month (195-200): 2026-12 is in the future (today is 2026-11-15)",
    ]


def test_given_a_v2_file_with_a_wrong_skbbk_share_then_it_is_flagged_with_perkesos_amount(
    tmp_path: Path,
) -> None:
    path = broken(
        tmp_path, "socso_eis_v2_102026.txt", lambda lines: [replace(lines[0], 239, "001250")] + lines[1:]
    )
    assert messages(path) == [
        "1: SKBBK employee (239-244): RM12.50 on wages RM1,700.00: expected 12.35 by skbbk.csv"
    ]
