"""`My Sites` → `Payment`: the generated ACR/ECR (one table row each), a document's view, PRINT /
PRINT ACR/ECR downloads and the delete icon's cancel screen (QRG 8, 9)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from playwright.async_api import Locator

from bot.core.errors import BusinessError
from flows.pages.base import PortalPage

REMOVED = '"Record" has been successfully removed'


def sen(text: str) -> int:
    """'1,234.50' (RM) → 123450."""
    return int(Decimal(text.replace(",", "").replace("RM", "").strip()) * 100)


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
    # The two links are followed by FpxPaymentPage.open_from and PaymentHistoryPage.open_from; the rows'
    # icons ("View / PRINT / PRINT ACR/ECR / Delete <number>") depend on the documents.
    expects = (("table", "ACR / ECR"), ("link", "FPX PAYMENT"), ("link", "Payment History"))

    @property
    def table(self) -> Locator:
        return self.page.get_by_role("table", name="ACR / ECR")

    async def documents(self) -> list[DocumentRow]:
        """Every listed document (cancelled ones are not listed)."""
        rows = self.table.locator("tbody tr[data-number]")
        out = []
        for row in await self._guard("reading the documents", rows.all):
            cells = [
                c.strip()
                for c in await self._guard("reading a document row", row.locator("td").all_inner_texts)
            ]
            out.append(
                DocumentRow(cells[0], cells[1], cells[2], int(cells[3]), sen(cells[4]), cells[5], cells[6])
            )
        return out

    async def view(self, number: str) -> dict[str, str]:
        """The view icon: the document's details, label → text; then back to the list."""
        await self.click_and_load(
            self.page.get_by_role("link", name=f"View {number}", exact=True), f"viewing {number}"
        )
        self.expect_signed_in()
        details = self.page.get_by_role("table", name="Document details")
        labels = await self._guard("reading the details", details.locator("th").all_inner_texts)
        values = await self._guard("reading the details", details.locator("td").all_inner_texts)
        await self.page.go_back()
        return {k.strip(): v.strip() for k, v in zip(labels, values)}

    async def download(self, link_name: str, folder: Path) -> Path:
        """PRINT / PRINT ACR/ECR: the PDF the portal sends, saved into ``folder``."""
        link = self.page.get_by_role("link", name=link_name, exact=True)

        async def fetch() -> Path:
            async with self.page.expect_download() as info:
                await link.click()
            download = await info.value
            target = folder / download.suggested_filename
            await download.save_as(target)
            return target

        folder.mkdir(parents=True, exist_ok=True)
        return await self._guard(f"downloading {link_name}", fetch)

    async def open_cancel(self, number: str) -> CancelPage:
        """The delete icon of ``number`` (QRG 9 step 3): the screen to choose what to cancel."""
        await self.click_and_load(
            self.page.get_by_role("link", name=f"Delete {number}", exact=True), f"deleting {number}"
        )
        self.expect_signed_in()
        return CancelPage(self.page)

    async def cancel(self, number: str, choice: str) -> str:
        """The delete icon → choose ``ACR``, ``ECR`` or ``both`` → `CONFIRM`; the portal's notice."""
        return await (await self.open_cancel(number)).confirm(number, choice)


class DocumentViewPage(PortalPage):
    """The view icon's screen: the document's details (read by `PaymentPage.view`)."""

    screen = "ACR/ECR details"
    url = "/employer/payment/documents/*"
    expects = (("table", "Document details"),)


class CancelPage(PortalPage):
    """The delete icon's screen (QRG 9 steps 4-5): the ACR, the ECR or both, then `CONFIRM`."""

    screen = "Cancel ACR/ECR"
    url = "/employer/payment/documents/*/cancel"
    # The choices' names ("ACR <number>", "ECR <number>", "Both") depend on the documents.
    expects = (("button", "CONFIRM"),)

    async def choices(self) -> list[str]:
        """What may be cancelled, as the radio buttons are labelled."""
        labels = await self._guard("reading the choices", self.page.locator("fieldset label").all_inner_texts)
        return [" ".join(label.split()) for label in labels]

    async def confirm(self, number: str, choice: str) -> str:
        """Choose ``ACR``, ``ECR`` or ``both`` → `CONFIRM`; the portal's notice (refusal: BusinessError)."""
        label = "Both" if choice == "both" else choice
        option = (
            self.page.get_by_role("radio", name=label)
            if choice == "both"
            else self.page.get_by_role("radio", name=f"{choice} ")
        )
        await self._guard(f"choosing {label}", option.first.check)
        await self.click_and_load(self.page.get_by_role("button", name="CONFIRM"), "CONFIRM the cancellation")
        refused = await self.alert_text()
        if refused:
            raise BusinessError(f"the portal refused to cancel {number}: {refused}")
        status = self.page.get_by_role("status")
        return " ".join((await status.first.inner_text()).split()) if await status.count() else ""
