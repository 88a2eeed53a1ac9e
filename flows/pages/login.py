"""QRG 1 screens: the PERKESO landing page and the two-step employer login (email, then password)."""

from __future__ import annotations

from playwright.async_api import Locator, Page

from bot.core.errors import BusinessError, PasswordRefused, PortalUnavailable
from flows.pages.base import PortalPage
from flows.pages.home import HomePage

# The portal's lockout message ("Akaun anda telah dikunci ..."): waiting, not retrying, helps then.
LOCKED_MARK = "dikunci"
NEW_EMPLOYER = "Daftar Majikan Baru / New Employer Registration"


class LandingPage(PortalPage):
    """www.perkeso.gov.my (or the mock's `/`): the "Portal ASSIST" link."""

    screen = "Landing page"
    url = "/"
    expects = (("link", "Portal ASSIST"),)

    @property
    def portal_link(self) -> Locator:
        return self.page.get_by_role("link", name="Portal ASSIST")

    @classmethod
    async def open(cls, page: Page, base_url: str) -> LandingPage:
        landing = cls(page)
        await landing.goto(base_url.rstrip("/") + "/", "opening the landing page")
        return landing

    async def go_to_portal(self) -> LoginEmailPage:
        await self.click_and_load(self.portal_link, "following the Portal ASSIST link")
        return LoginEmailPage(self.page)


class LoginEmailPage(PortalPage):
    """`/employer/login`, step 1: the registered email and `SETERUSNYA`."""

    screen = "Employer login (email)"
    url = "/employer/login"
    expects = (("label", "Email Address"), ("button", "SETERUSNYA"), ("link", NEW_EMPLOYER))

    @property
    def email(self) -> Locator:
        return self.page.get_by_label("Email Address")

    @property
    def next_button(self) -> Locator:
        return self.page.get_by_role("button", name="SETERUSNYA")

    @property
    def new_employer_link(self) -> Locator:
        """QRG 2 starts here, without logging in."""
        return self.page.get_by_role("link", name=NEW_EMPLOYER, exact=True)

    async def enter_email(self, address: str) -> None:
        await self._guard("typing the email", lambda: self.email.fill(address))

    async def next(self) -> LoginPasswordPage:
        """Press `SETERUSNYA`; the portal then emails a password. Its refusal is a `BusinessError`."""
        await self.click_and_load(self.next_button, "submitting the email")
        password_page = LoginPasswordPage(self.page)
        if await password_page.password.count() == 0:
            message = await self.alert_text()
            if message:
                raise BusinessError(f"the portal refused the login email: {message}")
            raise PortalUnavailable(f"{self.screen}: no password field after SETERUSNYA ({self.page.url})")
        return password_page


class LoginPasswordPage(PortalPage):
    """Step 2: "Kata Laluan" (the emailed password) and `LOG MASUK`."""

    screen = "Employer login (password)"
    url = "/employer/login/password"
    expects = (("label", "Kata Laluan"), ("button", "LOG MASUK"))

    @property
    def password(self) -> Locator:
        return self.page.get_by_label("Kata Laluan")

    @property
    def login_button(self) -> Locator:
        return self.page.get_by_role("button", name="LOG MASUK")

    async def log_in(self, password: str) -> HomePage:
        """Type the password and press `LOG MASUK`; the portal's refusal is a `BusinessError`."""
        await self._guard("typing the password", lambda: self.password.fill(password))
        await self.click_and_load(self.login_button, "logging in")
        home = HomePage(self.page)
        if not await home.is_shown():
            message = await self.alert_text()
            if message and LOCKED_MARK in message.lower():
                raise BusinessError(f"the portal locked the account: {message}")
            if message:
                raise PasswordRefused(f"the portal refused the emailed password: {message}")
            raise PortalUnavailable(f"{self.screen}: no home page after LOG MASUK ({self.page.url})")
        return home
