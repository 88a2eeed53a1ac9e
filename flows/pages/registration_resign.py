"""QRG 11: `Update Employee Resign Date` – `All` or `Specific`, the employee (chosen by IC, name or
SOCSO number), `Resign Date`, `Reason`, `SAVE & CONTINUE` → the documents step."""

from __future__ import annotations

from datetime import date

from bot.core.errors import BusinessError
from bot.core.registration import REASON_LABELS, Reason
from flows.pages.registration_case import DocumentsPage
from flows.pages.registration_form import RegistrationForm


class ResignDatePage(RegistrationForm):
    screen = "Update Employee Resign Date"
    url = "/employer/registration/update/resign"
    expects = (
        ("radio", "All"),
        ("radio", "Specific"),
        ("label", "Employee"),
        ("label", "Resign Date"),
        ("label", "Reason"),
        ("button", "SAVE & CONTINUE"),
    )

    async def choose_all(self) -> None:
        await self._guard("choosing All", self.page.get_by_role("radio", name="All", exact=True).check)

    async def choose_employee(self, who: str) -> None:
        """`Specific`, then the employee whose entry (name | IC | SOCSO No.) matches `who`."""
        await self._guard(
            "choosing Specific", self.page.get_by_role("radio", name="Specific", exact=True).check
        )
        employee = self.field("Employee")
        options = await self._guard("reading the employees", employee.get_by_role("option").all_inner_texts)
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
        await self.fill("Resign Date", resign_date.isoformat())
        await self._guard(
            "choosing the reason", lambda: self.field("Reason").select_option(label=REASON_LABELS[reason])
        )

    async def save_and_continue(self) -> DocumentsPage:
        await self.click_and_load(
            self.page.get_by_role("button", name="SAVE & CONTINUE", exact=True), "saving the resign date"
        )
        documents = DocumentsPage(self.page)
        if not await documents.shows(documents.page.get_by_role("button", name="ADD DOCUMENT")):
            raise await self.refused("the resign date")
        return documents
