"""The payment receipt: a one-page PDF (download and email attachment) naming the reference, the FPX
transaction id, the documents and the amount."""

from __future__ import annotations

from email.message import EmailMessage

from mock_portal.fonts import PortalPDF
from mock_portal.mailer import new_message
from mock_portal.payments.rules import ringgit
from mock_portal.payments.store import Payment
from mock_portal.state import Employer

METHODS = {"fpx": "FPX", "eft": "Electronic Fund Transfer", "dda": "Direct Debit"}


def receipt_pdf(employer: Employer, payment: Payment) -> bytes:
    pdf = PortalPDF(employer.name)
    pdf.set_title(f"Receipt {payment.reference}")
    pdf.add_page()
    pdf.set_font(pdf.family, "B", 14)
    pdf.cell(0, 8, "PERTUBUHAN KESELAMATAN SOSIAL (PERKESO)", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 8, "PAYMENT RECEIPT / RESIT PEMBAYARAN", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(pdf.family, "", 11)
    lines = [
        ("Employer", employer.name),
        ("Employer Code", employer.code),
        ("Reference No.", payment.reference),
        ("Payment Method", METHODS[payment.method]),
        ("Payment Date", payment.payment_date),
        ("Documents", ", ".join(payment.documents)),
        ("Amount", f"RM {ringgit(payment.amount_sen)}"),
        ("Status", payment.status),
    ]
    if payment.transaction_id:
        lines.insert(3, ("FPX Transaction ID", payment.transaction_id))
    for label, value in lines:
        pdf.cell(60, 7, f"{label}:")
        pdf.cell(0, 7, value, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def receipt_mail(sender: str, employer: Employer, payment: Payment) -> EmailMessage:
    to = payment.email or employer.email
    body = (
        f"Payment {payment.reference} of RM {ringgit(payment.amount_sen)} for {', '.join(payment.documents)}"
        f" has been received.\nReference No.: {payment.reference}\n"
    )
    if payment.transaction_id:
        body += f"FPX Transaction ID: {payment.transaction_id}\n"
    message = new_message(sender, to, f"Resit Pembayaran ASSIST {payment.reference}", body)
    message.add_attachment(
        receipt_pdf(employer, payment),
        maintype="application",
        subtype="pdf",
        filename=f"receipt-{payment.reference}.pdf",
    )
    return message
