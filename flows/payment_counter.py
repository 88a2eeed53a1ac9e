"""QRG 8 – Payment at a bank counter: the printed ACR and ECR plus a cover sheet stating the two
separate cheques (SOCSO and EIS amounts, payee, employer code, month), since the QRG requires two.

The pack claims the documents in the ledger (`submitted`, method counter) so that no online payment
pays them while the cheques are on their way; `assist-bot reconcile` marks them paid once the
Payment page shows them paid. The run ends `NeedsHuman`: a person takes the pack to the bank.
"""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF

from bot.core.browser import EmployerSession
from bot.core.contributions import Month
from bot.core.errors import NeedsHuman
from bot.core.ledger import SUBMITTED, Entry, Ledger
from bot.core.settings import EmployerSettings
from flows.pages.payment_list import DocumentRow, PaymentPage
from flows.payment_claim import attempt
from flows.payment_documents import print_documents, read_back

# Payees: SOCSO's from PERKESO's payment page (spec/DOMAIN.md §3.3: "Kumpulan Wang Keselamatan
# Sosial", employer code and month on the back). EIS's fund name is NOT sourced there [U]: check it
# with PERKESO before relying on it.
PAYEES = {
    "ECR": ("SOCSO", "Kumpulan Wang Keselamatan Sosial"),
    "ACR": ("EIS", "Kumpulan Wang Sistem Insurans Pekerjaan"),
}


def cover_sheet(path: Path, employer: EmployerSettings, month: Month, rows: list[DocumentRow]) -> Path:
    """One page: a cheque per document, with its amount, payee and what to write on the back."""
    pdf = FPDF()
    pdf.set_title(f"Bank counter pack {employer.employer_code} {month}")
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 14)
    pdf.cell(0, 9, "PERKESO contributions - bank counter payment", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 11)
    for label, value in (
        ("Employer", employer.name),
        ("Employer Code", employer.employer_code),
        ("Contribution Month", f"{month.month:02d}/{month.year}"),
    ):
        pdf.cell(55, 7, f"{label}:")
        pdf.cell(0, 7, value, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.multi_cell(
        0, 6, f"Use {len(rows)} SEPARATE cheque(s): SOCSO and EIS must never share a cheque (QRG 8)."
    )
    for index, row in enumerate(sorted(rows, key=lambda r: r.type, reverse=True), start=1):
        scheme, payee = PAYEES[row.type]
        pdf.ln(3)
        pdf.set_font("Helvetica", "B", 12)
        pdf.cell(0, 8, f"Cheque {index}: {scheme} ({row.type} {row.number})", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 11)
        for label, value in (
            ("Amount", f"RM {row.amount / 100:,.2f}"),
            ("Payee", payee),
            ("On the back", f"{employer.employer_code} {month.month:02d}/{month.year} {row.number}"),
        ):
            pdf.cell(55, 7, f"{label}:")
            pdf.cell(0, 7, value, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


async def prepare_counter_pack(
    session: EmployerSession,
    employer: EmployerSettings,
    payment: PaymentPage,
    ledger: Ledger,
    month: Month,
    rows: list[DocumentRow],
) -> tuple[list[Entry], list[Path]]:
    """PRINT each document, write the cover sheet, hold the documents in the ledger; then NeedsHuman."""
    async with attempt(ledger, employer, month, "counter", rows) as holding:
        docs = await read_back(payment, rows)
        files = await print_documents(session, payment, docs)
        files.append(
            cover_sheet(session.evidence.records(month) / f"counter-cover-{month}.pdf", employer, month, rows)
        )
        entry = holding.note(
            SUBMITTED, detail="bank-counter pack prepared", receipt=" ".join(str(f) for f in files)
        )
    raise NeedsHuman(
        f"bank-counter pack ready ({', '.join(f.name for f in files)}): take the printed ACR/ECR and "
        f"{len(rows)} separate cheque(s) to the bank; then `assist-bot reconcile`. Ledger: {entry.describe()}"
    )
