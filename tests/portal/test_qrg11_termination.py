"""QRG 11 – Employee termination: `Update Employee Resign Date` offers exactly the active employees
and refuses a resign date before the start date (read-only), an employee leaves and the Employee
List shows the resign date (mutation)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from bot.core.browser import EmployerSession
from bot.core.errors import BusinessError
from bot.core.registration import Termination
from bot.core.settings import EmployerSettings, Settings
from flows.employee_termination import terminate_employee
from flows.pages.registration import EmployeeListPage, PortalEmployee
from flows.pages.registration_resign import ResignDatePage
from tests.portal.conftest import drift_explained, expect_screen
from tests.portal.walks import walk_login
from tests.portal.walks_registration import (
    offered_employees,
    supporting_document,
    walk_back_to_registration,
    walk_to_employee_list,
    walk_to_registration,
    walk_to_resign_date,
)

pytestmark = pytest.mark.timeout(120)


async def employee_list(
    session: EmployerSession, employer: EmployerSettings, settings: Settings
) -> tuple[EmployeeListPage, list[PortalEmployee]]:
    """Logged in: Registration → Employee List, read."""
    home = await walk_login(session, employer, settings)
    listing = await walk_to_employee_list(await walk_to_registration(home))
    return listing, await listing.employees()


def offered_ids(entries: list[str]) -> set[str]:
    """The ID of each entry "NAME | IC/Passport ID | SOCSO No. N" (the format ResignDatePage reads)."""
    return {entry.split(" | ")[1].split()[-1] for entry in entries}


async def test_the_resign_form_offers_exactly_the_active_employees(
    qa_session: EmployerSession, qa_employer: EmployerSettings, qa_settings: Settings
) -> None:
    # Given the Employee List of a test account
    listing, employees = await employee_list(qa_session, qa_employer, qa_settings)
    # When it opens Update → Update Employee Resign Date
    form = await walk_to_resign_date(await walk_back_to_registration(listing))
    # Then the Employee choices are the employees who have not left, each once
    await qa_session.step("resign-form")
    entries = await offered_employees(form)
    assert len(entries) == len(offered_ids(entries)), entries
    assert offered_ids(entries) == {e.id_number for e in employees if e.active}, entries


async def test_a_resign_date_before_the_start_date_is_refused(
    qa_session: EmployerSession, qa_employer: EmployerSettings, qa_settings: Settings
) -> None:
    # Given an active employee, and the day before they started
    listing, employees = await employee_list(qa_session, qa_employer, qa_settings)
    [employee, *_] = [e for e in employees if e.active]
    form = await walk_to_resign_date(await walk_back_to_registration(listing))
    # When that day is entered as the resign date (refused before a case is opened)
    async with drift_explained(form.page):
        await form.choose_employee(employee.id_number)
        await form.enter(employee.start_date - timedelta(days=1), "resigned")
        with pytest.raises(BusinessError) as refused:
            await form.save_and_continue()
    # Then the portal names the Resign Date field, and the form stays
    assert "Resign Date:" in str(refused.value), refused.value
    await expect_screen(form.page, ResignDatePage)


@pytest.mark.mutation
async def test_an_employee_leaves_and_the_employee_list_shows_the_resign_date(
    qa_session: EmployerSession, qa_employer: EmployerSettings, qa_settings: Settings, tmp_path: Path
) -> None:
    # Given an active employee who resigned on the last day of last month, with the letter
    listing, before = await employee_list(qa_session, qa_employer, qa_settings)
    resign_date = date.today().replace(day=1) - timedelta(days=1)
    [leaver, *_] = [e for e in before if e.active and e.start_date <= resign_date]
    termination = Termination(
        leaver.id_number,
        resign_date,
        "resigned",
        (supporting_document(tmp_path, "letter.pdf", "Resignation Letter"),),
    )
    registration = await walk_back_to_registration(listing)
    # When the bot records the resign date (flows.employee_termination)
    async with drift_explained(qa_session.page):
        reference = await terminate_employee(qa_session, registration, termination)
    # Then the portal gives a case update number
    assert reference
    # And the Employee List shows the resign date, everyone else as before
    after = await (await walk_to_employee_list(registration)).employees()
    await qa_session.step("employee-list-after")
    [left] = [e for e in after if e.id_number == leaver.id_number]
    assert (left.resign_date, left.active) == (resign_date, False), left
    assert {e.id_number: e for e in after if e is not left} == {
        e.id_number: e for e in before if e is not leaver
    }
    # And the resign form no longer offers them
    form = await walk_to_resign_date(await walk_back_to_registration(registration))
    assert leaver.id_number not in offered_ids(await offered_employees(form))
