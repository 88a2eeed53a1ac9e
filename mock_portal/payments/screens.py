"""What the payment screens' routes share: the redirect after a POST and the not-found page."""

from __future__ import annotations

from fastapi import Request
from starlette.responses import RedirectResponse, Response

from mock_portal.pages import render
from mock_portal.state import Employer


def redirect(path: str) -> RedirectResponse:
    return RedirectResponse(path, status_code=303)


def not_found(request: Request, employer: Employer) -> Response:
    return render(
        request,
        "error.html",
        status_code=404,
        employer=employer,
        title="404 Not Found",
        message="Rekod tidak dijumpai.",
    )
