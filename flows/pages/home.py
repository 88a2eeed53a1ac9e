"""The employer's home page after login: name, employer code, the `My Sites` menu, `Logout`."""

from __future__ import annotations

import re

from playwright.async_api import Locator

from bot.core.errors import PortalUnavailable
from flows.pages.base import PortalPage

MY_SITES = ("Registration", "Contribution", "Payment", "Electronic Fund Transfer", "Direct Debit")
_CODE = re.compile(r"Employer Code:\s*([A-Z0-9]+)")


class HomePage(PortalPage):
    screen = "Home"
    url = "/employer/home"
    expects = (("text", "My Sites"), ("button", "Logout"))

    @property
    def my_sites(self) -> Locator:
        return self.page.get_by_text("My Sites", exact=True)

    @property
    def logout_button(self) -> Locator:
        return self.page.get_by_role("button", name="Logout").or_(
            self.page.get_by_role("link", name="Logout")
        )

    @property
    def employer_heading(self) -> Locator:
        return self.page.get_by_role("heading", level=1)

    async def is_shown(self) -> bool:
        return await self.logout_button.count() > 0

    async def employer_name(self) -> str:
        return " ".join(
            (await self._guard("reading the employer name", self.employer_heading.first.inner_text)).split()
        )

    async def employer_code(self) -> str:
        text = await self._guard("reading the employer code", lambda: self.page.locator("body").inner_text())
        match = _CODE.search(text)
        if not match:
            raise PortalUnavailable(f"{self.screen}: no 'Employer Code:' on the page")
        return match.group(1)

    async def open_site(self, name: str) -> None:
        """Open `My Sites` and follow one of its entries (Registration, Contribution, ...)."""
        await self._guard("opening My Sites", self.my_sites.click)
        await self.click_and_load(self.page.get_by_role("link", name=name, exact=True), f"opening {name}")
        self.expect_signed_in()

    async def log_out(self) -> None:
        await self.click_and_load(self.logout_button.first, "logging out")
