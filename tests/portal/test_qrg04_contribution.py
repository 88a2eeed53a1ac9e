"""QRG 4 – Contribution: the pending list and the text-file check (read-only), a submission (mutation)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.core.browser import EmployerSession
from bot.core.contributions import Month
from bot.core.errors import BusinessError
from bot.core.settings import EmployerSettings, Settings
from flows.contribution import contribute, prepare
from tests.portal.walks import bad_text_file, walk_login, walk_to_pending_list, walk_to_text_file

pytestmark = pytest.mark.timeout(120)


async def test_the_pending_list_is_shown(
    qa_session: EmployerSession, qa_employer: EmployerSettings, qa_settings: Settings
) -> None:
    # Given a logged-in test account
    home = await walk_login(qa_session, qa_employer, qa_settings)
    # When it opens Contribution → SOCSO + EIS
    variant = await walk_to_pending_list(home)
    # Then the "Employer Contribution Pending List" is there (checked with the screen's other labels)
    await qa_session.step("pending-list")
    assert await variant.alert_text() is None


async def test_a_malformed_text_file_is_rejected_line_by_line(
    qa_session: EmployerSession, qa_employer: EmployerSettings, qa_settings: Settings, tmp_path: Path
) -> None:
    # Given a text file whose only line is too short
    path = bad_text_file(tmp_path, qa_employer.employer_code)
    home = await walk_login(qa_session, qa_employer, qa_settings)
    upload = await walk_to_text_file(await walk_to_pending_list(home))
    # When it is uploaded (nothing is submitted)
    with pytest.raises(BusinessError) as refused:
        await upload.upload(path)
    # Then the portal names the bad line
    await qa_session.step("text-file-rejected")
    assert path.name in str(refused.value) and len(str(refused.value).splitlines()) >= 2, refused.value


@pytest.mark.mutation
async def test_a_month_is_submitted_and_its_documents_generated(
    qa_session: EmployerSession, qa_employer: EmployerSettings, qa_settings: Settings
) -> None:
    # Given the test account's payroll for October 2026
    month = Month(2026, 10)
    prepared = prepare(qa_employer, month, "socso+eis", None, None, qa_settings, today=date(2026, 11, 26))
    # When the bot submits it (QRG 4) and reads the documents back
    outcome = await contribute(
        qa_session,
        qa_employer,
        qa_settings,
        month=month,
        scheme="socso+eis",
        prepared=prepared,
        print_pdfs=False,
    )
    # Then the ACR/ECR exist for the month
    assert outcome.submitted and {d.row.type for d in outcome.documents} == {"ACR", "ECR"}, outcome
