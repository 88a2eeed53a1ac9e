"""The test/QA control API (`/_mock/*`, loopback only) and the readiness probe `/healthz`."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Body, Depends, HTTPException, Request
from starlette.responses import JSONResponse

from mock_portal.faults import FaultPlan
from mock_portal.portal import portal_of

LOOPBACK = {"127.0.0.1", "::1", "localhost"}


def _is_loopback(host: str) -> bool:
    return host in LOOPBACK or host.startswith("127.")


async def loopback_only(request: Request) -> None:
    """From this machine only, and not on a web page's behalf: the client, the Host header (against
    DNS rebinding) and, when a browser sends them, Origin and Sec-Fetch-Site (against a cross-site
    form post or fetch) must all be loopback / same-origin."""
    client = request.client.host if request.client else ""
    if not _is_loopback(client):
        raise HTTPException(status_code=403, detail="control API is loopback only")
    host = urlsplit(f"//{request.headers.get('host', '')}").hostname or ""
    if not _is_loopback(host):
        raise HTTPException(status_code=403, detail="control API: the Host header must be a loopback name")
    origin = request.headers.get("origin")
    if origin is not None and (origin == "null" or not _is_loopback(urlsplit(origin).hostname or "")):
        raise HTTPException(status_code=403, detail="control API: cross-site requests are refused")
    if request.headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
        raise HTTPException(status_code=403, detail="control API: cross-site requests are refused")


health_router = APIRouter()
router = APIRouter(prefix="/_mock", dependencies=[Depends(loopback_only)])


@health_router.get("/healthz")
async def healthz(request: Request) -> JSONResponse:
    if await portal_of(request).mail_is_up():
        return JSONResponse({"status": "ok"})
    return JSONResponse({"status": "mail server down"}, status_code=503)


@router.get("/state")
async def state(request: Request) -> dict[str, Any]:
    portal = portal_of(request)
    return portal.store.snapshot(portal.config.session_idle)


@router.post("/reset")
async def reset(request: Request) -> dict[str, str]:
    await portal_of(request).reset()
    return {"status": "reset"}


@router.get("/faults")
async def get_faults(request: Request) -> dict[str, Any]:
    return portal_of(request).faults.as_dict()


@router.post("/faults")
async def set_faults(request: Request, data: dict[str, Any] = Body(default_factory=dict)) -> dict[str, Any]:
    try:
        plan = FaultPlan.parse(data)
    except ValueError as exc:
        raise HTTPException(status_code=400, detail=str(exc)) from exc
    faults = portal_of(request).faults
    faults.replace(plan)
    return faults.as_dict()
