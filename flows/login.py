"""QRG 1 – Login: landing page → "Portal ASSIST" → email → `SETERUSNYA` → emailed password → `LOG MASUK`."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from pydantic import SecretStr

from bot.core.browser import EmployerSession
from bot.core.errors import BusinessError, PasswordRefused
from bot.core.locks import exclusive, login_lock
from bot.core.mail import AsyncPasswordWatch, watch_password
from bot.core.settings import EmployerSettings, Settings
from flows.pages.home import HomePage
from flows.pages.login import LandingPage, LoginEmailPage, LoginPasswordPage

log = logging.getLogger(__name__)


async def log_in(session: EmployerSession, employer: EmployerSettings, settings: Settings) -> HomePage:
    """Log `employer` in and return its home page, checked to be this employer's. A context already
    logged in as the employer (an earlier step of the same workflow attempt) only opens its home page:
    a login costs an emailed password. Only when the portal ended that session is it done again."""
    if session.signed_in == employer.employer_code:
        home = await _still_signed_in(session, settings)
        if home is not None:
            await session.step("home")
            return home
        log.info("%s: the portal ended the session; logging in again", employer.name)
    landing = await LandingPage.open(session.page, settings.portal.base_url)
    email_page = await landing.go_to_portal()
    await email_page.enter_email(employer.login_email)
    await session.step("login-email")
    # From the password request until it is used, no other login of this employer on this machine.
    async with (
        exclusive(login_lock(settings.state_dir, settings.portal.base_url, employer.employer_code)),
        _password_request(email_page, employer, settings) as (password_page, password, watch),
    ):
        await session.step("login-password-page")
        try:
            home = await password_page.log_in(session.hide(password))
        except PasswordRefused:
            # The mail typed may have answered an earlier request that arrived late; a newer one
            # arriving within the wait is the latest request's: typed once, never more.
            newer = await watch.newer_password() if watch is not None else None
            if newer is None:
                raise
            log.warning("%s: password refused; trying the newer password mail once", employer.name)
            home = await password_page.log_in(session.hide(newer))
    await session.step("home")
    code = await home.employer_code()
    if code != employer.employer_code:
        raise BusinessError(
            f"logged in as employer {code}, but the portfolio says {employer.name} is {employer.employer_code}"
        )
    session.signed_in = code
    log.info("%s: logged in as %s", employer.name, code)
    return home


@asynccontextmanager
async def _password_request(
    email_page: LoginEmailPage, employer: EmployerSettings, settings: Settings
) -> AsyncIterator[tuple[LoginPasswordPage, SecretStr, AsyncPasswordWatch | None]]:
    """Press `SETERUSNYA` and get the password, keeping the mail watch open while it is typed."""
    if employer.password_source == "static":
        assert employer.static_password is not None  # checked by EmployerSettings
        yield await email_page.next(), employer.static_password, None
        return
    assert employer.mailbox is not None  # checked by EmployerSettings
    # The watch opens before SETERUSNYA so that only the mail this request causes can match.
    async with watch_password(employer.mailbox, settings.mail, employer.login_email, employer.name) as watch:
        password_page = await email_page.next()
        yield password_page, await watch.password(), watch


async def _still_signed_in(session: EmployerSession, settings: Settings) -> HomePage | None:
    """The home page, when the portal still knows this context's session; else None."""
    home = HomePage(session.page)
    await home.goto(settings.portal.base_url.rstrip("/") + str(HomePage.url), "opening the home page")
    if await home.is_shown():
        return home
    session.signed_in = None
    return None


async def log_out(session: EmployerSession, settings: Settings) -> None:
    """End the portal session this context holds, if any (at the end of a command or a workflow
    attempt, success or not): a session left open is one a kept cookie could still use."""
    if session.signed_in is None or not session.alive:
        return
    home = HomePage(session.page)
    if not await home.is_shown():
        home = await _still_signed_in(session, settings) or home
    if session.signed_in is not None:
        await home.log_out()
        session.signed_in = None


async def ask_for_password(
    email_page: LoginEmailPage, employer: EmployerSettings, settings: Settings
) -> tuple[LoginPasswordPage, SecretStr]:
    """Press `SETERUSNYA` and get the password: the emailed one (watched from before the press), or
    the portfolio's static one."""
    async with _password_request(email_page, employer, settings) as (password_page, password, _watch):
        return password_page, password
