"""The `assist-bot qa` report: the JUnit XML of a portal QA run and its evidence, as one HTML page.

The JUnit XML says how each test ended; pytest-rerunfailures' earlier attempts are not in it, so
each attempt's folder (`<test>/attempt-N/`, see tests/portal/attempts.py) says what happened then:
`result.json` (outcome, message, time), per employer `steps.json` (each step's time and screenshot)
and the evidence kept (failure screenshot, trace, page, drift report, video). The page starts with
the counts, then the tests, failed first; each test shows every attempt with its own evidence.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jinja2 import Environment

from bot.reports.qa_template import HTML

# Worst first, skipped (by design, mostly: mutations) last: the order of the page and of the counts.
STATUSES = ("failed", "error", "flaky", "passed", "skipped")
LABELS = {
    "failed": "failed",
    "error": "error",
    "flaky": "passed on rerun",
    "skipped": "skipped",
    "passed": "passed",
}
OUTCOMES = {None: "passed", "failure": "failed", "error": "error", "skipped": "skipped"}
LINKED = (".zip", ".html", ".txt", ".log", ".pdf")  # trace, page, drift report, console, downloads


@dataclass
class Step:
    name: str
    at: str
    seconds: float
    offset_seconds: float
    screenshot: str | None


@dataclass
class Evidence:
    """One employer's folder of one attempt."""

    employer: str
    steps: list[Step] = field(default_factory=list)
    shots: list[tuple[str, str]] = field(
        default_factory=list
    )  # (name, link) not of a step: failure, visual diffs
    files: list[tuple[str, str]] = field(default_factory=list)  # (file name, link)
    videos: list[str] = field(default_factory=list)
    drift: str | None = None


@dataclass
class Attempt:
    number: int
    outcome: str  # passed, failed, error, skipped, running (the run stopped during it)
    phase: str
    seconds: float
    message: str
    details: str
    evidence: list[Evidence]
    rerun: bool = False  # a later attempt followed


@dataclass
class Case:
    classname: str
    name: str
    status: str  # one of STATUSES
    seconds: float
    message: str
    attempts: list[Attempt] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return re.sub(r"[^A-Za-z0-9_-]+", "-", f"{self.classname}-{self.name}")


@dataclass
class QaReport:
    cases: list[Case]
    generated: datetime

    @property
    def counts(self) -> dict[str, int]:
        counted = Counter(c.status for c in self.cases)
        return {s: counted[s] for s in STATUSES}

    @property
    def reruns(self) -> int:
        return sum(1 for c in self.cases for a in c.attempts if a.rerun)

    def summary(self) -> str:
        parts = [
            f"{n} {LABELS[s]}{'s' if s == 'error' and n != 1 else ''}" for s, n in self.counts.items() if n
        ]
        reruns = f" · {self.reruns} rerun{'s' if self.reruns != 1 else ''}" if self.reruns else ""
        tests = f"{len(self.cases)} test{'s' if len(self.cases) != 1 else ''}"
        return f"{tests}: " + ", ".join(parts or ["none"]) + reruns


def junit_key(nodeid: str) -> tuple[str, str]:
    """(classname, name) as pytest's JUnit XML writes them for `nodeid`."""
    path, bracket, params = nodeid.partition("[")
    names = path.split("::")
    names[0] = re.sub(r"\.py$", "", names[0].replace("/", "."))
    names[-1] += bracket + params
    return ".".join(names[:-1]), names[-1]


def read(junit: Path, folder: Path) -> QaReport:
    """The report of the run whose JUnit XML is `junit` and whose evidence is under `folder`."""
    attempts = _attempts(folder)
    cases: dict[tuple[str, str], Case] = {}
    for element in ET.parse(junit).getroot().iter("testcase"):
        key = (element.get("classname", ""), element.get("name", ""))
        problem = next((c for c in element if c.tag in ("failure", "error", "skipped")), None)
        outcome = OUTCOMES[None if problem is None else problem.tag]
        message = "" if problem is None else (problem.text or problem.get("message") or "")
        found = attempts.get(key, [])
        if key in cases:  # a call failure and a teardown error: two testcases, one test
            case = cases[key]
            case.status = min(case.status, outcome, key=STATUSES.index)
            case.message = "\n".join(m for m in (case.message, message) if m)
            continue
        if outcome == "passed" and any(a.outcome != "passed" for a in found):
            outcome = "flaky"
        for earlier in found[:-1]:
            earlier.rerun = True
        seconds = sum(a.seconds for a in found) if found else float(element.get("time") or 0)
        cases[key] = Case(key[0], key[1], outcome, seconds, message, found)
    ordered = sorted(cases.values(), key=lambda c: STATUSES.index(c.status))
    return QaReport(ordered, datetime.now().astimezone())


def write_html(junit: Path, folder: Path) -> Path:
    """`report.html` beside the JUnit XML: counts, then each test (failed first) with its attempts."""
    report = read(junit, folder)
    environment = Environment(autoescape=True)
    page = environment.from_string(HTML).render(r=report, labels=LABELS, junit=_link(junit, folder))
    out = folder / "report.html"
    out.write_text(page, encoding="utf-8")
    return out


def _attempts(folder: Path) -> dict[tuple[str, str], list[Attempt]]:
    found: dict[tuple[str, str], list[Attempt]] = {}
    for result_file in folder.glob("*/attempt-*/result.json"):
        result: dict[str, Any] = json.loads(result_file.read_text(encoding="utf-8"))
        attempt = Attempt(
            number=int(result["attempt"]),
            outcome=str(result["outcome"]),
            phase=str(result.get("phase", "")),
            seconds=float(result.get("seconds", 0)),
            message=str(result.get("message", "")),
            details=str(result.get("details", "")),
            evidence=[_evidence(d, folder) for d in sorted(result_file.parent.iterdir()) if d.is_dir()],
        )
        found.setdefault(junit_key(str(result["nodeid"])), []).append(attempt)
    for listed in found.values():
        listed.sort(key=lambda a: a.number)
    return found


def _evidence(employer: Path, folder: Path) -> Evidence:
    evidence = Evidence(employer.name)
    steps_file = employer / "steps.json"
    stepped: set[str] = set()
    if steps_file.exists():
        for step in json.loads(steps_file.read_text(encoding="utf-8")):
            shot = step.get("screenshot")
            stepped.add(shot or "")
            evidence.steps.append(
                Step(
                    name=str(step["name"]),
                    at=str(step["at"])[11:23],
                    seconds=float(step["seconds"]),
                    offset_seconds=float(step["offset_seconds"]),
                    screenshot=_link(employer / shot, folder) if shot else None,
                )
            )
    for path in sorted(p for p in employer.rglob("*") if p.is_file()):
        if path.suffix == ".png" and path.name not in stepped:
            evidence.shots.append((path.relative_to(employer).as_posix(), _link(path, folder)))
        elif path.suffix == ".webm":
            evidence.videos.append(_link(path, folder))
        elif path.name == "drift.txt":
            evidence.drift = path.read_text(encoding="utf-8").strip()
            evidence.files.append((path.name, _link(path, folder)))
        elif path.suffix in LINKED and path.name != "steps.json":
            evidence.files.append((path.name, _link(path, folder)))
    return evidence


def _link(path: Path, folder: Path) -> str:
    return quote(path.resolve().relative_to(folder.resolve()).as_posix())
