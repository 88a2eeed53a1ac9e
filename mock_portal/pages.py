"""Rendering: Jinja2 templates with the base layout's context (csrf token, employer, menu)."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from starlette.responses import Response

from mock_portal.config import PACKAGE_DIR
from mock_portal.sessions import csrf_token

templates = Jinja2Templates(directory=str(PACKAGE_DIR / "templates"))

# The `My Sites` menu: (label, path). Later issues fill these areas in.
MY_SITES: tuple[tuple[str, str], ...] = (
    ("Registration", "/employer/registration"),
    ("Contribution", "/employer/contribution"),
    ("Payment", "/employer/payment"),
    ("Electronic Fund Transfer", "/employer/eft"),
    ("Direct Debit", "/employer/direct-debit"),
)


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> Response:
    context.setdefault("employer", None)
    context.setdefault("alert", None)
    context.update(csrf_token=csrf_token(request), my_sites=MY_SITES)
    return templates.TemplateResponse(request, template, context, status_code=status_code)
