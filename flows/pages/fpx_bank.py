"""The FPX bank's own pages (the mock bank: `Bank Login` with `User ID` / `Password` / `LOGIN`, then
`Confirm Payment` with `CONFIRM`): what the transaction says, and the two clicks."""

from __future__ import annotations

from bot.core.errors import BusinessError
from flows.pages.base import Find, PortalPage, sen


class BankPage(PortalPage):
    """What both bank screens show: the FPX transaction."""

    transaction_table = Find("table", "FPX transaction")

    async def transaction(self) -> tuple[str, int]:
        """(merchant order no. = the portal's reference, amount in sen) as the bank shows them."""
        found = await self.details(self.transaction_table, "reading the transaction")
        return found["Merchant Order No."], sen(found["Amount"])


class BankLoginPage(BankPage):
    screen = "FPX bank login"
    url = "/fpx-bank/*"
    heading = Find("heading", "Bank Login")
    user = Find("label", "User ID")
    password = Find("label", "Password")
    login_button = Find("button", "LOGIN")

    async def is_shown(self) -> bool:
        return await self.shows(self.heading)

    async def log_in(self, user: str, password: str) -> BankConfirmPage:
        await self._guard("typing the bank user", lambda: self.user.fill(user))
        await self._guard("typing the bank password", lambda: self.password.fill(password))
        await self.press(self.login_button, "logging in to the bank")
        refused = await self.alert_text()
        if refused:
            raise BusinessError(f"the bank refused the login: {refused}")
        return self.on(BankConfirmPage)


class BankConfirmPage(BankPage):
    screen = "FPX bank confirmation"
    url = "/fpx-bank/*/confirm"
    confirm_button = Find("button", "CONFIRM")

    async def confirm(self) -> None:
        """`CONFIRM`: the click that moves money. Returns once the bank answered (or raises); never
        repeated (a lost answer is the caller's `UnknownOutcome`)."""
        await self.press(self.confirm_button, "CONFIRM at the bank")
