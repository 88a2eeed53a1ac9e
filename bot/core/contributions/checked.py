"""A text file that was built, written, read back and checked: what a submission may send, and only it.

``check_payroll`` (from a payroll) and ``check_foreign_textfile`` (from a file the employer's payroll
software wrote) build the canonical file, write it, read it back with the checker, and return a
``CheckedFile``: the file's path and SHA-256, the source's path and SHA-256, the month, the layout,
the employee count and the totals in sen. It is plain JSON (``to_dict`` / ``from_dict``), so a
workflow step can hand it to the next one. Before sending, ``verify`` (or ``submission``, which
verifies and reads the file) raises ``CheckedFileChanged`` when the source or the file is not what
was checked: a payroll edited in between, or a resumed month, never sends numbers nobody checked.

    checked = check_payroll("halim.csv", "out/SOCSO_EIS_102026.txt",
                            employer_code="E1102069801V", month=Month(2026, 10), scheme=Scheme.COMBINED)
    json.dumps(checked.to_dict())
    ...
    sub = submission(CheckedFile.from_dict(data))   # CheckedFileChanged if anything moved
    sub.rendered.lines, sub.rendered.totals, sub.entries   # the file's own lines; what data entry types
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, fields
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from bot.core.contributions.contribution import Totals, compute
from bot.core.contributions.layout import Kind, Scheme, check_employer_code, kind_of
from bot.core.contributions.month import Month
from bot.core.contributions.normalize import normalize_textfile
from bot.core.contributions.payroll import import_payroll
from bot.core.contributions.reader import check_textfile, read_textfile
from bot.core.contributions.skbbk import SkbbkTable
from bot.core.contributions.writer import Rendered, included, render, write_textfile
from bot.core.errors import BusinessError, ConfigError

SCHEME_OF_KIND = {
    Kind.SOCSO: Scheme.SOCSO,
    Kind.EIS: Scheme.EIS,
    Kind.COMBINED_V1: Scheme.COMBINED,
    Kind.COMBINED_V2: Scheme.COMBINED,
}


class CheckedFileChanged(BusinessError):
    """The source or the checked file changed after the check: nothing may be sent from it."""


@dataclass(frozen=True, slots=True)
class Entry:
    """What data entry types for one employee: the checked line's wages (sen) and status."""

    id_number: str
    name: str
    wages: int
    status: str = ""


@dataclass(frozen=True, slots=True)
class CheckedFile:
    """A checked text file and where it came from. Amounts in sen; JSON with ``to_dict``."""

    path: str
    sha256: str
    source: str  # the payroll (CSV/XLSX) or the foreign text file it was built from
    source_sha256: str
    source_type: str  # "payroll" or "textfile"
    employer_code: str
    month: str  # YYYY-MM
    kind: str  # Kind value: "socso", "eis", "socso+eis v1", "socso+eis v2"
    format_version: int | None  # 1 or 2 for combined files, None for 223 files
    employees: int  # lines in the file
    socso_employer: int
    socso_employee: int
    eis_employer: int
    eis_employee: int
    skbbk_employee: int
    checked_at: str  # ISO 8601, UTC
    accepted_file_amounts: bool = False  # a foreign file's wrong amounts were kept on request
    statuses: tuple[tuple[str, str], ...] = ()  # (ID, status) of employees with one (data entry)
    warnings: tuple[str, ...] = ()

    @property
    def total(self) -> int:
        return self.totals().total

    @property
    def scheme(self) -> Scheme:
        return SCHEME_OF_KIND[Kind(self.kind)]

    def totals(self) -> Totals:
        return Totals(
            self.employees,
            self.socso_employer,
            self.socso_employee,
            self.eis_employer,
            self.eis_employee,
            self.skbbk_employee,
        )

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["statuses"] = [list(pair) for pair in self.statuses]
        data["warnings"] = list(self.warnings)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CheckedFile:
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValueError(f"not a CheckedFile: unknown keys {unknown}")
        values = dict(data)
        values["statuses"] = tuple(tuple(pair) for pair in data.get("statuses", ()))
        values["warnings"] = tuple(data.get("warnings", ()))
        return cls(**values)


