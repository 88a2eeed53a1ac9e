"""The QA suite's walks of the registration procedures (QRG 2, 3/10, 11): each screen checked for
drift before it is used. Read-only unless the name says it registers something.

QRG 2 is public (no login); QRG 3, 10 and 11 start at `My Sites` → `Registration`.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from bot.core.browser import EmployerSession
from bot.core.registration import Document, EmployerApplication, NewEmployee
from bot.core.settings import Settings
from flows.employee_registration import open_registration
from flows.pages.employer_registration import (
    EmployerConfirmPage,
    EmployerFormPage,
    EmployerKindPage,
    EmployerRegisteredPage,
)
from flows.pages.home import HomePage
from flows.pages.login import LandingPage, LoginEmailPage
from flows.pages.registration import EmployeeListPage, NewEmployeeCasesPage, RegistrationPage
from flows.pages.registration_case import CaseConfirmPage, CaseDonePage, CaseSummaryPage, DocumentsPage
from flows.pages.registration_employee import REGISTER_NEW, VARIANT_LABELS, EisStartDatePage, EmployeeFormPage
from flows.pages.registration_form import RegistrationForm
from flows.pages.registration_resign import ResignDatePage
from tests.portal.conftest import drift_explained, expect_screen


async def expect_fields(form: RegistrationForm, labels: Iterable[str]) -> None:
    """Then-step for the fields only one state or variant of a screen has (its page object lists them)."""
    where = f"{type(form).__module__}.{type(form).__qualname__}"
    missing = [label for label in labels if not await form.shows(form.field(label))]
    assert not missing, "portal drift:\n" + "\n".join(
        f"  - screen {form.screen!r}: expected label {label!r} is missing; update {where}"
        for label in missing
    )


# -- QRG 2: employer registration, without a login ------------------------------------------------


async def walk_to_employer_registration(session: EmployerSession, settings: Settings) -> EmployerKindPage:
    """Landing page → the login page's `New Employer Registration` → the kinds of employer."""
    page = session.page
    async with drift_explained(page):
        landing = await LandingPage.open(page, settings.portal.base_url)
        await expect_screen(page, LandingPage)
        login = await landing.go_to_portal()
        await expect_screen(page, LoginEmailPage)
        kinds = await EmployerKindPage.open_from(login)
    await expect_screen(page, EmployerKindPage)
    await session.step("employer-kinds")
    return kinds


async def walk_to_employer_form(kinds: EmployerKindPage, kind: str) -> EmployerFormPage:
    """The kind's form: the fields every kind has, and this kind's own (business or householder)."""
    async with drift_explained(kinds.page):
        form = await kinds.choose_kind(kind)
    await expect_screen(form.page, EmployerFormPage)
    await expect_fields(form, EmployerFormPage.kind_labels(kind))
    return form


async def register_employer_screen_by_screen(
    session: EmployerSession, form: EmployerFormPage, application: EmployerApplication
) -> tuple[str, str]:
    """Registers an employer (mutation): form → `SUBMIT` → "Proceed for Submission?" `CONFIRM` →
    "Registration Successful"; the portal's (employer code, case reference)."""
    page = form.page
    async with drift_explained(page):
        await form.fill_in(application)
        await session.step("employer-form")
        confirm = await form.submit()
    await expect_screen(page, EmployerConfirmPage)
    async with drift_explained(page):
        done = await confirm.confirm()
    await expect_screen(page, EmployerRegisteredPage)
    await session.step("employer-registered")
    return await done.employer_code(), await done.reference()


def employer_application(folder: Path, kind: str = "normal", **changes: object) -> EmployerApplication:
    """An application no portal has seen yet: its SSM number, householder MyKad and email are random."""
    token = secrets.token_hex(4)
    document = folder / f"{kind}-supporting-document.pdf"
    document.write_bytes(b"%PDF-1.4 supporting document\n")
    data: dict[str, object] = {
        "kind": kind,
        "address1": "10 Jalan Ujian",
        "postcode": "50200",
        "city": "Kuala Lumpur",
        "state": "WILAYAH PERSEKUTUAN KUALA LUMPUR",
        "phone": "0321234567",
        "email": f"qa-{token}@example.my",
        "first_hire": date.today().replace(day=1),
        "document": document,
    }
    if kind == "domestic":
        data |= {"householder_name": f"QA Householder {token}", "householder_id": unknown_mykad()}
    else:
        data |= {
            "employer_name": f"QA Employer {token} Sdn Bhd",
            "ssm": f"{date.today().year}01{secrets.randbelow(10**6):06d}",  # new format: YYYY + 01 + 6 digits
            "business_type": "Private Limited Company (Sdn Bhd)",
            "contact_name": "QA Contact",
        }
    return EmployerApplication.model_validate({**data, **changes})


# -- QRG 3 / 10 / 11: My Sites → Registration ------------------------------------------------------


async def walk_to_registration(home: HomePage) -> RegistrationPage:
    async with drift_explained(home.page):
        registration = await open_registration(home)
    await expect_screen(home.page, RegistrationPage)
    return registration


async def walk_to_employee_list(registration: RegistrationPage) -> EmployeeListPage:
    async with drift_explained(registration.page):
        employees = await registration.open_employee_list()
    await expect_screen(registration.page, EmployeeListPage)
    return employees


