"""Payroll import (CONTRACT.md "Payroll input"): CSV or XLSX rows into checked ``Employee`` records.

Every problem in the file is collected and reported at once as ``FILE:LINE: column: message``
(``PayrollError``); nothing comes back when there is any, so nothing can be written from a bad file.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from bot.core.contributions.identity import (
    DEFAULT_CITIZENSHIP,
    IdType,
    check_mykad,
    file_name,
    looks_like_mykad,
    mykad_birth_date,
    other_id,
)
from bot.core.contributions.money import format_rm, parse_ringgit
from bot.core.contributions.month import Month
from bot.core.contributions.problems import NoTableError, PayrollError, Problem
from bot.core.contributions.rules import Citizenship, Coverage, coverage
from bot.core.contributions.sheets import column_name, read_rows
from bot.core.contributions.tables import table_for

REQUIRED = ("id_number", "name", "wages")
OPTIONAL = (
    "id_type",
    "citizenship",
    "date_of_birth",
    "category",
    "status",
    "status_date",
    "employment_date",
    "skbbk",
)
# The `skbbk` column: empty / `yes` = owes LINDUNG 24 Jam as the rules say; `exempt` (or `0`, `no`) =
# SKBBK 0 for this employee: opted out in July-August 2026, or covered through another designated
# employer (DOMAIN.md 2.3, [S2]).
SKBBK_VALUES = {"": False, "yes": False, "exempt": True, "0": True, "no": True}
# The widest amount a text file holds: 14 digits of sen (wages, and the 223 files' amount).
MAX_WAGES = 10**14 - 1
# A problem quotes at most this much of a cell: a 200,000-character cell must not flood the report.
SHOWN = 60
# Employment status codes of the 223-character file, field 8 (DOMAIN.md 1.1) [S].
STATUSES = {"B": "new employee", "H": "left", "M": "died", "S": "on PERKESO sick leave", "T": "unpaid leave"}
# Joiners and leavers carry their date in field 7 ("employment start or end date") [S].
DATED_STATUSES = frozenset("BHM")


@dataclass(slots=True)
class Employee:
    """One payroll row, checked. Wages in sen; ``line`` is the row's line in the payroll file."""

    line: int
    id_number: str
    id_type: IdType
    name: str
    wages: int
    citizenship: Citizenship
    date_of_birth: date | None
    category: int | None = None
    status: str = ""
    status_date: date | None = None
    employment_date: date | None = None
    first_contribution_age: int | None = None
    domestic: bool = False
    skbbk_exempt: bool = False

    def coverage(self, month: Month) -> Coverage:
        """The schemes that apply to this employee in ``month`` (see rules.py); an employee marked
        ``skbbk = exempt`` owes no LINDUNG 24 Jam share."""
        cover = coverage(
            month,
            citizenship=self.citizenship,
            date_of_birth=self.date_of_birth,
            category=self.category,
            first_contribution_age=self.first_contribution_age,
            domestic=self.domestic,
        )
        return Coverage(cover.socso_category, cover.eis, False) if self.skbbk_exempt else cover


def import_payroll(path: Path | str, month: Month, *, today: date | None = None) -> list[Employee]:
    """Read and check a payroll for contribution ``month``; PayrollError lists every problem."""
    today = today or date.today()
    name = str(path)
    problems: list[Problem] = []
    if month > Month.of(today):
        problems.append(
            Problem(
                name,
                0,
                "month",
                f"{month} is in the future (today is {today}); PERKESO refuses advance months",
            )
        )
    try:
        table_for(month)
    except NoTableError as exc:
        problems.append(Problem(name, 0, "month", str(exc)))
    employees: list[Employee] = []
    try:
        rows = read_rows(Path(path))
        header_line, header = next(rows, (1, []))
        columns = _columns(name, header_line, header, problems)
        if columns is not None:
            width = max((i + 1 for i, h in enumerate(header) if h.strip()), default=0)  # named columns
            _RowReader(name, month, today, columns, problems, width, header).read_all(rows, employees)
            if not employees and not problems:
                problems.append(Problem(name, header_line, "wages", "the payroll has no employees"))
            elif not problems and not any(e.wages > 0 or e.status for e in employees):
                problems.append(
                    Problem(
                        name,
                        header_line,
                        "wages",
                        f"every employee's wages are 0 ({len(employees)} rows): nothing to contribute"
                        " (is it the right file, the right wages column?)",
                    )
                )
    except PayrollError as exc:  # the file itself is unreadable: report it with the rest
        problems.extend(exc.problems)
    if problems:
        raise PayrollError(problems)
    return employees


