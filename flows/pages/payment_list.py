"""`My Sites` → `Payment`: the generated ACR/ECR (one table row each), a document's view, PRINT /
PRINT ACR/ECR downloads and the delete icon's cancel screen (QRG 8, 9)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from bot.core.errors import BusinessError
from flows.pages.base import Find, Named, PortalPage, sen

_RADIO = re.compile(r'- radio "([^"]*)"')
REMOVED = '"Record" has been successfully removed'
# The list's columns as the portal heads them.
COLUMNS = ("Number", "Type", "Contribution Month", "Employees", "Amount (RM)", "Due Date", "Status")


@dataclass(frozen=True)
class DocumentRow:
    number: str
    type: str
    month: str  # MM/YYYY
    employees: int
    amount: int  # sen
    due_date: str
    status: str


class PaymentPage(PortalPage):
    screen = "Payment"
    url = "/employer/payment"
    table = Find("table", "ACR / ECR")
    fpx_link = Find("link", "FPX PAYMENT")
    history_link = Find("link", "Payment History")
    # The rows' icons depend on the documents.
    view_link = Named("link", "View {}")
    print_link = Named("link", "PRINT {}")
    print_pair_link = Named("link", "PRINT ACR/ECR {}")
    delete_link = Named("link", "Delete {}")

    async def documents(self) -> list[DocumentRow]:
        """Every listed document (cancelled ones are not listed), read by column header."""
        return [
            DocumentRow(
                r["Number"],
                r["Type"],
                r["Contribution Month"],
                int(r["Employees"]),
                sen(r["Amount (RM)"]),
                r["Due Date"],
                r["Status"],
            )
            for r in await self.table_rows(self.table, "reading the documents")
        ]

    async def view(self, number: str) -> dict[str, str]:
        """The view icon: the document's details, label → text; then back to the list."""
        await self.follow(self.view_link(number), f"viewing {number}")
        self.expect_signed_in()
        details = await self.on(DocumentViewPage).read()
        await self.goto(self.page.url.split("/employer/")[0] + str(self.url), "going back to Payment")
        return details

    async def download(self, link_name: str, folder: Path) -> Path:
        """PRINT / PRINT ACR/ECR <number>: the PDF the portal sends, saved into ``folder``."""
        kind, _, number = link_name.rpartition(" ")
        link = self.print_pair_link(number) if kind == "PRINT ACR/ECR" else self.print_link(number)
        return await self.save_file(link, folder, f"downloading {link_name}")

    async def open_cancel(self, number: str) -> CancelPage:
        """The delete icon of ``number`` (QRG 9 step 3): the screen to choose what to cancel."""
        await self.follow(self.delete_link(number), f"deleting {number}")
        self.expect_signed_in()
        return self.on(CancelPage)

    async def cancel(self, number: str, choice: str) -> str:
        """The delete icon → choose ``ACR``, ``ECR`` or ``both`` → `CONFIRM`; the portal's notice."""
        return await (await self.open_cancel(number)).confirm(number, choice)


class DocumentViewPage(PortalPage):
    """The view icon's screen: the document's details."""

    screen = "ACR/ECR details"
    url = "/employer/payment/documents/*"
    details_table = Find("table", "Document details")

    async def read(self) -> dict[str, str]:
        return await self.details(self.details_table, "reading the details")


class CancelPage(PortalPage):
    """The delete icon's screen (QRG 9 steps 4-5): the ACR, the ECR or both, then `CONFIRM`."""

    screen = "Cancel ACR/ECR"
    url = "/employer/payment/documents/*/cancel"
    confirm_button = Find("button", "CONFIRM")
    choices_group = Find("group", "Choose the document(s) to cancel")
    # The choices' names ("ACR <number>", "ECR <number>", "Both") depend on the documents.
    choice = Named("radio", "{} ", exact=False)
    both = Find("radio", "Both", optional=True)

    async def choices(self) -> list[str]:
        """What may be cancelled, as the radio buttons are named."""
        snapshot = await self._guard("reading the choices", self.choices_group.aria_snapshot)
        return [" ".join(name.split()) for name in _RADIO.findall(snapshot)]

    async def confirm(self, number: str, choice: str) -> str:
        """Choose ``ACR``, ``ECR`` or ``both`` → `CONFIRM`; the portal's notice (refusal: BusinessError).
        A lost answer to `CONFIRM` is a `PortalUnavailable`: the list then tells whether it is gone."""
        option = self.both if choice == "both" else self.choice(choice)
        await self._guard(f"choosing {choice}", option.first.check)
        await self.press(self.confirm_button, "CONFIRM the cancellation")
        refused = await self.alert_text()
        if refused:
            raise BusinessError(f"the portal refused to cancel {number}: {refused}")
        return await self.status_text()
