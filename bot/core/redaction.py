"""Scrub evidence files before they are kept: typed secrets, live credentials, MyKad numbers.

A Playwright trace records form posts, DOM values and the network log, so it holds whatever was
typed, every cookie (`Cookie` / `Set-Cookie`), the session and CSRF tokens of the forms, and the
employees' MyKad numbers of every page shown. Kept evidence must open no session and show no full
MyKad (DESIGN.md, "Files the bot writes"):

- typed secrets (`EmployerSession.hide`) are masked in every form they can be written down in;
- credentials are found first (cookie values, `Authorization` and CSRF headers, form fields and hidden
  inputs named like a token or a session), then every copy of each value is masked, wherever it is;
- MyKad numbers keep their birth date only (`930722-**-****`, `930722******`: the same length, so a
  fixed-width text file keeps its columns), in text only (images are pixels; PDFs are the portal's).
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, quote_plus, unquote_plus

from stdnum.my import nric

MASK = b"********"
# Values shorter than this are not credentials (`1`, `true`, `lax`): masking them would blank the trace.
MIN_TOKEN = 8
# Names of headers, cookies, form fields and inputs whose values are credentials.
_TOKEN_NAME = re.compile(r"csrf|xsrf|token|session|sess_?id|^sid$|jwt|^auth|api[_-]?key|nonce", re.IGNORECASE)
_COOKIE_HEADERS = {"cookie", "set-cookie"}
_BINARY_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"RIFF", b"%PDF", b"\x1aE\xdf\xa3", b"PK\x03\x04")

# --- MyKad -------------------------------------------------------------------------------------
_DASHED = re.compile(rb"(?<![0-9])([0-9]{6})-([0-9]{2})-([0-9]{4})(?![0-9])")
_DIGIT_RUN = re.compile(rb"[0-9]{12,}")


def _is_mykad(digits: bytes) -> bool:
    month, day = int(digits[2:4]), int(digits[4:6])
    return 1 <= month <= 12 and 1 <= day <= 31 and nric.is_valid(digits.decode())


def _mask_run(match: re.Match[bytes]) -> bytes:
    """A run of digits: a valid MyKad at its start or its end loses its last six digits. A text file's
    ID field sits between other fields (a digit MyCoID before it), so no word boundary marks it; only
    the ends are tried, since a window inside a long number is a MyKad by chance."""
    run = bytearray(match.group(0))
    masked_end = _is_mykad(bytes(run[-12:]))
    if masked_end:
        run[-6:] = b"******"
    if len(run) > 12 and (len(run) >= 24 or not masked_end) and _is_mykad(bytes(run[:12])):
        run[6:12] = b"******"
    return bytes(run)


def mask_mykad_bytes(data: bytes) -> bytes:
    data = _DASHED.sub(lambda m: m.group(1) + b"-**-****", data)
    return _DIGIT_RUN.sub(_mask_run, data)


def mask_mykad(text: str) -> str:
    """MyKad numbers keep their birth date only: `930722-10-5540` → `930722-**-****`."""
    return mask_mykad_bytes(text.encode("utf-8")).decode("utf-8")


# --- secrets and credentials -------------------------------------------------------------------
def secret_forms(secret: str) -> set[bytes]:
    """Every way a typed secret can be written down: raw, form- and URL-encoded, JSON, HTML."""
    forms = {
        secret,
        quote_plus(secret),
        quote(secret, safe=""),
        json.dumps(secret)[1:-1],
        html.escape(secret),
    }
    return {f.encode("utf-8") for f in forms if f}


_INPUT_TAG = re.compile(r"<(?:input|meta)\b[^>]*>", re.IGNORECASE)
_ATTRIBUTE = re.compile(r"""([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")
_FORM_PAIR = re.compile(r"(?:^|[?&\s\"'])([\w.\[\]-]+)=([^&\s\"'<>;]+)")
_MULTIPART = re.compile(r'name="([^"]+)"\r?\n(?:[\w-]+:[^\r\n]*\r?\n)*\r?\n([^\r\n]*)')
_JSON_PAIR = re.compile(r'"([\w.-]+)"\s*:\s*"((?:[^"\\]|\\.)*)"')
_HEADER_LINE = re.compile(r"^(cookie|set-cookie|authorization)\s*:\s*(.+)$", re.IGNORECASE | re.MULTILINE)


def _cookie_values(header: str, name: str) -> Iterator[str]:
    """The values of a `Cookie: a=1; b=2` header, or the first pair of a `Set-Cookie`."""
    pairs = header.split(";") if name.lower() == "cookie" else header.split(";")[:1]
    for pair in pairs:
        if "=" in pair:
            yield pair.split("=", 1)[1].strip().strip('"')


def _from_pair(name: str, value: str) -> Iterator[str]:
    lowered = name.lower()
    if lowered in _COOKIE_HEADERS:
        yield from _cookie_values(value, lowered)
    elif lowered == "authorization":
        yield value
        yield value.split(" ", 1)[-1]
    elif _TOKEN_NAME.search(name):
        yield value


def _walk_json(node: Any, cookies: bool = False) -> Iterator[str]:
    """Credentials in a trace's JSON: `{name, value}` pairs (headers, cookies, form params, a DOM
    snapshot's input attributes), `cookies` lists, and keys named like tokens."""
    if isinstance(node, dict):
        name, value = node.get("name"), node.get("value")
        if isinstance(name, str) and isinstance(value, str):
            yield from ([value] if cookies else _from_pair(name, value))
        for key, child in node.items():
            if isinstance(child, str) and key not in ("name", "value") and _TOKEN_NAME.search(key):
                yield child
            else:
                yield from _walk_json(child, cookies=key == "cookies")
    elif isinstance(node, list):
        for child in node:
            yield from _walk_json(child, cookies)


def find_credentials(text: str) -> set[str]:
    """Session and CSRF values written in `text` (HTML, a form post, headers, a trace's JSON lines)."""
    found: set[str] = set()
    for tag in _INPUT_TAG.findall(text):
        attributes = {m[0].lower(): m[1] or m[2] or m[3] for m in _ATTRIBUTE.findall(tag)}
        name = attributes.get("name", "")
        if name and _TOKEN_NAME.search(name):
            found.add(html.unescape(attributes.get("value") or attributes.get("content") or ""))
    for name, value in _FORM_PAIR.findall(text):
        if _TOKEN_NAME.search(name):
            found.update({value, unquote_plus(value)})
    for name, value in _MULTIPART.findall(text) + _JSON_PAIR.findall(text) + _HEADER_LINE.findall(text):
        found.update(_from_pair(name, value))
    for line in text.splitlines():
        if line.startswith(("{", "[")):
            try:
                found.update(_walk_json(json.loads(line)))
            except ValueError:
                continue
    return {value for value in found if len(value) >= MIN_TOKEN}


class Scrubber:
    """Masks a fixed set of values (typed secrets and credentials, in all their written forms) and,
    unless told not to, MyKad numbers."""

    def __init__(self, values: Iterable[str], mask_ids: bool = True) -> None:
        needles = sorted({form for v in values if v for form in secret_forms(v)}, key=len, reverse=True)
        self._pattern = re.compile(b"|".join(re.escape(n) for n in needles)) if needles else None
        self.mask_ids = mask_ids

    def bytes(self, data: bytes) -> bytes:
        if self._pattern is not None:
            data = self._pattern.sub(MASK, data)
        if self.mask_ids and is_text(data):
            data = mask_mykad_bytes(data)
        return data

    def text(self, text: str) -> str:
        return self.bytes(text.encode("utf-8")).decode("utf-8")


def is_text(data: bytes) -> bool:
    if data.startswith(_BINARY_MAGIC):
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _decoded(data: bytes) -> str | None:
    return data.decode("utf-8") if is_text(data) else None


def redact_archive(archive: Path, secrets: Iterable[str], mask_ids: bool = True) -> None:
    """Rewrite a zip (a Playwright trace): every secret, every credential found in any member, and
    (unless `mask_ids` is off) every MyKad masked, in every member."""
    with zipfile.ZipFile(archive) as source:
        members = [(info, source.read(info)) for info in source.infolist()]
    found: set[str] = set(secrets)
    for _, data in members:
        text = _decoded(data)
        if text is not None:
            found |= find_credentials(text)
    scrub = Scrubber(found, mask_ids)
    scrubbed = archive.with_suffix(".redacting")
    with zipfile.ZipFile(scrubbed, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in members:
            target.writestr(info, scrub.bytes(data))
    os.chmod(scrubbed, 0o600)
    shutil.move(scrubbed, archive)


def redact_text(text: str, secrets: Iterable[str], mask_ids: bool = False) -> str:
    """`text` (a page dump, a console log) with secrets and its credentials masked; MyKad numbers too
    with `mask_ids` (`Evidence.seal` masks them in every kept file, per `evidence.mask_mykad`)."""
    return Scrubber({*secrets, *find_credentials(text)}, mask_ids).text(text)


def redact_file(path: Path, secrets: Iterable[str] = (), mask_ids: bool = True) -> None:
    """Scrub one kept file in place: a zip as a trace, text as text; images and PDFs are left alone."""
    if zipfile.is_zipfile(path):
        redact_archive(path, secrets, mask_ids)
        return
    data = path.read_bytes()
    text = _decoded(data)
    if text is None:
        return
    clean = Scrubber({*secrets, *find_credentials(text)}, mask_ids).bytes(data)
    if clean != data:
        path.write_bytes(clean)
