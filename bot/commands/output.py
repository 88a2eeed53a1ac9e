"""What commands print: a Rich table for people, one JSON document for machines (`--json`)."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Sequence
from dataclasses import asdict

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from bot.runner import EmployerResult, overall_exit_code

# Off a terminal (cron mail, a log file, CI) Rich would wrap tables at 80 columns; `COLUMNS` still wins.
UNATTENDED_WIDTH = 160


def make_console(stderr: bool = False) -> Console:
    """A Rich console on stdout or stderr: the terminal's width, else `COLUMNS`, else 160."""
    stream = sys.stderr if stderr else sys.stdout
    wide = None if stream.isatty() or os.environ.get("COLUMNS") else UNATTENDED_WIDTH
    return Console(stderr=stderr, width=wide)


console = make_console()
STATUS_STYLE = {"done": "green", "failed": "red", "needs-human": "yellow", "unknown-outcome": "yellow"}


def print_json(document: object) -> None:
    sys.stdout.write(json.dumps(document, indent=2, default=str, ensure_ascii=False) + "\n")


def finish_with_results(title: str, results: Sequence[EmployerResult], as_json: bool) -> None:
    """Print the per-employer results and exit with the overall code."""
    code = overall_exit_code(results)
    if as_json:
        print_json({"command": title, "exit_code": code, "results": [asdict(r) for r in results]})
    else:
        table = Table(title=title, title_justify="left")
        for column in ("Employer", "Code", "Result", "Seconds", "Detail"):
            table.add_column(column, justify="right" if column == "Seconds" else "left")
        for r in results:
            style = STATUS_STYLE[r.status]
            # Texts are shown as they are: a reason may quote `[employers.bank]`, which is not markup.
            table.add_row(
                escape(r.employer),
                escape(r.employer_code),
                f"[{style}]{r.status}[/]",
                f"{r.seconds:.1f}",
                escape(r.detail),
            )
        console.print(table)
        if results:
            console.print(f"Evidence: {escape(str(results[0].evidence.parent))}")
    raise typer.Exit(code)
