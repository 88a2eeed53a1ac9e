"""QRG 5 screens on the portal: `FPX PAYMENT` (unpaid list and cart), the summary, the payment
information (Business Model, `Email Address`, `Bank List`, `PROCEED`) and the outcome page."""

from __future__ import annotations

from pathlib import Path

from bot.core.errors import BusinessError
from flows.pages.base import PortalPage
from flows.pages.cart import UNPAID_LIST, CartScreen
from flows.pages.payment_list import PaymentPage

MODEL_LABELS = {"b2c": "Personal to Corporate", "b2b": "Corporate to Corporate"}
RESULT_PATH = "/employer/payment/fpx/result/"


class FpxPaymentPage(CartScreen):
    """`FPX PAYMENT`: the unpaid ACR/ECR to tick, `ADD TO CART`, the cart."""

    screen = "FPX PAYMENT"
    url = "/employer/payment/fpx"
    expects = CartScreen.expects + UNPAID_LIST

    @classmethod
    async def open_from(cls, payment: PaymentPage) -> FpxPaymentPage:
        """`FPX PAYMENT` on the Payment page (QRG 5 step 1)."""
        await payment.click_and_load(
            payment.page.get_by_role("link", name="FPX PAYMENT"), "opening FPX PAYMENT"
        )
        payment.expect_signed_in()
        return cls(payment.page)

    async def proceed_to_summary(self) -> FpxSummaryPage:
        await self.click_and_load(
            self.page.get_by_role("link", name="PROCEED TO SUMMARY"), "PROCEED TO SUMMARY"
        )
        self.expect_signed_in()
        return FpxSummaryPage(self.page)


class FpxPaymentWithCart(FpxPaymentPage):
    """`FPX PAYMENT` once the cart holds something: `PROCEED TO SUMMARY` shows only then."""

    screen = "FPX PAYMENT (cart filled)"
    expects = FpxPaymentPage.expects + (("link", "PROCEED TO SUMMARY"),)


class FpxSummaryPage(CartScreen):
    screen = "Payment Summary"
    url = "/employer/payment/fpx/summary"
    expects = (("table", "Payment Summary"), ("link", "CONTINUE"))

    async def continue_(self) -> FpxDetailsPage:
        await self.click_and_load(self.page.get_by_role("link", name="CONTINUE"), "CONTINUE")
        self.expect_signed_in()
        return FpxDetailsPage(self.page)


class FpxDetailsPage(PortalPage):
    screen = "Payment Information"
    url = "/employer/payment/fpx/details"
    expects = tuple(("radio", label) for label in MODEL_LABELS.values()) + (
        ("label", "Email Address"),
        ("label", "Bank List"),
        ("button", "PROCEED"),
    )

    async def fill(self, business_model: str, email: str, bank: str) -> None:
        await self._guard(
            "choosing the business model",
            self.page.get_by_role("radio", name=MODEL_LABELS[business_model]).check,
        )
        await self._guard("typing the email", lambda: self.page.get_by_label("Email Address").fill(email))
        await self._guard(
            "choosing the bank", lambda: self.page.get_by_label("Bank List").select_option(bank)
        )

    async def proceed(self) -> None:
        """`PROCEED`: on to the bank, or BusinessError with the portal's reason (e.g. over the limit)."""
        await self.click_and_load(self.page.get_by_role("button", name="PROCEED"), "PROCEED to the bank")
        self.expect_signed_in()
        refused = await self.alert_text()
        if refused and self.page.url.split("?")[0].endswith(str(FpxDetailsRefusedPage.url)):
            raise BusinessError(f"FPX: the portal refused the payment: {refused}")


class FpxDetailsRefusedPage(FpxDetailsPage):
    """`Payment Information` again after the portal refused `PROCEED` (its reason in an alert)."""

    screen = "Payment Information (refused)"
    url = "/employer/payment/fpx/proceed"


class FpxResultPage(PortalPage):
    """Where the bank sends the browser back: the payment's status and details."""

    screen = "Payment Status"
    url = RESULT_PATH + "*"
    expects = (("table", "Payment details"),)  # the `Receipt` link shows only for a successful payment

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
