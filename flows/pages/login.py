"""QRG 1 screens: the PERKESO landing page and the two-step employer login (email, then password)."""

from __future__ import annotations

from playwright.async_api import Page

from bot.core.errors import BusinessError, PasswordRefused, PortalUnavailable
from flows.pages.base import Find, PortalPage
from flows.pages.home import HomePage

# The portal's lockout message ("Akaun anda telah dikunci ..."): waiting, not retrying, helps then.
LOCKED_MARK = "dikunci"
NEW_EMPLOYER = "Daftar Majikan Baru / New Employer Registration"


class LandingPage(PortalPage):
    """www.perkeso.gov.my (or the mock's `/`): the "Portal ASSIST" link."""

    screen = "Landing page"
    url = "/"
    portal_link = Find("link", "Portal ASSIST")

    @classmethod
    async def open(cls, page: Page, base_url: str) -> LandingPage:
        landing = cls(page)
        await landing.goto(base_url.rstrip("/") + "/", "opening the landing page")
        return landing

    async def go_to_portal(self) -> LoginEmailPage:
        await self.follow(self.portal_link, "following the Portal ASSIST link")
        return self.on(LoginEmailPage)


class LoginEmailPage(PortalPage):
    """`/employer/login`, step 1: the registered email and `SETERUSNYA`."""

    screen = "Employer login (email)"
    url = "/employer/login"
    email = Find("label", "Email Address")
    next_button = Find("button", "SETERUSNYA")
    new_employer_link = Find("link", NEW_EMPLOYER)  # QRG 2 starts here, without logging in

    async def enter_email(self, address: str) -> None:
        await self._guard("typing the email", lambda: self.email.fill(address))

    async def next(self) -> LoginPasswordPage:
        """Press `SETERUSNYA`; the portal then emails a password. Its refusal is a `BusinessError`.
        Not repeated in place: each press mails a new password."""
        await self.press(self.next_button, "submitting the email")
        password_page = self.on(LoginPasswordPage)
        if not await password_page.shows(password_page.password):
            message = await self.alert_text()
            if message:
                raise BusinessError(f"the portal refused the login email: {message}")
            raise PortalUnavailable(f"{self.name}: no password field after SETERUSNYA ({self.page.url})")
        return password_page


class LoginPasswordPage(PortalPage):
    """Step 2: "Kata Laluan" (the emailed password) and `LOG MASUK`."""

    screen = "Employer login (password)"
    url = "/employer/login/password"
    password = Find("label", "Kata Laluan")
    login_button = Find("button", "LOG MASUK")

    async def log_in(self, password: str) -> HomePage:
        """Type the password and press `LOG MASUK`; the portal's refusal is a `BusinessError`."""
        await self._guard("typing the password", lambda: self.password.fill(password))
        await self.press(self.login_button, "logging in")
        home = self.on(HomePage)
        if not await home.is_shown():
            message = await self.alert_text()
            if message and LOCKED_MARK in message.lower():
                raise BusinessError(f"the portal locked the account: {message}")
            if message:
                raise PasswordRefused(f"the portal refused the emailed password: {message}")
            raise PortalUnavailable(f"{self.name}: no home page after LOG MASUK ({self.page.url})")
        return home
