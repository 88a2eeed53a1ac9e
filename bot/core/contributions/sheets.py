"""Reading payroll spreadsheets (CSV, XLSX) as (line number, cells as text) rows, header first."""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

from bot.core.contributions.problems import PayrollError, Problem

Row = tuple[int, list[str]]


def read_rows(path: Path) -> Iterator[Row]:
    """Rows of a ``.csv`` or ``.xlsx`` file; PayrollError when it cannot be opened or decoded."""
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return _xlsx_rows(path)
    if suffix in (".csv", ".txt"):
        return _csv_rows(path)
    raise PayrollError(
        [Problem(str(path), 0, "file", f"unsupported payroll type {suffix!r} (use .csv or .xlsx)")]
    )


# A cell may be long (a pasted paragraph): it is read whole and refused by the column's own check
# (e.g. a name over 150 characters), never a traceback from the csv module's 128 KiB limit.
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


def _csv_rows(path: Path) -> Iterator[Row]:
    """Streamed, not read whole: a 100,000-row payroll need not sit in memory twice.

    Each row comes with the line it STARTS on (a quoted cell may span lines). A quote that is never
    closed is reported at the line and column where it opens."""
    try:
        # utf-8-sig: Excel's "CSV UTF-8" starts with a byte-order mark.
        stream = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise PayrollError([Problem(str(path), 0, "file", f"cannot read: {exc.strerror}")]) from exc
    with stream:
        reader = csv.reader(stream, strict=True)
        header: list[str] = []
        start = 1
        try:
            for cells in reader:
                if not header:
                    header = cells
                yield start, cells
                start = reader.line_num + 1
        except UnicodeDecodeError as exc:
            raise PayrollError(
                [
                    Problem(
                        str(path), _first_bad_line(path), "file", "is not UTF-8 text (save it as CSV UTF-8)"
                    )
                ]
            ) from exc
        except csv.Error as exc:
            line, column = _open_quote(path, start, header)
            if "unexpected end of data" in str(exc):
                message = 'a quote (") opens here and is never closed'
            else:
                message = f"cannot be read as CSV: {exc}"
            raise PayrollError([Problem(str(path), line, column, message)]) from exc


def _open_quote(path: Path, start: int, header: list[str]) -> tuple[int, str]:
    """Where the record starting on line ``start`` opens the quote it never closes: (line, column)."""
    quoted, cell, opened = False, 0, (start, "file")
    with path.open(encoding="utf-8-sig", errors="replace", newline="") as stream:
        for number, text in enumerate(stream, start=1):
            if number < start:
                continue
            for char in text:
                if char == '"':
                    quoted = not quoted
                    if quoted:
                        opened = (number, column_name(header, cell))
                elif char == "," and not quoted:
                    cell += 1
    return opened


def column_name(header: list[str], index: int) -> str:
    """How a problem names the ``index``-th cell: its header, else ``column N``."""
    name = header[index].strip().lower() if index < len(header) else ""
    return name or f"column {index + 1}"


def _first_bad_line(path: Path) -> int:
    """The first line that is not UTF-8 (the stream decodes ahead of the CSV reader's line count)."""
    for number, raw in enumerate(path.read_bytes().split(b"\n"), start=1):
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            return number
    return 0


def _xlsx_rows(path: Path) -> Iterator[Row]:
    import openpyxl  # imported here: slow to import, and only XLSX payrolls need it

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged or non-XLSX file
        raise PayrollError([Problem(str(path), 0, "file", f"cannot open as XLSX: {exc}")]) from exc
    try:
        sheet = book.worksheets[0]
        id_index: int | None = None
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = [_text(v) for v in values]
            if number == 1:
                lowered = [c.strip().lower() for c in cells]
                id_index = lowered.index("id_number") if "id_number" in lowered else None
            elif id_index is not None and id_index < len(values) and isinstance(values[id_index], int):
                # A MyKad typed as a number loses its leading zero (born 2000-2009): put it back.
                cells[id_index] = cells[id_index].zfill(12) if len(cells[id_index]) == 11 else cells[id_index]
            yield number, cells
    finally:
        book.close()


def _text(value: object) -> str:
    """A cell as the text a CSV would hold: dates ISO, whole numbers without '.0'."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)
