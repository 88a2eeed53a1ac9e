"""QRG 5 screens on the portal: `FPX PAYMENT` (unpaid list and cart), the summary, the payment
information (Business Model, `Email Address`, `Bank List`, `PROCEED`) and the outcome page."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from playwright.async_api import TimeoutError as PlaywrightTimeoutError

from bot.core.errors import BusinessError, PortalUnavailable
from flows.pages.base import Find, PortalPage
from flows.pages.cart import CartScreen, UnpaidList
from flows.pages.fpx_bank import BankLoginPage
from flows.pages.payment_history import HISTORY_LINK
from flows.pages.payment_list import PaymentPage

MODEL_LABELS = {"b2c": "Personal to Corporate", "b2b": "Corporate to Corporate"}
RESULT_PATH = "/employer/payment/fpx/result/"


class FpxPaymentPage(UnpaidList):
    """`FPX PAYMENT`: the unpaid ACR/ECR to tick, `ADD TO CART`, the cart."""

    screen = "FPX PAYMENT"
    url = "/employer/payment/fpx"
    history_link = HISTORY_LINK

    @classmethod
    async def open_from(cls, payment: PaymentPage) -> FpxPaymentPage:
        """`FPX PAYMENT` on the Payment page (QRG 5 step 1)."""
        await payment.follow(payment.fpx_link, "opening FPX PAYMENT")
        payment.expect_signed_in()
        return cls(payment.page)

    async def fill_cart(self, numbers: list[str]) -> FpxPaymentWithCart:
        await self.add_to_cart(numbers)
        return self.on(FpxPaymentWithCart)


class FpxPaymentWithCart(FpxPaymentPage):
    """`FPX PAYMENT` once the cart holds something: `PROCEED TO SUMMARY` shows only then."""

    screen = "FPX PAYMENT (cart filled)"
    proceed_link = Find("link", "PROCEED TO SUMMARY")

    async def proceed_to_summary(self) -> FpxSummaryPage:
        await self.follow(self.proceed_link, "PROCEED TO SUMMARY")
        self.expect_signed_in()
        return self.on(FpxSummaryPage)


class FpxSummaryPage(CartScreen):
    screen = "Payment Summary"
    url = "/employer/payment/fpx/summary"
    cart_table = Find("table", "Payment Summary")
    continue_link = Find("link", "CONTINUE")

    async def continue_(self) -> FpxDetailsPage:
        await self.follow(self.continue_link, "CONTINUE")
        self.expect_signed_in()
        return self.on(FpxDetailsPage)


class FpxDetailsPage(PortalPage):
    screen = "Payment Information"
    url = "/employer/payment/fpx/details"
    models: ClassVar[dict[str, Find]] = {key: Find("radio", label) for key, label in MODEL_LABELS.items()}
    email = Find("label", "Email Address")
    bank = Find("label", "Bank List")
    proceed_button = Find("button", "PROCEED")

    async def fill(self, business_model: str, email: str, bank: str) -> None:
        await self._guard("choosing the business model", self.at(self.models[business_model]).check)
        await self._guard("typing the email", lambda: self.email.fill(email))
        await self._guard("choosing the bank", lambda: self.bank.select_option(bank))

    async def proceed(self) -> BankLoginPage:
        """`PROCEED`: on to the bank's login page, or BusinessError with the portal's reason (e.g. over
        the limit). Not repeated: it opens an FPX transaction."""
        await self.press(self.proceed_button, "PROCEED to the bank")
        self.expect_signed_in()
        refused = await self.alert_text()
        if refused and self.page.url.split("?")[0].endswith(str(FpxDetailsRefusedPage.url)):
            raise BusinessError(f"FPX: the portal refused the payment: {refused}")
        login = self.on(BankLoginPage)
        if not await login.is_shown():
            raise PortalUnavailable(f"FPX: PROCEED did not lead to the bank's login page ({self.page.url})")
        return login


class FpxDetailsRefusedPage(FpxDetailsPage):
    """`Payment Information` again after the portal refused `PROCEED` (its reason in an alert)."""

    screen = "Payment Information (refused)"
    url = "/employer/payment/fpx/proceed"


class FpxResultPage(PortalPage):
    """Where the bank sends the browser back: the payment's status and details."""

    screen = "Payment Status"
    url = RESULT_PATH + "*"
    details_table = Find("table", "Payment details")
    receipt_link = Find("link", "Receipt", optional=True)  # only for a successful payment
    history_link = HISTORY_LINK

    @classmethod
    async def returned(cls, bank: PortalPage, timeout_seconds: float) -> FpxResultPage | None:
        """The result page once the bank has sent the browser back; None when it did not in time."""
        try:
            await bank.page.wait_for_url(f"**{RESULT_PATH}**", timeout=timeout_seconds * 1000)
        except PlaywrightTimeoutError:
            return None
        return cls(bank.page)

    def is_here(self) -> bool:
        return RESULT_PATH in self.page.url

    async def read(self) -> dict[str, str]:
        return await self.details(self.details_table, "reading the payment")

    async def download_receipt(self, folder: Path) -> Path:
        return await self.save_file(self.receipt_link, folder, "downloading the receipt")
