"""QRG 7 screens: `Direct Debit` → `SOCSO`/`EIS` → `Mandate` (list, `ENROLL NEW`, `Payment History`)
and `Payment` (tick, `ADD TO CART`) → its summary (`PROCEED TO SUMMARY`, `CONTINUE`) → `Mandate
List*` and `PROCEED` → "Payment has been successfully initiated." One class per screen."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import ClassVar

from bot.core.errors import BusinessError
from flows.pages.base import Find, PortalPage, sen
from flows.pages.cart import CartScreen, UnpaidList
from flows.pages.fpx import MODEL_LABELS
from flows.pages.payment_history import HISTORY_LINK

INITIATED = "Payment has been successfully initiated."


@dataclass(frozen=True)
class MandateRow:
    reference: str
    bank: str
    limit: int  # sen
    max_frequency: int
    status: str


class DirectDebitMenuPage(PortalPage):
    screen = "Direct Debit"
    url = "/employer/direct-debit"
    socso = Find("link", "SOCSO")
    eis = Find("link", "EIS")

    async def choose(self, scheme_label: str) -> DirectDebitSchemePage:
        await self.follow(self.socso if scheme_label == "SOCSO" else self.eis, f"opening {scheme_label}")
        self.expect_signed_in()
        return self.on(DirectDebitSchemePage)

    async def open(self, scheme_label: str, entry: str) -> None:
        await (await self.choose(scheme_label)).open(entry)

    async def open_mandates(self, scheme_label: str) -> MandatePage:
        return await (await self.choose(scheme_label)).mandates()

    async def open_payment(self, scheme_label: str) -> DirectDebitPaymentPage:
        return await (await self.choose(scheme_label)).payment()


class DirectDebitSchemePage(PortalPage):
    """A scheme's Direct Debit menu: `Mandate` and `Payment`."""

    screen = "Direct Debit (scheme)"
    url = "/employer/direct-debit/*"
    mandate_link = Find("link", "Mandate")
    payment_link = Find("link", "Payment")

    async def open(self, entry: str) -> None:
        await self.follow(self.mandate_link if entry == "Mandate" else self.payment_link, f"opening {entry}")
        self.expect_signed_in()

    async def mandates(self) -> MandatePage:
        await self.open("Mandate")
        return self.on(MandatePage)

    async def payment(self) -> DirectDebitPaymentPage:
        await self.open("Payment")
        return self.on(DirectDebitPaymentPage)


class MandatePage(PortalPage):
    """The scheme's mandates, `ENROLL NEW` and `Payment History` (`PaymentHistoryPage.open_from`)."""

    screen = "Mandate"
    url = "/employer/direct-debit/*/mandate"
    table = Find("table", "Mandates")
    enroll_link = Find("link", "ENROLL NEW")
    history_link = HISTORY_LINK

    async def mandates(self) -> list[MandateRow]:
        return [
            MandateRow(
                r["Reference No."],
                r["Bank"],
                sen(r["Limit Per Transaction (RM)"]),
                int(r["Max Frequency Per Month"]),
                r["Status"],
            )
            for r in await self.table_rows(self.table, "reading the mandates")
        ]

    async def enroll_new(self) -> MandateEnrolPage:
        """`ENROLL NEW` (QRG 7 step 3)."""
        await self.follow(self.enroll_link, "ENROLL NEW")
        self.expect_signed_in()
        return self.on(MandateEnrolPage)

    async def enroll(
        self, *, business_model: str, bank: str, limit: Decimal, max_frequency: int, phone: str, email: str
    ) -> str:
        """`ENROLL NEW`, every field of QRG 7 step 4, the consent tick, `PROCEED`; the portal's notice."""
        return await (await self.enroll_new()).enroll(
            business_model=business_model,
            bank=bank,
            limit=limit,
            max_frequency=max_frequency,
            phone=phone,
            email=email,
        )


