"""QRG 3 / QRG 10 steps 5-8: the `ADD EMPLOYEE` / `ADD FOREIGN EMPLOYEE` form (`Identification No.`
and its search icon, `Register New Employee`, `SAVE`) and the EIS start date (`SAVE & CONTINUE`)."""

from __future__ import annotations

from typing import ClassVar

from bot.core.registration import NewEmployee
from flows.pages.base import Find
from flows.pages.registration_case import DocumentsPage
from flows.pages.registration_form import RegistrationForm

FOUND = "Employee found in PERKESO records"
REGISTER_NEW = "Register New Employee"
# The fields of the local (MyKad) and the foreign (passport) form only.
VARIANT_LABELS = {False: ("Citizenship",), True: ("Nationality", "Permit (PLKS) No.", "Permit Expiry Date")}


class EmployeeFormPage(RegistrationForm):
    screen = "ADD EMPLOYEE"
    url = "/employer/registration/update/new-employee/add/*"  # local | foreign
    # What both forms have in every state; `Register New Employee` is there only until the search
    # finds the person, and the variant's own fields are VARIANT_LABELS.
    id_number = Find("label", "Identification No.")
    search_button = Find("button", "Search")
    name_field = Find("label", "Name")
    date_of_birth = Find("label", "Date of Birth")
    gender = Find("label", "Gender")
    employment_date = Find("label", "Employment Start Date")
    occupation = Find("label", "Occupation")
    wages = Find("label", "Monthly Wages (RM)")
    domestic = Find("label", "Domestic Employee")
    save_button = Find("button", "SAVE")
    register_new_box = Find("label", REGISTER_NEW, optional=True)
    variant: ClassVar[dict[str, Find]] = {
        label: Find("label", label, optional=True) for labels in VARIANT_LABELS.values() for label in labels
    }

    async def search(self, id_number: str) -> bool:
        """Type the ID and press the search icon; True when PERKESO knows the person (details filled)."""
        await self.fill(self.id_number, id_number)
        await self.press(self.search_button, "searching the ID")
        if await self.field_errors():
            raise await self.refused(f"the Identification No. {id_number}")
        text = await self._guard("reading the search result", lambda: self.status.first.inner_text())
        return FOUND in text

    async def register_new(self, employee: NewEmployee) -> None:
        """Tick `Register New Employee` and type the person's details."""
        await self._guard("ticking Register New Employee", self.register_new_box.check)
        if employee.name:
            await self.fill(self.name_field, employee.name)
        if employee.date_of_birth:
            await self.fill(self.date_of_birth, employee.date_of_birth.isoformat())
        if employee.gender:
            await self.choose(self.gender, employee.gender)
        if employee.foreign:
            if employee.nationality:
                await self.choose(self.variant["Nationality"], employee.nationality.upper())
        else:
            await self.choose(self.variant["Citizenship"], employee.citizenship)

    async def fill_employment(self, employee: NewEmployee) -> None:
        if employee.foreign:
            await self.fill(self.variant["Permit (PLKS) No."], employee.permit_no or "")
            expiry = employee.permit_expiry.isoformat() if employee.permit_expiry else ""
            await self.fill(self.variant["Permit Expiry Date"], expiry)
        await self.fill(self.employment_date, employee.employment_date.isoformat())
        await self.fill(self.occupation, employee.occupation)
        if employee.wages_sen is not None:
            await self.fill(self.wages, f"{employee.wages_sen / 100:.2f}")
        if employee.domestic:
            await self._guard("ticking Domestic Employee", self.domestic.check)

    async def save(self) -> EisStartDatePage:
        await self.press(self.save_button, "saving the employee")
        eis = self.on(EisStartDatePage)
        if not await eis.shows(eis.start_date):
            raise await self.refused("the new employee")
        return eis


class EisStartDatePage(RegistrationForm):
    screen = "EIS start date"
    url = "/employer/registration/cases/*/eis"
    start_date = Find("label", "EIS Start Date")
    continue_button = Find("button", "SAVE & CONTINUE")

    async def eis_start_date(self) -> str:
        return await self._guard("reading the EIS start date", self.start_date.input_value)

    async def save_and_continue(self) -> DocumentsPage:
        await self.press(self.continue_button, "continuing from the EIS start date")
        return self.on(DocumentsPage)
