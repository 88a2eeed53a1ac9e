"""After login: the home page with the `My Sites` menu, and the (still empty) site pages."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from mock_portal.pages import MY_SITES, render
from mock_portal.sessions import LoggedIn
from mock_portal.state import Employer

router = APIRouter()


@router.get("/employer/home")
async def home(request: Request, employer: Employer = LoggedIn) -> Response:
    return render(request, "home.html", employer=employer)


def _placeholder(title: str):  # type: ignore[no-untyped-def]
    async def page(request: Request, employer: Employer = LoggedIn) -> Response:
        return render(request, "site.html", employer=employer, title=title)

    return page


# Empty pages until their issues land; an area's own router replaces its entry here.
OWN_PAGES = frozenset({"/employer/registration"})  # served by mock_portal/routes/registration.py
for _title, _path in MY_SITES:
    if _path not in OWN_PAGES:
        router.add_api_route(_path, _placeholder(_title), methods=["GET"], name=_path)