@dataclass(frozen=True, slots=True)
class Submission:
    """What may be sent: the checked file's own lines and totals, and the entries for data entry."""

    checked: CheckedFile
    rendered: Rendered
    entries: tuple[Entry, ...]


def sha256_of(path: Path | str) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _target_folder(target: Path) -> None:
    if not target.parent.is_dir():
        raise ConfigError(f"cannot write {target}: the folder {target.parent} does not exist")


def _source_hash(source: Path) -> str:
    try:
        return sha256_of(source)
    except OSError as exc:
        raise BusinessError(f"cannot read {source}: {exc.strerror}") from exc


def _checked(
    rendered: Rendered,
    target: Path,
    source: Path,
    source_hash: str,
    source_type: str,
    code: str,
    month: Month,
    *,
    accepted: bool = False,
    statuses: tuple[tuple[str, str], ...] = (),
    warnings: tuple[str, ...] = (),
    today: date | None = None,
    skbbk: SkbbkTable | None = None,
) -> CheckedFile:
    """Write the file, read it back with the checker, compare totals, hash both; the CheckedFile."""
    write_textfile(target, rendered)
    scheme = SCHEME_OF_KIND[rendered.kind]
    # The file's own amounts kept on request (accepted): only its layout is checked again.
    back = check_textfile(target, scheme=scheme, today=today, skbbk=skbbk, check_amounts=not accepted)
    if back.kind is not rendered.kind or len(back.records) != rendered.totals.employees:
        raise BusinessError(f"{target}: read back as {back.kind} with {len(back.records)} lines")
    if sha256_of(source) != source_hash:
        target.unlink(missing_ok=True)
        raise CheckedFileChanged(f"{source} changed while the text file was being built; run it again")
    if scheme is Scheme.COMBINED and back.totals.as_dict() != rendered.totals.as_dict():
        raise BusinessError(f"{target}: the totals read back differ from those written")
    t = rendered.totals
    return CheckedFile(
        path=str(target),
        sha256=sha256_of(target),
        source=str(source),
        source_sha256=source_hash,
        source_type=source_type,
        employer_code=code,
        month=str(month),
        kind=rendered.kind.value,
        format_version={Kind.COMBINED_V1: 1, Kind.COMBINED_V2: 2}.get(rendered.kind),
        employees=t.employees,
        socso_employer=t.socso_employer,
        socso_employee=t.socso_employee,
        eis_employer=t.eis_employer,
        eis_employee=t.eis_employee,
        skbbk_employee=t.skbbk_employee,
        checked_at=datetime.now(UTC).isoformat(timespec="seconds"),
        accepted_file_amounts=accepted,
        statuses=statuses,
        warnings=warnings,
    )


def check_payroll(
    payroll: Path | str,
    target: Path | str,
    *,
    employer_code: str,
    month: Month,
    scheme: Scheme,
    format_version: int | None = None,
    mycoid: str = "",
    today: date | None = None,
    skbbk: SkbbkTable | None = None,
) -> CheckedFile:
    """Build the month's file from a payroll, write it to ``target`` and check it.

    PayrollError (every problem, FILE:LINE: column: message) when the payroll is bad; BusinessError
    when nobody in it owes the scheme; ConfigError when ``target``'s folder does not exist. Nothing
    is written unless the whole payroll is good.
    """
    source, out = Path(payroll), Path(target)
    _target_folder(out)
    code = check_employer_code(employer_code)
    source_hash = _source_hash(source)
    employees = import_payroll(source, month, today=today)
    kind = kind_of(scheme, format_version, month)
    contributions = compute(employees, month, skbbk=skbbk)
    rendered = render(contributions, employer_code=code, month=month, kind=kind, mycoid=mycoid)
    if not rendered.lines:
        raise BusinessError(f"{source}: nobody in the payroll owes {scheme.value.upper()} for {month}")
    statuses = tuple(
        (c.employee.id_number, c.employee.status)
        for c in contributions
        if c.employee.status and included(c, kind)
    )
    return _checked(
        rendered,
        out,
        source,
        source_hash,
        "payroll",
        code,
        month,
        statuses=statuses,
        today=today,
        skbbk=skbbk,
    )


