"""The portal's own reader of PERKESO contribution text files (spec/DOMAIN.md 1.1, 1.2).

Written from the spec alone (not from the bot's writer): 223-character lines for a SOCSO-only or
EIS-only file, 278-character lines for the combined SOCSO + EIS file, version 1.0 (filler from 239)
or 2.0 (LINDUNG 24 Jam employee share at 239-244). Numbers may be zero- or space-padded; CRLF or
LF line ends. Only the format is checked here; rules.py checks the content against the portal.
"""

from __future__ import annotations

from dataclasses import dataclass, field

SINGLE, COMBINED = 223, 278


@dataclass(frozen=True)
class Line:
    """One employee line; amounts in sen. A single-scheme line has ``amount`` only."""

    number: int
    employer_code: str
    id_number: str
    name: str
    mmyyyy: str
    amount: int = 0
    wages: int = 0
    socso_employer: int = 0
    socso_employee: int = 0
    eis_employer: int = 0
    eis_employee: int = 0
    skbbk_employee: int | None = None  # None: a version 1.0 line

    @property
    def month(self) -> str:
        """YYYY-MM."""
        return f"{self.mmyyyy[2:]}-{self.mmyyyy[:2]}"


@dataclass
class Parsed:
    lines: list[Line] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _number(text: str) -> int | None:
    """A right-justified number: leading spaces or zeros, then digits only."""
    stripped = text.strip(" ")
    if not stripped:
        return 0 if text else None
    return int(stripped) if stripped.isdigit() and text.endswith(stripped) else None


def _month_ok(mmyyyy: str) -> bool:
    return len(mmyyyy) == 6 and mmyyyy.isdigit() and 1 <= int(mmyyyy[:2]) <= 12 and int(mmyyyy[2:]) >= 2000


def parse(data: bytes, expected_length: int) -> Parsed:
    """Every line of an upload, or the reasons it is refused (``Line N: ...``)."""
    out = Parsed()
    try:
        text = data.decode("ascii")
    except UnicodeDecodeError:
        out.errors.append("The file must be plain ASCII text.")
        return out
    rows = text.split("\n")
    if rows and rows[-1] == "":
        rows.pop()  # a final line end is not an empty line
    if not rows:
        out.errors.append("The file is empty.")
    for number, raw in enumerate(rows, start=1):
        row = raw[:-1] if raw.endswith("\r") else raw
        problems = _check(row, expected_length)
        if problems:
            out.errors.extend(f"Line {number}: {p}" for p in problems)
            continue
        out.lines.append(_line(number, row))
    return out


def _check(row: str, expected: int) -> list[str]:
    if len(row) != expected:
        kind = "combined SOCSO + EIS" if expected == COMBINED else "SOCSO/EIS"
        return [f"length is {len(row)} characters; a {kind} line must be {expected}."]
    problems = []
    if not row[0:12].strip():
        problems.append("employer code is blank.")
    if not row[32:44].strip():
        problems.append("ID number is blank.")
    if not row[44:194].strip():
        problems.append("employee name is blank.")
    if not _month_ok(row[194:200]):
        problems.append(f"contribution month {row[194:200]!r} is not MMYYYY.")
    numeric = (
        [(200, 214)] if expected == SINGLE else [(200, 214), (214, 220), (220, 226), (226, 232), (232, 238)]
    )
    if expected == COMBINED and row[238:244].strip():
        numeric.append((238, 244))
    for start, end in numeric:
        if _number(row[start:end]) is None:
            problems.append(f"positions {start + 1}-{end} must be a number, got {row[start:end]!r}.")
    if expected == COMBINED and row[244:].strip():
        problems.append("filler (positions 245-278) must be blank.")
    return problems


def _line(number: int, row: str) -> Line:
    head = dict(
        number=number,
        employer_code=row[0:12].strip().upper(),
        id_number=row[32:44].strip().replace("-", "").upper(),
        name=row[44:194].strip(),
        mmyyyy=row[194:200],
    )
    if len(row) == SINGLE:
        return Line(**head, amount=_number(row[200:214]) or 0)  # type: ignore[arg-type]
    v2 = bool(row[238:244].strip())
    values = [_number(row[a:b]) or 0 for a, b in ((200, 214), (214, 220), (220, 226), (226, 232), (232, 238))]
    return Line(
        **head,
        wages=values[0],
        socso_employer=values[1],
        socso_employee=values[2],  # type: ignore[arg-type]
        eis_employer=values[3],
        eis_employee=values[4],
        skbbk_employee=(_number(row[238:244]) or 0) if v2 else None,
    )
