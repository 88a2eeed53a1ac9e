"""Rendering: Jinja2 templates with the base layout's context (csrf token, employer, menu)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Path, Request
from fastapi.templating import Jinja2Templates
from starlette.responses import Response

from mock_portal.config import PACKAGE_DIR
from mock_portal.sessions import csrf_token

# A record's number in a path (submission, line, case): what SQLite's integers hold; anything else
# is a validation error, which the app answers with its "not found" page (never a 500).
RecordId = Annotated[int, Path(ge=0, le=2**63 - 1)]

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
