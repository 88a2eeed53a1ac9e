"""Reading any of the three text files back and checking every line against layout and tables.

Problems come back by line (``FILE:LINE: column: message``). Numeric fields may be zero- or
space-padded (implementations disagree, DOMAIN.md 1.2 [U]) but must be right-justified digits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from bot.core.contributions import layout as L
from bot.core.contributions.contribution import Totals
from bot.core.contributions.identity import file_name, name_ok
from bot.core.contributions.layout import Field, Kind, Scheme
from bot.core.contributions.money import format_rm
from bot.core.contributions.month import Month
from bot.core.contributions.problems import NoTableError, Problem, TextFileError
from bot.core.contributions.skbbk import SkbbkTable, default_skbbk
from bot.core.contributions.tables import ContributionTable, table_for


@dataclass(slots=True)
class Record:
    """One line, parsed. Amounts in sen; 223 files fill ``amount``, 278 files the shares."""

    line: int
    employer_code: str
    mycoid: str
    id_number: str
    name: str
    month: str
    amount: int = 0
    employment_date: str = ""
    status: str = ""
    wages: int = 0
    socso_employer: int = 0
    socso_employee: int = 0
    eis_employer: int = 0
    eis_employee: int = 0
    skbbk_employee: int = 0


@dataclass(slots=True)
class TextFile:
    """A file read back: its kind, month, lines and every problem found."""

    path: str
    kind: Kind | None
    month: Month | None
    employer_code: str
    records: list[Record] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    totals: Totals = field(default_factory=Totals)  # 278 files: by scheme and share
    amount_total: int = 0  # 223 files: the sum of field 6 (one scheme, shares not split)


def check_textfile(
    path: Path | str,
    *,
    scheme: Scheme | None = None,
    today: date | None = None,
    skbbk: SkbbkTable | None = None,
    check_amounts: bool = True,
) -> TextFile:
    """``read_textfile``, raising TextFileError when there is any problem."""
    result = read_textfile(path, scheme=scheme, today=today, skbbk=skbbk, check_amounts=check_amounts)
    if result.problems:
        raise TextFileError(result.problems)
    return result


def read_textfile(
    path: Path | str,
    *,
    scheme: Scheme | None = None,
    today: date | None = None,
    skbbk: SkbbkTable | None = None,
    check_amounts: bool = True,
) -> TextFile:
    """Parse and check a file. ``scheme`` tells a 223-character SOCSO file from an EIS one; without
    it, a 223 file's amounts need only be a valid SOCSO or EIS total. ``check_amounts=False`` checks
    the layout only (a file whose amounts were kept on request, ``--accept-file-amounts``)."""
    name = str(path)
    # One decode for the whole file; bytes that are not ASCII become lone surrogates, found per line.
    lines = Path(path).read_bytes().decode("ascii", errors="surrogateescape").split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # the CRLF after the last line
    result = TextFile(name, None, None, "")
    if not lines:
        result.problems.append(Problem(name, 0, "file", "is empty"))
        return result
    first = lines[0].rstrip("\r")
    kind = _kind(len(first), first[238:244], scheme)
    if kind is None:
        result.problems.append(
            Problem(
                name,
                1,
                "line",
                f"is {len(first)} characters: expected "
                f"{L.SINGLE_LENGTH} (SOCSO or EIS) or {L.COMBINED_LENGTH} (SOCSO + EIS)"
                + (f" for --scheme {scheme}" if scheme else ""),
            )
        )
        return result
    result.kind = kind
    checker = _Checker(result, scheme, today or date.today(), skbbk)
    checker.check_amounts = check_amounts
    checker.run(lines)
    return result


def _kind(length: int, skbbk_field: str, scheme: Scheme | None) -> Kind | None:
    if length == L.SINGLE_LENGTH and scheme is not Scheme.COMBINED:
        return Kind.EIS if scheme is Scheme.EIS else Kind.SOCSO
    if length == L.COMBINED_LENGTH and scheme in (None, Scheme.COMBINED):
        return Kind.COMBINED_V1 if skbbk_field.strip() == "" else Kind.COMBINED_V2
    return None


class _Checker:
    """Checks lines one by one against the first line (code, month) and the month's tables."""

    def __init__(
        self, result: TextFile, scheme: Scheme | None, today: date, skbbk: SkbbkTable | None
    ) -> None:
        self.result, self.scheme, self.today = result, scheme, today
        self.kind: Kind = result.kind  # type: ignore[assignment]
        self.length = L.SINGLE_LENGTH if self.kind in (Kind.SOCSO, Kind.EIS) else L.COMBINED_LENGTH
        self.skbbk = skbbk or default_skbbk()
        self.table: ContributionTable | None = None
        self.valid_totals: frozenset[int] = frozenset()
        self.seen: dict[str, int] = {}
        self.line = 0
        self.first_month = ""  # MMYYYY as on line 1
        self.check_amounts = True

    def problem(self, where: Field | str, message: str) -> None:
        column = where.column if isinstance(where, Field) else where
        self.result.problems.append(Problem(self.result.path, self.line, column, message))

    def run(self, lines: list[str]) -> None:
        for number, text in enumerate(lines, start=1):
            self.line = number
            text = text.rstrip("\r")
            if not text.isascii():
                at = next(i for i, c in enumerate(text) if not c.isascii())
                self.problem("line", f"non-ASCII byte at character {at + 1}")
                continue
            if len(text) != self.length:
                self.problem(
                    "line", f"is {len(text)} characters, expected {self.length} ({self.kind} file, as line 1)"
                )
                continue
            record = self.record(text)
            if record is not None:
                self.result.records.append(record)
        if self.length == L.COMBINED_LENGTH:
            self.result.totals = Totals.of(self.result.records)

    def record(self, text: str) -> Record | None:
        before = len(self.result.problems)
        code = L.EMPLOYER_CODE.cut(text).rstrip()
        if not self.result.employer_code:
            self.result.employer_code = code
            if not L.EMPLOYER_CODE_RE.match(code):
                self.problem(
                    L.EMPLOYER_CODE, f"{code!r} is not an employer code (letter, 7 or 10 digits, letter)"
                )
        elif code != self.result.employer_code:
            self.problem(L.EMPLOYER_CODE, f"{code!r} differs from line 1 ({self.result.employer_code})")
        id_number = self.text(L.ID_NUMBER, text)
        if id_number:
            first = self.seen.setdefault(id_number, self.line)
            if first != self.line:
                self.problem(L.ID_NUMBER, f"{id_number} is also on line {first}")
            if not id_number.isalnum():
                self.problem(L.ID_NUMBER, f"{id_number!r} may only hold letters and digits")
        name = self.text(L.NAME, text)
        if name and not name_ok(name):
            try:
                file_name(name)
                self.problem(L.NAME, f"{name!r} must be upper case with single spaces")
            except ValueError as exc:
                self.problem(L.NAME, str(exc))
        month = L.MONTH.cut(text)
        self.check_month(month)
        record = Record(self.line, code, L.MYCOID.cut(text).rstrip(), id_number, name, month)
        if self.kind in (Kind.SOCSO, Kind.EIS):
            self.single(text, record)
        else:
            self.combined(text, record)
        return record if len(self.result.problems) == before else None

    def text(self, where: Field, line: str) -> str:
        value = where.cut(line)
        if value[:1] == " ":
            self.problem(where, "is empty" if not value.strip() else "must be left-justified")
        return value.rstrip()

    def number(self, where: Field, line: str) -> int:
        value = where.cut(line).lstrip(" ")
        if not value.isdigit() or not value.isascii():
            self.problem(where, f"{where.cut(line)!r} must be right-justified digits")
            return 0
        return int(value)

    def check_month(self, month: str) -> None:
        if self.first_month:
            if month != self.first_month:
                self.problem(L.MONTH, f"{month} differs from line 1 ({self.first_month})")
            return
        self.first_month = month
        try:
            self.result.month = parsed = Month.from_mmyyyy(month)
        except ValueError:
            self.problem(L.MONTH, f"{month!r} is not a month (MMYYYY, MM 01-12)")
            return
        if parsed > Month.of(self.today):
            self.problem(L.MONTH, f"{parsed} is in the future (today is {self.today})")
        try:
            self.table = table_for(parsed)
        except NoTableError as exc:
            self.problem(L.MONTH, str(exc))
            return
        bands = self.table.bands
        socso = {b.cat1_total for b in bands} | {b.cat2_employer for b in bands}
        eis = {2 * b.eis_each for b in bands}
        if self.scheme is None:  # a 223 file without --scheme: SOCSO or EIS, we cannot tell
            self.valid_totals = frozenset(socso | eis)
        else:
            self.valid_totals = frozenset(socso if self.kind is Kind.SOCSO else eis)

    def single(self, text: str, record: Record) -> None:
        before = len(self.result.problems)
        record.amount = amount = self.number(L.AMOUNT, text)
        amount_ok = len(self.result.problems) == before
        record.status = status = L.STATUS.cut(text).strip()
        record.employment_date = when = L.EMPLOYMENT_DATE.cut(text).strip()
        if status and status not in "BHMST":
            self.problem(L.STATUS, f"{status!r} is not one of B, H, M, S, T")
        if when:
            try:
                datetime.strptime(when, "%d%m%Y")
            except ValueError:
                self.problem(L.EMPLOYMENT_DATE, f"{when!r} is not a date (DDMMYYYY)")
        elif status in ("B", "H", "M"):
            self.problem(L.EMPLOYMENT_DATE, f"is required with status {status}")
        if (
            amount_ok
            and self.check_amounts
            and self.table is not None
            and amount not in self.valid_totals
            and not (amount == 0 and status)
        ):
            scheme = {Kind.SOCSO: "SOCSO", Kind.EIS: "EIS"}[self.kind] if self.scheme else "SOCSO or EIS"
            self.problem(
                L.AMOUNT, f"RM{format_rm(amount)} is not a {scheme} total in the {self.table.name} table"
            )
        self.result.amount_total += amount
        self.result.totals.employees += 1  # 223 files: shares are not split, only counted

    def combined(self, text: str, r: Record) -> None:
        before = len(self.result.problems)
        v2 = self.kind is Kind.COMBINED_V2
        block = text[200 : 244 if v2 else 238]
        if block.isdigit():  # the usual zero-padded line: no need to look field by field
            r.wages, r.socso_employer, r.socso_employee = (
                int(block[:14]),
                int(block[14:20]),
                int(block[20:26]),
            )
            r.eis_employer, r.eis_employee = int(block[26:32]), int(block[32:38])
            r.skbbk_employee = int(block[38:44]) if v2 else 0
        else:
            r.wages = self.number(L.WAGES, text)
            r.socso_employer = self.number(L.SOCSO_EMPLOYER, text)
            r.socso_employee = self.number(L.SOCSO_EMPLOYEE, text)
            r.eis_employer = self.number(L.EIS_EMPLOYER, text)
            r.eis_employee = self.number(L.EIS_EMPLOYEE, text)
            if v2:
                r.skbbk_employee = self.number(L.SKBBK_EMPLOYEE, text)
        numbers_ok = len(self.result.problems) == before  # no amounts to compare when a field is garbled
        filler = L.FILLER_V2 if v2 else L.FILLER_V1
        if filler.cut(text).strip():
            self.problem(filler, "must be spaces")
        if numbers_ok and self.check_amounts and self.table is not None and self.result.month is not None:
            self.check_shares(r, self.result.month)

    def check_shares(self, r: Record, month: Month) -> None:
        band = self.table.band_for(r.wages)  # type: ignore[union-attr]
        rm = format_rm
        socso = (r.socso_employer, r.socso_employee)
        allowed = (
            {(0, 0)} if band is None else {(band.cat1_employer, band.cat1_employee), (band.cat2_employer, 0)}
        )
        if socso not in allowed:
            expected = " or ".join(f"{rm(a)} / {rm(b)}" for a, b in sorted(allowed, reverse=True))
            self.problem(
                "SOCSO (215-226)",
                f"RM{rm(socso[0])} / {rm(socso[1])} on wages RM{rm(r.wages)}: "
                f"expected {expected} (Category 1 / Category 2)",
            )
        eis = 0 if band is None else band.eis_each
        if (r.eis_employer, r.eis_employee) not in {(eis, eis), (0, 0)}:
            self.problem(
                "EIS (227-238)",
                f"RM{rm(r.eis_employer)} / {rm(r.eis_employee)} on wages "
                f"RM{rm(r.wages)}: expected {rm(eis)} each, or 0 for employees outside EIS",
            )
        if self.kind is Kind.COMBINED_V2:
            # 0 is accepted too: who SKBBK covers is not published [U] (rules.py).
            skbbk = self.skbbk.amount_for(r.wages, month) if socso != (0, 0) else 0
            if r.skbbk_employee not in (skbbk, 0):
                note = " (a table you passed)" if self.skbbk.uncertain else ""
                self.problem(
                    L.SKBBK_EMPLOYEE,
                    f"RM{rm(r.skbbk_employee)} on wages RM{rm(r.wages)}: "
                    f"expected {rm(skbbk)} by {self.skbbk.source}{note}",
                )
