"""The month's ACR/ECR on `My Sites` → `Payment`: read them back (numbers and amounts), PRINT them
(QRG 8, the PDFs checked with pypdf) and cancel them (QRG 9)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from pypdf import PdfReader

from bot.core.browser import EmployerSession
from bot.core.contributions import Month, Totals
from bot.core.contributions.money import parse_ringgit
from bot.core.errors import BusinessError
from flows.pages.contribution import month_label
from flows.pages.home import HomePage
from flows.pages.payment_list import REMOVED, DocumentRow, PaymentPage

log = logging.getLogger(__name__)

# The QRG's mapping, kept HERE ONLY (PERKESO's 2020 guide says the opposite; spec/DOMAIN.md):
# the SOCSO document is the ECR, the EIS document the ACR; a combined submission gets both.
DOCUMENT_OF_SCHEME = {"socso": "ECR", "eis": "ACR"}
# The shares each document carries (the LINDUNG 24 Jam / SKBBK share rides with SOCSO's ECR).
SHARES_OF_DOCUMENT = {
    "ECR": ("socso_employer", "socso_employee", "skbbk_employee"),
    "ACR": ("eis_employer", "eis_employee"),
}
DETAIL_LABELS = {
    "socso_employer": "SOCSO Employer Share (RM)",
    "socso_employee": "SOCSO Employee Share (RM)",
    "skbbk_employee": "SKBBK Employee Share (RM)",
    "eis_employer": "EIS Employer Share (RM)",
    "eis_employee": "EIS Employee Share (RM)",
}


def documents_for(scheme: str) -> tuple[str, ...]:
    """Document types a variant (socso, eis, socso+eis) generates, ACR first."""
    return tuple(sorted(DOCUMENT_OF_SCHEME[s] for s in scheme.split("+")))


def chosen_types(document: str) -> tuple[str, ...]:
    """CLI --document acr|ecr|both → types."""
    return ("ACR", "ECR") if document == "both" else (document.upper(),)


@dataclass
class ReadBack:
    """A document as the portal shows it: list row + the view's shares (sen)."""

    row: DocumentRow
    shares: dict[str, int] = field(default_factory=dict)
    pdf: Path | None = None

    def as_dict(self) -> dict[str, object]:
        return {
            "number": self.row.number,
            "type": self.row.type,
            "month": self.row.month,
            "employees": self.row.employees,
            "amount_sen": self.row.amount,
            "status": self.row.status,
            "shares": self.shares,
            "pdf": str(self.pdf) if self.pdf else None,
        }


async def open_payment(home: HomePage) -> PaymentPage:
    await home.open_site("Payment")
    return home.on(PaymentPage)


async def month_documents(payment: PaymentPage, month: Month) -> list[DocumentRow]:
    """The live (not cancelled) documents of the month."""
    label = month_label(month.year, month.month)
    return [d for d in await payment.documents() if d.month == label]


async def read_back(payment: PaymentPage, rows: list[DocumentRow]) -> list[ReadBack]:
    """Each document's shares from its view page."""
    out = []
    for row in rows:
        details = await payment.view(row.number)
        shares = {
            key: parse_ringgit(details[label]) for key, label in DETAIL_LABELS.items() if label in details
        }
        out.append(ReadBack(row, shares))
    return out


def compare(documents: list[ReadBack], expected: Totals, scheme: str) -> None:
    """The portal's documents against the bot's computation; BusinessError showing both on a mismatch."""
    wanted = expected.as_dict()
    problems = []
    types = sorted(d.row.type for d in documents)
    if types != list(documents_for(scheme)):
        problems.append(f"documents {types}, expected {list(documents_for(scheme))}")
    for doc in documents:
        keys = SHARES_OF_DOCUMENT.get(doc.row.type, ())
        for key in keys:
            if doc.shares.get(key, 0) != wanted[key]:
                problems.append(
                    f"{doc.row.number} {key}: portal RM{doc.shares.get(key, 0) / 100:.2f},"
                    f" bot RM{wanted[key] / 100:.2f}"
                )
        total = sum(wanted[k] for k in keys)
        if doc.row.amount != total:
            problems.append(
                f"{doc.row.number} total: portal RM{doc.row.amount / 100:.2f}, bot RM{total / 100:.2f}"
            )
    if problems:
        raise BusinessError("the portal's ACR/ECR do not match the bot's computation: " + "; ".join(problems))


def check_pdf(path: Path, row: DocumentRow) -> None:
    """The downloaded slip names the document and its total."""
    text = " ".join(page.extract_text() or "" for page in PdfReader(path).pages)
    total = f"RM {row.amount / 100:,.2f}"
    if row.number not in text or total not in text:
        raise BusinessError(f"{path.name} does not show {row.number} with total {total}")


async def print_documents(
    session: EmployerSession, payment: PaymentPage, docs: list[ReadBack], combined: bool = False
) -> list[Path]:
    """PRINT each (or PRINT ACR/ECR once for a pair) into the records folder, checked."""
    folder = session.evidence.records(docs[0].row.month) if docs else session.evidence.folder
    if combined and len(docs) == 2:
        path = await payment.download(f"PRINT ACR/ECR {docs[0].row.number}", folder)
        for doc in docs:
            check_pdf(path, doc.row)
            doc.pdf = path
        await session.step("printed")
        return [path]
    paths = []
    for doc in docs:
        doc.pdf = await payment.download(f"PRINT {doc.row.number}", folder)
        check_pdf(doc.pdf, doc.row)
        paths.append(doc.pdf)
    await session.step("printed")
    return paths


async def cancel_documents(
    session: EmployerSession, payment: PaymentPage, month: Month, types: tuple[str, ...]
) -> list[str]:
    """QRG 9: cancel the month's chosen documents; the numbers cancelled."""
    rows = {d.type: d for d in await month_documents(payment, month)}
    missing = [t for t in types if t not in rows]
    if missing:
        raise BusinessError(f"no {'/'.join(missing)} for {month} to cancel")
    choice = "both" if len(types) == 2 else types[0]
    notice = await payment.cancel(rows[types[0]].number, choice)
    await session.step("cancelled")
    if notice != REMOVED:
        raise BusinessError(f"the portal did not confirm the cancellation (it said {notice!r})")
    left = {d.type for d in await month_documents(payment, month)}
    if left & set(types):
        raise BusinessError(f"{'/'.join(sorted(left & set(types)))} of {month} still listed after cancelling")
    return [rows[t].number for t in types]
