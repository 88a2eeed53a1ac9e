"""`My Sites` → `Payment`: the generated ACR/ECR (one table row each), a document's view, PRINT /
PRINT ACR/ECR downloads and the delete icon's cancel screen (QRG 8, 9)."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from playwright.async_api import Locator

from bot.errors import BusinessError
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
    expects = (("table", "ACR / ECR"),)

    @property
    def table(self) -> Locator:
        return self.page.get_by_role("table", name="ACR / ECR")

    async def documents(self) -> list[DocumentRow]:
        """Every listed document (cancelled ones are not listed)."""
        rows = self.table.locator("tbody tr[data-number]")
        out = []
        for row in await self._guard("reading the documents", rows.all):
            cells = [c.strip() for c in await self._guard("reading a document row", row.locator("td").all_inner_texts)]
            out.append(DocumentRow(cells[0], cells[1], cells[2], int(cells[3]), sen(cells[4]), cells[5], cells[6]))
        return out

    async def view(self, number: str) -> dict[str, str]:
        """The view icon: the document's details, label → text; then back to the list."""
        await self.click_and_load(self.page.get_by_role("link", name=f"View {number}", exact=True), f"viewing {number}")
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

    async def cancel(self, number: str, choice: str) -> str:
        """The delete icon → choose ``ACR``, ``ECR`` or ``both`` → `CONFIRM`; the portal's notice."""
        await self.click_and_load(self.page.get_by_role("link", name=f"Delete {number}", exact=True),
                                  f"deleting {number}")
        self.expect_signed_in()
        label = "Both" if choice == "both" else choice
        option = self.page.get_by_role("radio", name=label) if choice == "both" else \
            self.page.get_by_role("radio", name=f"{choice} ")
        await self._guard(f"choosing {label}", option.first.check)
        await self.click_and_load(self.page.get_by_role("button", name="CONFIRM"), "CONFIRM the cancellation")
        refused = await self.alert_text()
        if refused:
            raise BusinessError(f"the portal refused to cancel {number}: {refused}")
        status = self.page.get_by_role("status")
        return " ".join((await status.first.inner_text()).split()) if await status.count() else ""
