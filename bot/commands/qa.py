"""`assist-bot qa`: the portal regression suite (tests/portal) against the bundled mock or any portal.

It runs pytest on tests/portal of this checkout with pytest-playwright's options, reruns a failed
check (`--reruns`, default 1: a live portal has its moments; each attempt keeps its own evidence),
writes JUnit XML and an HTML report (counts first, failed tests first, every attempt with its
steps' timings, screenshots inline, trace and video links; bot/reports/qa_report.py) into one
evidence folder, and exits 0 when every check passed (on a rerun too), 1 when one failed (a drift
report names the screen, the label and the page object), 64 on bad usage.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from bot.core.errors import ConfigError
from bot.reports.qa_report import write_html

SUITE = Path(__file__).resolve().parents[2] / "tests" / "portal"


class Video(StrEnum):
    """pytest-playwright's `--video` choices, onto the bot's browser contexts."""

    off = "off"
    on = "on"
    retain_on_failure = "retain-on-failure"


def qa(
    ctx: typer.Context,
    base_url: Annotated[
        str | None, typer.Option(help="The portal to test; default: start the bundled mock.")
    ] = None,
    portfolio: Annotated[
        Path | None, typer.Option(help="Test accounts on that portal (needed with --base-url).")
    ] = None,
    procedures: Annotated[
        str | None, typer.Option(help="QRG numbers to run, e.g. 1,4,8 (default: all).")
    ] = None,
    allow_mutations: Annotated[
        bool, typer.Option(help="Also run the tests that create records or move money.")
    ] = False,
    evidence: Annotated[
        Path, typer.Option(help="Where the run's folder (report, JUnit XML, screenshots) goes.")
    ] = Path("evidence"),
    reruns: Annotated[
        int,
        typer.Option(min=0, help="Run a failed check again up to N times; every attempt's evidence is kept."),
    ] = 1,
    video: Annotated[
        Video, typer.Option(help="Record each check's browser: off, on, retain-on-failure.")
    ] = Video.off,
    update_baselines: Annotated[
        bool, typer.Option(help="Accept the key screens as they look now (visual baselines).")
    ] = False,
) -> None:
    """Regression-test the ASSIST portal itself; extra pytest arguments go after `--`."""
    if not SUITE.is_dir():
        raise ConfigError(f"the portal suite is not in this installation ({SUITE}); run from a checkout")
    # The global `assist-bot --portfolio FILE qa ...` counts as much as `qa --portfolio FILE`.
    portfolio = portfolio or (ctx.obj or {}).get("portfolio")
    if base_url and not portfolio:
        raise ConfigError("--base-url needs --portfolio FILE: the test accounts on that portal")
    folder = (evidence / f"qa-{datetime.now():%Y%m%d-%H%M%S}").resolve()
    folder.mkdir(parents=True, exist_ok=True)
    junit = folder / "junit.xml"
    args = pytest_args(
        folder,
        select(procedures),
        base_url=base_url,
        portfolio=portfolio,
        reruns=reruns,
        video=video,
        allow_mutations=allow_mutations,
        update_baselines=update_baselines,
    )
    status = subprocess.call([sys.executable, "-m", "pytest", *args, *ctx.args], cwd=SUITE.parents[1])
    if junit.exists():
        write_html(junit, folder)
        typer.echo(f"report: {folder / 'report.html'}")
    raise typer.Exit(0 if status == 0 else 1 if status in (1, 5) else 64)


def pytest_args(
    folder: Path,
    tests: list[str],
    *,
    base_url: str | None = None,
    portfolio: Path | None = None,
    reruns: int = 1,
    video: Video = Video.off,
    allow_mutations: bool = False,
    update_baselines: bool = False,
) -> list[str]:
    """pytest's arguments for one QA run whose JUnit XML, report and evidence go to `folder`."""
    args = [
        *tests,
        "-p",
        "no:cacheprovider",
        "-q",
        f"--junitxml={folder / 'junit.xml'}",
        f"--output={folder}",
        "--screenshot=on",
        "--tracing=retain-on-failure",
        f"--reruns={reruns}",
        f"--video={video.value}",
    ]
    if base_url:
        args += [f"--base-url={base_url}", f"--portfolio={portfolio}"]
    if allow_mutations:
        args.append("--allow-mutations")
    if update_baselines:
        args.append("--update-baselines")
    return args


def select(procedures: str | None) -> list[str]:
    """The test modules of the chosen QRG procedures (test_qrgNN_*.py), or the whole suite."""
    if not procedures:
        return [str(SUITE)]
    try:
        numbers = sorted({int(p) for p in procedures.split(",") if p.strip()})
    except ValueError as exc:
        raise ConfigError(f"--procedures takes QRG numbers like 1,4,8: {procedures!r}") from exc
    files = [str(f) for n in numbers for f in sorted(SUITE.glob(f"test_qrg{n:02d}_*.py"))]
    if not files:
        raise ConfigError(f"no portal tests for QRG {procedures}")
    return files
