"""QRG 6 on the mock portal over HTTP: registration, SEARCH / cart / details / slip, confirmation,
Pending Verification until `POST /_mock/eft/{reference}/verify`."""

from __future__ import annotations

from tests.mock_portal.browser import CSRF, HALIM, Visitor, alert
from tests.mock_portal.contribution_helpers import HALIM_CODE
from tests.mock_portal.payment_helpers import control, submitted
from tests.support.portal import MockPortalProcess


def pay_form(visitor: Visitor, scheme: str, fields: dict[str, str], slip: bytes | None) -> str:
    page = visitor.get(f"/employer/eft/{scheme}/pay")
    token = CSRF.search(page.text)
    assert token
    files = {"payment_slip": ("slip.pdf", slip, "application/pdf")} if slip is not None else None
    visitor.page = visitor.client.post(
        f"/employer/eft/{scheme}/pay", data={**fields, "csrf_token": token.group(1)}, files=files
    )
    return visitor.page.text


def test_eft_needs_registration_then_records_a_transfer_pending_verification(
    visitor: Visitor, portal: MockPortalProcess
) -> None:
    visitor.login(HALIM)
    docs = {d["type"]: d for d in submitted(visitor, portal, "halim", HALIM_CODE)}
    ecr = docs["ECR"]
    # Before registering, Payment says so
    assert alert(visitor.get("/employer/eft/socso/payment")) == "Please complete the EFT Registration first."
    visitor.get("/employer/eft/registration")
    page = visitor.post(
        "/employer/eft/registration", {"email": HALIM, "contact_no": "03-1234", "officer_name": "Halim"}
    )
    assert "EFT registration has been successfully submitted." in page.text
    # SEARCH lists only SOCSO's ECR; tick, ADD TO CART
    found = visitor.get(f"/employer/eft/socso/payment?q={HALIM_CODE}").text
    assert ecr["number"] in found and docs["ACR"]["number"] not in found
    visitor.post("/employer/eft/socso/cart", {"numbers": ecr["number"]})
    amount = f"{ecr['amount_sen'] / 100:.2f}"
    # A wrong amount or no slip is refused
    assert "must equal the total" in pay_form(
        visitor, "socso", {"payment_date": "2026-11-20", "payment_reference": "T1", "amount": "1.00"}, b"%PDF"
    )
    assert "Payment Slip" in pay_form(
        visitor, "socso", {"payment_date": "2026-11-20", "payment_reference": "T1", "amount": amount}, None
    )
    review = pay_form(
        visitor, "socso", {"payment_date": "2026-11-20", "payment_reference": "T1", "amount": amount}, b"%PDF"
    )
    assert "EFT Payment Review" in review
    done = visitor.post("/employer/eft/socso/submit", {})
    assert "Your EFT payment has been submitted." in done.text
    [payment] = portal.state()["payments"]
    assert (payment["status"], payment["documents"]) == ("Pending Verification", [ecr["number"]])
    # Verification pays the ECR
    assert control(portal, f"eft/{payment['reference']}/verify").json()["status"] == "Successful"
    assert {d["number"]: d["status"] for d in portal.state()["documents"]}[ecr["number"]] == "paid"
