"""The control API's people outside the portal (what `make demo` plays): the bank counter takes a
printed ACR/ECR's cheque; a person finishes an FPX transaction the bot left at the bank's login."""

from __future__ import annotations

from pathlib import Path

import httpx

from tests.flows.payment_support import submit_month
from tests.support.demo_portfolio import demo_settings
from tests.support.portal import MockPortalProcess


def test_the_bank_counter_marks_a_printed_document_paid_once(
    fresh_portal: MockPortalProcess, demo_portfolio: Path, tmp_path: Path
) -> None:
    # Given halim's submitted month: two unpaid documents
    settings = demo_settings(demo_portfolio, tmp_path)
    submit_month(fresh_portal, settings, "halim")
    code = settings.employer("halim").employer_code
    numbers = [d["number"] for d in fresh_portal.state()["documents"] if d["employer_code"] == code]
    assert len(numbers) == 2
    with httpx.Client(base_url=fresh_portal.base_url) as control:
        # When the counter takes the cheque for the first
        paid = control.post(f"/_mock/documents/{numbers[0]}/paid-at-counter")
        # Then that document is paid, the other is not
        assert paid.status_code == 200 and paid.json()["status"] == "paid"
        status = {d["number"]: d["status"] for d in fresh_portal.state()["documents"]}
        assert (status[numbers[0]], status[numbers[1]]) == ("paid", "unpaid")
        # And a second cheque for the same document is refused, as is an unknown document
        assert control.post(f"/_mock/documents/{numbers[0]}/paid-at-counter").status_code == 409
        assert control.post("/_mock/documents/ACR0000000000/paid-at-counter").status_code == 404
        # And a person cannot finish an FPX transaction that does not exist
        assert control.post("/_mock/fpx/FPX00000000000/complete").status_code == 404
