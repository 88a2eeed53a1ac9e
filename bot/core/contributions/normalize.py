"""A text file written by payroll software, read leniently and rewritten exactly as the bot writes it.

Many employers' payroll software already writes the PERKESO file, in its own variant of the layout
(DOMAIN.md 1.2): amounts zero- or space-padded, CRLF or LF, no final newline, trailing spaces cut,
lower-case names, dashes in IC numbers, v1 or v2. ``normalize_textfile`` accepts those variants,
checks every line against the month's tables (a wrong amount is a problem on its line naming the
expected amount; ``accept_file_amounts`` keeps the file's amounts instead, with a warning) and
returns the canonical file (``Rendered``): zero-padded sen, upper-case names, CRLF after every line,
the version the bot would write for the month. Nothing else is changed: the lines keep their order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from bot.core.contributions import layout as L
from bot.core.contributions.contribution import Totals
from bot.core.contributions.identity import file_name
from bot.core.contributions.layout import Field, Kind, Scheme, default_version
from bot.core.contributions.money import format_rm
from bot.core.contributions.month import Month
from bot.core.contributions.problems import NoTableError, Problem, TextFileError
from bot.core.contributions.skbbk import SkbbkTable, default_skbbk
from bot.core.contributions.tables import ContributionTable, table_for
from bot.core.contributions.writer import Rendered, check_lines, combined_tail, line_start, single_tail

# Lines cut of their trailing spaces are still recognised: a 223 line ends at least after its amount
# (214), a combined one after the EIS employee share (238).
_SINGLE_MIN, _COMBINED_MIN = L.AMOUNT.last, L.EIS_EMPLOYEE.last
_ID_CLEAN = re.compile(r"[\s-]")


@dataclass(frozen=True, slots=True)
class Line:
    """One line of the foreign file, parsed (amounts in sen). ``status`` only in 223 files."""

    line: int
    employer_code: str
    mycoid: str
    id_number: str
    name: str
    wages: int = 0  # 278
    socso_employer: int = 0
    socso_employee: int = 0
    eis_employer: int = 0
    eis_employee: int = 0
    skbbk_employee: int = 0
    amount: int = 0  # 223
    employment_date: str = ""
    status: str = ""


@dataclass(frozen=True, slots=True)
class Normalized:
    """The canonical file built from a foreign one: what it was, what it becomes, what was noticed."""

    source: str
    source_kind: Kind
    month: Month
    employer_code: str
    rendered: Rendered
    lines: tuple[Line, ...]
    warnings: tuple[str, ...] = ()


@dataclass
class _State:
    path: str
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    line: int = 0

    def problem(self, where: Field | str, message: str, line: int | None = None) -> None:
        column = where.column if isinstance(where, Field) else where
        self.problems.append(Problem(self.path, self.line if line is None else line, column, message))


def normalize_textfile(
    path: str,
    *,
    scheme: Scheme | None = None,
    month: Month | None = None,
    employer_code: str | None = None,
    version: int | None = None,
    accept_file_amounts: bool = False,
    today: date | None = None,
    skbbk: SkbbkTable | None = None,
) -> Normalized:
    """Read a foreign text file, check it, and build the canonical one; TextFileError lists problems.

    ``scheme`` tells a 223-character SOCSO file from an EIS one (required for those) or insists on a
    combined file; ``month`` / ``employer_code``, when given, must be the file's; ``version`` is the
    combined version to write (default: the month's, v2 from 2026-06).
    """
    st = _State(str(path))
    with open(path, "rb") as stream:
        data = stream.read()
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    raw = data.decode("ascii", errors="surrogateescape").split("\n")
    while raw and raw[-1].strip("\r") == "":
        raw.pop()  # the final newline, or none
    if not raw:
        st.problem("file", "is empty (no contribution lines)", 0)
        raise TextFileError(st.problems)
    texts = [t.removesuffix("\r") for t in raw]
    kind = _kind(st, texts, scheme)
    if kind is None:
        raise TextFileError(st.problems)
    parsed = [_parse(st, n, t, kind) for n, t in enumerate(texts, start=1)]
    lines = [p for p in parsed if p is not None]
    the_month, code = _file_month_and_code(st, texts, month, employer_code, today or date.today())
    if st.problems or the_month is None:
        raise TextFileError(st.problems)
    out_kind = _out_kind(st, kind, version, the_month)
    table = table_for(the_month)
    skbbk = skbbk or default_skbbk()
    fixed = [
        _check_amounts(st, x, kind, out_kind, the_month, table, skbbk, accept_file_amounts) for x in lines
    ]
    if st.problems:
        raise TextFileError(st.problems)
    rendered = _render(fixed, out_kind, the_month, code)
    return Normalized(str(path), kind, the_month, code, rendered, tuple(fixed), tuple(st.warnings))


def _kind(st: _State, texts: list[str], scheme: Scheme | None) -> Kind | None:
    first = texts[0].rstrip(" ")
    if (
        len(first) > L.COMBINED_LENGTH
        or (L.SINGLE_LENGTH < len(first) < _COMBINED_MIN)
        or len(first) < _SINGLE_MIN
    ):
        st.problem(
            "line",
            f"is {len(texts[0])} characters: expected {L.SINGLE_LENGTH} (SOCSO or EIS) or "
            f"{L.COMBINED_LENGTH} (SOCSO + EIS)",
            1,
        )
        return None
    if len(first) <= L.SINGLE_LENGTH:
        if scheme is Scheme.COMBINED:
            st.problem("line", f"is a {L.SINGLE_LENGTH}-character SOCSO or EIS file, not SOCSO + EIS", 1)
            return None
        if scheme is None:
            st.problem("file", f"a {L.SINGLE_LENGTH}-character file is SOCSO or EIS: say which (--scheme)", 0)
            return None
        return Kind.SOCSO if scheme is Scheme.SOCSO else Kind.EIS
    if scheme in (Scheme.SOCSO, Scheme.EIS):
        st.problem("line", f"is a {L.COMBINED_LENGTH}-character SOCSO + EIS file, not {scheme}", 1)
        return None
    v2 = any(L.SKBBK_EMPLOYEE.cut(t.ljust(L.COMBINED_LENGTH)).strip() for t in texts)
    return Kind.COMBINED_V2 if v2 else Kind.COMBINED_V1


def _number(st: _State, where: Field, text: str) -> int | None:
    value = where.cut(text).strip(" ")
    if not value:
        st.problem(where, "is empty (write 0)")
        return None
    if not (value.isdigit() and value.isascii()):
        st.problem(where, f"{where.cut(text)!r} is not a number of sen (digits, zero- or space-padded)")
        return None
    return int(value)


def _parse(st: _State, number: int, text: str, kind: Kind) -> Line | None:
    st.line = number
    before = len(st.problems)
    if not text.isascii():
        at = next(i for i, c in enumerate(text) if not c.isascii())
        st.problem("line", f"non-ASCII byte at character {at + 1}")
        return None
    single = kind in (Kind.SOCSO, Kind.EIS)
    length = L.SINGLE_LENGTH if single else L.COMBINED_LENGTH
    shortest = _SINGLE_MIN if single else _COMBINED_MIN
    cut = text.rstrip(" ")
    if not shortest <= len(cut) <= length or len(text) > length:
        st.problem("line", f"is {len(text)} characters, expected {length} ({kind} file, as line 1)")
        return None
    text = text.ljust(length)
    code = L.EMPLOYER_CODE.cut(text).strip().upper()
    id_number = _ID_CLEAN.sub("", L.ID_NUMBER.cut(text)).upper()
    if not id_number:
        st.problem(L.ID_NUMBER, "is empty")
    elif not id_number.isalnum():
        st.problem(L.ID_NUMBER, f"{id_number!r} may only hold letters and digits")
    name = ""
    try:
        name = file_name(L.NAME.cut(text))
    except ValueError as exc:
        st.problem(L.NAME, str(exc))
    common = (number, code, L.MYCOID.cut(text).strip().upper(), id_number, name)
    if single:
        amount = _number(st, L.AMOUNT, text)
        when = L.EMPLOYMENT_DATE.cut(text).strip()
        status = L.STATUS.cut(text).strip().upper()
        if status and status not in "BHMST":
            st.problem(L.STATUS, f"{status!r} is not one of B, H, M, S, T")
        if when:
            try:
                datetime.strptime(when, "%d%m%Y")
            except ValueError:
                st.problem(L.EMPLOYMENT_DATE, f"{when!r} is not a date (DDMMYYYY)")
        elif status in ("B", "H", "M"):
            st.problem(L.EMPLOYMENT_DATE, f"is required with status {status}")
        if len(st.problems) > before:
            return None
        return Line(*common, amount=amount or 0, employment_date=when, status=status)
    fields = [L.WAGES, L.SOCSO_EMPLOYER, L.SOCSO_EMPLOYEE, L.EIS_EMPLOYER, L.EIS_EMPLOYEE]
    values = [_number(st, f, text) for f in fields]
    skbbk = _number(st, L.SKBBK_EMPLOYEE, text) if kind is Kind.COMBINED_V2 else 0
    filler = L.FILLER_V2 if kind is Kind.COMBINED_V2 else L.FILLER_V1
    if filler.cut(text).strip():
        st.problem(filler, "must be spaces")
    if len(st.problems) > before:
        return None
    wages, socso_er, socso_ee, eis_er, eis_ee = (v or 0 for v in values)
    return Line(
        *common,
        wages=wages,
        socso_employer=socso_er,
        socso_employee=socso_ee,
        eis_employer=eis_er,
        eis_employee=eis_ee,
        skbbk_employee=skbbk or 0,
    )


def _file_month_and_code(
    st: _State, texts: list[str], month: Month | None, employer_code: str | None, today: date
) -> tuple[Month | None, str]:
    """The month and employer code of line 1, the same on every line, as expected, not in the future."""
    first = texts[0].ljust(L.COMBINED_LENGTH)
    code = L.EMPLOYER_CODE.cut(first).strip().upper()
    mmyyyy = L.MONTH.cut(first).strip()
    if not L.EMPLOYER_CODE_RE.match(code):
        st.problem(L.EMPLOYER_CODE, f"{code!r} is not an employer code (letter, 7 or 10 digits, letter)", 1)
    elif employer_code is not None and code != employer_code.strip().upper():
        st.problem(L.EMPLOYER_CODE, f"{code} is not this employer's code ({employer_code})", 1)
    for number, text in enumerate(texts[1:], start=2):
        padded = text.ljust(L.COMBINED_LENGTH)
        if L.EMPLOYER_CODE.cut(padded).strip().upper() != code:
            st.problem(
                L.EMPLOYER_CODE,
                f"{L.EMPLOYER_CODE.cut(padded).strip()!r} differs from line 1 ({code})",
                number,
            )
        if L.MONTH.cut(padded).strip() != mmyyyy:
            st.problem(L.MONTH, f"{L.MONTH.cut(padded).strip()!r} differs from line 1 ({mmyyyy})", number)
    try:
        parsed = Month.from_mmyyyy(mmyyyy)
    except ValueError:
        st.problem(L.MONTH, f"{mmyyyy!r} is not a month (MMYYYY, MM 01-12)", 1)
        return None, code
    if month is not None and parsed != month:
        st.problem(L.MONTH, f"the file is for {parsed}, not {month}", 1)
    if parsed > Month.of(today):
        st.problem(
            L.MONTH, f"{parsed} is in the future (today is {today}); PERKESO refuses advance months", 1
        )
    try:
        table_for(parsed)
    except NoTableError as exc:
        st.problem(L.MONTH, str(exc), 1)
        return None, code
    return parsed, code


def _out_kind(st: _State, kind: Kind, version: int | None, month: Month) -> Kind:
    if kind in (Kind.SOCSO, Kind.EIS):
        return kind
    wanted = version or default_version(month)
    out = Kind.COMBINED_V2 if wanted == 2 else Kind.COMBINED_V1
    if out is Kind.COMBINED_V1 and month >= L.V2_DEFAULT_FROM:
        st.warnings.append(
            f"version 1 has no SKBBK column: LINDUNG 24 Jam shares owed from {L.V2_DEFAULT_FROM} are not in this file"
        )
    if kind is Kind.COMBINED_V1 and out is Kind.COMBINED_V2 and month >= L.V2_DEFAULT_FROM:
        st.warnings.append(
            "the file is version 1 (no SKBBK): the SKBBK share is added from PERKESO's table for every "
            "SOCSO line; for an employee who is exempt, build from the payroll (column skbbk = exempt)"
        )
    return out


def _check_amounts(
    st: _State,
    x: Line,
    kind: Kind,
    out_kind: Kind,
    month: Month,
    table: ContributionTable,
    skbbk_table: SkbbkTable,
    accept: bool,
) -> Line:
    """The line's amounts against the month's tables; each wrong one a problem (or, accepted, a warning)."""
    st.line = x.line
    rm = format_rm
    wrong: list[tuple[str, str]] = []
    if kind in (Kind.SOCSO, Kind.EIS):
        return _check_single(st, x, kind, table, accept)
    band = table.band_for(x.wages)
    socso = (x.socso_employer, x.socso_employee)
    allowed = (
        [(0, 0)] if band is None else [(band.cat1_employer, band.cat1_employee), (band.cat2_employer, 0)]
    )
    fixed = x
    if socso not in allowed:
        expected = " or ".join(f"{rm(a)} / {rm(b)}" for a, b in allowed)
        wrong.append(
            (
                "SOCSO (215-226)",
                f"RM{rm(socso[0])} / {rm(socso[1])} on wages RM{rm(x.wages)}: expected {expected}"
                + (" (Category 1 / Category 2)" if band is not None else ""),
            )
        )
    eis = 0 if band is None else band.eis_each
    if (x.eis_employer, x.eis_employee) not in {(eis, eis), (0, 0)}:
        wrong.append(
            (
                "EIS (227-238)",
                f"RM{rm(x.eis_employer)} / {rm(x.eis_employee)} on wages RM{rm(x.wages)}: "
                f"expected {rm(eis)} each, or 0 for an employee outside EIS",
            )
        )
    covered = socso != (0, 0)
    expected_skbbk = skbbk_table.amount_for(x.wages, month) if covered and out_kind is Kind.COMBINED_V2 else 0
    if kind is Kind.COMBINED_V2:
        if month < skbbk_table.first_month and x.skbbk_employee:
            wrong.append(
                (
                    L.SKBBK_EMPLOYEE.column,
                    f"RM{rm(x.skbbk_employee)}: no SKBBK is owed before {skbbk_table.first_month}",
                )
            )
        elif x.skbbk_employee not in (expected_skbbk, 0):
            wrong.append(
                (
                    L.SKBBK_EMPLOYEE.column,
                    f"RM{rm(x.skbbk_employee)} on wages RM{rm(x.wages)}: expected {rm(expected_skbbk)} "
                    f"({skbbk_table.source}), or 0 for an exempt employee",
                )
            )
        if out_kind is Kind.COMBINED_V1:
            fixed = _replace(x, skbbk_employee=0)
    elif out_kind is Kind.COMBINED_V2:
        fixed = _replace(x, skbbk_employee=expected_skbbk)
    return _wrong(st, x, wrong, accept, fixed)


def _check_single(st: _State, x: Line, kind: Kind, table: ContributionTable, accept: bool) -> Line:
    """A 223 line carries one total (no wage): it must be a total of the table, and is split into its
    shares (the ACR/ECR show them): EIS in halves; SOCSO by the band it belongs to, which a few totals
    leave open (Category 1 of one band = Category 2 of another): those are refused, not guessed."""
    rm = format_rm
    if kind is Kind.EIS:
        if x.amount in {2 * b.eis_each for b in table.bands} or (x.amount == 0 and x.status):
            return _replace(x, eis_employer=x.amount // 2, eis_employee=x.amount // 2)
        message = f"RM{rm(x.amount)} is not an EIS total (employer + employee) in the {table.name} table"
        return _wrong(st, x, [(L.AMOUNT.column, message)], accept, _replace(x, eis_employer=x.amount))
    splits = {(b.cat1_employer, b.cat1_employee) for b in table.bands if b.cat1_total == x.amount}
    splits |= {(b.cat2_employer, 0) for b in table.bands if b.cat2_employer == x.amount}
    if x.amount == 0 and x.status:
        return x
    if len(splits) == 1:
        er, ee = splits.pop()
        return _replace(x, socso_employer=er, socso_employee=ee)
    if splits:
        st.line = x.line
        st.problem(
            L.AMOUNT,
            f"RM{rm(x.amount)} is a Category 1 total of one band and the Category 2 amount of another: "
            "a SOCSO-only file cannot tell which; give the payroll or a combined SOCSO + EIS file",
        )
        return x
    message = f"RM{rm(x.amount)} is not a SOCSO total in the {table.name} table"
    return _wrong(st, x, [(L.AMOUNT.column, message)], accept, _replace(x, socso_employer=x.amount))


def _replace(x: Line, **changes: Any) -> Line:
    return replace(x, **changes)


def _wrong(st: _State, x: Line, wrong: list[tuple[str, str]], accept: bool, fixed: Line) -> Line:
    for column, message in wrong:
        if accept:
            st.warnings.append(f"{st.path}:{x.line}: {column}: {message} (kept: --accept-file-amounts)")
        else:
            st.problem(column, message + " (--accept-file-amounts to keep the file's)")
    return fixed


def _render(lines: list[Line], kind: Kind, month: Month, code: str) -> Rendered:
    out: list[str] = []
    for x in lines:
        start = line_start(code, x.mycoid, x.id_number, x.name, month.mmyyyy)
        if kind in (Kind.SOCSO, Kind.EIS):
            out.append(single_tail(start, x.amount, x.employment_date, x.status))
        else:
            shares = (x.wages, x.socso_employer, x.socso_employee, x.eis_employer, x.eis_employee)
            out.append(combined_tail(start, shares, x.skbbk_employee, kind))
    check_lines(out, kind)
    totals = Totals.of(
        lines, socso=kind is not Kind.EIS, eis=kind is not Kind.SOCSO, skbbk=kind is Kind.COMBINED_V2
    )
    return Rendered(kind, out, totals)
