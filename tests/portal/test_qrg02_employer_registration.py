"""QRG 2 – Employer registration: the public forms of the three kinds of employer and a refused
application (read-only), a normal and a domestic employer registered (mutation)."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest

from bot.core.browser import EmployerSession
from bot.core.errors import BusinessError
from bot.core.settings import Settings
from flows.employer_registration import register_employer
from flows.pages.employer_registration import KIND_TITLES, EmployerFormPage
from flows.pages.home import HomePage
from tests.portal.conftest import drift_explained, expect_screen
from tests.portal.walks_registration import (
    employer_application,
    register_employer_screen_by_screen,
    walk_to_employer_form,
    walk_to_employer_registration,
)

pytestmark = pytest.mark.timeout(120)
EMPLOYER_CODE = re.compile(r"[ED]\d{10}[A-Z]")


@pytest.mark.parametrize("kind", list(KIND_TITLES))
async def test_each_kind_of_employer_has_its_form_without_a_login(
    qa_session: EmployerSession, qa_settings: Settings, kind: str
) -> None:
    # Given a visitor who has not logged in
    kinds = await walk_to_employer_registration(qa_session, qa_settings)
    # When it chooses the kind of employer on "New Employer Registration"
    form = await walk_to_employer_form(kinds, kind)
    # Then the kind's form is there with its own fields (checked by the walk), still without a login
    await qa_session.step(f"employer-form-{kind}")
    assert not await HomePage(form.page).is_shown()


async def test_an_application_with_bad_fields_is_refused_field_by_field(
    qa_session: EmployerSession, qa_settings: Settings, tmp_path: Path
) -> None:
    # Given an application with a malformed SSM number and a first hire tomorrow
    application = employer_application(tmp_path, ssm="12345", first_hire=date.today() + timedelta(days=1))
    form = await walk_to_employer_form(await walk_to_employer_registration(qa_session, qa_settings), "normal")
    # When it is submitted (the portal must refuse it before "Proceed for Submission?")
    async with drift_explained(form.page):
        await form.fill_in(application)
        with pytest.raises(BusinessError) as refused:
            await form.submit()
    # Then the portal names both fields and keeps the form on screen
    await qa_session.step("employer-form-refused")
    message = str(refused.value)
    assert "SSM Registration No.:" in message and "Date First Employee Hired:" in message, message
    await expect_screen(form.page, EmployerFormPage)


@pytest.mark.mutation
async def test_a_normal_employer_is_registered_and_given_an_employer_code(
    qa_session: EmployerSession, qa_settings: Settings, tmp_path: Path
) -> None:
    # Given a new business's application with its SSM certificate
    application = employer_application(tmp_path, "normal")
    form = await walk_to_employer_form(await walk_to_employer_registration(qa_session, qa_settings), "normal")
    # When it is submitted and confirmed, screen by screen
    code, reference = await register_employer_screen_by_screen(qa_session, form, application)
    # Then "Registration Successful" shows a normal employer's code and the case reference
    assert EMPLOYER_CODE.fullmatch(code) and code.startswith("E"), code
    assert reference, "no case reference"


@pytest.mark.mutation
async def test_a_domestic_employer_is_registered_once_and_refused_the_second_time(
    qa_session: EmployerSession, qa_settings: Settings, tmp_path: Path
) -> None:
    # Given a householder's application (her MyKad, no business)
    application = employer_application(tmp_path, "domestic")
    # When the bot registers her (flows.employer_registration)
    async with drift_explained(qa_session.page):
        registered = await register_employer(qa_session, application, qa_settings)
    # Then she gets a domestic employer's code, and her login is the registered email
    assert EMPLOYER_CODE.fullmatch(registered.employer_code) and registered.employer_code.startswith("D"), (
        registered
    )
    assert registered.case_reference and registered.login_email == application.email
    # And registering the same householder again is refused, naming her MyKad and her code
    with pytest.raises(BusinessError) as refused:
        await register_employer(qa_session, application, qa_settings)
    assert "MyKad No.:" in str(refused.value) and registered.employer_code in str(refused.value), (
        refused.value
    )