def _columns(file: str, line: int, header: list[str], problems: list[Problem]) -> dict[str, int] | None:
    """Column name -> index; None (after reporting) when a required column is missing."""
    names = [h.strip().lower() for h in header]
    while names and not names[-1]:
        names.pop()
    columns: dict[str, int] = {}
    for index, column in enumerate(names):
        if not column:
            problems.append(Problem(file, line, f"column {index + 1}", "has no name"))
        elif column in columns:
            problems.append(Problem(file, line, column, "appears twice"))
        elif column not in REQUIRED and column not in OPTIONAL:
            problems.append(
                Problem(
                    file, line, column, "unknown column (expected: " + ", ".join(REQUIRED + OPTIONAL) + ")"
                )
            )
        else:
            columns[column] = index
    missing = [c for c in REQUIRED if c not in columns]
    for column in missing:
        problems.append(Problem(file, line, column, "required column is missing"))
    return None if missing else columns


class _RowReader:
    """Turns data rows into Employees, appending a Problem for everything wrong with each."""

    def __init__(
        self,
        file: str,
        month: Month,
        today: date,
        columns: dict[str, int],
        problems: list[Problem],
        width: int = 0,
        header: list[str] | None = None,
    ) -> None:
        self.file, self.month, self.today, self.problems = file, month, today, problems
        self.width, self.header = width, header or []
        self.columns = [(c, columns.get(c)) for c in REQUIRED + OPTIONAL]
        self.seen: dict[str, int] = {}
        self.last_day = month.last_day

    def read_all(self, rows: Iterator[tuple[int, list[str]]], out: list[Employee]) -> None:
        for line, cells in rows:
            values = {
                c: (cells[i].strip() if i is not None and i < len(cells) else "") for c, i in self.columns
            }
            extra = [i for i in range(self.width, len(cells)) if cells[i].strip()]
            for i in extra:
                self.problem(
                    line,
                    f"column {i + 1}",
                    f"{_show(cells[i].strip())} is beyond the header's {self.width} columns"
                    " (a comma in an unquoted cell?)",
                )
            broken = [i for i, cell in enumerate(cells) if "\n" in cell or "\r" in cell]
            for i in broken:
                name = column_name(self.header, i)
                self.problem(
                    line, name, "holds a line break: a quote opened here closes only on a later line"
                )
            if not any(values.values()):
                continue  # blank line
            if extra or broken:
                continue
            employee = self.employee(line, values)
            if employee is not None:
                out.append(employee)

    def problem(self, line: int, column: str, message: str) -> None:
        self.problems.append(Problem(self.file, line, column, message))

    def id_declared(self, v: dict[str, str]) -> bool:
        """Whether the row says what kind of ID it has (id_type, or citizenship = foreign)."""
        return bool(v["id_type"]) or v["citizenship"].strip().lower() == Citizenship.FOREIGN.value

    def employee(self, line: int, v: dict[str, str]) -> Employee | None:
        before = len(self.problems)
        id_type, id_number, mykad = self.identity(line, v["id_number"], v["id_type"], v["citizenship"])
        id_failed = len(self.problems) > before
        citizenship = self.choice(line, "citizenship", v["citizenship"], Citizenship)
        if citizenship is None:
            citizenship = DEFAULT_CITIZENSHIP[id_type] if id_type else Citizenship.CITIZEN
        dob = self.date(line, "date_of_birth", v["date_of_birth"])
        if mykad:
            derived = mykad_birth_date(id_number, self.today)
            if dob is None:
                dob = derived
            elif dob.strftime("%y%m%d") != id_number[:6]:
                self.problem(line, "date_of_birth", f"{dob} does not match the MyKad ({id_number[:6]})")
        category = self.choice(line, "category", v["category"], {"1": 1, "2": 2})
        if (
            dob is None
            and not id_failed
            and v["date_of_birth"] == ""
            and id_type is not IdType.MYKAD
            and not (category is not None and citizenship is Citizenship.FOREIGN)
        ):
            self.problem(
                line,
                "date_of_birth",
                "required when the ID is not a MyKad (age decides "
                "the SOCSO category and EIS); for a foreign worker a category will do",
            )
        if dob is not None and dob > self.last_day:
            self.problem(line, "date_of_birth", f"{dob} is after the contribution month {self.month}")
        name, wages = "", 0
        try:
            name = file_name(v["name"])
        except ValueError as exc:
            self.problem(line, "name", str(exc))
        try:
            if v["wages"]:
                wages = parse_ringgit(v["wages"][: SHOWN * 2])
                if len(v["wages"]) > SHOWN * 2:
                    raise ValueError(f"{_show(v['wages'])} is not an amount in RM (e.g. 1700.00)")
                if wages > MAX_WAGES:
                    raise ValueError(
                        f"RM{format_rm(wages)} does not fit the file's 14-digit wages field "
                        f"(at most RM{format_rm(MAX_WAGES)})"
                    )
            else:
                self.problem(line, "wages", "is empty (write 0.00 for no wages)")
        except ValueError as exc:
            self.problem(line, "wages", str(exc))
        skbbk_exempt = SKBBK_VALUES.get(v["skbbk"].lower())
        if skbbk_exempt is None:
            self.problem(
                line,
                "skbbk",
                f"{_show(v['skbbk'])} is not one of: exempt (or 0, no) for no SKBBK, yes, or empty",
            )
        status = v["status"].upper()
        if status and status not in STATUSES:
            self.problem(
                line,
                "status",
                f"{_show(v['status'])} is not one of " + ", ".join(f"{k} ({d})" for k, d in STATUSES.items()),
            )
        status_date = self.date(line, "status_date", v["status_date"], not_after_month=True)
        employment_date = self.date(line, "employment_date", v["employment_date"], not_after_month=True)
        if status == "B" and status_date is None:
            status_date = employment_date
        if status in DATED_STATUSES and status_date is None and not v["status_date"]:
            self.problem(line, "status_date", f"required with status {status} ({STATUSES[status]})")
        if v["status_date"] and not status:
            self.problem(
                line,
                "status_date",
                "given without a status: say what the date is (status B joined, H left, M died)",
            )
        if len(self.problems) > before:
            return None
        return Employee(
            line,
            id_number,
            id_type,
            name,
            wages,
            citizenship,
            dob,
            category,
            status,
            status_date,
            employment_date,
            skbbk_exempt=bool(skbbk_exempt),
        )

    def identity(
        self, line: int, raw: str, raw_type: str, raw_citizenship: str = ""
    ) -> tuple[IdType, str, bool]:
        """(ID type, ID as written in the file, is a valid MyKad); problems reported.

        Never guessed: an ID that is not a valid MyKad must be declared, by ``id_type`` or by
        ``citizenship = foreign`` (then a passport); else it is an error on ``id_number``."""
        id_type = self.choice(line, "id_type", raw_type, IdType)
        if not raw:
            self.problem(line, "id_number", "is empty")
            return id_type or IdType.PASSPORT, "", False
        foreign = raw_citizenship.strip().lower() == Citizenship.FOREIGN.value
        if id_type is None and not foreign and not looks_like_mykad(raw):
            self.problem(
                line,
                "id_number",
                f"{_show(raw)} is not a valid MyKad (12 digits, YYMMDD-PB-###G); for another ID say which:"
                " id_type = passport, ssfw, old_ic, army or police (or citizenship = foreign)",
            )
            return IdType.PASSPORT, raw, False
        if id_type is None and foreign:
            id_type = IdType.PASSPORT
        if id_type is IdType.MYKAD or (id_type is None and looks_like_mykad(raw)):
            try:
                number = check_mykad(raw)
            except ValueError as exc:
                hint = "" if id_type else "; set id_type if this is not a MyKad"
                self.problem(line, "id_number", f"{exc}{hint}")
                return IdType.MYKAD, raw, False
            self.unique(line, number)
            return IdType.MYKAD, number, True
        try:
            number = other_id(raw[: SHOWN * 2])
            if len(raw) > SHOWN * 2:
                raise ValueError(f"{_show(raw)} is longer than the file's 12 characters")
        except ValueError as exc:
            self.problem(line, "id_number", str(exc))
            return id_type or IdType.PASSPORT, raw, False
        self.unique(line, number)
        return id_type or IdType.PASSPORT, number, False

    def unique(self, line: int, number: str) -> None:
        first = self.seen.setdefault(number, line)
        if first != line:
            self.problem(line, "id_number", f"{number} is also on line {first} (duplicate employee)")

    def choice(self, line: int, column: str, raw: str, options: Any) -> Any:
        """``options[raw]`` for a mapping or enum; None when empty; a problem when unknown."""
        if not raw:
            return None
        key = raw.strip().lower()
        try:
            return options[key] if isinstance(options, dict) else options(key)
        except (KeyError, ValueError):
            allowed = ", ".join(options) if isinstance(options, dict) else ", ".join(o.value for o in options)
            self.problem(line, column, f"{_show(raw)} is not one of {allowed}")
            return None

    def date(self, line: int, column: str, raw: str, *, not_after_month: bool = False) -> date | None:
        if not raw:
            return None
        try:
            value = date.fromisoformat(raw[:10] if len(raw) > 10 and raw[10] in "T " else raw)
        except ValueError:
            self.problem(line, column, f"{_show(raw)} is not a date (YYYY-MM-DD)")
            return None
        if not_after_month and value > self.last_day:
            self.problem(line, column, f"{value} is after the contribution month {self.month}")
        return value


def _show(text: str) -> str:
    """A cell quoted in a problem, cut to SHOWN characters (with its length when cut)."""
    if len(text) <= SHOWN:
        return repr(text)
    return f"{text[:SHOWN]!r}... ({len(text):,} characters)"
