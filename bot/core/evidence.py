"""What the bot keeps: evidence (screenshots, traces, page dumps; private, scrubbed, pruned after
`evidence.keep_days`) and records (the portal's ACR/ECR PDFs and receipts, per employer and month;
never pruned).

Layout: `<evidence_dir>/<run id or month>/<employer>/NN-step.png`, plus on failure `trace.zip`
(`playwright show-trace trace.zip`), `page.html` and `console.log`; records in
`<records_dir>/<employer>/<YYYY-MM>/` (default `<evidence_dir>/records/`).

Private by default (DESIGN.md, "Files the bot writes"): folders 0700, files 0600 (the CLI's umask;
folders made here are 0700 whatever the umask), and a folder found open to others is tightened with a
warning. `Evidence.seal` scrubs what a session leaves (redaction.py): secrets, cookies, session and
CSRF tokens, MyKad numbers.
"""

from __future__ import annotations

import logging
import os
import re
import secrets
import stat
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from playwright.async_api import Locator, Page

from bot.core.redaction import redact_file

if TYPE_CHECKING:
    from bot.core.settings import Settings

log = logging.getLogger(__name__)

PRIVATE_UMASK = 0o077
# Kept as they are: pixels (screenshots, video) and the portal's own PDFs.
_NOT_SCRUBBED = {".png", ".jpg", ".jpeg", ".webm", ".pdf"}
_MONTH = re.compile(r"^(?:(\d{4})-(\d{2})|(\d{2})/(\d{4}))$")
# A MyKad on a page, dashed or not, for masking screenshots.
_MYKAD_ON_PAGE = re.compile(r"(?<!\d)\d{6}-?\d{2}-?\d{4}(?!\d)")


def new_run_id() -> str:
    """Sortable and unique even when two runs start in the same second."""
    return f"{datetime.now():%Y%m%d-%H%M%S}-{secrets.token_hex(2)}"


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-").lower() or "step"


def private_umask() -> None:
    """Everything this process (and the Chromium and Playwright driver it starts) creates is for its
    user only: folders 0700, files 0600. Set once, at the entry point."""
    os.umask(PRIVATE_UMASK)


def private_folder(folder: Path) -> Path:
    """`folder` and any missing parents, each made 0700; an existing folder open to group or others
    is tightened (with what is inside), with a warning."""
    missing = []
    for parent in [folder, *folder.parents]:
        if parent.exists():
            break
        missing.append(parent)
    for made in reversed(missing):
        made.mkdir(mode=0o700, exist_ok=True)
        os.chmod(made, 0o700)
    if not missing:
        tighten(folder)
    return folder


def tighten(folder: Path) -> bool:
    """An existing folder readable by others made private, with its contents (left so by an older
    version or another umask); True when something had to change."""
    if not folder.is_dir() or not stat.S_IMODE(folder.stat().st_mode) & 0o077:
        return False
    log.warning(
        "%s was readable by others (mode %o): made private (0700, files 0600); it holds clients'"
        " personal data",
        folder,
        stat.S_IMODE(folder.stat().st_mode),
    )
    for root, _, files in os.walk(folder):
        os.chmod(root, 0o700)
        for name in files:
            path = Path(root, name)
            if not path.is_symlink():
                os.chmod(path, stat.S_IMODE(path.stat().st_mode) & ~0o077)
    return True


def private_places(settings: Settings) -> None:
    """The bot's own folders (state, evidence, records) tightened when found open; called when the
    settings are loaded, before anything is written."""
    for folder in (settings.state_dir, settings.evidence_dir, settings.records_dir):
        tighten(folder)


def month_of(month: object) -> str:
    """`YYYY-MM` from a Month, `YYYY-MM` or the portal's `MM/YYYY`."""
    text = str(month).strip()
    match = _MONTH.match(text)
    if not match:
        raise ValueError(f"{month!r} is not a month (YYYY-MM or MM/YYYY)")
    year, number = (match[1], match[2]) if match[1] else (match[4], match[3])
    return f"{year}-{number}"


