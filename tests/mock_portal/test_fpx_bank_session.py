"""The mock FPX bank's pages (login, confirm, cancel) answer only the browser logged in to the portal
as the transaction's employer: references are sequential, so anyone could otherwise cancel them."""

from __future__ import annotations

import pytest

from tests.mock_portal.browser import BENGKEL, HALIM, Visitor
from tests.mock_portal.contribution_helpers import HALIM_CODE
from tests.mock_portal.payment_helpers import HALIM_BANK, fpx_to_bank, submitted
from tests.support.portal import MockPortalProcess


def _open_transaction(visitor: Visitor, portal: MockPortalProcess) -> str:
    visitor.login(HALIM)
    numbers = [d["number"] for d in submitted(visitor, portal, "halim", HALIM_CODE)]
    page = fpx_to_bank(visitor, numbers)
    assert page.url.path.startswith("/fpx-bank/"), page.url
    return page.url.path.rsplit("/", 1)[1]


def _status(portal: MockPortalProcess, reference: str) -> str:
    return next(p["status"] for p in portal.state()["payments"] if p["reference"] == reference)


@pytest.mark.parametrize("who", ["no session", "another employer", "logged out"])
def test_given_an_open_transaction_then_a_browser_not_logged_in_as_its_employer_cannot_see_or_cancel_it(
    who: str, visitor: Visitor, other_visitor: Visitor, portal: MockPortalProcess
) -> None:
    # Given Halim's browser at the bank with an open FPX transaction
    reference = _open_transaction(visitor, portal)
    before = _status(portal, reference)
    # And another browser: without a session, logged in as Bengkel, or Halim's after logging out
    stranger = visitor if who == "logged out" else other_visitor
    if who == "another employer":
        stranger.login(BENGKEL)
    elif who == "logged out":
        visitor.logout()
    else:
        stranger.get("/employer/login")
    # When it opens the bank page, logs in to the bank and presses CANCEL
    page = stranger.get(f"/fpx-bank/{reference}")
    stranger.get("/employer/login")
    login = stranger.post(
        f"/fpx-bank/{reference}/login", {"user_id": HALIM_BANK[0], "password": HALIM_BANK[1]}
    )
    stranger.get("/employer/login")
    cancel = stranger.post(f"/fpx-bank/{reference}/cancel", {})
    # Then the bank does not know the transaction, and it stays open
    assert page.status_code == login.status_code == cancel.status_code == 404
    assert _status(portal, reference) == before


def test_the_browser_that_started_the_transaction_can_cancel_it(
    visitor: Visitor, portal: MockPortalProcess
) -> None:
    reference = _open_transaction(visitor, portal)
    page = visitor.post(f"/fpx-bank/{reference}/cancel", {})
    assert page.url.path == f"/employer/payment/fpx/result/{reference}"
    assert _status(portal, reference) == "Unsuccessful"
