"""QRG 3 / QRG 10 – register an additional employee (local or foreign, normal or domestic):
`MY SITES` → `REGISTRATION` → `Update` → `Update Add New Employee` → add icon → `ADD EMPLOYEE` |
`ADD FOREIGN EMPLOYEE` → `Identification No.` + search (details fill in when PERKESO knows the
person, else `Register New Employee` + details) → `SAVE` → EIS start date → `SAVE & CONTINUE` →
`ADD DOCUMENT` → `SAVE & CONTINUE` → `SUBMIT` → `CONFIRM` → the case reference number.

QRG 3's local and foreign forms are the same data as QRG 10's two add-employee forms, so one
flow serves both, choosing the form by `NewEmployee.foreign`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bot.core.browser import EmployerSession
from bot.core.registration import NewEmployee
from flows.pages.home import HomePage
from flows.pages.registration import RegistrationPage

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class AddedEmployee:
    id_number: str
    case_reference: str
    socso_no: str | None
    known_to_perkeso: bool


async def open_registration(home: HomePage) -> RegistrationPage:
    await home.open_site("Registration")
    return home.on(RegistrationPage)


async def add_employee(
    session: EmployerSession, registration: RegistrationPage, employee: NewEmployee
) -> AddedEmployee:
    """Register `employee` with the logged-in employer; ends back on the Registration page."""
    cases = await registration.open_add_new_employee()
    form = await cases.add(employee.foreign)
    known = await form.search(employee.id_number)
    if not known:
        await form.register_new(employee)
    await form.fill_employment(employee)
    await session.step(f"add-employee-{employee.id_number}")
    eis = await form.save()
    documents = await eis.save_and_continue()
    for document in employee.documents:
        await documents.add_document(document)
    summary = await documents.save_and_continue()
    done = await summary.submit_and_confirm()
    await session.step(f"added-employee-{employee.id_number}")
    added = AddedEmployee(
        employee.id_number, await done.reference(), await done.status_value("SOCSO No."), known
    )
    log.info("registered employee %s: case %s", _masked(employee.id_number), added.case_reference)
    await done.ok()
    return added


def _masked(id_number: str) -> str:
    """IC numbers are masked in logs (DESIGN.md, Evidence)."""
    return "*" * max(0, len(id_number) - 4) + id_number[-4:]
