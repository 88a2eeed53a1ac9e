"""`My Sites` → `Registration`: the site page (`Update` menu, `Employee List`), the employee list,
and `Update Add New Employee` with its add icon (QRG 10 steps 1-4)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.core.errors import PortalUnavailable
from flows.pages.base import Find
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
    update_menu = Find("text", "Update")
    add_new_employee = Find("text", "Update Add New Employee")
    resign_date = Find("text", "Update Employee Resign Date")
    employee_list_link = Find("link", "Employee List")

    async def reopen(self) -> None:
        """Back to this page from wherever a refused step left the browser."""
        base = self.page.url.split("/employer/")[0]
        await self.goto(f"{base}/employer/registration", "going back to Registration")
        self.expect_signed_in()

    async def _update(self, entry: Find, what: str) -> None:
        """Open the `Update` menu, then follow one of its links (found by their text, as declared)."""
        await self._guard("opening Update", self.update_menu.click)
        await self.follow(self.at(entry), what)
        self.expect_signed_in()

    async def open_add_new_employee(self) -> NewEmployeeCasesPage:
        await self._update(type(self).add_new_employee, "opening Update Add New Employee")
        return self.on(NewEmployeeCasesPage)

    async def open_resign_date(self) -> ResignDatePage:
        await self._update(type(self).resign_date, "opening Update Employee Resign Date")
        return self.on(ResignDatePage)

    async def open_employee_list(self) -> EmployeeListPage:
        await self.follow(self.employee_list_link, "opening the Employee List")
        self.expect_signed_in()
        return self.on(EmployeeListPage)


class EmployeeListPage(RegistrationForm):
    screen = "Employee List"
    url = "/employer/registration/employees"
    table = Find("table", "Employee List")
    columns = tuple(Find("columnheader", column) for column in LIST_COLUMNS)

    async def employees(self) -> list[PortalEmployee]:
        """Every row of the list (active and left), read by column header."""
        rows = await self.table_rows(self.table, "reading the list")
        if rows and tuple(rows[0]) != LIST_COLUMNS:
            raise PortalUnavailable(f"{self.name}: unexpected columns {list(rows[0])}")
        return [
            PortalEmployee(
                id_number=r["Identification No."],
                name=r["Name"],
                socso_no=r["SOCSO No."],
                start_date=date.fromisoformat(r["Start Date"]),
                resign_date=date.fromisoformat(r["Resign Date"]) if r["Resign Date"] else None,
            )
            for r in rows
        ]


class NewEmployeeCasesPage(RegistrationForm):
    """`Update Add New Employee`: the employer's cases and the add icon."""

    screen = "Update Add New Employee"
    url = "/employer/registration/update/new-employee"
    # `ADD EMPLOYEE` / `ADD FOREIGN EMPLOYEE` show only after the add icon (same URL, `?add=1`).
    add_icon = Find("link", "Add employee")
    add_local = Find("link", "ADD EMPLOYEE", optional=True)
    add_foreign = Find("link", "ADD FOREIGN EMPLOYEE", optional=True)

    async def add(self, foreign: bool) -> EmployeeFormPage:
        """The add icon, then `ADD EMPLOYEE` or `ADD FOREIGN EMPLOYEE`."""
        await self.follow(self.add_icon, "pressing the add icon")
        choice = self.add_foreign if foreign else self.add_local
        await self.follow(choice, f"choosing {'ADD FOREIGN EMPLOYEE' if foreign else 'ADD EMPLOYEE'}")
        self.expect_signed_in()
        return self.on(EmployeeFormPage)