class MandateEnrolPage(PortalPage):
    """`ENROLL NEW`'s form (QRG 7 step 4); the consent tick box is found by its role alone."""

    screen = "Enroll Mandate"
    url = "/employer/direct-debit/*/mandate/new"
    models: ClassVar[dict[str, Find]] = {key: Find("radio", label) for key, label in MODEL_LABELS.items()}
    bank = Find("label", "Bank List*")
    limit = Find("label", "Limit Per Transaction (RM)*")
    max_frequency = Find("label", "Max Frequency Per Month*")
    phone = Find("label", "Phone No*")
    email = Find("label", "Email Address*")
    consent = Find("checkbox", "", optional=True)
    proceed_button = Find("button", "PROCEED")

    async def enroll(
        self, *, business_model: str, bank: str, limit: Decimal, max_frequency: int, phone: str, email: str
    ) -> str:
        """Every field, the consent tick, `PROCEED`; the portal's notice (refusal: BusinessError)."""
        await self._guard("choosing the business model", self.at(self.models[business_model]).check)
        await self._guard("choosing the bank", lambda: self.bank.select_option(bank))
        await self._guard("typing the limit", lambda: self.limit.fill(f"{limit:.2f}"))
        await self._guard("typing the frequency", lambda: self.max_frequency.fill(str(max_frequency)))
        await self._guard("typing the phone", lambda: self.phone.fill(phone))
        await self._guard("typing the email", lambda: self.email.fill(email))
        await self._guard("ticking the consent", self.consent.check)
        await self.press(self.proceed_button, "PROCEED with the mandate")
        refused = await self.alert_text()
        if refused:
            raise BusinessError(f"mandate enrolment refused: {refused}")
        return await self.status_text()


class DirectDebitPaymentPage(UnpaidList):
    """`Payment` of a scheme: the unpaid list, `ADD TO CART`, the cart."""

    screen = "Direct Debit Payment"
    url = "/employer/direct-debit/*/payment"

    async def fill_cart(self, numbers: list[str]) -> DirectDebitPaymentWithCart:
        await self.add_to_cart(numbers)
        return self.on(DirectDebitPaymentWithCart)


class DirectDebitPaymentWithCart(DirectDebitPaymentPage):
    """`Payment` once the cart holds something: `PROCEED TO SUMMARY` shows only then."""

    screen = "Direct Debit Payment (cart filled)"
    proceed_link = Find("link", "PROCEED TO SUMMARY")

    async def proceed_to_summary(self) -> DirectDebitSummaryPage:
        await self.follow(self.proceed_link, "PROCEED TO SUMMARY")
        self.expect_signed_in()
        return self.on(DirectDebitSummaryPage)


class DirectDebitSummaryPage(CartScreen):
    """After `PROCEED TO SUMMARY`: the summary and `CONTINUE`."""

    screen = "Direct Debit Payment Summary"
    url = "/employer/direct-debit/*/summary"
    cart_table = Find("table", "Payment Summary")
    continue_link = Find("link", "CONTINUE")

    async def continue_(self) -> DirectDebitMandateChoicePage:
        await self.follow(self.continue_link, "CONTINUE")
        self.expect_signed_in()
        return self.on(DirectDebitMandateChoicePage)


class DirectDebitMandateChoicePage(CartScreen):
    """After `CONTINUE` (QRG 7 step 9): `Mandate List*` and `PROCEED`."""

    screen = "Direct Debit Mandate List"
    url = "/employer/direct-debit/*/pay"
    mandate_list = Find("label", "Mandate List*")
    proceed_button = Find("button", "PROCEED")

    async def choose_mandate(self, reference: str) -> None:
        labels = await self.options(self.mandate_list, "reading the mandate list")
        label = next((t for t in labels if t.startswith(reference)), None)
        if label is None:
            raise BusinessError(f"mandate {reference} is not in the portal's Mandate List")
        await self._guard("choosing the mandate", lambda: self.mandate_list.select_option(label=label))

    async def proceed(self) -> dict[str, str]:
        """`PROCEED`: the debit (never repeated); the portal's message must be QRG 7's, else
        BusinessError; the payment's details."""
        await self.press(self.proceed_button, "PROCEED with the debit")
        self.expect_signed_in()
        refused = await self.alert_text()
        if refused:
            raise BusinessError(f"direct debit refused: {refused}")
        return await self.on(DirectDebitInitiatedPage).read()


class DirectDebitInitiatedPage(PortalPage):
    """After `PROCEED` (same URL): QRG 7 step 10's message and the payment's details."""

    screen = "Direct Debit Payment Initiated"
    url = "/employer/direct-debit/*/pay"
    notice = Find("text", INITIATED)
    details_table = Find("table", "Payment details")

    async def read(self) -> dict[str, str]:
        notice = await self.status_text()
        if notice != INITIATED:
            raise BusinessError(f"direct debit: the portal said {notice!r}, not {INITIATED!r}")
        return await self.details(self.details_table, "reading the payment")
