"""Upload limits: the largest request body each kind of form takes, refused before it is read.

A body over its path's limit is answered 413 with the portal's page naming the limit, as soon as its
Content-Length says so (the bytes already on the wire are drained and dropped, never kept), or as
soon as a body without a length passes the limit.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from mock_portal.pages import render

MIB = 1024 * 1024
# (path pattern, limit in bytes, what the limit is for): first match wins.
LIMITS = (
    (re.compile(r"^/employer/contribution/[^/]+/textfile$"), 2 * MIB, "text file"),
    (re.compile(r"^/employer/(register/|registration/cases/|eft/[^/]+/pay$)"), 5 * MIB, "document"),
    (re.compile(r""), 256 * 1024, "form"),
)
DRAIN_AT_MOST = 256 * MIB  # beyond this the connection is simply closed after the answer

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


def limit_for(path: str) -> tuple[int, str]:
    for pattern, limit, what in LIMITS:
        if pattern.match(path):
            return limit, what
    raise AssertionError("the last pattern matches every path")


def message(limit: int, what: str) -> str:
    size = f"{limit // MIB} MB" if limit >= MIB else f"{limit // 1024} KB"
    return f"The {what} is too large: the limit is {size}. Please upload a smaller file."


class TooLarge(HTTPException):
    """A body without Content-Length went past its limit while the route read it."""

    def __init__(self, limit: int, what: str) -> None:
        super().__init__(status_code=413, detail=message(limit, what))


def too_large_page(request: Request, exc: Exception) -> Response:
    detail = exc.detail if isinstance(exc, HTTPException) else "Request too large."
    return render(request, "error.html", status_code=413, title="413 Payload Too Large", message=detail)


class UploadLimits:
    """ASGI middleware (inside the session middleware, so the page can be rendered)."""

    def __init__(self, app: Callable[[Scope, Receive, Send], Awaitable[None]]) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("POST", "PUT", "PATCH"):
            await self.app(scope, receive, send)
            return
        limit, what = limit_for(scope["path"])
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > limit):
            if length.isdigit() and int(length) <= DRAIN_AT_MOST:
                await _drain(receive)
            response = too_large_page(Request(scope), TooLarge(limit, what))
            response.headers["connection"] = "close"
            await response(scope, receive, send)
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            incoming = await receive()
            if incoming["type"] == "http.request":
                received += len(incoming.get("body", b""))
                if received > limit:
                    raise TooLarge(limit, what)
            return incoming

        await self.app(scope, counted, send)


async def _drain(receive: Receive) -> None:
    """Read what the client sends and drop it, so that it sees the answer rather than a reset."""
    while True:
        incoming = await receive()
        if incoming["type"] != "http.request" or not incoming.get("more_body", False):
            return
