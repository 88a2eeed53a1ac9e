"""QRG 2 – employer registration (normal, employer of foreign workers, domestic), without a login:
login page → `New Employer Registration` → the kind → the form with its supporting document →
`SUBMIT` → "Proceed for Submission?" `CONFIRM` → the employer code; the registered email is
then the employer's ASSIST login."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bot.core.browser import EmployerSession
from bot.core.registration import EmployerApplication
from bot.core.settings import Settings
from flows.pages.employer_registration import EmployerKindPage
from flows.pages.login import LandingPage

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RegisteredEmployer:
    employer_code: str
    case_reference: str
    login_email: str


async def register_employer(
    session: EmployerSession, application: EmployerApplication, settings: Settings
) -> RegisteredEmployer:
    landing = await LandingPage.open(session.page, settings.portal.base_url)
    login = await landing.go_to_portal()
    kinds = await EmployerKindPage.open_from(login)
    form = await kinds.choose_kind(application.kind)
    await form.fill_in(application)
    if application.mailbox_password is not None:
        await form.fill_mailbox_password(session.hide(application.mailbox_password))
    await session.step("employer-form")
    confirm = await form.submit()
    await session.step("employer-confirm")
    done = await confirm.confirm()
    await session.step("employer-registered")
    registered = RegisteredEmployer(await done.employer_code(), await done.reference(), application.email)
    log.info(
        "registered %s as %s (case %s)",
        application.display_name,
        registered.employer_code,
        registered.case_reference,
    )
    return registered