def check_foreign_textfile(
    textfile: Path | str,
    target: Path | str,
    *,
    employer_code: str | None = None,
    month: Month | None = None,
    scheme: Scheme | None = None,
    format_version: int | None = None,
    accept_file_amounts: bool = False,
    today: date | None = None,
    skbbk: SkbbkTable | None = None,
) -> CheckedFile:
    """Normalise a text file written by payroll software (normalize.py), write the canonical file to
    ``target`` and check it. TextFileError lists every problem (a wrong amount by line, with the
    expected one, unless ``accept_file_amounts``); nothing is written when there is any."""
    source, out = Path(textfile), Path(target)
    _target_folder(out)
    source_hash = _source_hash(source)
    normal = normalize_textfile(
        str(source),
        scheme=scheme,
        month=month,
        employer_code=employer_code,
        version=format_version,
        accept_file_amounts=accept_file_amounts,
        today=today,
        skbbk=skbbk,
    )
    statuses = tuple((x.id_number, x.status) for x in normal.lines if x.status)
    return _checked(
        normal.rendered,
        out,
        source,
        source_hash,
        "textfile",
        normal.employer_code,
        normal.month,
        accepted=accept_file_amounts and bool(normal.warnings),
        statuses=statuses,
        warnings=normal.warnings,
        today=today,
        skbbk=skbbk,
    )


def verify(checked: CheckedFile) -> None:
    """CheckedFileChanged when the source or the checked file is gone or not what was checked."""
    what = "payroll" if checked.source_type == "payroll" else "text file"
    for path, expected, message in (
        (
            checked.source,
            checked.source_sha256,
            f"the {what} {checked.source} changed since the text file was checked at {checked.checked_at}",
        ),
        (
            checked.path,
            checked.sha256,
            f"the checked text file {checked.path} changed since it was checked at {checked.checked_at}",
        ),
    ):
        try:
            actual = sha256_of(path)
        except OSError:
            raise CheckedFileChanged(
                f"{message.replace(' changed since', ' is gone since')}; run the month again"
            ) from None
        if actual != expected:
            raise CheckedFileChanged(f"{message}; run the month again")


def submission(checked: CheckedFile, *, today: date | None = None) -> Submission:
    """Verify, then read the checked file itself: its lines (as written), totals and the entries data
    entry types. From a payroll the entries are recomputed from it (its hash is verified) and the
    recomputation must give the checked file byte for byte; from a combined text file they are its
    lines; a 223 text file carries no wages, so it has none (it can only be uploaded)."""
    verify(checked)
    kind, month = Kind(checked.kind), Month.parse(checked.month)
    data = Path(checked.path).read_bytes()
    if hashlib.sha256(data).hexdigest() != checked.sha256:
        raise CheckedFileChanged(
            f"the checked text file {checked.path} changed while being read; run the month again"
        )
    lines = data.decode("ascii").splitlines(keepends=True)
    rendered = Rendered(kind, lines, checked.totals())
    if checked.source_type == "payroll":
        employees = import_payroll(checked.source, month, today=today)
        mycoid = lines[0][12:32].strip() if lines else ""
        contributions = compute(employees, month)
        again = render(
            contributions, employer_code=checked.employer_code, month=month, kind=kind, mycoid=mycoid
        )
        if again.text != data.decode("ascii"):
            raise CheckedFileChanged(
                f"the payroll {checked.source} no longer gives the text file checked at {checked.checked_at}"
                " (a table or rule changed?); run the month again"
            )
        entries = tuple(
            Entry(c.employee.id_number, c.employee.name, c.shares.wages, c.employee.status)
            for c in contributions
            if included(c, kind)
        )
    elif kind in (Kind.COMBINED_V1, Kind.COMBINED_V2):
        back = read_textfile(
            checked.path, scheme=Scheme.COMBINED, today=today, check_amounts=not checked.accepted_file_amounts
        )
        if back.problems:
            raise CheckedFileChanged(f"the checked text file no longer passes the check: {back.problems[0]}")
        records = back.records
        statuses = dict(checked.statuses)
        entries = tuple(Entry(r.id_number, r.name, r.wages, statuses.get(r.id_number, "")) for r in records)
    else:
        entries = ()
    return Submission(checked, rendered, entries)
