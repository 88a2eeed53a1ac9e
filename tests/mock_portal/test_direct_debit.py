"""QRG 7 on the mock portal over HTTP: ENROLL NEW with every field, pending until approved, payment
with the Mandate List, the limit per transaction and the monthly frequency enforced."""

from __future__ import annotations

from tests.mock_portal.browser import HALIM, Visitor, alert
from tests.mock_portal.contribution_helpers import HALIM_CODE
from tests.mock_portal.payment_helpers import control, submitted
from tests.support.portal import MockPortalProcess

MANDATE = {
    "business_model": "b2c",
    "bank": "Mock Bank",
    "limit": "100.00",
    "max_frequency": "1",
    "phone": "012-3456789",
    "email": HALIM,
    "consent": "yes",
}


def enroll(visitor: Visitor, **changes: str) -> str:
    visitor.get("/employer/direct-debit/eis/mandate/new")
    return visitor.post("/employer/direct-debit/eis/mandate/new", {**MANDATE, **changes}).text


def pay(visitor: Visitor, number: str, mandate: str) -> str:
    visitor.get("/employer/direct-debit/eis/payment")
    visitor.post("/employer/direct-debit/eis/cart", {"numbers": number})
    visitor.get("/employer/direct-debit/eis/summary")
    visitor.get("/employer/direct-debit/eis/pay")
    return visitor.post("/employer/direct-debit/eis/pay", {"mandate": mandate}).text


def test_a_mandate_is_pending_until_approved_and_payments_keep_to_its_limits(
    visitor: Visitor, portal: MockPortalProcess
) -> None:
    visitor.login(HALIM)
    [acr] = submitted(visitor, portal, "halim", HALIM_CODE, scheme="eis")
    assert "Please tick the consent" in enroll(visitor, consent="")
    assert "pending the bank" in enroll(visitor)
    [mandate] = portal.state()["mandates"]
    assert (mandate["status"], mandate["limit_sen"], mandate["max_frequency"]) == (
        "Pending Approval",
        10000,
        1,
    )
    # Pending: not in the Mandate List
    assert "choose an approved mandate" in pay(visitor, acr["number"], mandate["reference"])
    control(portal, f"mandates/{mandate['reference']}/approve")
    # Over the limit: refused
    control(portal, f"documents/{acr['number']}/amount", {"amount_sen": 10001})
    assert "exceeds the mandate" in pay(visitor, acr["number"], mandate["reference"])
    control(portal, f"documents/{acr['number']}/amount", {"amount_sen": 5000})
    page = pay(visitor, acr["number"], mandate["reference"])
    assert "Payment has been successfully initiated." in page
    [payment] = portal.state()["payments"]
    assert payment["status"] == "Successful" and payment["mandate_reference"] == mandate["reference"]
    assert "Successful" in visitor.get("/employer/direct-debit/eis/history").text
    # The payment is EIS's: SOCSO's direct-debit history does not list it
    assert payment["reference"] in visitor.get("/employer/direct-debit/eis/history").text
    assert payment["reference"] not in visitor.get("/employer/direct-debit/socso/history").text
    assert alert(visitor.get("/employer/direct-debit/eis/payment")) is None
