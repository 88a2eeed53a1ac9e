"""The FPX bank's own pages (the mock bank: `Bank Login` with `User ID` / `Password` / `LOGIN`, then
`Confirm Payment` with `CONFIRM`): what the transaction says, and the two clicks."""

from __future__ import annotations

from typing import ClassVar

from bot.core.errors import BusinessError
from flows.pages.base import Expect, PortalPage
from flows.pages.payment_list import sen


class BankPage(PortalPage):
    screen = "FPX bank"
    expects: ClassVar[tuple[Expect, ...]] = (("table", "FPX transaction"),)

    async def transaction(self) -> tuple[str, int]:
        """(merchant order no. = the portal's reference, amount in sen) as the bank shows them."""
        table = self.page.get_by_role("table", name="FPX transaction")
        labels = [
            t.strip()
            for t in await self._guard("reading the transaction", table.locator("th").all_inner_texts)
        ]
        values = [
            t.strip()
            for t in await self._guard("reading the transaction", table.locator("td").all_inner_texts)
        ]
        found = dict(zip(labels, values))
        return found["Merchant Order No."], sen(found["Amount"])


class BankLoginPage(BankPage):
    screen = "FPX bank login"
    url = "/fpx-bank/*"
    expects = BankPage.expects + (
        ("heading", "Bank Login"),
        ("label", "User ID"),
        ("label", "Password"),
        ("button", "LOGIN"),
    )

    async def is_shown(self) -> bool:
        return await self.page.get_by_role("heading", name="Bank Login").count() > 0

    async def log_in(self, user: str, password: str) -> BankConfirmPage:
        await self._guard("typing the bank user", lambda: self.page.get_by_label("User ID").fill(user))
        await self._guard(
            "typing the bank password", lambda: self.page.get_by_label("Password").fill(password)
        )
        await self.click_and_load(self.page.get_by_role("button", name="LOGIN"), "logging in to the bank")
        refused = await self.alert_text()
        if refused:
            raise BusinessError(f"the bank refused the login: {refused}")
        return BankConfirmPage(self.page)


class BankConfirmPage(BankPage):
    screen = "FPX bank confirmation"
    url = "/fpx-bank/*/confirm"
    expects = BankPage.expects + (("button", "CONFIRM"),)

    async def confirm(self) -> None:
        """`CONFIRM`: the click that moves money. Returns once the bank answered (or raises)."""
        await self.click_and_load(self.page.get_by_role("button", name="CONFIRM"), "CONFIRM at the bank")
