"""Portal drift rehearsal: renamed labels, removed fields and moved URLs, applied to every HTML
page the mock serves (faults keys `labels`, `remove`, `urls`).

The real ASSIST portal changes without notice; these faults let the bot's drift check be seen
failing the way it would on the day a label changes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from starlette.types import ASGIApp, Message, Receive, Scope, Send


@dataclass
class Rewrites:
    labels: dict[str, str] = field(default_factory=dict)  # visible text → its new wording
    remove: list[str] = field(default_factory=list)  # labels/buttons/links whose element goes
    urls: dict[str, str] = field(default_factory=dict)  # old path prefix → new path prefix

    def __bool__(self) -> bool:
        return bool(self.labels or self.remove or self.urls)

    def incoming(self, path: str) -> str | None:
        """The path the app serves for a request to `path`; None when the old URL is gone (404)."""
        for old, new in self.urls.items():
            if _under(path, old) and not _under(path, new):
                return None
            if _under(path, new):
                return old + path[len(new) :]
        return path

    def outgoing_url(self, url: str) -> str:
        for old, new in self.urls.items():
            if _under(url, old):
                return new + url[len(old) :]
        return url

    def html(self, text: str) -> str:
        for name in self.remove:
            # The element named by it goes; a field's label goes with its `for` so the field is unlabelled.
            text = re.sub(rf"<(label|button|a|summary|h\d)\b[^>]*>\s*{re.escape(name)}\s*</\1>", "", text)
        for old, new in self.labels.items():
            # Whole words only; a name that ends (or starts) with a non-word character, like "Phone No*",
            # needs no word boundary there (\b after "*" would demand a word character next).
            start = r"\b" if re.match(r"\w", old) else ""
            end = r"\b" if re.search(r"\w$", old) else ""
            text = re.sub(
                rf"(>[^<]*?){start}{re.escape(old)}{end}",
                lambda m, old=old, new=new: m.group(0).replace(old, new),
                text,
            )
            text = text.replace(f'aria-label="{old}"', f'aria-label="{new}"')
        for old, new in self.urls.items():
            text = re.sub(rf'((?:href|action)="){re.escape(old)}(?=["/?#])', rf"\g<1>{new}", text)
        return text


def _under(path: str, prefix: str) -> bool:
    return path == prefix or path.startswith(prefix.rstrip("/") + "/") or path.startswith(prefix + "?")


async def send_rewritten(
    app: ASGIApp, rewrites: Rewrites, scope: Scope, receive: Receive, send: Send
) -> None:
    """Run the app with the request path mapped and its HTML/redirects rewritten."""
    path = rewrites.incoming(scope.get("path", ""))
    if path is None:
        payload = b"<!doctype html><title>404 Not Found</title><h1>404 Not Found</h1>"
        await send(
            {
                "type": "http.response.start",
                "status": 404,
                "headers": [
                    (b"content-type", b"text/html; charset=utf-8"),
                    (b"content-length", str(len(payload)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": payload})
        return
    scope = {**scope, "path": path, "raw_path": path.encode()}
    start: Message | None = None
    chunks: list[bytes] = []

    async def capture(message: Message) -> None:
        nonlocal start
        if message["type"] == "http.response.start":
            start = message
            return
        if message["type"] != "http.response.body" or start is None:
            await send(message)
            return
        chunks.append(message.get("body", b""))
        if message.get("more_body"):
            return
        await _send_final(send, rewrites, start, b"".join(chunks))

    await app(scope, receive, capture)


async def _send_final(send: Send, rewrites: Rewrites, start: Message, body: bytes) -> None:
    headers = []
    is_html = False
    for key, value in start.get("headers", []):
        if key.lower() == b"location":
            value = rewrites.outgoing_url(value.decode("latin-1")).encode("latin-1")
        if key.lower() == b"content-type" and value.startswith(b"text/html"):
            is_html = True
        headers.append((key, value))
    if is_html:
        body = rewrites.html(body.decode("utf-8")).encode("utf-8")
    headers = [(k, str(len(body)).encode() if k.lower() == b"content-length" else v) for k, v in headers]
    await send({**start, "headers": headers})
    await send({"type": "http.response.body", "body": body})
