"""The evidence folder of a run: one sub-folder per employer with screenshots, PDFs and traces.

Layout: `<evidence_dir>/<run id>/<employer name>/NN-step.png`, plus on failure `trace.zip`
(`playwright show-trace trace.zip`), `page.html` and `console.log`.
"""

from __future__ import annotations

import re
import secrets
from datetime import datetime
from pathlib import Path

from playwright.async_api import Locator, Page


def new_run_id() -> str:
    """Sortable and unique even when two runs start in the same second."""
    return f"{datetime.now():%Y%m%d-%H%M%S}-{secrets.token_hex(2)}"


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-").lower() or "step"


class Evidence:
    """Where one employer's evidence for one run goes."""

    def __init__(self, root: Path, run_id: str, employer: str) -> None:
        self.folder = root / run_id / _slug(employer)
        self.folder.mkdir(parents=True, exist_ok=True)
        self._steps = 0

    def path(self, name: str) -> Path:
        return self.folder / name

    def unique_path(self, name: str) -> Path:
        """`name`, or `stem-2.suffix`, ... when an earlier attempt left one already."""
        target = self.folder / name
        index = 1
        while target.exists():
            index += 1
            target = self.folder / f"{Path(name).stem}-{index}{Path(name).suffix}"
        return target

    async def screenshot(self, page: Page, step: str, mask: list[Locator] | None = None) -> Path:
        """A numbered screenshot of the page as it is now; `mask` hides anything secret."""
        self._steps += 1
        target = self.folder / f"{self._steps:02d}-{_slug(step)}.png"
        await page.screenshot(path=target, mask=mask or [], animations="disabled")
        return target

    def screenshots(self) -> list[Path]:
        return sorted(self.folder.glob("*.png"))
