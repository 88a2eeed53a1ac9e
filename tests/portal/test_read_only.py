"""Read-only mode is safe on any portal: the default checks create no record (the mock's state,
before and after, proves it)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.browser import EmployerSession
from bot.core.errors import BusinessError
from bot.core.settings import EmployerSettings, Settings
from tests.portal.walks import (
    bad_text_file,
    walk_login,
    walk_to_payment,
    walk_to_pending_list,
    walk_to_text_file,
)
from tests.support.portal import MockPortalProcess

pytestmark = pytest.mark.timeout(120)
RECORDS = (
    "employers",
    "employees",
    "submissions",
    "documents",
    "cases",
    "payments",
    "mandates",
    "eft_registrations",
    "bank_accounts",
)


async def test_the_read_only_checks_leave_no_record(
    request: pytest.FixtureRequest,
    qa_session: EmployerSession,
    qa_employer: EmployerSettings,
    qa_settings: Settings,
    tmp_path: Path,
) -> None:
    if request.config.getoption("base_url", default=None):
        pytest.skip("reads the bundled mock portal's /_mock/state")
    portal: MockPortalProcess = request.getfixturevalue("fresh_portal")
    # Given the portal's records
    before = {k: portal.state()[k] for k in RECORDS}
    # When every read-only walk runs: login, pending list, a rejected text file, the document list
    home = await walk_login(qa_session, qa_employer, qa_settings)
    upload = await walk_to_text_file(await walk_to_pending_list(home))
    with pytest.raises(BusinessError):
        await upload.upload(bad_text_file(tmp_path, qa_employer.employer_code))
    await walk_to_payment(home)
    # Then no record was created or changed
    after = {k: portal.state()[k] for k in RECORDS}
    assert after == before
