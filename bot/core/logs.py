"""Logging for people (Rich on a terminal, plain lines otherwise, on stderr) or machines (JSON lines);
IC numbers are masked either way."""

from __future__ import annotations

import json
import logging
import re
import sys

from rich.console import Console
from rich.logging import RichHandler

# A MyKad is 12 digits, with or without dashes; keep the first 6 (the birth date) for support work.
_MYKAD = re.compile(r"\b(\d{6})-?(\d{2})-?(\d{4})\b")


def mask_ids(text: str) -> str:
    return _MYKAD.sub(lambda m: f"{m.group(1)}-**-****", text)


class _MaskFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = mask_ids(record.getMessage())
        record.args = None
        return True


class _JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        return json.dumps(entry, ensure_ascii=False)


def configure(level: str = "WARNING", json_lines: bool = False) -> None:
    """Set up the root logger once, at the entry point."""
    handler: logging.Handler
    if json_lines:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(_JsonFormatter())
    elif not sys.stderr.isatty():
        # A log file, cron mail or journald: one line per record, never wrapped to a terminal width.
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    else:
        handler = RichHandler(
            console=Console(stderr=True), show_path=False, markup=False, rich_tracebacks=False
        )
    handler.addFilter(_MaskFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for noisy in ("asyncio", "imapclient", "urllib3"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
