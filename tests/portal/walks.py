"""The QA suite's walks: a QRG procedure driven through its page objects, every screen checked for
drift before it is used. Read-only unless the name says otherwise."""

from __future__ import annotations

from pathlib import Path

from bot.core.browser import EmployerSession
from bot.core.settings import EmployerSettings, Settings
from flows.login import ask_for_password
from flows.pages.contribution import ContributionMenu, SchemePage, TextFilePage
from flows.pages.home import HomePage
from flows.pages.login import LandingPage, LoginEmailPage, LoginPasswordPage
from flows.pages.payment_list import PaymentPage
from tests.portal.conftest import drift_explained, expect_screen


async def walk_login(session: EmployerSession, employer: EmployerSettings, settings: Settings) -> HomePage:
    """QRG 1, screen by screen: landing → email → password (emailed) → home."""
    async with drift_explained(session.page):
        return await _login(session, employer, settings)


async def _login(session: EmployerSession, employer: EmployerSettings, settings: Settings) -> HomePage:
    landing = await LandingPage.open(session.page, settings.portal.base_url)
    await expect_screen(session.page, LandingPage)
    email_page = await landing.go_to_portal()
    await expect_screen(session.page, LoginEmailPage)
    await email_page.enter_email(employer.login_email)
    await session.step("login-email")
    password_page, password = await ask_for_password(email_page, employer, settings)
    await expect_screen(session.page, LoginPasswordPage)
    home = await password_page.log_in(session.hide(password))
    await expect_screen(session.page, HomePage)
    await session.step("home")
    return home


async def walk_to_pending_list(home: HomePage, scheme: str = "socso+eis") -> SchemePage:
    """QRG 4: My Sites → Contribution → the variant's page with its pending list."""
    async with drift_explained(home.page):
        await home.open_site("Contribution")
        await expect_screen(home.page, ContributionMenu)
        variant = await ContributionMenu(home.page).choose(scheme)
    await expect_screen(home.page, SchemePage)
    return variant


async def walk_to_text_file(variant: SchemePage) -> TextFilePage:
    async with drift_explained(variant.page):
        upload = await variant.text_file()
    await expect_screen(upload.page, TextFilePage)
    return upload


async def walk_to_payment(home: HomePage) -> PaymentPage:
    """QRG 8/9: My Sites → Payment, the ACR/ECR list."""
    async with drift_explained(home.page):
        await home.open_site("Payment")
    await expect_screen(home.page, PaymentPage)
    return PaymentPage(home.page)


def bad_text_file(folder: Path, employer_code: str) -> Path:
    """A SOCSO + EIS text file whose one line is too short: the portal must reject it, not store it."""
    path = folder / f"{employer_code}_SOCSO_EIS_BAD.txt"
    path.write_text(employer_code + "X" * 20 + "\r\n", encoding="ascii")
    return path
