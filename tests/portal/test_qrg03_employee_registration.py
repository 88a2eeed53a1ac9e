"""QRG 3 – Employee registration: the local (MyKad) and foreign (passport) forms and the
`Identification No.` search (read-only), a drift rehearsal on the form, a new local employee and a
new foreign worker registered (mutation)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.browser import EmployerSession
from bot.core.errors import BusinessError
from bot.core.settings import EmployerSettings, Settings
from flows.employee_registration import add_employee
from flows.pages.registration_employee import REGISTER_NEW, VARIANT_LABELS, EmployeeFormPage
from tests.portal.conftest import drift_explained, expect_screen
from tests.portal.walks import walk_login
from tests.portal.walks_registration import (
    expect_fields,
    new_foreign_worker,
    new_local_employee,
    register_employee_screen_by_screen,
    unknown_mykad,
    walk_to_add_employee,
    walk_to_registration,
)
from tests.support.portal import MockPortalProcess

pytestmark = pytest.mark.timeout(120)


async def open_form(
    session: EmployerSession, employer: EmployerSettings, settings: Settings, foreign: bool = False
) -> EmployeeFormPage:
    home = await walk_login(session, employer, settings)
    return await walk_to_add_employee(await walk_to_registration(home), foreign)


@pytest.mark.parametrize("foreign", [False, True], ids=["local", "foreign"])
async def test_the_local_and_the_foreign_form_ask_for_their_own_details(
    qa_session: EmployerSession, qa_employer: EmployerSettings, qa_settings: Settings, foreign: bool
) -> None:
    # Given a logged-in test account
    # When it opens Registration → Update → Update Add New Employee → add icon → ADD (FOREIGN) EMPLOYEE
    form = await open_form(qa_session, qa_employer, qa_settings, foreign)
    # Then the form has the shared fields and its variant's own (checked by the walk), not the other's
    await qa_session.step("employee-form-foreign" if foreign else "employee-form-local")
    for label in VARIANT_LABELS[not foreign]:
        assert not await form.shows(form.field(label)), (
            f"the {'foreign' if foreign else 'local'} form asks for {label}"
        )


async def test_an_invalid_mykad_number_is_refused_by_the_search(
    qa_session: EmployerSession, qa_employer: EmployerSettings, qa_settings: Settings
) -> None:
    # Given the local form
    form = await open_form(qa_session, qa_employer, qa_settings)
    # When a MyKad number with a 13th month is searched (nothing is saved)
    with pytest.raises(BusinessError) as refused:
        await form.search("961345-14-5521")
    # Then the portal names the field, and the form stays
    assert "Identification No.:" in str(refused.value), refused.value
    await expect_screen(form.page, EmployeeFormPage)


async def test_a_person_perkeso_does_not_know_is_offered_register_new_employee(
    qa_session: EmployerSession, qa_employer: EmployerSettings, qa_settings: Settings
) -> None:
    # Given the local form and a MyKad number no one has registered
    form = await open_form(qa_session, qa_employer, qa_settings)
    # When it is searched
    async with drift_explained(form.page):
        known = await form.search(unknown_mykad())
    # Then PERKESO has no record: `Register New Employee` is offered and the details are left to type
    await qa_session.step("employee-not-found")
    assert known is False
    await expect_fields(form, (REGISTER_NEW,))
    assert await form.field("Name").input_value() == ""


@pytest.fixture
def mock(request: pytest.FixtureRequest, qa_settings: Settings) -> MockPortalProcess:
    if request.config.getoption("base_url", default=None):
        pytest.skip("rehearsing drift needs the bundled mock portal's faults")
    portal: MockPortalProcess = request.getfixturevalue("fresh_portal")
    return portal


async def test_a_renamed_field_of_the_employee_form_is_reported(
    mock: MockPortalProcess, qa_session: EmployerSession, qa_employer: EmployerSettings, qa_settings: Settings
) -> None:
    # Given the portal renamed "Employment Start Date" to "Employment Date"
    mock.set_faults({"labels": {"Employment Start Date": "Employment Date"}})
    # When the walk reaches ADD EMPLOYEE
    with pytest.raises(AssertionError) as failed:
        await open_form(qa_session, qa_employer, qa_settings)
    # Then the report names the screen, the expected label, the new one and the page object
    report = str(failed.value)
    assert "screen 'ADD EMPLOYEE'" in report, report
    assert "label 'Employment Start Date' is missing" in report and "'Employment Date'" in report, report
    assert "update flows.pages.registration_employee.EmployeeFormPage" in report, report


@pytest.mark.mutation
async def test_a_new_local_employee_is_registered_screen_by_screen(
    qa_session: EmployerSession, qa_employer: EmployerSettings, qa_settings: Settings, tmp_path: Path
) -> None:
    # Given a person PERKESO does not know, starting this month, with a copy of the MyKad
    employee = new_local_employee(tmp_path)
    form = await open_form(qa_session, qa_employer, qa_settings)
    # When the employer registers them: search, Register New Employee, SAVE, EIS start date,
    # ADD DOCUMENT, SAVE & CONTINUE, SUBMIT, CONFIRM
    answer = await register_employee_screen_by_screen(qa_session, form, employee)
    # Then the portal gives a case reference, the MyKad number as the SOCSO number, and the EIS
    # start date shown at step 8
    assert answer.case_reference, answer
    assert answer.socso_no == employee.id_number.replace("-", ""), answer
    assert answer.eis_start_date and f"EIS Start Date: {answer.eis_start_date}" in answer.status, answer


@pytest.mark.mutation
async def test_a_new_foreign_worker_gets_a_socso_number_of_its_own(
    qa_session: EmployerSession, qa_employer: EmployerSettings, qa_settings: Settings, tmp_path: Path
) -> None:
    # Given a foreign worker PERKESO does not know, with a passport and a PLKS permit
    worker = new_foreign_worker(tmp_path)
    registration = await walk_to_registration(await walk_login(qa_session, qa_employer, qa_settings))
    # When the bot registers them with ADD FOREIGN EMPLOYEE (flows.employee_registration)
    async with drift_explained(qa_session.page):
        added = await add_employee(qa_session, registration, worker)
    # Then the portal issues a 12-digit SOCSO foreign-worker number, not the passport number
    assert added.case_reference and not added.known_to_perkeso, added
    assert added.socso_no and added.socso_no.isdigit() and len(added.socso_no) == 12, added
