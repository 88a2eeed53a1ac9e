"""The printed ACR / ECR (QRG 8): a one-page PDF per document, or one combined ACR/ECR slip."""

from __future__ import annotations

from mock_portal.contribution.documents import month_label, ringgit
from mock_portal.contribution.store import Document
from mock_portal.fonts import PortalPDF
from mock_portal.state import Employer

TITLES = {
    "ACR": "ACR - Acknowledgement Contribution Received (EIS)",
    "ECR": "ECR - Employer Contribution Received (SOCSO)",
}
ROWS = (
    ("SOCSO Employer Share", "socso_employer"),
    ("SOCSO Employee Share", "socso_employee"),
    ("SKBBK Employee Share", "skbbk_employee"),
    ("EIS Employer Share", "eis_employer"),
    ("EIS Employee Share", "eis_employee"),
)


def slip_pdf(employer: Employer, documents: list[Document]) -> bytes:
    pdf = PortalPDF(employer.name)
    pdf.set_title(" / ".join(d.number for d in documents))
    pdf.add_page()
    pdf.set_font(pdf.family, "B", 14)
    pdf.cell(0, 8, "PERTUBUHAN KESELAMATAN SOSIAL (PERKESO)", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(pdf.family, "", 11)
    pdf.cell(0, 7, f"Employer: {employer.name}", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 7, f"Employer Code: {employer.code}", new_x="LMARGIN", new_y="NEXT")
    for d in documents:
        pdf.ln(4)
        pdf.set_font(pdf.family, "B", 12)
        pdf.cell(0, 8, TITLES[d.type], new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(pdf.family, "", 11)
        lines = [
            ("Number", d.number),
            ("Contribution Month", month_label(d.month)),
            ("Employees", str(d.employees)),
        ]
        lines += [(label, f"RM {ringgit(getattr(d, key))}") for label, key in ROWS if getattr(d, key)]
        lines += [
            ("Total", f"RM {ringgit(d.amount_sen)}"),
            ("Due Date", d.due_date),
            ("Status", d.status.upper()),
        ]
        for label, value in lines:
            pdf.cell(60, 7, f"{label}:")
            pdf.cell(0, 7, value, new_x="LMARGIN", new_y="NEXT")
    if len(documents) > 1:
        pdf.ln(4)
        pdf.set_font(pdf.family, "B", 11)
        pdf.cell(
            0,
            7,
            f"Grand Total: RM {ringgit(sum(d.amount_sen for d in documents))}",
            new_x="LMARGIN",
            new_y="NEXT",
        )
        pdf.set_font(pdf.family, "", 10)
        pdf.cell(0, 7, "Pay SOCSO and EIS with two separate cheques.", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