class Evidence:
    """Where one employer's evidence for one run (or one step of a month) goes, and its records."""

    def __init__(self, root: Path, run_id: str, employer: str, settings: Settings | None = None) -> None:
        """`<root>/<run_id>/<employer>/`; records per `settings` (default `<root>/records/`)."""
        self.folder = private_folder(root / run_id / _slug(employer))
        self.employer = _slug(employer)
        self.records_root = settings.records_dir if settings is not None else root / "records"
        self.mask_mykad = settings.evidence.mask_mykad if settings is not None else True
        self._steps = 0
        self._sealed: dict[Path, tuple[int, int]] = {}

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

    def records(self, month: object) -> Path:
        """`<records>/<employer>/<YYYY-MM>/`: where the portal's ACR/ECR PDFs and receipts of `month`
        go. Records are never pruned and never scrubbed (they are the portal's documents)."""
        return private_folder(self.records_root / self.employer / month_of(month))

    async def screenshot(self, page: Page, step: str, mask: list[Locator] | None = None) -> Path:
        """A numbered screenshot of the page as it is now; `mask` hides anything secret, and MyKad
        numbers shown as text are boxed over (screenshots are pixels: they cannot be scrubbed later)."""
        self._steps += 1
        target = self.folder / f"{self._steps:02d}-{_slug(step)}.png"
        hidden = list(mask or [])
        if self.mask_mykad:
            hidden.append(page.get_by_text(_MYKAD_ON_PAGE))
        await page.screenshot(path=target, mask=hidden, animations="disabled")
        return target

    def screenshots(self) -> list[Path]:
        return sorted(self.folder.glob("*.png"))

    def seal(self, typed: Iterable[str] = ()) -> None:
        """Scrub what is kept in the folder (traces, page dumps, logs, text files): the typed secrets,
        cookies and session/CSRF tokens, MyKad numbers (unless `evidence.mask_mykad` is off). Files
        sealed before and unchanged since are skipped; pixels and PDFs are left as they are."""
        typed = list(typed)
        for path in sorted(self.folder.rglob("*")):
            if not path.is_file() or path.is_symlink() or path.suffix.lower() in _NOT_SCRUBBED:
                continue
            if path.name.endswith((".redacting", ".tmp")):
                continue
            if self._sealed.get(path) == _signature(path):
                continue
            try:
                redact_file(path, typed, self.mask_mykad)
            except (OSError, ValueError) as exc:  # a half-written or foreign file: say so, keep going
                log.warning("could not scrub %s: %s", path, exc)
                continue
            self._sealed[path] = _signature(path)


def _signature(path: Path) -> tuple[int, int]:
    info = path.stat()
    return info.st_mtime_ns, info.st_size


def seal_files(*paths: Path, mask_ids: bool = True) -> None:
    """Scrub files written outside an evidence folder's session (the run report)."""
    for path in paths:
        if path.is_file():
            redact_file(path, (), mask_ids)


@dataclass
class Pruned:
    """What `prune` removed (or would remove, on a dry run)."""

    files: list[Path] = field(default_factory=list)
    folders: list[Path] = field(default_factory=list)
    kept_records: int = 0
    size: int = 0

    def describe(self, days: float, dry_run: bool = False) -> str:
        verb = "would remove" if dry_run else "removed"
        return (
            f"{verb} {len(self.files)} files ({self.size / 1_048_576:.1f} MiB) and {len(self.folders)}"
            f" folders older than {days:g} days; kept {self.kept_records} records (ACR/ECR, receipts)"
        )


def prune(settings: Settings, older_than_days: float | None = None, dry_run: bool = False) -> Pruned:
    """Delete evidence files older than `older_than_days` (default `evidence.keep_days`), then the
    folders left empty. Never touched: the records folder, any PDF (ACR/ECR and receipts kept by
    older versions beside the screenshots), the run database, a report being written."""
    days = older_than_days if older_than_days is not None else settings.evidence.keep_days
    result = Pruned()
    root = settings.evidence_dir
    if days is None or not root.is_dir():
        return result
    cutoff = time.time() - days * 86400
    records = settings.records_dir.resolve()
    spared = {records, settings.state_dir.resolve()}
    for folder, dirs, files in os.walk(root, topdown=True):
        here = Path(folder)
        dirs[:] = [d for d in dirs if (here / d).resolve() not in spared]
        for name in files:
            path = here / name
            if path.suffix.lower() == ".pdf":
                result.kept_records += 1
                continue
            info = path.lstat()
            if info.st_mtime >= cutoff:
                continue
            result.files.append(path)
            result.size += info.st_size
            if not dry_run:
                path.unlink(missing_ok=True)
    removed = set(result.files)
    emptied = {p.parent for p in removed}  # a folder's own time changes as its files go
    for folder, _, _ in sorted(os.walk(root), key=lambda entry: len(entry[0]), reverse=True):
        here = Path(folder)
        where = here.resolve()
        if here == root or any(where == s or s in where.parents for s in spared):
            continue
        left = [p for p in here.iterdir() if p not in removed and p not in result.folders]
        # A folder made moments ago by a run that is starting is empty too: only old ones go.
        if not left and (here in emptied or here.stat().st_mtime < cutoff):
            result.folders.append(here)
            emptied.add(here.parent)
            if not dry_run:
                here.rmdir()
    if records.is_dir():
        result.kept_records += sum(1 for p in records.rglob("*") if p.is_file())
    return result


def prune_as_we_go(settings: Settings) -> None:
    """What `run` and `schedule` do after each month: prune per `evidence.keep_days` (nothing when it is
    unset); a failure to delete is logged, never fails the run."""
    days = settings.evidence.keep_days
    if days is None:
        return
    try:
        pruned = prune(settings)
    except OSError as exc:
        log.warning("could not prune %s: %s", settings.evidence_dir, exc)
        return
    if pruned.files or pruned.folders:
        log.info("%s: %s", settings.evidence_dir, pruned.describe(days))
