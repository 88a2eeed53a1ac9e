"""ACR / ECR: which document a scheme's submission generates, their numbers and due dates.

The QRG's mapping, kept HERE ONLY (spec/DOMAIN.md notes PERKESO's 2020 guide says the opposite;
flip it here if the real portal does): SOCSO → ECR, EIS → ACR, a combined submission → both.
Number format unknown [U]: the type + YYMM of the contribution month + a 6-digit running number,
e.g. ``ECR2610000001`` (type + 10 digits).
"""

from __future__ import annotations

from datetime import date

SCHEME_OF_DOCUMENT = {"ECR": "socso", "ACR": "eis"}
SCHEMES = ("socso+eis", "socso", "eis")  # the portal's submission variants (QRG 4 i, ii, iii)
SCHEME_TITLES = {"socso+eis": "SOCSO + EIS", "socso": "SOCSO", "eis": "EIS"}


def parts(scheme: str) -> tuple[str, ...]:
    """The schemes ("socso", "eis") a submission variant covers."""
    return tuple(scheme.split("+"))


def documents_for(scheme: str) -> tuple[str, ...]:
    """The document types a submission variant generates, ACR first."""
    wanted = parts(scheme)
    return tuple(sorted(t for t, s in SCHEME_OF_DOCUMENT.items() if s in wanted))


def document_number(doc_type: str, month: str, sequence: int) -> str:
    return f"{doc_type}{month[2:4]}{month[5:7]}{sequence:06d}"


def due_date(month: str) -> date:
    """The 15th of the following month (QRG first page)."""
    year, mon = int(month[:4]), int(month[5:7])
    return date(year + (mon == 12), mon % 12 + 1, 15)


def month_label(month: str) -> str:
    """YYYY-MM as the portal shows it: MM/YYYY."""
    return f"{month[5:7]}/{month[:4]}"


def ringgit(sen: int) -> str:
    return f"{sen / 100:,.2f}"
