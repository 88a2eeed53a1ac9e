"""QRG 11 – employee termination: `MY SITES` → `REGISTRATION` → `Update` → `Update Employee Resign
Date` → `All` or `Specific` (the employee by IC / name / SOCSO number) → resign date and reason →
`SAVE & CONTINUE` → documents → `SAVE & CONTINUE` → `SUBMIT` → `CONFIRM` → the case update number.
The employee then leaves the contribution list from the month after the resign date."""

from __future__ import annotations

import logging

from bot.core.browser import EmployerSession
from bot.core.registration import Termination
from flows.pages.registration import RegistrationPage

log = logging.getLogger(__name__)


async def terminate_employee(
    session: EmployerSession, registration: RegistrationPage, termination: Termination
) -> str:
    """Record the resign date; returns the portal's case update number, ends on the Registration page."""
    form = await registration.open_resign_date()
    if termination.employee is None:
        await form.choose_all()
    else:
        await form.choose_employee(termination.employee)
    await form.enter(termination.resign_date, termination.reason)
    await session.step("resign-date")
    documents = await form.save_and_continue()
    for document in termination.documents:
        await documents.add_document(document)
    summary = await documents.save_and_continue()
    done = await summary.submit_and_confirm()
    await session.step("resign-date-submitted")
    reference = await done.reference()
    log.info("resign date %s recorded: case update %s", termination.resign_date, reference)
    await done.ok()
    return reference
