"""QRG 6 screens: `ELECTRONIC FUND TRANSFER` → `SOCSO`/`EIS` → `Registration` / `Payment` (`SEARCH`,
tick, `ADD TO CART`, `PROCEED TO PAYMENT`), the transfer's details with the slip, the review
(`CONTINUE`) and the confirmation."""

from __future__ import annotations

from pathlib import Path

from bot.core.errors import BusinessError
from flows.pages.base import Find, PortalPage
from flows.pages.cart import CartScreen, UnpaidList

NOT_REGISTERED = "Please complete the EFT Registration first."
REGISTERED = "EFT registration has been successfully submitted."
SEARCH_LABEL = "Employer Name / Employer Code / ACR or ECR Number"


class EftMenuPage(PortalPage):
    """`ELECTRONIC FUND TRANSFER` → a scheme → `Registration` or `Payment`."""

    screen = "Electronic Fund Transfer"
    url = "/employer/eft"
    socso = Find("link", "SOCSO")
    eis = Find("link", "EIS")

    async def choose(self, scheme_label: str) -> EftSchemePage:
        await self.follow(self.socso if scheme_label == "SOCSO" else self.eis, f"opening {scheme_label}")
        self.expect_signed_in()
        return self.on(EftSchemePage)

    async def open(self, scheme_label: str, entry: str) -> None:
        await (await self.choose(scheme_label)).open(entry)


class EftSchemePage(PortalPage):
    """A scheme's EFT menu: `Registration` (one-time) and `Payment`."""

    screen = "Electronic Fund Transfer (scheme)"
    url = "/employer/eft/*"
    registration_link = Find("link", "Registration")
    payment_link = Find("link", "Payment")

    async def open(self, entry: str) -> None:
        link = self.registration_link if entry == "Registration" else self.payment_link
        await self.follow(link, f"opening {entry}")
        self.expect_signed_in()


class EftRegistrationPage(PortalPage):
    screen = "EFT Registration"
    url = "/employer/eft/registration"
    email = Find("label", "Email Address*")
    contact_no = Find("label", "Contact No.*")
    officer_name = Find("label", "Officer Name*")
    submit_button = Find("button", "SUBMIT")

    async def register(self, email: str, contact_no: str, officer_name: str) -> str:
        for field, value in (
            (self.email, email),
            (self.contact_no, contact_no),
            (self.officer_name, officer_name),
        ):
            await self._guard("typing the registration", lambda: field.fill(value))  # noqa: B023 - awaited at once
        await self.press(self.submit_button, "SUBMIT the EFT registration")
        refused = await self.alert_text()
        if refused:
            raise BusinessError(f"EFT registration refused: {refused}")
        return await self.status_text()


class EftPaymentPage(CartScreen):
    """`SEARCH` and the cart; the unpaid list shows once searched."""

    screen = "EFT Payment"
    url = "/employer/eft/*/payment"
    search_field = Find("label", SEARCH_LABEL)
    search_button = Find("button", "SEARCH")

    async def search(self, term: str) -> EftSearchedPage:
        """`SEARCH` (a GET form: repeated in place on a 5xx)."""
        await self._guard("typing the search", lambda: self.search_field.fill(term))
        await self.press(self.search_button, "SEARCH")
        self.expect_signed_in()
        return self.on(EftSearchedPage)


class EftSearchedPage(EftPaymentPage, UnpaidList):
    """`EFT Payment` after `SEARCH`: the unpaid list to tick and `ADD TO CART`."""

    screen = "EFT Payment (searched)"

    async def fill_cart(self, numbers: list[str]) -> EftPaymentWithCart:
        await self.add_to_cart(numbers)
        return self.on(EftPaymentWithCart)


class EftPaymentWithCart(EftSearchedPage):
    """`EFT Payment` after `ADD TO CART`: the search's unpaid list, the cart and `PROCEED TO PAYMENT`."""

    screen = "EFT Payment (cart filled)"
    proceed_link = Find("link", "PROCEED TO PAYMENT")

    async def proceed_to_payment(self) -> EftDetailsPage:
        await self.follow(self.proceed_link, "PROCEED TO PAYMENT")
        self.expect_signed_in()
        return self.on(EftDetailsPage)


class EftDetailsPage(CartScreen):
    """The transfer's details (QRG 6 step 9); its `CONTINUE` leads to the review."""

    screen = "EFT Payment Details"
    url = "/employer/eft/*/pay"
    payment_date = Find("label", "Payment Date*")
    reference = Find("label", "Payment Reference No*")
    amount = Find("label", "Amount (RM)*")
    slip = Find("label", "Payment Slip*")
    continue_button = Find("button", "CONTINUE")

    async def latest_date(self) -> str:
        """The latest Payment Date the portal accepts (its today)."""
        return str(
            await self._guard("reading the date limit", lambda: self.payment_date.get_attribute("max")) or ""
        )

    async def fill(self, paid_on: str, reference: str, amount: int, slip: Path) -> None:
        await self._guard("typing the payment date", lambda: self.payment_date.fill(paid_on))
        await self._guard("typing the reference", lambda: self.reference.fill(reference))
        await self._guard("typing the amount", lambda: self.amount.fill(f"{amount / 100:.2f}"))
        await self._guard("choosing the slip", lambda: self.slip.set_input_files(slip))

    async def continue_(self) -> EftReviewPage:
        """`CONTINUE` to the review; BusinessError with the portal's reason."""
        await self.press(self.continue_button, "CONTINUE to the review")
        self.expect_signed_in()
        refused = await self.alert_text()
        if refused:
            raise BusinessError(f"EFT: the portal refused the details: {refused}")
        return self.on(EftReviewPage)


class EftReviewPage(CartScreen):
    """The review after the details' `CONTINUE` (same URL): its `CONTINUE` records the transfer."""

    screen = "EFT Payment Review"
    url = "/employer/eft/*/pay"
    review_table = Find("table", "EFT details")
    continue_button = Find("button", "CONTINUE")

    async def submit(self) -> dict[str, str]:
        """The review's `CONTINUE`: the portal records the transfer (never repeated); the details."""
        await self.press(self.continue_button, "CONTINUE (submit the EFT)")
        self.expect_signed_in()
        return await self.on(EftConfirmationPage).read()


class EftConfirmationPage(PortalPage):
    """QRG 6 step 12: the recorded transfer."""

    screen = "EFT Confirmation"
    url = "/employer/eft/confirmation/*"
    details_table = Find("table", "Payment details")

    async def read(self) -> dict[str, str]:
        return await self.details(self.details_table, "reading the confirmation")
