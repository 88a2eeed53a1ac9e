"""The evidence folder: private, records apart, pruned after `evidence.keep_days` (records never)."""

from __future__ import annotations

import asyncio
import logging
import os
import stat
import time
from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image
from playwright.async_api import async_playwright

from bot.core.browser import CHROMIUM_ARGS, find_chromium
from bot.core.evidence import Evidence, month_of, private_folder, prune
from bot.core.settings import Settings

DAY = 86400


def settings_in(tmp_path: Path, **evidence: object) -> Settings:
    return Settings(evidence_dir=tmp_path / "evidence", state_dir=tmp_path / ".state", evidence=evidence)


def aged(path: Path, days: float, content: bytes = b"x") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    then = time.time() - days * DAY
    os.utime(path, (then, then))
    return path


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_an_employers_folders_are_private_whatever_the_umask(tmp_path: Path) -> None:
    # Given a permissive umask (a library caller, not the CLI)
    previous = os.umask(0o022)
    try:
        # When the evidence and the records folders of an employer are made
        evidence = Evidence(
            tmp_path / "evidence", "20261101-070000-ab12", "Halim Sdn Bhd", settings_in(tmp_path)
        )
        records = evidence.records("10/2026")
    finally:
        os.umask(previous)
    # Then every folder made is 0700, and records are per employer and month
    assert records == tmp_path / "evidence" / "records" / "halim-sdn-bhd" / "2026-10"
    for folder in (evidence.folder, evidence.folder.parent, tmp_path / "evidence", records, records.parent):
        assert mode(folder) == 0o700, folder


def test_an_open_existing_folder_is_tightened_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # Given an evidence folder left world-readable by an older version, a readable file in it
    folder = tmp_path / "evidence"
    (folder / "old").mkdir(parents=True)
    (folder / "old" / "01-login.png").write_bytes(b"png")
    for path, bits in ((folder, 0o755), (folder / "old", 0o755), (folder / "old" / "01-login.png", 0o644)):
        path.chmod(bits)
    # When the bot opens it
    with caplog.at_level(logging.WARNING):
        private_folder(folder)
    # Then it and what is in it are private, and the user is told
    assert (mode(folder), mode(folder / "old"), mode(folder / "old" / "01-login.png")) == (
        0o700,
        0o700,
        0o600,
    )
    assert "readable by others" in caplog.text and str(folder) in caplog.text


def test_months_are_named_alike_from_either_form() -> None:
    assert month_of("2026-10") == month_of("10/2026") == "2026-10"
    with pytest.raises(ValueError):
        month_of("October")


def test_prune_removes_old_evidence_and_keeps_every_record(tmp_path: Path) -> None:
    # Given evidence from 200 days ago and from yesterday, records from 400 days ago, and a PDF an
    # older version kept beside the screenshots
    settings = settings_in(tmp_path, keep_days=90)
    root = settings.evidence_dir
    old = [
        aged(root / "20260401-070000-aa00" / "halim" / "01-login.png", 200),
        aged(root / "20260401-070000-aa00" / "halim" / "trace.zip", 200),
        aged(root / "2026-03" / "halim" / "submit" / "page.html", 200),
        aged(root / "2026-03" / "report.html", 200),
    ]
    fresh = [aged(root / "2026-10" / "halim" / "submit" / "01-login.png", 1)]
    records = [
        aged(settings.records_dir / "halim" / "2025-09" / "ACR2509000001.pdf", 400, b"%PDF"),
        aged(settings.records_dir / "halim" / "2025-09" / "receipt-FPX0001.pdf", 400, b"%PDF"),
    ]
    legacy = aged(root / "20260401-070000-aa00" / "halim" / "ECR2603000002.pdf", 200, b"%PDF")
    # When a dry run, then the prune itself
    dry = prune(settings, dry_run=True)
    assert sorted(dry.files) == sorted(old) and all(p.exists() for p in old)
    pruned = prune(settings)
    # Then the old screenshots, traces, dumps and reports are gone with their emptied folders
    assert sorted(pruned.files) == sorted(old) and not any(p.exists() for p in old)
    assert not (root / "2026-03").exists()
    # And yesterday's evidence, every record and the old PDF are kept
    assert all(p.exists() for p in [*fresh, *records, legacy])
    assert pruned.kept_records == 3


def test_prune_older_than_and_a_new_empty_folder(tmp_path: Path) -> None:
    # Given a file 10 days old and a run folder made a moment ago, still empty
    settings = settings_in(tmp_path)
    ten = aged(settings.evidence_dir / "2026-10" / "halim" / "01-login.png", 10)
    starting = settings.evidence_dir / "20261202-070000-ff00" / "klinik"
    starting.mkdir(parents=True)
    # When pruned by the default (90 days), then by --older-than 7
    assert prune(settings).files == []
    assert prune(settings, older_than_days=7).files == [ten]
    # Then the new run's empty folder is left for the run that is starting
    assert starting.is_dir() and not ten.exists()


def test_no_keep_days_prunes_nothing(tmp_path: Path) -> None:
    settings = settings_in(tmp_path, keep_days=None)
    old = aged(settings.evidence_dir / "2020-01" / "x" / "01.png", 2000)
    assert prune(settings).files == [] and old.exists()


def test_a_mykad_shown_on_a_page_is_boxed_over_in_the_screenshot(tmp_path: Path) -> None:
    """Screenshots are pixels: they cannot be scrubbed later, so the text is masked before the shot."""
    page_html = (
        "<table><tr><td>Ali Bin Abu</td><td>900101-14-5677</td></tr><tr><td>RM 1700.00</td></tr></table>"
    )

    async def shots() -> tuple[bytes, bytes]:
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(
                executable_path=str(find_chromium(None, playwright)), args=CHROMIUM_ARGS
            )
            page = await browser.new_page()
            await page.set_content(page_html)
            masked = Evidence(tmp_path, "run", "halim", settings_in(tmp_path))
            plain = Evidence(tmp_path, "run", "debug", settings_in(tmp_path, mask_mykad=False))
            shot, raw = await masked.screenshot(page, "list"), await plain.screenshot(page, "list")
            await browser.close()
            return shot.read_bytes(), raw.read_bytes()

    masked, plain = asyncio.run(shots())

    def magenta(png: bytes) -> int:  # Playwright's mask colour, #FF00FF
        image = Image.open(BytesIO(png)).convert("RGB")
        return sum(1 for pixel in image.getdata() if pixel == (255, 0, 255))

    # Then the MyKad's cell is boxed over, and with masking off it is not
    assert magenta(masked) > 200 and magenta(plain) == 0
