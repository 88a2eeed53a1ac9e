"""QRG 6 screens: `ELECTRONIC FUND TRANSFER` → `SOCSO`/`EIS` → `Registration` / `Payment` (`SEARCH`,
tick, `ADD TO CART`, `PROCEED TO PAYMENT`), the transfer's details with the slip, the review
(`CONTINUE`) and the confirmation."""

from __future__ import annotations

from pathlib import Path

from bot.core.errors import BusinessError
from flows.pages.base import PortalPage
from flows.pages.cart import UNPAID_LIST, CartScreen

NOT_REGISTERED = "Please complete the EFT Registration first."
REGISTERED = "EFT registration has been successfully submitted."


class EftMenuPage(PortalPage):
    """`ELECTRONIC FUND TRANSFER` → a scheme → `Registration` or `Payment`."""

    screen = "Electronic Fund Transfer"
    url = "/employer/eft"
    expects = (("link", "SOCSO"), ("link", "EIS"))

    async def choose(self, scheme_label: str) -> EftSchemePage:
        await self.click_and_load(
            self.page.get_by_role("link", name=scheme_label, exact=True), f"opening {scheme_label}"
        )
        self.expect_signed_in()
        return EftSchemePage(self.page)

    async def open(self, scheme_label: str, entry: str) -> None:
        await (await self.choose(scheme_label)).open(entry)


class EftSchemePage(PortalPage):
    """A scheme's EFT menu: `Registration` (one-time) and `Payment`."""

    screen = "Electronic Fund Transfer (scheme)"
    url = "/employer/eft/*"
    expects = (("link", "Registration"), ("link", "Payment"))

    async def open(self, entry: str) -> None:
        await self.click_and_load(self.page.get_by_role("link", name=entry, exact=True), f"opening {entry}")
        self.expect_signed_in()


class EftRegistrationPage(PortalPage):
    screen = "EFT Registration"
    url = "/employer/eft/registration"
    expects = (
        ("label", "Email Address*"),
        ("label", "Contact No.*"),
        ("label", "Officer Name*"),
        ("button", "SUBMIT"),
    )

    async def register(self, email: str, contact_no: str, officer_name: str) -> str:
        for label, value in (
            ("Email Address*", email),
            ("Contact No.*", contact_no),
            ("Officer Name*", officer_name),
        ):
            field = self.page.get_by_label(label)
            await self._guard(f"typing {label}", lambda: field.fill(value))  # noqa: B023 - awaited at once
        await self.click_and_load(
            self.page.get_by_role("button", name="SUBMIT"), "SUBMIT the EFT registration"
        )
        refused = await self.alert_text()
        if refused:
            raise BusinessError(f"EFT registration refused: {refused}")
        status = self.page.get_by_role("status")
        return " ".join((await status.first.inner_text()).split()) if await status.count() else ""


SEARCH_LABEL = "Employer Name / Employer Code / ACR or ECR Number"


class EftPaymentPage(CartScreen):
    """`SEARCH` and the cart; the unpaid list shows once searched."""

    screen = "EFT Payment"
    url = "/employer/eft/*/payment"
    expects = CartScreen.expects + (("label", SEARCH_LABEL), ("button", "SEARCH"))

    async def search(self, term: str) -> None:
        await self._guard("typing the search", lambda: self.page.get_by_label(SEARCH_LABEL).fill(term))
        await self.click_and_load(self.page.get_by_role("button", name="SEARCH"), "SEARCH")
        self.expect_signed_in()

    async def proceed_to_payment(self) -> EftDetailsPage:
        await self.click_and_load(
            self.page.get_by_role("link", name="PROCEED TO PAYMENT"), "PROCEED TO PAYMENT"
        )
        self.expect_signed_in()
        return EftDetailsPage(self.page)


class EftPaymentWithCart(EftPaymentPage):
    """`EFT Payment` after `ADD TO CART`: the search's unpaid list, the cart and `PROCEED TO PAYMENT`."""

    screen = "EFT Payment (cart filled)"
    expects = EftPaymentPage.expects + UNPAID_LIST + (("link", "PROCEED TO PAYMENT"),)


class EftDetailsPage(CartScreen):
    """The transfer's details (QRG 6 step 9); its review and the confirmation follow (see below)."""

    screen = "EFT Payment Details"
    url = "/employer/eft/*/pay"
    expects = CartScreen.expects + (
        ("label", "Payment Date*"),
        ("label", "Payment Reference No*"),
        ("label", "Amount (RM)*"),
        ("label", "Payment Slip*"),
        ("button", "CONTINUE"),
    )

    async def latest_date(self) -> str:
        """The latest Payment Date the portal accepts (its today)."""
        return str(
            await self._guard(
                "reading the date limit", lambda: self.page.get_by_label("Payment Date*").get_attribute("max")
            )
            or ""
        )

    async def fill(self, paid_on: str, reference: str, amount: int, slip: Path) -> None:
        await self._guard(
            "typing the payment date", lambda: self.page.get_by_label("Payment Date*").fill(paid_on)
        )
        await self._guard(
            "typing the reference", lambda: self.page.get_by_label("Payment Reference No*").fill(reference)
        )
        await self._guard(
            "typing the amount", lambda: self.page.get_by_label("Amount (RM)*").fill(f"{amount / 100:.2f}")
        )
        await self._guard(
            "choosing the slip", lambda: self.page.get_by_label("Payment Slip*").set_input_files(slip)
        )

    async def continue_(self) -> None:
        """`CONTINUE` to the review; BusinessError with the portal's reason."""
        await self.click_and_load(self.page.get_by_role("button", name="CONTINUE"), "CONTINUE to the review")
        self.expect_signed_in()
        refused = await self.alert_text()
        if refused:
            raise BusinessError(f"EFT: the portal refused the details: {refused}")

    async def submit(self) -> dict[str, str]:
        """The review's `CONTINUE`: the portal records the transfer; the confirmation's details."""
        await self.click_and_load(
            self.page.get_by_role("button", name="CONTINUE"), "CONTINUE (submit the EFT)"
        )
        self.expect_signed_in()
        table = self.page.get_by_role("table", name="Payment details")
        labels = await self._guard("reading the confirmation", table.locator("th").all_inner_texts)
        values = await self._guard("reading the confirmation", table.locator("td").all_inner_texts)
        return {k.strip(): v.strip() for k, v in zip(labels, values)}


class EftReviewPage(EftDetailsPage):
    """The review after the details' `CONTINUE` (same URL): its `CONTINUE` records the transfer
    (`EftDetailsPage.submit`)."""

    screen = "EFT Payment Review"
    expects = CartScreen.expects + (("table", "EFT details"), ("button", "CONTINUE"))


class EftConfirmationPage(PortalPage):
    """QRG 6 step 12: the recorded transfer (read by `EftDetailsPage.submit`)."""

    screen = "EFT Confirmation"
    url = "/employer/eft/confirmation/*"
    expects = (("table", "Payment details"),)
