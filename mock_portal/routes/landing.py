"""The public landing page (www.perkeso.gov.my's stand-in) with the "Portal ASSIST" link."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from mock_portal.pages import render

router = APIRouter()


@router.get("/")
async def landing(request: Request) -> Response:
    return render(request, "landing.html")
