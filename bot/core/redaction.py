"""Scrub secrets from evidence files before they are kept (traces record form posts and DOM values)."""

from __future__ import annotations

import html
import json
import shutil
import zipfile
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import quote, quote_plus

MASK = b"********"


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


def redact_archive(archive: Path, secrets: Iterable[str]) -> None:
    """Rewrite a zip (a Playwright trace) with every form of every secret masked, in every member."""
    needles = sorted({form for s in secrets for form in secret_forms(s)}, key=len, reverse=True)
    if not needles:
        return
    scrubbed = archive.with_suffix(".redacting")
    with zipfile.ZipFile(archive) as source, zipfile.ZipFile(scrubbed, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            for needle in needles:
                data = data.replace(needle, MASK)
            target.writestr(info, data)
    shutil.move(scrubbed, archive)


def redact_text(text: str, secrets: Iterable[str]) -> str:
    for secret in secrets:
        for form in sorted(secret_forms(secret), key=len, reverse=True):
            text = text.replace(form.decode("utf-8"), MASK.decode())
    return text
