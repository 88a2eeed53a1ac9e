"""What the portal refuses in a contribution, whichever way it arrives (text file or data entry):
a month in the future or without a table, a month already submitted, an ID not registered to the
employer, a share that does not match the wage-band table, the wrong file version."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from mock_portal.contribution import rates
from mock_portal.contribution.documents import month_label, parts, ringgit
from mock_portal.contribution.textfile import COMBINED, SINGLE, Line, parse
from mock_portal.employees import Employee, Employees

V2_FROM = "2026-06"  # version 2.0 (SKBBK share) accepted from June 2026 [S2] DOMAIN.md 1.2
V2_ONLY_FROM = "2026-10"  # ...and mandatory from October 2026
_FIELDS = ("wages", "socso_employer", "socso_employee", "eis_employer", "eis_employee", "skbbk_employee")


def month_problem(month: str, today: date, live: set[str], scheme: str) -> str | None:
    """Why a month cannot be submitted for a scheme, or None. The current month is allowed: only
    a later one is "an advanced date" (DOMAIN.md 1.1)."""
    if month > today.strftime("%Y-%m"):
        return f"Contribution month {month_label(month)} is in the future; advance months are not accepted."
    if rates.ceiling(month) is None:
        return f"No contribution table for {month_label(month)}."
    done = live & set(parts(scheme))
    if done:
        names = " + ".join(sorted(s.upper() for s in done))
        return f"Contribution for {month_label(month)} ({names}) has already been submitted."
    return None


@dataclass
class Checked:
    month: str = ""
    lines: list[dict[str, Any]] | None = None
    errors: list[str] | None = None


def check_upload(
    data: bytes, scheme: str, employer_code: str, employees: Employees, today: date, live_schemes: Any
) -> Checked:
    """The upload's submission lines, or every reason it is refused. ``live_schemes(month)`` gives
    the schemes already submitted for a month."""
    combined = scheme == "socso+eis"
    parsed = parse(data, COMBINED if combined else SINGLE)
    errors = list(parsed.errors)
    months = sorted({line.month for line in parsed.lines})
    if len(months) > 1:
        errors.append(
            f"All lines must be for one contribution month; found {', '.join(map(month_label, months))}."
        )
    seen: set[str] = set()
    out: list[dict[str, Any]] = []
    for line in parsed.lines:
        problems = _line_problems(line, scheme, employer_code, employees, seen)
        errors.extend(f"Line {line.number}: {p}" for p in problems[0])
        if problems[1] is not None:
            out.append(problems[1])
    if not errors and months:
        problem = month_problem(months[0], today, live_schemes(months[0]), scheme)
        if problem:
            errors.append(problem)
    if errors:
        return Checked(errors=errors)
    return Checked(month=months[0], lines=out)


def _line_problems(
    line: Line, scheme: str, employer_code: str, employees: Employees, seen: set[str]
) -> tuple[list[str], dict[str, Any] | None]:
    problems: list[str] = []
    if line.employer_code != employer_code:
        problems.append(f"employer code {line.employer_code} is not yours ({employer_code}).")
    month = line.month
    if scheme == "socso+eis":
        v2 = line.skbbk_employee is not None
        if month >= V2_ONLY_FROM and not v2:
            problems.append(f"format version 1.0 is not accepted for {month_label(month)}; use version 2.0.")
        if v2 and month < V2_FROM:
            problems.append(f"format version 2.0 is only accepted from {month_label(V2_FROM)}.")
    employee = employees.find_employee(employer_code, line.id_number)
    if employee is None:
        problems.append(f"ID {line.id_number} is not a registered employee of this employer.")
    elif employee.socso_no in seen:
        problems.append(f"ID {line.id_number} appears more than once.")
    if problems or employee is None or rates.ceiling(month) is None:
        return problems, None
    seen.add(employee.socso_no)
    if not rates.covered(employee, month, socso="socso" in scheme, eis="eis" in scheme):
        return [f"ID {line.id_number} is not covered by {scheme.upper()} in {month_label(month)}."], None
    shares, problem = _shares(line, scheme, employee, month)
    if problem:
        return [problem], None
    return [], {
        "employee_id": employee.id,
        "id_number": employee.socso_no,
        "name": employee.name,
        "wages_sen": shares.wages,
        "status_code": "",
        **_share_dict(shares),
    }


def _share_dict(s: rates.Shares) -> dict[str, int]:
    return {
        "socso_employer": s.socso_employer,
        "socso_employee": s.socso_employee,
        "eis_employer": s.eis_employer,
        "eis_employee": s.eis_employee,
        "skbbk_employee": s.skbbk_employee,
    }


def _shares(line: Line, scheme: str, employee: Employee, month: str) -> tuple[rates.Shares, str | None]:
    if scheme == "socso+eis":
        expected = rates.shares(employee, line.wages, month, socso=True, eis=True)
        if line.skbbk_employee is None:  # version 1.0 carries no SKBBK share
            expected = rates.Shares(
                expected.wages,
                expected.socso_employer,
                expected.socso_employee,
                expected.eis_employer,
                expected.eis_employee,
                0,
            )
        skbbk = line.skbbk_employee or 0
        # 0 is an employee exempt from SKBBK (opted out July-August 2026, or covered through another
        # designated employer, DOMAIN.md 2.3): the mock does not record exemptions, so it accepts it.
        if line.skbbk_employee is not None and skbbk not in (expected.skbbk_employee, 0):
            return rates.Shares(), (
                f"SKBBK (LINDUNG 24 Jam) employee share RM{ringgit(skbbk)} does not match the table for"
                f" wages RM{ringgit(line.wages)}: expected RM{ringgit(expected.skbbk_employee)}."
            )
        got = rates.Shares(
            line.wages,
            line.socso_employer,
            line.socso_employee,
            line.eis_employer,
            line.eis_employee,
            skbbk,
        )
        if got != rates.Shares(*(getattr(expected, f) for f in _FIELDS[:-1]), skbbk):
            return got, (
                f"shares do not match the contribution table for wages RM{ringgit(line.wages)}: expected"
                f" SOCSO {ringgit(expected.socso_employer)}/{ringgit(expected.socso_employee)},"
                f" EIS {ringgit(expected.eis_employer)}/{ringgit(expected.eis_employee)},"
                f" SKBBK {ringgit(expected.skbbk_employee)}; got SOCSO {ringgit(got.socso_employer)}/"
                f"{ringgit(got.socso_employee)}, EIS {ringgit(got.eis_employer)}/{ringgit(got.eis_employee)},"
                f" SKBBK {ringgit(got.skbbk_employee)}."
            )
        return got, None
    # A 223-character line carries the total only: it must be one of the table's totals.
    if scheme == "socso":
        band = rates.socso_totals(employee, month).get(line.amount)
        cat = rates.cover(employee, month).socso_category
        if band is None:
            return rates.Shares(), (
                f"SOCSO amount RM{ringgit(line.amount)} matches no row of the contribution"
                f" table (category {cat})."
            )
        return rates.Shares(
            0, band.cat1_employer if cat == 1 else band.cat2_employer, band.cat1_employee if cat == 1 else 0
        ), None
    band = rates.eis_totals(month).get(line.amount)
    if band is None:
        return (
            rates.Shares(),
            f"EIS amount RM{ringgit(line.amount)} matches no row of the contribution table.",
        )
    return rates.Shares(0, 0, 0, band.eis_each, band.eis_each), None
