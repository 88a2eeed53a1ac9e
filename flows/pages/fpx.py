"""QRG 5 screens on the portal: `FPX PAYMENT` (unpaid list and cart), the summary, the payment
information (Business Model, `Email Address`, `Bank List`, `PROCEED`) and the outcome page."""
from __future__ import annotations

from pathlib import Path

from bot.errors import BusinessError
from flows.pages.base import PortalPage
from flows.pages.cart import CartScreen

MODEL_LABELS = {"b2c": "Personal to Corporate", "b2b": "Corporate to Corporate"}
RESULT_PATH = "/employer/payment/fpx/result/"


class FpxPaymentPage(CartScreen):
    screen = "FPX PAYMENT"

    async def proceed_to_summary(self) -> FpxSummaryPage:
        await self.click_and_load(self.page.get_by_role("link", name="PROCEED TO SUMMARY"), "PROCEED TO SUMMARY")
        self.expect_signed_in()
        return FpxSummaryPage(self.page)


class FpxSummaryPage(CartScreen):
    screen = "Payment Summary"

    async def continue_(self) -> FpxDetailsPage:
        await self.click_and_load(self.page.get_by_role("link", name="CONTINUE"), "CONTINUE")
        self.expect_signed_in()
        return FpxDetailsPage(self.page)


class FpxDetailsPage(PortalPage):
    screen = "Payment Information"

    async def fill(self, business_model: str, email: str, bank: str) -> None:
        await self._guard("choosing the business model",
                          self.page.get_by_role("radio", name=MODEL_LABELS[business_model]).check)
        await self._guard("typing the email", lambda: self.page.get_by_label("Email Address").fill(email))
        await self._guard("choosing the bank", lambda: self.page.get_by_label("Bank List").select_option(bank))

    async def proceed(self) -> None:
        """`PROCEED`: on to the bank, or BusinessError with the portal's reason (e.g. over the limit)."""
        await self.click_and_load(self.page.get_by_role("button", name="PROCEED"), "PROCEED to the bank")
        self.expect_signed_in()
        refused = await self.alert_text()
        if refused and self.page.url.split("?")[0].endswith("/fpx/proceed"):
            raise BusinessError(f"FPX: the portal refused the payment: {refused}")


class FpxResultPage(PortalPage):
    """Where the bank sends the browser back: the payment's status and details."""

    screen = "Payment Status"

    def is_here(self) -> bool:
        return RESULT_PATH in self.page.url

    async def details(self) -> dict[str, str]:
        table = self.page.get_by_role("table", name="Payment details")
        labels = await self._guard("reading the payment", table.locator("th").all_inner_texts)
        values = await self._guard("reading the payment", table.locator("td").all_inner_texts)
        return {k.strip(): v.strip() for k, v in zip(labels, values)}

    async def download_receipt(self, folder: Path) -> Path:
        async def fetch() -> Path:
            async with self.page.expect_download() as info:
                await self.page.get_by_role("link", name="Receipt").first.click()
            download = await info.value
            target = folder / download.suggested_filename
            await download.save_as(target)
            return target

        folder.mkdir(parents=True, exist_ok=True)
        return await self._guard("downloading the receipt", fetch)
