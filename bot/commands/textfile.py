"""`assist-bot textfile build|check`: the PERKESO contribution text files, from a payroll and back.

Exit codes (CONTRACT.md): 0 done; 1 the payroll or file has errors (each printed to stderr as
``FILE:LINE: column: message``); 64 bad usage (a malformed --month, --scheme, employer code...).
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.table import Table

from bot.commands.output import make_console
from bot.core.contributions import (
    Kind,
    Month,
    ProblemsError,
    Scheme,
    SkbbkTable,
    Totals,
    check_employer_code,
    import_payroll,
    kind_of,
    load_skbbk,
    read_textfile,
)
from bot.core.contributions.checked import check_foreign_textfile, check_payroll
from bot.core.contributions.money import format_rm
from bot.core.contributions.problems import Problem
from bot.core.contributions.rules import SKBBK_START
from bot.core.contributions.writer import LineTooLong, Rendered
from bot.core.errors import BusinessError, ConfigError

app = typer.Typer(
    help=(
        "Build and check PERKESO contribution text files: SOCSO (223 characters a line), EIS (223) "
        "and combined SOCSO + EIS (278, version 1, or version 2 with the LINDUNG 24 Jam share).\n\n"
        "Try: assist-bot textfile build payroll.csv --employer-code E1102069801V --month 2024-10 "
        "--scheme socso+eis -o SOCSO_EIS_102024.txt"
    ),
    no_args_is_help=True,
)
console = make_console()

SCHEME_HELP = "socso, eis or socso+eis (the combined 278-character file)."
JSON_HELP = "Print one JSON document on stdout instead of the table (problems still go to stderr)."
SKBBK_HELP = (
    "CSV of LINDUNG 24 Jam (SKBBK) employee shares (row,wage_over,wage_up_to,employee). "
    "The shipped table is PERKESO's phase-1 table (June 2026 - May 2028, DOMAIN.md 2.3)."
)


def _usage(message: str) -> NoReturn:
    sys.stderr.write(f"error: {message}\n")
    raise typer.Exit(ConfigError.exit_code)


def _scheme(value: str | None, *, required: bool) -> Scheme | None:
    if value is None:
        if required:
            _usage("--scheme is required: socso, eis or socso+eis")
        return None
    try:
        return Scheme(value.strip().lower())
    except ValueError:
        _usage(f"--scheme {value!r}: expected socso, eis or socso+eis")


def _skbbk(path: Path | None) -> SkbbkTable | None:
    if path is None:
        return None
    try:
        return load_skbbk(path)
    except (OSError, KeyError, ValueError) as exc:
        _usage(f"--skbbk-table {path}: {exc}")


def _check_folder(target: Path) -> None:
    if not target.parent.is_dir():
        _usage(f"-o {target}: the folder {target.parent} does not exist (create it first)")
    if target.is_dir():
        _usage(f"-o {target}: is a folder; give a file name")


def _version_notes(kind: Kind, month: Month) -> list[str]:
    if kind is Kind.COMBINED_V1 and month >= SKBBK_START:
        return [
            f"version 1 has no SKBBK column: the LINDUNG 24 Jam shares owed from {SKBBK_START} are not in"
            " this file (the default, version 2, carries them)"
        ]
    return []


def _fail(exc: ProblemsError, as_json: bool, command: str) -> NoReturn:
    # Plain writes, one problem a line: Rich would wrap them, and editors and CI parse FILE:LINE:.
    sys.stderr.writelines(f"{problem}\n" for problem in exc.problems)
    if as_json:
        _print_json(
            {"command": command, "ok": False, "exit_code": 1, "problems": [p.as_dict() for p in exc.problems]}
        )
    raise typer.Exit(1)


def _print_json(document: object) -> None:
    sys.stdout.write(json.dumps(document, indent=2) + "\n")


def _totals_table(title: str, totals: Totals, kind: Kind) -> Table:
    console.print(title)
    table = Table()
    for column in ("Scheme", "Employer (RM)", "Employee (RM)", "Total (RM)"):
        table.add_column(column, justify="left" if column == "Scheme" else "right")
    rows = []
    if kind is not Kind.EIS:
        rows.append(("SOCSO", totals.socso_employer, totals.socso_employee))
    if kind is not Kind.SOCSO:
        rows.append(("EIS", totals.eis_employer, totals.eis_employee))
    if kind is Kind.COMBINED_V2:
        rows.append(("SKBBK (LINDUNG 24 Jam)", 0, totals.skbbk_employee))
    for name, employer, employee in rows:
        table.add_row(name, format_rm(employer), format_rm(employee), format_rm(employer + employee))
    table.add_row("[bold]All[/]", "", "", f"[bold]{format_rm(totals.total)}[/]")
    return table


@app.command()
def build(
    payroll: Annotated[
        Path, typer.Argument(help="Payroll CSV or XLSX (columns: CONTRACT.md).", exists=True, dir_okay=False)
    ],
    employer_code: Annotated[str, typer.Option(help="SOCSO employer code, e.g. E1102069801V.")],
    month: Annotated[str, typer.Option(help="Contribution month, YYYY-MM (not in the future).")],
    scheme: Annotated[str | None, typer.Option(help=SCHEME_HELP)] = None,
    format_version: Annotated[
        int | None,
        typer.Option(
            help="Combined file version: 1 (no SKBBK: a warning from 2026-06), or 2 with the SKBBK share "
            "(the default from 2026-06; 1 before)."
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help=("File to write (default: SOCSO_MMYYYY.txt, EIS_MMYYYY.txt or SOCSO_EIS_MMYYYY.txt)."),
        ),
    ] = None,
    mycoid: Annotated[str, typer.Option(help="MyCoID / SSM number for field 2 (blank by default).")] = "",
    skbbk_table: Annotated[Path | None, typer.Option(help=SKBBK_HELP)] = None,
    as_json: Annotated[bool, typer.Option("--json", help=JSON_HELP)] = False,
) -> None:
    """Compute every employee's shares for a month and write the text file for ASSIST.

    Checks the whole payroll first: every problem is printed as FILE:LINE: column: message and nothing is written when there is any (exit 1). Then prints the employees and the totals per scheme and share, and writes the file (zero-padded sen, upper-case names, CRLF line ends).

    Examples:

      assist-bot textfile build payroll.csv --employer-code E1102069801V --month 2024-10 --scheme socso -o SOCSO_102024.txt

      assist-bot textfile build payroll.xlsx --employer-code E1102069801V --month 2026-10 --scheme socso+eis --json
    """
    try:
        contribution_month = Month.parse(month)
    except ValueError as exc:
        _usage(f"--month: {exc}")
    chosen = _scheme(scheme, required=True)
    assert chosen is not None
    if format_version not in (None, 1, 2):
        _usage(f"--format-version {format_version}: expected 1 or 2")
    if format_version is not None and chosen is not Scheme.COMBINED:
        _usage("--format-version applies only to --scheme socso+eis")
    try:
        code = check_employer_code(employer_code)
    except ValueError as exc:
        _usage(f"--employer-code: {exc}")
    skbbk = _skbbk(skbbk_table)
    kind = kind_of(chosen, format_version, contribution_month)
    default_name = {Kind.SOCSO: "SOCSO", Kind.EIS: "EIS"}.get(kind, "SOCSO_EIS")
    target = output or Path(f"{default_name}_{contribution_month.mmyyyy}.txt")
    _check_folder(target)
    notes = _version_notes(kind, contribution_month)
    try:
        employees = import_payroll(payroll, contribution_month)
        checked = check_payroll(
            payroll,
            target,
            employer_code=code,
            month=contribution_month,
            scheme=chosen,
            format_version=format_version,
            mycoid=mycoid,
            skbbk=skbbk,
        )
    except ProblemsError as exc:
        _fail(exc, as_json, "textfile build")
    except LineTooLong as exc:
        _fail(ProblemsError([Problem(str(payroll), 0, "wages", str(exc))]), as_json, "textfile build")
    except ValueError as exc:
        _usage(str(exc))
    except BusinessError as exc:
        _fail(ProblemsError([Problem(str(payroll), 0, "wages", str(exc))]), as_json, "textfile build")
    rendered = Rendered(kind, [], checked.totals())
    if kind is Kind.COMBINED_V2 and skbbk is not None and rendered.totals.skbbk_employee:
        notes.append(f"SKBBK amounts come from {skbbk.source}, not PERKESO's shipped table")
    skipped = len(employees) - rendered.totals.employees
    if as_json:
        _print_json(
            {
                "command": "textfile build",
                "ok": True,
                "exit_code": 0,
                "file": str(target),
                "kind": kind.value,
                "month": str(contribution_month),
                "employer_code": code,
                "payroll_employees": len(employees),
                "lines": rendered.totals.employees,
                "skipped": skipped,
                "totals_sen": rendered.totals.as_dict(),
                "sha256": checked.sha256,
                "payroll_sha256": checked.source_sha256,
                "notes": notes,
            }
        )
        for note in notes:
            sys.stderr.write(f"warning: {note}\n")
        return
    console.print(
        _totals_table(
            f"{kind} file for {code}, {contribution_month}: {rendered.totals.employees} employees",
            rendered.totals,
            kind,
        )
    )
    if skipped:
        console.print(
            f"{skipped} payroll employees not in this file (not covered by the scheme, or no wages)."
        )
    for note in notes:
        sys.stderr.write(f"warning: {note}\n")
    console.print(f"Wrote {target}")


@app.command()
def check(
    file: Annotated[
        Path, typer.Argument(help="A SOCSO, EIS or SOCSO + EIS text file.", exists=True, dir_okay=False)
    ],
    scheme: Annotated[
        str | None,
        typer.Option(
            help=(
                "socso or eis for a 223-character file (its amounts are then checked against that scheme "
                "only); socso+eis to insist on a combined file."
            )
        ),
    ] = None,
    skbbk_table: Annotated[Path | None, typer.Option(help=SKBBK_HELP)] = None,
    as_json: Annotated[bool, typer.Option("--json", help=JSON_HELP)] = False,
) -> None:
    """Read a contribution text file back and check every line; exit 0 when clean, else 1.

    Checks line lengths (223 or 278), each field (employer code, ID, upper-case name, month MMYYYY the same on all lines and not in the future, digits in numeric fields, zero- or space-padded), and the amounts against the contribution table of the file's month. Problems are printed as FILE:LINE: column: message.

    Examples:

      assist-bot textfile check SOCSO_EIS_102024.txt

      assist-bot textfile check SOCSO_102024.txt --scheme socso --json
    """
    chosen = _scheme(scheme, required=False)
    result = read_textfile(file, scheme=chosen, today=date.today(), skbbk=_skbbk(skbbk_table))
    if result.problems:
        _fail(ProblemsError(result.problems), as_json, "textfile check")
    kind = result.kind
    assert kind is not None
    single = kind in (Kind.SOCSO, Kind.EIS)
    label = f"{kind}" if chosen or not single else "socso or eis (223; give --scheme to tell)"
    if as_json:
        _print_json(
            {
                "command": "textfile check",
                "ok": True,
                "exit_code": 0,
                "file": str(file),
                "kind": label,
                "month": str(result.month),
                "employer_code": result.employer_code,
                "lines": len(result.records),
                "totals_sen": (
                    {"employees": len(result.records), "total": result.amount_total}
                    if single
                    else result.totals.as_dict()
                ),
            }
        )
        return
    title = f"{file}: {label} file for {result.employer_code}, {result.month}: {len(result.records)} lines, no problems"
    if single:
        console.print(title)
        console.print(f"Total contributions: RM{format_rm(result.amount_total)}")
    else:
        console.print(_totals_table(title, result.totals, kind))


@app.command()
def normalize(
    file: Annotated[
        Path,
        typer.Argument(help="A text file written by payroll software.", exists=True, dir_okay=False),
    ],
    output: Annotated[Path, typer.Option("--output", "-o", help="The canonical file to write.")],
    scheme: Annotated[
        str | None,
        typer.Option(help="socso or eis for a 223-character file (required for those); socso+eis to insist."),
    ] = None,
    month: Annotated[
        str | None, typer.Option(help="The contribution month the file must be for, YYYY-MM.")
    ] = None,
    employer_code: Annotated[str | None, typer.Option(help="The employer code the file must carry.")] = None,
    format_version: Annotated[
        int | None,
        typer.Option(help="Combined version to write: 1 or 2 (default: the month's, 2 from 2026-06)."),
    ] = None,
    accept_file_amounts: Annotated[
        bool,
        typer.Option(
            "--accept-file-amounts", help="Keep amounts that disagree with PERKESO's tables (each is warned)."
        ),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help=JSON_HELP)] = False,
) -> None:
    """Turn a text file from payroll software into the file the bot itself writes, checking every line.

    Reads the variants other systems write (zero- or space-padded amounts, CRLF or LF, no final newline, trailing spaces cut, lower-case names, v1 or v2), checks every line against the month's tables (a wrong amount is printed as FILE:LINE: column: message with the expected amount, and refused unless --accept-file-amounts) and writes the canonical file: zero-padded sen, upper-case names, CRLF, version 2 from 2026-06.

    Examples:

      assist-bot textfile normalize from_payroll.txt -o SOCSO_EIS_102026.txt --month 2026-10

      assist-bot textfile normalize SOCSO.TXT -o SOCSO_102026.txt --scheme socso
    """
    chosen = _scheme(scheme, required=False)
    the_month = None
    if month is not None:
        try:
            the_month = Month.parse(month)
        except ValueError as exc:
            _usage(f"--month: {exc}")
    if format_version not in (None, 1, 2):
        _usage(f"--format-version {format_version}: expected 1 or 2")
    code = None
    if employer_code is not None:
        try:
            code = check_employer_code(employer_code)
        except ValueError as exc:
            _usage(f"--employer-code: {exc}")
    _check_folder(output)
    try:
        checked = check_foreign_textfile(
            file,
            output,
            employer_code=code,
            month=the_month,
            scheme=chosen,
            format_version=format_version,
            accept_file_amounts=accept_file_amounts,
        )
    except ProblemsError as exc:
        _fail(exc, as_json, "textfile normalize")
    kind = Kind(checked.kind)
    notes = list(checked.warnings)
    if as_json:
        _print_json(
            {
                "command": "textfile normalize",
                "ok": True,
                "exit_code": 0,
                "source": str(file),
                "file": str(output),
                "kind": kind.value,
                "month": checked.month,
                "employer_code": checked.employer_code,
                "lines": checked.employees,
                "totals_sen": checked.totals().as_dict(),
                "sha256": checked.sha256,
                "source_sha256": checked.source_sha256,
                "warnings": notes,
            }
        )
    else:
        console.print(
            _totals_table(
                f"{file} -> {output}: {kind} file for {checked.employer_code}, {checked.month}: "
                f"{checked.employees} lines",
                checked.totals(),
                kind,
            )
        )
    for note in notes:
        sys.stderr.write(f"warning: {note}\n")
