"""Writing the run report: `report.html`, `report.json` and `junit.xml` in the month's evidence folder."""

from __future__ import annotations

import base64
import json
import os
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment

from bot.core.evidence import seal_files
from bot.reports.model import RunReport
from bot.reports.template import HTML


@dataclass
class ReportFiles:
    html: Path
    json: Path
    junit: Path


def as_document(report: RunReport) -> dict[str, Any]:
    """The JSON form: what scripts and the notification webhook receive."""
    return {
        "month": report.month,
        "dry_run": report.dry_run,
        "due": report.due.isoformat(),
        "generated": report.generated.isoformat(timespec="seconds"),
        "exit_code": report.exit_code,
        "summary": report.summary(),
        "counts": report.counts,
        "breaker": report.breaker,
        "totals_sen": report.totals_sen,
        "needs_a_person": [e.name for e in report.needs_a_person],
        "at_risk": [e.name for e in report.at_risk],
        "overdue": [e.name for e in report.overdue],
        "employers": [
            {
                "employer": e.name,
                "employer_code": e.code,
                "status": e.status,
                "step": e.step,
                "detail": e.detail,
                "next_action": e.next_action,
                "attempt": e.attempt,
                "workflow_id": e.workflow_id,
                "seconds": e.seconds,
                "employees": e.employees,
                "amount_sen": e.amount_sen,
                "totals_sen": e.totals_sen,
                "paid_sen": e.paid_sen,
                "outstanding_sen": e.outstanding_sen,
                "references": e.references,
                "files": [str(f) for f in e.files],
                "evidence": str(e.evidence) if e.evidence else None,
                "failure_screenshot": str(e.failure_screenshot) if e.failure_screenshot else None,
                "at_risk": e.at_risk,
                "overdue": e.overdue,
                "steps": [
                    {
                        "step": s.step,
                        "status": s.status,
                        "detail": s.detail,
                        "error": s.error,
                        "next_action": s.next_action,
                    }
                    for s in e.steps
                ],
            }
            for e in report.employers
        ],
    }


def junit(report: RunReport) -> ET.ElementTree:
    """One test case per employer: failed → <failure>, needs a person / unknown outcome → <error>."""
    failures = sum(1 for e in report.employers if e.status in ("failed", "queued", "running"))
    errors = sum(1 for e in report.employers if e.status in ("needs-human", "unknown-outcome"))
    suite = ET.Element(
        "testsuite",
        name=f"assist-bot run {report.month}",
        tests=str(len(report.employers)),
        failures=str(failures),
        errors=str(errors),
        time=f"{sum(e.seconds for e in report.employers):.1f}",
        timestamp=report.generated.isoformat(timespec="seconds"),
    )
    for e in report.employers:
        case = ET.SubElement(
            suite,
            "testcase",
            classname=f"assist.{report.month}",
            name=f"{e.name} ({e.code})",
            time=f"{e.seconds:.1f}",
        )
        message = f"{e.step}: {e.detail}"
        text = f"{e.detail}\nnext action: {e.next_action}\nevidence: {e.evidence or ''}"
        if e.status in ("failed", "queued", "running"):
            ET.SubElement(case, "failure", message=message, type=e.status).text = text
        elif e.status != "done":
            ET.SubElement(case, "error", message=message, type=e.status).text = text
    suites = ET.Element("testsuites")
    suites.append(suite)
    return ET.ElementTree(suites)


def keep_earlier(files: ReportFiles) -> list[Path]:
    """Move an earlier report of the month aside (`report-<when it was written>.html`, same for the
    JSON and JUnit files) so that a rerun's report does not overwrite what the first run said."""
    kept: list[Path] = []
    for path in (files.html, files.json, files.junit):
        if path.exists():
            when = datetime.fromtimestamp(path.stat().st_mtime)
            target = path.with_name(f"{path.stem}-{when:%Y%m%d-%H%M%S}{path.suffix}")
            path.replace(target)
            kept.append(target)
    return kept


def rm(sen: int | None) -> str:
    """Sen as the report prints ringgit: `1,234.50`; nothing for an unknown amount."""
    return "" if sen is None else f"{sen / 100:,.2f}"


def write(report: RunReport, folder: Path) -> ReportFiles:
    folder.mkdir(parents=True, exist_ok=True)
    files = ReportFiles(folder / "report.html", folder / "report.json", folder / "junit.xml")
    keep_earlier(files)

    def link(path: Path) -> str:
        return Path(os.path.relpath(Path(path).resolve(), folder.resolve())).as_posix()

    def embed(path: Path) -> str:
        return "data:image/png;base64," + base64.b64encode(Path(path).read_bytes()).decode()

    html = Environment(autoescape=True).from_string(HTML).render(r=report, link=link, embed=embed, rm=rm)
    files.html.write_text(html, encoding="utf-8")
    files.json.write_text(json.dumps(as_document(report), indent=2, ensure_ascii=False), encoding="utf-8")
    tree = junit(report)
    ET.indent(tree)
    tree.write(files.junit, encoding="utf-8", xml_declaration=True)
    seal_files(files.html, files.json, files.junit)  # a reason may quote an employee's MyKad
    return files
