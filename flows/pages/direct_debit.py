"""QRG 7 screens: `Direct Debit` → `SOCSO`/`EIS` → `Mandate` (list, `ENROLL NEW`, `Payment History`)
and `Payment` (tick, `ADD TO CART`, `PROCEED TO SUMMARY`, `CONTINUE`, `Mandate List*`, `PROCEED`)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from bot.core.errors import BusinessError
from flows.pages.base import PortalPage
from flows.pages.cart import UNPAID_LIST, CartScreen
from flows.pages.fpx import MODEL_LABELS
from flows.pages.payment_list import sen

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
    expects = (("link", "SOCSO"), ("link", "EIS"))

    async def choose(self, scheme_label: str) -> DirectDebitSchemePage:
        await self.click_and_load(
            self.page.get_by_role("link", name=scheme_label, exact=True), f"opening {scheme_label}"
        )
        self.expect_signed_in()
        return DirectDebitSchemePage(self.page)

    async def open(self, scheme_label: str, entry: str) -> None:
        await (await self.choose(scheme_label)).open(entry)


class DirectDebitSchemePage(PortalPage):
    """A scheme's Direct Debit menu: `Mandate` and `Payment`."""

    screen = "Direct Debit (scheme)"
    url = "/employer/direct-debit/*"
    expects = (("link", "Mandate"), ("link", "Payment"))

    async def open(self, entry: str) -> None:
        await self.click_and_load(self.page.get_by_role("link", name=entry, exact=True), f"opening {entry}")
        self.expect_signed_in()


class MandatePage(PortalPage):
    """The scheme's mandates, `ENROLL NEW` and `Payment History` (`PaymentHistoryPage.open_from`)."""

    screen = "Mandate"
    url = "/employer/direct-debit/*/mandate"
    expects = (("table", "Mandates"), ("link", "ENROLL NEW"), ("link", "Payment History"))

    async def mandates(self) -> list[MandateRow]:
        table = self.page.get_by_role("table", name="Mandates")
        out = []
        for row in await self._guard("reading the mandates", table.locator("tbody tr[data-reference]").all):
            c = [t.strip() for t in await self._guard("reading a mandate", row.locator("td").all_inner_texts)]
            out.append(MandateRow(c[0], c[2], sen(c[3]), int(c[4]), c[5]))
        return out

    async def enroll_new(self) -> MandateEnrolPage:
        """`ENROLL NEW` (QRG 7 step 3)."""
        await self.click_and_load(self.page.get_by_role("link", name="ENROLL NEW"), "ENROLL NEW")
        self.expect_signed_in()
        return MandateEnrolPage(self.page)

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
    expects = tuple(("radio", label) for label in MODEL_LABELS.values()) + (
        ("label", "Bank List*"),
        ("label", "Limit Per Transaction (RM)*"),
        ("label", "Max Frequency Per Month*"),
        ("label", "Phone No*"),
        ("label", "Email Address*"),
        ("button", "PROCEED"),
    )

    async def enroll(
        self, *, business_model: str, bank: str, limit: Decimal, max_frequency: int, phone: str, email: str
    ) -> str:
        """Every field, the consent tick, `PROCEED`; the portal's notice (refusal: BusinessError)."""
        page = self.page
        await self._guard(
            "choosing the business model", page.get_by_role("radio", name=MODEL_LABELS[business_model]).check
        )
        await self._guard("choosing the bank", lambda: page.get_by_label("Bank List*").select_option(bank))
        await self._guard(
            "typing the limit", lambda: page.get_by_label("Limit Per Transaction (RM)*").fill(f"{limit:.2f}")
        )
        await self._guard(
            "typing the frequency",
            lambda: page.get_by_label("Max Frequency Per Month*").fill(str(max_frequency)),
        )
        await self._guard("typing the phone", lambda: page.get_by_label("Phone No*").fill(phone))
        await self._guard("typing the email", lambda: page.get_by_label("Email Address*").fill(email))
        await self._guard("ticking the consent", page.get_by_role("checkbox").check)
        await self.click_and_load(page.get_by_role("button", name="PROCEED"), "PROCEED with the mandate")
        refused = await self.alert_text()
        if refused:
            raise BusinessError(f"mandate enrolment refused: {refused}")
        status = page.get_by_role("status")
        return " ".join((await status.first.inner_text()).split()) if await status.count() else ""


