"""QRG 8/9 – Payment: the ACR/ECR list is readable (read-only)."""
from __future__ import annotations

import pytest

from bot.browser import EmployerSession
from bot.settings import EmployerSettings, Settings
from tests.portal.walks import walk_login, walk_to_payment

pytestmark = pytest.mark.timeout(120)


async def test_the_document_list_is_readable(
    qa_session: EmployerSession, qa_employer: EmployerSettings, qa_settings: Settings
) -> None:
    # Given a logged-in test account
    home = await walk_login(qa_session, qa_employer, qa_settings)
    # When it opens My Sites → Payment
    payment = await walk_to_payment(home)
    # Then every listed document has a number, a type and a month
    await qa_session.step("payment-list")
    for row in await payment.documents():
        assert row.number and row.type in {"ACR", "ECR"} and len(row.month) == 7, row