async def walk_back_to_registration(screen: RegistrationForm) -> RegistrationPage:
    """From any registration screen back to the Registration site page (its `Update` menu)."""
    registration = RegistrationPage(screen.page)
    async with drift_explained(screen.page):
        await registration.reopen()
    await expect_screen(screen.page, RegistrationPage)
    return registration


async def walk_to_add_employee(registration: RegistrationPage, foreign: bool) -> EmployeeFormPage:
    """`Update` → `Update Add New Employee` → the add icon → `ADD EMPLOYEE` | `ADD FOREIGN EMPLOYEE`."""
    page = registration.page
    async with drift_explained(page):
        cases = await registration.open_add_new_employee()
    await expect_screen(page, NewEmployeeCasesPage)
    async with drift_explained(page):
        form = await cases.add(foreign)
    await expect_screen(page, EmployeeFormPage)
    await expect_fields(form, (REGISTER_NEW, *VARIANT_LABELS[foreign]))
    return form


async def walk_to_resign_date(registration: RegistrationPage) -> ResignDatePage:
    async with drift_explained(registration.page):
        form = await registration.open_resign_date()
    await expect_screen(registration.page, ResignDatePage)
    return form


async def offered_employees(form: ResignDatePage) -> list[str]:
    """The `Employee` choices of the resign-date form ("NAME | IC/Passport ID | SOCSO No. N")."""
    options = await form.field("Employee").get_by_role("option").all_inner_texts()
    return [" ".join(o.split()) for o in options if o.strip() != "Please Select"]


@dataclass(frozen=True)
class Registered:
    """What the portal answered to one employee registration."""

    eis_start_date: str
    case_reference: str
    socso_no: str | None
    status: str


async def register_employee_screen_by_screen(
    session: EmployerSession, form: EmployeeFormPage, employee: NewEmployee
) -> Registered:
    """Registers `employee` (mutation), a person PERKESO does not know yet, every screen checked:
    search → `Register New Employee` + details → `SAVE` → EIS start date → `SAVE & CONTINUE` →
    `ADD DOCUMENT` → `SAVE & CONTINUE` → `SUBMIT` → `CONFIRM` → `OK` back at Registration."""
    page = form.page
    async with drift_explained(page):
        known = await form.search(employee.id_number)
    assert not known, f"PERKESO already knows {employee.id_number}: not a new person"
    await expect_screen(page, EmployeeFormPage)
    await expect_fields(form, (REGISTER_NEW,))
    async with drift_explained(page):
        await form.register_new(employee)
        await form.fill_employment(employee)
        await session.step("employee-form")
        eis = await form.save()
    await expect_screen(page, EisStartDatePage)
    eis_start = await eis.eis_start_date()
    async with drift_explained(page):
        documents = await eis.save_and_continue()
    await expect_screen(page, DocumentsPage)
    for document in employee.documents:
        async with drift_explained(page):
            await documents.add_document(document)
        await expect_screen(page, DocumentsPage)
    async with drift_explained(page):
        summary = await documents.save_and_continue()
    await expect_screen(page, CaseSummaryPage)
    async with drift_explained(page):
        confirmation = await summary.submit()
    await expect_screen(page, CaseConfirmPage)
    async with drift_explained(page):
        done = await confirmation.confirm()
    await expect_screen(page, CaseDonePage)
    await session.step("employee-registered")
    answer = Registered(
        eis_start,
        await done.reference(),
        await done.status_value("SOCSO No."),
        " ".join((await done.status.first.inner_text()).split()),
    )
    async with drift_explained(page):
        await done.ok()
    await expect_screen(page, RegistrationPage)
    return answer


def unknown_mykad(born: date | None = None) -> str:
    """A valid MyKad number (born in Kuala Lumpur), random: a portal almost surely does not know it yet."""
    born = born or date(1990, 1, 1) + timedelta(days=secrets.randbelow(3650))
    return f"{born:%y%m%d}-14-{secrets.randbelow(10_000):04d}"


def supporting_document(folder: Path, name: str, doc_type: str) -> Document:
    path = folder / name
    path.write_bytes(b"%PDF-1.4 supporting document\n")
    return Document(doc_type, path)


def new_local_employee(folder: Path) -> NewEmployee:
    """A person PERKESO does not know, starting this month, with a copy of the MyKad."""
    born = date(1990, 1, 1) + timedelta(days=secrets.randbelow(3650))
    id_number = unknown_mykad(born)
    return NewEmployee(
        id_number=id_number,
        foreign=False,
        employment_date=date.today().replace(day=1),
        occupation="Cashier",
        documents=(supporting_document(folder, "mykad.pdf", "Copy of MyKad"),),
        name="QA Pekerja Baru",
        date_of_birth=born,
        gender="M" if int(id_number[-1]) % 2 else "F",
        wages_sen=180_000,
    )


def new_foreign_worker(folder: Path) -> NewEmployee:
    """A foreign worker PERKESO does not know (a new passport number), with the passport's copy."""
    return NewEmployee(
        id_number=f"QA{secrets.randbelow(10**7):07d}",
        foreign=True,
        employment_date=date.today().replace(day=1),
        occupation="General Worker",
        documents=(supporting_document(folder, "passport.pdf", "Passport"),),
        name="QA Foreign Worker",
        date_of_birth=date(1995, 5, 5),
        gender="M",
        nationality="MYANMAR",
        permit_no=f"PLKS-QA-{secrets.randbelow(10**4):04d}",
        permit_expiry=date.today().replace(day=1) + timedelta(days=365),
        wages_sen=170_000,
    )
