"""QRG 11: `Update Employee Resign Date` – `All` or `Specific`, the employee (chosen by IC, name or
SOCSO number), `Resign Date`, `Reason`, `SAVE & CONTINUE` → the documents step."""

from __future__ import annotations

from datetime import date

from bot.core.errors import BusinessError
from bot.core.registration import REASON_LABELS, Reason
from flows.pages.base import Find
from flows.pages.registration_case import DocumentsPage
from flows.pages.registration_form import RegistrationForm


class ResignDatePage(RegistrationForm):
    screen = "Update Employee Resign Date"
    url = "/employer/registration/update/resign"
    all_radio = Find("radio", "All")
    specific_radio = Find("radio", "Specific")
    employee = Find("label", "Employee")
    resign_date = Find("label", "Resign Date")
    reason = Find("label", "Reason")
    continue_button = Find("button", "SAVE & CONTINUE")

    async def choose_all(self) -> None:
        await self._guard("choosing All", self.all_radio.check)

    async def choose_employee(self, who: str) -> None:
        """`Specific`, then the employee whose entry (name | IC | SOCSO No.) matches `who`."""
        await self._guard("choosing Specific", self.specific_radio.check)
        employee = self.employee
        options = await self.options(employee, "reading the employees")
        wanted = who.replace("-", "").strip().upper()
        # An entry reads "NAME | IC/Passport NUMBER | SOCSO No. NUMBER".
        matches = [
            o
            for o in options
            if o != "Please Select"
            and (
                o.split(" | ")[0].strip() == wanted
                or wanted in [part.split()[-1] for part in o.split(" | ")[1:]]
            )
        ]
        if len(matches) != 1:
            found = "no" if not matches else f"{len(matches)}"
            raise BusinessError(f"{self.screen}: {found} active employee matches {who!r}")
        await self._guard("choosing the employee", lambda: employee.select_option(label=matches[0]))

    async def enter(self, resign_date: date, reason: Reason) -> None:
        await self.fill(self.resign_date, resign_date.isoformat())
        await self._guard(
            "choosing the reason", lambda: self.reason.select_option(label=REASON_LABELS[reason])
        )

    async def save_and_continue(self) -> DocumentsPage:
        await self.press(self.continue_button, "saving the resign date")
        documents = self.on(DocumentsPage)
        if not await documents.shows(documents.add_button):
            raise await self.refused("the resign date")
        return documents
