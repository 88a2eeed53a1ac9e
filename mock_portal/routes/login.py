"""QRG 1 – employer login: email → SETERUSNYA → emailed password → LOG MASUK; and logout."""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from starlette.responses import RedirectResponse, Response

from mock_portal.logins import generate_password, hash_password, minutes, password_email, password_matches
from mock_portal.pages import render
from mock_portal.portal import Portal, portal_of
from mock_portal.sessions import EXPIRED_FLASH, CsrfChecked, end_session, start_session
from mock_portal.state import Employer, LoginAttempt

router = APIRouter()

UNKNOWN_EMAIL = "Emel tidak berdaftar dengan ASSIST."
LOCKED = "Akaun anda telah dikunci. Sila cuba lagi selepas {minutes} minit."
WRONG_PASSWORD = "Kata laluan tidak sah."
EXPIRED_PASSWORD = "Kata laluan telah tamat tempoh. Sila log masuk semula."
SESSION_EXPIRED = "Sesi anda telah tamat. Sila log masuk semula."
PASSWORD_SENT = "Kata laluan telah dihantar ke emel anda."


def _redirect(path: str) -> RedirectResponse:
    return RedirectResponse(path, status_code=303)


def _locked_message(portal: Portal, employer: Employer) -> str | None:
    """The lockout alert while the account is locked, else None."""
    remaining = (employer.locked_until or 0) - portal.store.clock()
    return LOCKED.format(minutes=minutes(remaining)) if remaining > 0 else None


@router.get("/employer/login")
async def login_page(request: Request) -> Response:
    alert = SESSION_EXPIRED if request.session.pop("flash", None) == EXPIRED_FLASH else None
    return render(request, "login.html", alert=alert)


@router.post("/employer/login", dependencies=[CsrfChecked])
async def request_password(request: Request, email: str = Form("")) -> Response:
    portal = portal_of(request)
    email = email.strip()
    employer = portal.store.employers.by_email(email) if email else None
    if employer is None:
        portal.store.login_attempts.unknown_email(email)
        return render(request, "login.html", alert=UNKNOWN_EMAIL, email=email)
    locked = _locked_message(portal, employer)
    if locked:
        portal.store.login_attempts.locked(employer)
        return render(request, "login.html", alert=locked, email=email)
    config = portal.config
    password = generate_password()
    attempt_id = portal.store.login_attempts.new(employer, hash_password(password), config.password_ttl)
    await portal.mailer.send(
        password_email(employer, password, config.mail_from, config.mail_subject, config.password_ttl)
    )
    if request.session.get("sid"):  # logging in again ends the browser's current session
        end_session(request, "relogin")
    request.session["pending"] = attempt_id
    return _redirect("/employer/login/password")


def _pending(request: Request) -> LoginAttempt | None:
    attempt_id = request.session.get("pending")
    return portal_of(request).store.login_attempts.get(int(attempt_id)) if attempt_id else None


@router.get("/employer/login/password")
async def password_page(request: Request) -> Response:
    attempt = _pending(request)
    if attempt is None:
        return _redirect("/employer/login")
    return render(request, "password.html", email=attempt.email, status=PASSWORD_SENT)


@router.post("/employer/login/password", dependencies=[CsrfChecked])
async def check_password(request: Request, password: str = Form("")) -> Response:
    portal = portal_of(request)
    store, config = portal.store, portal.config
    attempt = _pending(request)
    employer = store.employer(attempt.employer_code) if attempt else None
    if attempt is None or employer is None:
        return _redirect("/employer/login")

    def again(alert: str) -> Response:
        return render(request, "password.html", email=attempt.email, alert=alert)

    locked = _locked_message(portal, employer)
    if locked:
        return again(locked)
    if attempt.outcome == "expired" or (attempt.outcome == "pending" and store.clock() > attempt.expires_at):
        store.login_attempts.close(attempt.id, "expired")
        return again(EXPIRED_PASSWORD)
    if attempt.outcome != "pending" or not password_matches(password, attempt.password_hash):
        # Wrong, reused or superseded: the same answer, and one step nearer the lockout.
        store.login_attempts.count_failure(attempt.id)
        if store.employers.record_failed_login(employer.code, config.lockout_after, config.lockout_seconds):
            if attempt.outcome == "pending":
                store.login_attempts.close(attempt.id, "locked")
            return again(LOCKED.format(minutes=minutes(config.lockout_seconds)))
        return again(WRONG_PASSWORD)
    store.login_attempts.close(attempt.id, "success", used=True)
    store.employers.clear_failed_logins(employer.code)
    start_session(request, employer)
    return _redirect("/employer/home")


@router.post("/employer/logout", dependencies=[CsrfChecked])
async def logout(request: Request) -> Response:
    end_session(request, "logout")
    return _redirect("/employer/login")
