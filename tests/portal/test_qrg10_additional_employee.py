"""QRG 10 – Register an additional employee: the Employee List of an employer that already has
employees, the search refusing someone already on it and filling in a person PERKESO knows
(read-only), such a person registered and joining the Employee List (mutation)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from bot.core.browser import Browser, EmployerSession
from bot.core.errors import BusinessError
from bot.core.evidence import Evidence
from bot.core.registration import NewEmployee
from bot.core.settings import EmployerSettings, Settings
from flows.employee_registration import add_employee
from flows.pages.registration import EmployeeListPage, PortalEmployee
from flows.pages.registration_employee import REGISTER_NEW
from tests.portal.conftest import drift_explained
from tests.portal.walks import walk_login
from tests.portal.walks_registration import (
    supporting_document,
    walk_back_to_registration,
    walk_to_add_employee,
    walk_to_employee_list,
    walk_to_registration,
)

pytestmark = pytest.mark.timeout(120)
MYKAD = re.compile(r"\d{12}")


@pytest.fixture
async def known_elsewhere(
    qa_browser: Browser, qa_settings: Settings, qa_employer: EmployerSettings, tmp_path: Path
) -> list[PortalEmployee]:
    """People PERKESO knows: the active local employees of another test account, read from its
    Employee List (in a browser context of its own)."""
    other = next((e for e in qa_settings.employers if e.name != qa_employer.name), None)
    if other is None:
        pytest.skip("needs a second test account in the portfolio (its employees are people PERKESO knows)")
    async with qa_browser.employer(Evidence(tmp_path, "known-elsewhere", other.name)) as session:
        home = await walk_login(session, other, qa_settings)
        listed = await (await walk_to_employee_list(await walk_to_registration(home))).employees()
    return [e for e in listed if e.active and MYKAD.fullmatch(e.id_number)]


async def employee_list(
    session: EmployerSession, employer: EmployerSettings, settings: Settings
) -> tuple[EmployeeListPage, list[PortalEmployee]]:
    """Logged in: Registration → Employee List, read."""
    home = await walk_login(session, employer, settings)
    listing = await walk_to_employee_list(await walk_to_registration(home))
    return listing, await listing.employees()


def newcomer(own: list[PortalEmployee], known: list[PortalEmployee]) -> PortalEmployee:
    """A person PERKESO knows who does not work for this employer yet."""
    ours = {e.id_number for e in own}
    candidates = [e for e in known if e.id_number not in ours]
    assert candidates, "every employee of the other test account already works here"
    return candidates[0]


async def test_the_employee_list_shows_who_already_works_there(
    qa_session: EmployerSession, qa_employer: EmployerSettings, qa_settings: Settings
) -> None:
    # Given a test account with employees (QRG 10 adds to them)
    # When it opens Registration → Employee List
    _, employees = await employee_list(qa_session, qa_employer, qa_settings)
    # Then every row has an ID, a name, a SOCSO number and a start date no later than today; a
    # resign date, if any, is not before the start date; no one is listed twice
    await qa_session.step("employee-list")
    assert employees, "the Employee List is empty"
    for e in employees:
        assert e.id_number and e.name and e.socso_no and e.start_date <= date.today(), e
        assert e.resign_date is None or e.resign_date >= e.start_date, e
    assert len({e.id_number for e in employees}) == len(employees)


async def test_an_employee_already_on_the_list_is_refused_by_the_search(
    qa_session: EmployerSession, qa_employer: EmployerSettings, qa_settings: Settings
) -> None:
    # Given an active local employee on the Employee List
    listing, employees = await employee_list(qa_session, qa_employer, qa_settings)
    [present, *_] = [e for e in employees if e.active and MYKAD.fullmatch(e.id_number)]
    form = await walk_to_add_employee(await walk_back_to_registration(listing), foreign=False)
    # When their MyKad number is searched on ADD EMPLOYEE (nothing is saved)
    with pytest.raises(BusinessError) as refused:
        await form.search(present.id_number)
    # Then the portal refuses a second registration with this employer, on the ID field
    message = str(refused.value)
    assert "Identification No.:" in message and "already registered" in message, message


async def test_the_search_fills_in_a_person_perkeso_knows(
    qa_session: EmployerSession,
    qa_employer: EmployerSettings,
    qa_settings: Settings,
    known_elsewhere: list[PortalEmployee],
) -> None:
    # Given a person another employer registered, who does not work here
    listing, employees = await employee_list(qa_session, qa_employer, qa_settings)
    person = newcomer(employees, known_elsewhere)
    form = await walk_to_add_employee(await walk_back_to_registration(listing), foreign=False)
    # When their MyKad number is searched (QRG 10 step 5; nothing is saved)
    async with drift_explained(form.page):
        known = await form.search(person.id_number)
    # Then PERKESO's record fills in the name, and `Register New Employee` is not offered
    await qa_session.step("employee-found")
    assert known is True
    assert await form.field("Name").input_value() == person.name
    assert not await form.shows(form.field(REGISTER_NEW))


@pytest.mark.mutation
async def test_an_additional_employee_perkeso_knows_joins_the_employee_list(
    qa_session: EmployerSession,
    qa_employer: EmployerSettings,
    qa_settings: Settings,
    known_elsewhere: list[PortalEmployee],
    tmp_path: Path,
) -> None:
    # Given the Employee List, and a person PERKESO knows who starts here this month
    listing, before = await employee_list(qa_session, qa_employer, qa_settings)
    person = newcomer(before, known_elsewhere)
    start = date.today().replace(day=1)
    joiner = NewEmployee(
        id_number=person.id_number,
        foreign=False,
        employment_date=start,
        occupation="Cashier",
        documents=(supporting_document(tmp_path, "offer.pdf", "Offer Letter"),),
        wages_sen=190_000,
    )
    registration = await walk_back_to_registration(listing)
    # When the bot registers them with only the MyKad number and the job (flows.employee_registration)
    async with drift_explained(qa_session.page):
        added = await add_employee(qa_session, registration, joiner)
    # Then the search found them, the portal gave a case reference
    assert added.known_to_perkeso and added.case_reference, added
    # And the Employee List has them, active from the start date, and everyone else as before
    after = await (await walk_to_employee_list(registration)).employees()
    await qa_session.step("employee-list-after")
    [new] = [e for e in after if e.id_number == person.id_number]
    assert (new.name, new.start_date, new.active) == (person.name, start, True), new
    assert {e.id_number: e for e in after if e is not new} == {e.id_number: e for e in before}
