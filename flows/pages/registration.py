"""`My Sites` → `Registration`: the site page (`Update` menu, `Employee List`), the employee list,
and `Update Add New Employee` with its add icon (QRG 10 steps 1-4)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.core.errors import PortalUnavailable
from flows.pages.registration_employee import EmployeeFormPage
from flows.pages.registration_form import RegistrationForm
from flows.pages.registration_resign import ResignDatePage

LIST_COLUMNS = ("Identification No.", "Name", "SOCSO No.", "Start Date", "Resign Date", "Status")


@dataclass(frozen=True)
class PortalEmployee:
    """One row of the portal's Employee List."""

    id_number: str
    name: str
    socso_no: str
    start_date: date
    resign_date: date | None

    @property
    def active(self) -> bool:
        return self.resign_date is None


class RegistrationPage(RegistrationForm):
    screen = "Registration"
    url = "/employer/registration"
    # The `Update` menu's entries are links hidden until it is opened (role locators skip hidden
    # elements): checked by their text.
    expects = (
        ("text", "Update"),
        ("text", "Update Add New Employee"),
        ("text", "Update Employee Resign Date"),
        ("link", "Employee List"),
    )

    async def reopen(self) -> None:
        """Back to this page from wherever a refused step left the browser."""
        base = self.page.url.split("/employer/")[0]
        await self.goto(f"{base}/employer/registration", "going back to Registration")
        self.expect_signed_in()

    async def _update(self, entry: str, what: str) -> None:
        await self._guard("opening Update", self.page.get_by_text("Update", exact=True).click)
        await self.click_and_load(self.page.get_by_role("link", name=entry, exact=True), what)
        self.expect_signed_in()

    async def open_add_new_employee(self) -> NewEmployeeCasesPage:
        await self._update("Update Add New Employee", "opening Update Add New Employee")
        return NewEmployeeCasesPage(self.page)

    async def open_resign_date(self) -> ResignDatePage:
        await self._update("Update Employee Resign Date", "opening Update Employee Resign Date")
        return ResignDatePage(self.page)

    async def open_employee_list(self) -> EmployeeListPage:
        await self.click_and_load(
            self.page.get_by_role("link", name="Employee List", exact=True), "opening the Employee List"
        )
        self.expect_signed_in()
        return EmployeeListPage(self.page)


class EmployeeListPage(RegistrationForm):
    screen = "Employee List"
    url = "/employer/registration/employees"
    expects = (("table", "Employee List"), *(("columnheader", column) for column in LIST_COLUMNS))

    async def employees(self) -> list[PortalEmployee]:
        """Every row of the list (active and left)."""
        table = self.page.get_by_role("table", name="Employee List")
        headers = await self._guard("reading the list", table.get_by_role("columnheader").all_inner_texts)
        if tuple(h.strip() for h in headers) != LIST_COLUMNS:
            raise PortalUnavailable(f"{self.screen}: unexpected columns {headers}")
        rows = await self._guard("reading the list", table.get_by_role("row").all)
        found = []
        for row in rows:
            cells = [
                c.strip() for c in await self._guard("reading a row", row.get_by_role("cell").all_inner_texts)
            ]
            if len(cells) != len(LIST_COLUMNS):
                continue  # the header row
            found.append(
                PortalEmployee(
                    id_number=cells[0],
                    name=cells[1],
                    socso_no=cells[2],
                    start_date=date.fromisoformat(cells[3]),
                    resign_date=date.fromisoformat(cells[4]) if cells[4] else None,
                )
            )
        return found


class NewEmployeeCasesPage(RegistrationForm):
    """`Update Add New Employee`: the employer's cases and the add icon."""

    screen = "Update Add New Employee"
    url = "/employer/registration/update/new-employee"
    # `ADD EMPLOYEE` / `ADD FOREIGN EMPLOYEE` show only after the add icon (same URL, `?add=1`).
    expects = (("link", "Add employee"),)

    async def add(self, foreign: bool) -> EmployeeFormPage:
        """The add icon, then `ADD EMPLOYEE` or `ADD FOREIGN EMPLOYEE`."""
        await self.click_and_load(self.page.get_by_role("link", name="Add employee"), "pressing the add icon")
        choice = "ADD FOREIGN EMPLOYEE" if foreign else "ADD EMPLOYEE"
        await self.click_and_load(
            self.page.get_by_role("link", name=choice, exact=True), f"choosing {choice}"
        )
        self.expect_signed_in()
        return EmployeeFormPage(self.page)
