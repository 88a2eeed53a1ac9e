"""Browser sessions and CSRF.

The cookie (Starlette's signed SessionMiddleware cookie) holds only ids: the CSRF token, the
pending login attempt (pre-auth) and the server-side session id. Whether a session is still
alive (idle timeout, logout, an injected early expiry) is decided here, from the state.
"""

from __future__ import annotations

import secrets

from fastapi import Depends, Form, Request

from mock_portal.portal import portal_of
from mock_portal.state import Employer

SESSION_COOKIE = "assist_session"
EXPIRED_FLASH = "expired"


class SessionRequired(Exception):
    """No live session: the browser goes back to the login page."""


class CsrfFailed(Exception):
    """A POST without the form's CSRF token."""


def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if not token:
        token = request.session["csrf"] = secrets.token_urlsafe(32)
    return str(token)


async def require_csrf(request: Request, csrf_token: str = Form("")) -> None:
    """Dependency of every POST form route."""
    expected = request.session.get("csrf")
    if not expected or not secrets.compare_digest(str(expected), csrf_token):
        raise CsrfFailed()


async def current_employer(request: Request) -> Employer:
    """Dependency of every page behind the login: the logged-in employer, or SessionRequired."""
    portal = portal_of(request)
    store, config = portal.store, portal.config
    session_id = request.session.get("sid")
    session = store.sessions.get(session_id) if session_id else None
    if session is None or session.ended_at is not None:
        raise SessionRequired()
    if store.clock() - session.last_seen > config.session_idle:
        store.sessions.end(session.id, "idle")
        raise SessionRequired()
    limit = portal.faults.session_expiry_after_requests
    if limit is not None and session.requests >= limit:
        store.sessions.end(session.id, "fault")
        raise SessionRequired()
    store.sessions.touch(session.id)
    employer = store.employer(session.employer_code)
    if employer is None:
        raise SessionRequired()
    return employer


LoggedIn = Depends(current_employer)
CsrfChecked = Depends(require_csrf)


def start_session(request: Request, employer: Employer) -> None:
    """A fresh cookie session (new CSRF token) bound to a new server-side session."""
    request.session.clear()
    request.session["sid"] = portal_of(request).store.sessions.new(employer.code)
    csrf_token(request)


def end_session(request: Request, reason: str) -> None:
    session_id = request.session.get("sid")
    if session_id:
        portal_of(request).store.sessions.end(session_id, reason)
    request.session.clear()
