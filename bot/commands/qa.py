"""`assist-bot qa`: the portal regression suite (tests/portal) against the bundled mock or any portal.

It runs pytest on tests/portal of this checkout with pytest-playwright's options, writes JUnit XML
and a small HTML report (each test's outcome, time, failure or drift report, its screenshots
inline and trace links) into one evidence folder, and exits 0 when every check passed, 1 when one
failed (a drift report names the screen, the label and the page object), 64 on bad usage.
"""
from __future__ import annotations

import html
import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import datetime
from pathlib import Path
from typing import Annotated, Optional

import typer

from bot.errors import ConfigError

SUITE = Path(__file__).resolve().parents[2] / "tests" / "portal"


def qa(
    ctx: typer.Context,
    base_url: Annotated[Optional[str], typer.Option(help="The portal to test; default: start the bundled mock.")] = None,
    portfolio: Annotated[Optional[Path], typer.Option(help="Test accounts on that portal (needed with --base-url).")] = None,
    procedures: Annotated[Optional[str], typer.Option(help="QRG numbers to run, e.g. 1,4,8 (default: all).")] = None,
    allow_mutations: Annotated[bool, typer.Option(help="Also run the tests that create records or move money.")] = False,
    evidence: Annotated[Path, typer.Option(help="Where the run's folder (report, JUnit XML, screenshots) goes.")] = Path("evidence"),
) -> None:
    """Regression-test the ASSIST portal itself; extra pytest arguments go after `--`."""
    if not SUITE.is_dir():
        raise ConfigError(f"the portal suite is not in this installation ({SUITE}); run from a checkout")
    if base_url and not portfolio:
        raise ConfigError("--base-url needs --portfolio FILE: the test accounts on that portal")
    folder = (evidence / f"qa-{datetime.now():%Y%m%d-%H%M%S}").resolve()
    folder.mkdir(parents=True, exist_ok=True)
    junit = folder / "junit.xml"
    args = [sys.executable, "-m", "pytest", *select(procedures), "-p", "no:cacheprovider", "-q",
            f"--junitxml={junit}", f"--output={folder}", "--screenshot=on", "--tracing=retain-on-failure"]
    if base_url:
        args += [f"--base-url={base_url}", f"--portfolio={portfolio}"]
    if allow_mutations:
        args.append("--allow-mutations")
    status = subprocess.call([*args, *ctx.args], cwd=SUITE.parents[1])
    if junit.exists():
        write_html(junit, folder)
        typer.echo(f"report: {folder / 'report.html'}")
    raise typer.Exit(0 if status == 0 else 1 if status in (1, 5) else 64)


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


def write_html(junit: Path, folder: Path) -> Path:
    """A readable report from the JUnit XML: outcome, time, message, the test's screenshots and traces."""
    rows = []
    for case in ET.parse(junit).getroot().iter("testcase"):
        name = case.get("name", "")
        problem = next((c for c in case if c.tag in ("failure", "error", "skipped")), None)
        outcome = "passed" if problem is None else problem.tag
        message = "" if problem is None else (problem.text or problem.get("message") or "")
        evidence = sorted(folder.glob(f"*{name}/**/*"))
        shots = "".join(f'<img src="{p.relative_to(folder)}" width="320" title="{p.name}">'
                        for p in evidence if p.suffix == ".png")
        links = "".join(f'<a href="{p.relative_to(folder)}">{p.name}</a> '
                        for p in evidence if p.suffix in (".zip", ".txt", ".html"))
        rows.append(f'<tr class="{outcome}"><td>{html.escape(case.get("classname", ""))}<br><b>{html.escape(name)}'
                    f'</b></td><td>{outcome}</td><td>{float(case.get("time", 0)):.1f}s</td>'
                    f"<td><pre>{html.escape(message)}</pre>{shots}<br>{links}</td></tr>")
    page = ("<!doctype html><meta charset=utf-8><title>ASSIST portal QA</title><style>"
            "td{vertical-align:top;border-bottom:1px solid #ccc;padding:4px}.failed,.failure,.error{background:#fdd}"
            "pre{white-space:pre-wrap;max-width:60em}</style><h1>ASSIST portal QA</h1><table>"
            "<tr><th>test</th><th>outcome</th><th>time</th><th>details</th></tr>" + "".join(rows) + "</table>")
    out = folder / "report.html"
    out.write_text(page, encoding="utf-8")
    return out
