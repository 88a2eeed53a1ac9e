"""QRG 1 – Login, as a portal regression test: every screen checked for drift on the way in."""

from __future__ import annotations

import pytest

from bot.core.browser import EmployerSession
from bot.core.settings import EmployerSettings, Settings
from tests.portal.walks import walk_login

pytestmark = pytest.mark.timeout(120)


async def test_the_employer_logs_in_with_the_emailed_password(
    qa_session: EmployerSession, qa_employer: EmployerSettings, qa_settings: Settings
) -> None:
    # Given a test account of the portfolio
    # When it logs in: landing page, email, SETERUSNYA, the emailed password, LOG MASUK
    home = await walk_login(qa_session, qa_employer, qa_settings)
    # Then each screen had what the page objects rely on, and the home page is this employer's
    assert await home.employer_code() == qa_employer.employer_code
