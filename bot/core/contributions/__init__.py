"""Contribution data: tables, who pays what, payroll import and the PERKESO text files.

The calls other code needs::

    employees = import_payroll("payroll.csv", Month(2024, 10))        # PayrollError lists problems
    lines = compute(employees, Month(2024, 10))                       # shares per employee
    shares = shares_for(170000, Coverage(1, True, False), Month(2024, 10))
    rendered = render(lines, employer_code="E1102069801V", month=Month(2024, 10), kind=Kind.SOCSO)
    write_textfile("SOCSO_102024.txt", rendered)
    checked = check_textfile("SOCSO_102024.txt", scheme=Scheme.SOCSO)  # TextFileError lists problems

What a submission sends (checked.py): a file built and checked, with both hashes, as JSON::

    checked = check_payroll("payroll.csv", "SOCSO_EIS_102026.txt", employer_code=..., month=..., scheme=...)
    checked = check_foreign_textfile("from_payroll_software.txt", "SOCSO_EIS_102026.txt", month=...)
    verify(CheckedFile.from_dict(checked.to_dict()))                   # CheckedFileChanged if moved
    sub = submission(checked)                                          # the file's lines, entries
"""

from bot.core.contributions.checked import (
    CheckedFile,
    CheckedFileChanged,
    Entry,
    Submission,
    check_foreign_textfile,
    check_payroll,
    submission,
    verify,
)
from bot.core.contributions.contribution import Contribution, Shares, Totals, compute, shares_for
from bot.core.contributions.identity import IdType
from bot.core.contributions.layout import Kind, Scheme, check_employer_code, default_version, kind_of
from bot.core.contributions.month import Month
from bot.core.contributions.normalize import Normalized, normalize_textfile
from bot.core.contributions.payroll import Employee, import_payroll
from bot.core.contributions.problems import NoTableError, PayrollError, Problem, ProblemsError, TextFileError
from bot.core.contributions.reader import Record, TextFile, check_textfile, read_textfile
from bot.core.contributions.rules import Citizenship, Coverage, coverage
from bot.core.contributions.skbbk import SkbbkTable, load_skbbk
from bot.core.contributions.tables import Band, ContributionTable, table_for
from bot.core.contributions.writer import Rendered, render, write_textfile

__all__ = [
    "Band",
    "CheckedFile",
    "CheckedFileChanged",
    "Citizenship",
    "Contribution",
    "ContributionTable",
    "Coverage",
    "Employee",
    "Entry",
    "IdType",
    "Kind",
    "Month",
    "NoTableError",
    "Normalized",
    "PayrollError",
    "Problem",
    "ProblemsError",
    "Record",
    "Rendered",
    "Scheme",
    "Shares",
    "SkbbkTable",
    "Submission",
    "TextFile",
    "TextFileError",
    "Totals",
    "check_employer_code",
    "check_foreign_textfile",
    "check_payroll",
    "check_textfile",
    "compute",
    "coverage",
    "default_version",
    "import_payroll",
    "kind_of",
    "load_skbbk",
    "normalize_textfile",
    "read_textfile",
    "render",
    "shares_for",
    "submission",
    "table_for",
    "verify",
    "write_textfile",
]
