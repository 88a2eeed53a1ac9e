"""QRG 9 – Cancel an ACR, an ECR or both: the delete icon's screen offers the month's ACR, its ECR or
both, and leaving it without `CONFIRM` removes nothing (read-only); an ACR cancelled by the bot while
its ECR stays, and both cancelled at once with the portal's "Record" has been successfully removed
(mutation)."""

from __future__ import annotations

from typing import Any

import pytest

from bot.core.browser import EmployerSession
from bot.core.settings import EmployerSettings, Settings
from flows.pages.home import HomePage
from flows.pages.payment_list import REMOVED, DocumentRow, PaymentPage
from flows.payment_documents import cancel_documents
from tests.portal.conftest import drift_explained, expect_screen
from tests.portal.walks import walk_login, walk_to_payment
from tests.portal.walks_payment import (
    OCT,
    payment_list,
    records,
    submitted_month,
    walk_to_cancel,
)
from tests.support.portal import MockPortalProcess

pytestmark = pytest.mark.timeout(120)


def unpaid_pair(rows: list[DocumentRow]) -> dict[str, DocumentRow]:
    """The unpaid ACR and ECR of one month (type → row)."""
    for month in sorted({r.month for r in rows}, reverse=True):
        pair = {r.type: r for r in rows if r.month == month and r.status == "UNPAID"}
        if set(pair) == {"ACR", "ECR"}:
            return pair
    pytest.skip("the test account has no month with an unpaid ACR and ECR")


async def test_the_delete_icon_offers_the_acr_the_ecr_or_both_and_removes_nothing_by_itself(
    mock: MockPortalProcess | None,
    october: list[dict[str, Any]],
    qa_session: EmployerSession,
    qa_employer: EmployerSettings,
    qa_settings: Settings,
) -> None:
    # Given a month's unpaid ACR and ECR on My Sites → Payment (QRG 9 steps 1-2)
    before = records(mock)
    home = await walk_login(qa_session, qa_employer, qa_settings)
    payment, rows = await payment_list(home)
    pair = unpaid_pair(rows)
    # When the ACR's delete icon is clicked (step 3)
    cancel = await walk_to_cancel(payment, pair["ACR"].number)
    await qa_session.step("cancel-choices")
    # Then the ACR, the ECR or both may be chosen (step 4)
    assert sorted(await cancel.choices()) == sorted(
        [f"ACR {pair['ACR'].number}", f"ECR {pair['ECR'].number}", "Both"]
    )
    # When the employer goes back to Payment without CONFIRM
    _, after = await payment_list(home)
    # Then both are still listed, unpaid, and nothing was recorded
    numbers = {r.number for r in pair.values()}
    assert {r.number: r.status for r in after if r.number in numbers} == {n: "UNPAID" for n in numbers}
    assert records(mock) == before


@pytest.mark.mutation
@pytest.mark.timeout(300)
async def test_the_acr_is_cancelled_and_its_ecr_stays(
    mock: MockPortalProcess | None,
    qa_session: EmployerSession,
    qa_employer: EmployerSettings,
    qa_settings: Settings,
) -> None:
    # Given October 2026 submitted (QRG 4): its ACR and ECR
    rows = {r.type: r for r in await submitted_month(qa_session, qa_employer, qa_settings)}
    assert set(rows) == {"ACR", "ECR"}, rows
    payment = await walk_to_payment(HomePage(qa_session.page))
    # When the bot cancels the ACR (QRG 9: delete icon, ACR, CONFIRM, the portal's notice)
    async with drift_explained(qa_session.page):
        cancelled = await cancel_documents(qa_session, payment, OCT, ("ACR",))
    # Then the ACR is no longer listed and the ECR still is, unpaid
    await expect_screen(qa_session.page, PaymentPage)
    assert cancelled == [rows["ACR"].number]
    listed = {r.number: r.status for r in await payment.documents()}
    assert rows["ACR"].number not in listed and listed.get(rows["ECR"].number) == "UNPAID", listed
    if mock is not None:
        status = {d["number"]: d["status"] for d in mock.state()["documents"]}
        assert (status[rows["ACR"].number], status[rows["ECR"].number]) == ("cancelled", "unpaid"), status


@pytest.mark.mutation
@pytest.mark.timeout(300)
async def test_both_are_cancelled_at_once_with_the_portals_notice(
    qa_session: EmployerSession,
    qa_employer: EmployerSettings,
    qa_settings: Settings,
) -> None:
    # Given October 2026 submitted (QRG 4): its ACR and ECR
    rows = {r.type: r for r in await submitted_month(qa_session, qa_employer, qa_settings)}
    assert set(rows) == {"ACR", "ECR"}, rows
    home = HomePage(qa_session.page)
    payment = await walk_to_payment(home)
    # When the ECR's delete icon is clicked, Both chosen and CONFIRM pressed (QRG 9 steps 3-5)
    cancel = await walk_to_cancel(payment, rows["ECR"].number)
    async with drift_explained(qa_session.page):
        notice = await cancel.confirm(rows["ECR"].number, "both")
    # Then the portal says "Record" has been successfully removed (step 6) and lists neither
    assert notice == REMOVED, notice
    await expect_screen(qa_session.page, PaymentPage)
    _, after = await payment_list(home)
    assert not {r.number for r in after} & {r.number for r in rows.values()}, after
