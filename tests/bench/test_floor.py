"""The floor (bench/floor.py) does a whole employer-month over plain HTTP on the real mock portal:
one emailed password, the text file submitted, both ACR/ECR PDFs, the FPX payment and its receipt."""

from __future__ import annotations

from bench.floor import FloorEmployer, floor_month, fund_bank
from bot.core.contributions import Month
from tests.mock_portal.browser import HALIM
from tests.mock_portal.contribution_helpers import HALIM_CODE, PAYROLL
from tests.support.portal import MockPortalProcess

HALIM_FLOOR = FloorEmployer(
    code=HALIM_CODE,
    email=HALIM,
    payroll=PAYROLL / "halim.csv",
    mailbox=("payroll@akaun-sejahtera.my", "sejahtera-demo-1"),
)


def test_given_the_portal_when_the_floor_does_halims_month_then_it_is_submitted_paid_with_one_login(
    fresh_portal: MockPortalProcess,
) -> None:
    # Given the mock bank's account funded
    fund_bank(fresh_portal)
    # When the floor does Halim's October with paying
    result = floor_month(fresh_portal, HALIM_FLOOR, Month(2026, 10), pay=True)
    # Then it is done: two documents with their PDFs, paid, a receipt; one password mail
    assert result.error == "" and result.documents == 2 and result.paid and result.pdf_bytes > 2000
    state = fresh_portal.state()
    assert [d["status"] for d in state["documents"] if d["employer_code"] == HALIM_CODE] == ["paid", "paid"]
    assert [a["outcome"] for a in state["login_attempts"] if a["employer_code"] == HALIM_CODE] == ["success"]
    assert state["sessions"] == 0  # it logged out
