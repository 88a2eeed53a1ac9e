"""The FastAPI app factory: routers per area, templates, static files, sessions, faults."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.middleware.sessions import SessionMiddleware
from starlette.responses import RedirectResponse, Response
from starlette.staticfiles import StaticFiles

from mock_portal.config import PACKAGE_DIR
from mock_portal.faults import FaultMiddleware
from mock_portal.pages import render
from mock_portal.portal import Portal
from mock_portal.routes import (
    contribution,
    control,
    direct_debit,
    eft,
    employer_registration,
    fpx,
    fpx_bank,
    home,
    landing,
    login,
    payment_control,
    payment_documents,
    registration,
    registration_cases,
    resignation,
)
from mock_portal.sessions import EXPIRED_FLASH, SESSION_COOKIE, CsrfFailed, SessionRequired
from mock_portal.uploads import UploadLimits, too_large_page


def create_app(portal: Portal) -> FastAPI:
    app = FastAPI(title="Mock ASSIST portal", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.portal = portal
    app.mount("/static", StaticFiles(directory=PACKAGE_DIR / "static"), name="static")
    app.include_router(control.health_router)
    if portal.config.control:
        app.include_router(control.router)
        app.include_router(payment_documents.control_router)
        app.include_router(payment_control.router)
    app.include_router(landing.router)
    app.include_router(login.router)
    # Area routers before home's placeholder pages, so that theirs win.
    app.include_router(contribution.router)
    app.include_router(payment_documents.router)
    for payments in (fpx, fpx_bank, eft, direct_debit):
        app.include_router(payments.router)
    app.include_router(home.router)
    for area in (employer_registration, registration, registration_cases, resignation):
        app.include_router(area.router)
    app.add_exception_handler(SessionRequired, _session_required)
    app.add_exception_handler(CsrfFailed, _csrf_failed)
    app.add_exception_handler(RequestValidationError, _invalid_request)
    app.add_exception_handler(413, too_large_page)
    app.add_middleware(UploadLimits)  # inside the session middleware: its page shows the CSRF token
    app.add_middleware(
        SessionMiddleware,
        secret_key=portal.store.secret(),
        session_cookie=SESSION_COOKIE,
        max_age=None,
        same_site="lax",
    )
    app.add_middleware(FaultMiddleware, faults=portal.faults)
    return app


def _session_required(request: Request, exc: Exception) -> Response:
    request.session.clear()
    request.session["flash"] = EXPIRED_FLASH
    return RedirectResponse("/employer/login", status_code=303)


def _csrf_failed(request: Request, exc: Exception) -> Response:
    return render(
        request,
        "error.html",
        status_code=403,
        title="403 Forbidden",
        message="Permintaan tidak sah: token keselamatan borang tiada atau salah. "
        "Sila muat semula halaman dan cuba lagi.",
    )


def _invalid_request(request: Request, exc: Exception) -> Response:
    """A path or query the routes cannot read (a record number of 23 digits, `add=abc`): the
    portal's own page, 404 for a record that cannot exist, 422 for the rest; never FastAPI's JSON."""
    errors = exc.errors() if isinstance(exc, RequestValidationError) else []
    in_path = any(e.get("loc", ("",))[0] == "path" for e in errors)
    return render(
        request,
        "error.html",
        status_code=404 if in_path else 422,
        title="404 Not Found" if in_path else "422 Unprocessable Entity",
        message="Rekod tidak dijumpai."
        if in_path
        else "Permintaan tidak sah: sila semak maklumat yang diisi.",
    )
