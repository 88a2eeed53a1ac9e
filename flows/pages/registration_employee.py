"""QRG 3 / QRG 10 steps 5-8: the `ADD EMPLOYEE` / `ADD FOREIGN EMPLOYEE` form (`Identification No.`
and its search icon, `Register New Employee`, `SAVE`) and the EIS start date (`SAVE & CONTINUE`)."""

from __future__ import annotations

from bot.core.registration import NewEmployee
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
    expects = (
        ("label", "Identification No."),
        ("button", "Search"),
        ("label", "Name"),
        ("label", "Date of Birth"),
        ("label", "Gender"),
        ("label", "Employment Start Date"),
        ("label", "Occupation"),
        ("label", "Monthly Wages (RM)"),
        ("label", "Domestic Employee"),
        ("button", "SAVE"),
    )

    async def search(self, id_number: str) -> bool:
        """Type the ID and press the search icon; True when PERKESO knows the person (details filled)."""
        await self.fill("Identification No.", id_number)
        await self.click_and_load(self.page.get_by_role("button", name="Search"), "searching the ID")
        if await self.field_errors():
            raise await self.refused(f"the Identification No. {id_number}")
        text = await self._guard("reading the search result", lambda: self.status.first.inner_text())
        return FOUND in text

    async def register_new(self, employee: NewEmployee) -> None:
        """Tick `Register New Employee` and type the person's details."""
        await self._guard("ticking Register New Employee", self.field(REGISTER_NEW).check)
        if employee.name:
            await self.fill("Name", employee.name)
        if employee.date_of_birth:
            await self.fill("Date of Birth", employee.date_of_birth.isoformat())
        if employee.gender:
            await self.choose("Gender", employee.gender)
        if employee.foreign:
            if employee.nationality:
                await self.choose("Nationality", employee.nationality.upper())
        else:
            await self.choose("Citizenship", employee.citizenship)

    async def fill_employment(self, employee: NewEmployee) -> None:
        if employee.foreign:
            await self.fill("Permit (PLKS) No.", employee.permit_no or "")
            await self.fill(
                "Permit Expiry Date", employee.permit_expiry.isoformat() if employee.permit_expiry else ""
            )
        await self.fill("Employment Start Date", employee.employment_date.isoformat())
        await self.fill("Occupation", employee.occupation)
        if employee.wages_sen is not None:
            await self.fill("Monthly Wages (RM)", f"{employee.wages_sen / 100:.2f}")
        if employee.domestic:
            await self._guard("ticking Domestic Employee", self.field("Domestic Employee").check)

    async def save(self) -> EisStartDatePage:
        await self.click_and_load(
            self.page.get_by_role("button", name="SAVE", exact=True), "saving the employee"
        )
        eis = EisStartDatePage(self.page)
        if not await eis.shows(eis.field("EIS Start Date")):
            raise await self.refused("the new employee")
        return eis


class EisStartDatePage(RegistrationForm):
    screen = "EIS start date"
    url = "/employer/registration/cases/*/eis"
    expects = (("label", "EIS Start Date"), ("button", "SAVE & CONTINUE"))

    async def eis_start_date(self) -> str:
        return await self._guard("reading the EIS start date", self.field("EIS Start Date").input_value)

    async def save_and_continue(self) -> DocumentsPage:
        await self.click_and_load(
            self.page.get_by_role("button", name="SAVE & CONTINUE", exact=True),
            "continuing from the EIS start date",
        )
        return DocumentsPage(self.page)
