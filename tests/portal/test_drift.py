"""Portal drift, rehearsed with the bundled mock's faults: a renamed label, a removed field, a moved
URL each fail with a report naming the screen, the expected label, what is there now and the page
object to update — not with a bare time-out."""

from __future__ import annotations

from typing import Any

import pytest

from bot.core.browser import EmployerSession
from bot.core.settings import EmployerSettings, Settings
from flows.pages.drift import check_screen
from flows.pages.login import LandingPage, LoginEmailPage
from tests.portal.walks import walk_login
from tests.support.portal import MockPortalProcess

pytestmark = pytest.mark.timeout(120)


@pytest.fixture
def mock(request: pytest.FixtureRequest, qa_settings: Settings) -> MockPortalProcess:
    if request.config.getoption("base_url", default=None):
        pytest.skip("rehearsing drift needs the bundled mock portal's faults")
    portal: MockPortalProcess = request.getfixturevalue("fresh_portal")
    return portal


async def drift_of_login(
    faults: dict[str, Any],
    mock: MockPortalProcess,
    session: EmployerSession,
    employer: EmployerSettings,
    settings: Settings,
) -> str:
    mock.set_faults(faults)
    with pytest.raises(AssertionError) as failed:
        await walk_login(session, employer, settings)
    return str(failed.value)


async def test_a_renamed_button_is_reported_with_its_screen_label_and_page_object(
    mock: MockPortalProcess, qa_session: EmployerSession, qa_employer: EmployerSettings, qa_settings: Settings
) -> None:
    # Given the portal renamed SETERUSNYA to NEXT
    # When the login is walked
    report = await drift_of_login(
        {"labels": {"SETERUSNYA": "NEXT"}}, mock, qa_session, qa_employer, qa_settings
    )
    # Then the report names the screen, the expected label, the new one and the page object
    assert "screen 'Employer login (email)'" in report, report
    assert "button 'SETERUSNYA' is missing" in report and "'NEXT'" in report, report
    assert "update flows.pages.login.LoginEmailPage" in report, report


async def test_a_removed_field_is_reported_instead_of_a_missing_password_field(
    mock: MockPortalProcess, qa_session: EmployerSession, qa_employer: EmployerSettings, qa_settings: Settings
) -> None:
    # Given the portal dropped the "Kata Laluan" label of the password field
    report = await drift_of_login({"remove": ["Kata Laluan"]}, mock, qa_session, qa_employer, qa_settings)
    # Then the failed step is explained by the drift of the password screen
    assert "screen 'Employer login (password)'" in report and "label 'Kata Laluan' is missing" in report, (
        report
    )
    assert "update flows.pages.login.LoginPasswordPage" in report, report


async def test_a_moved_url_is_reported(
    mock: MockPortalProcess, qa_session: EmployerSession, qa_employer: EmployerSettings, qa_settings: Settings
) -> None:
    # Given the login page moved to /employer/signin
    report = await drift_of_login(
        {"urls": {"/employer/login": "/employer/signin"}}, mock, qa_session, qa_employer, qa_settings
    )
    # Then the report names the expected URL and the one the portal uses now
    assert "expected URL '/employer/login' is missing; there now: '/employer/signin'" in report, report


async def test_renaming_the_one_declaration_fixes_the_drift_check_and_the_action_together(
    mock: MockPortalProcess,
    qa_session: EmployerSession,
    qa_employer: EmployerSettings,
    qa_settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given the portal renamed SETERUSNYA to NEXT
    mock.set_faults({"labels": {"SETERUSNYA": "NEXT"}})
    # When the email screen's one declaration of that button is renamed the same way (the only edit)
    monkeypatch.setattr(LoginEmailPage, "next_button", LoginEmailPage.next_button.renamed("NEXT"))
    # Then the login is walked to the home page: every screen passes the drift check, and the
    # press of the button (the same declaration) finds NEXT and mails the password
    home = await walk_login(qa_session, qa_employer, qa_settings)
    assert await home.is_shown()
    # And back on the email screen, the drift check is clean with NEXT, and reports SETERUSNYA
    # once the declaration is put back: the check and the action never disagree
    await (await LandingPage.open(qa_session.page, qa_settings.portal.base_url)).go_to_portal()
    assert await check_screen(qa_session.page, LoginEmailPage) == []
    monkeypatch.undo()
    [drift] = await check_screen(qa_session.page, LoginEmailPage)
    assert (drift.role, drift.expected, drift.found_now[:1]) == ("button", "SETERUSNYA", ("NEXT",)), drift
