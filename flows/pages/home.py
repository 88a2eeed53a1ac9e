"""The employer's home page after login: name, employer code, the `My Sites` menu, `Logout`."""

from __future__ import annotations

import re

from bot.core.errors import PortalUnavailable
from flows.pages.base import Find, Named, PortalPage

MY_SITES = ("Registration", "Contribution", "Payment", "Electronic Fund Transfer", "Direct Debit")
_CODE = re.compile(r"Employer Code:\s*([A-Z0-9]+)")


class HomePage(PortalPage):
    screen = "Home"
    url = "/employer/home"
    my_sites = Find("text", "My Sites")
    logout_button = Find("button", "Logout")
    employer_heading = Find("heading", "", level=1, optional=True)
    site = Named("link", "{}")  # a `My Sites` entry (MY_SITES); hidden until the menu is opened

    async def is_shown(self) -> bool:
        return await self.shows(self.logout_button)

    async def employer_name(self) -> str:
        return await self.text_of(self.employer_heading)

    async def employer_code(self) -> str:
        text = await self.page_text("reading the employer code")
        match = _CODE.search(text)
        if not match:
            raise PortalUnavailable(f"{self.name}: no 'Employer Code:' on the page")
        return match.group(1)

    async def open_site(self, name: str) -> None:
        """Open `My Sites` and follow one of its entries (Registration, Contribution, ...)."""
        await self._guard("opening My Sites", self.my_sites.click)
        await self.follow(self.site(name), f"opening {name}")
        self.expect_signed_in()

    async def log_out(self) -> None:
        await self.press(self.logout_button, "logging out")