class DirectDebitPaymentPage(CartScreen):
    """`Payment` of a scheme, then (same object) its summary, `Mandate List*` and the outcome: the
    subclasses below declare those screens."""

    screen = "Direct Debit Payment"
    url = "/employer/direct-debit/*/payment"
    expects = CartScreen.expects + UNPAID_LIST

    async def proceed_to_summary(self) -> DirectDebitPaymentPage:
        await self.click_and_load(
            self.page.get_by_role("link", name="PROCEED TO SUMMARY"), "PROCEED TO SUMMARY"
        )
        self.expect_signed_in()
        return self

    async def continue_(self) -> None:
        await self.click_and_load(self.page.get_by_role("link", name="CONTINUE"), "CONTINUE")
        self.expect_signed_in()

    async def choose_mandate(self, reference: str) -> None:
        select = self.page.get_by_label("Mandate List*")
        labels = await self._guard("reading the mandate list", select.locator("option").all_inner_texts)
        label = next((t for t in labels if t.startswith(reference)), None)
        if label is None:
            raise BusinessError(f"mandate {reference} is not in the portal's Mandate List")
        await self._guard("choosing the mandate", lambda: select.select_option(label=label))

    async def proceed(self) -> dict[str, str]:
        """`PROCEED`: the debit; the portal's message must be QRG 7's, else BusinessError."""
        await self.click_and_load(self.page.get_by_role("button", name="PROCEED"), "PROCEED with the debit")
        self.expect_signed_in()
        refused = await self.alert_text()
        if refused:
            raise BusinessError(f"direct debit refused: {refused}")
        status = self.page.get_by_role("status")
        notice = " ".join((await status.first.inner_text()).split()) if await status.count() else ""
        if notice != INITIATED:
            raise BusinessError(f"direct debit: the portal said {notice!r}, not {INITIATED!r}")
        table = self.page.get_by_role("table", name="Payment details")
        labels = await self._guard("reading the payment", table.locator("th").all_inner_texts)
        values = await self._guard("reading the payment", table.locator("td").all_inner_texts)
        return {k.strip(): v.strip() for k, v in zip(labels, values)}


class DirectDebitPaymentWithCart(DirectDebitPaymentPage):
    """`Payment` once the cart holds something: `PROCEED TO SUMMARY` shows only then."""

    screen = "Direct Debit Payment (cart filled)"
    expects = DirectDebitPaymentPage.expects + (("link", "PROCEED TO SUMMARY"),)


class DirectDebitSummaryPage(DirectDebitPaymentPage):
    """After `PROCEED TO SUMMARY`: the summary and `CONTINUE`."""

    screen = "Direct Debit Payment Summary"
    url = "/employer/direct-debit/*/summary"
    expects = (("table", "Payment Summary"), ("link", "CONTINUE"))


class DirectDebitMandateChoicePage(DirectDebitPaymentPage):
    """After `CONTINUE` (QRG 7 step 9): `Mandate List*` and `PROCEED`."""

    screen = "Direct Debit Mandate List"
    url = "/employer/direct-debit/*/pay"
    expects = CartScreen.expects + (("label", "Mandate List*"), ("button", "PROCEED"))


class DirectDebitInitiatedPage(DirectDebitPaymentPage):
    """After `PROCEED` (same URL): QRG 7 step 10's message and the payment's details."""

    screen = "Direct Debit Payment Initiated"
    url = "/employer/direct-debit/*/pay"
    expects = (("text", INITIATED), ("table", "Payment details"))
