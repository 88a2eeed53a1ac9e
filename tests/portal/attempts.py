"""What each attempt of a portal check leaves beside its evidence, for the QA report.

A test rerun by pytest-rerunfailures runs its fixtures again; each attempt gets its own folder,
`<output>/<test>/attempt-N/`, so the evidence of a failed attempt is never overwritten by the next:

    attempt-N/result.json            nodeid, attempt, outcome, phase, seconds, message, details
    attempt-N/<employer>/steps.json  each `session.step`: name, time, seconds it took, screenshot

`result.json` is written when the attempt starts (outcome "running": a crash leaves it so) and
updated by every phase's report (setup, call, teardown). pytest's JUnit XML writes a rerun attempt
as a testcase of its own that looks passed; `fold_reruns` puts the attempts back into one testcase.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from bot.core.browser import EmployerSession
from bot.reports.qa_report import junit_key

RESULT = "result.json"
STEPS = "steps.json"


def folder_of(output: Path, nodeid: str) -> Path:
    """`<output>/<module.py-test_name>`: one folder per test, its attempts inside."""
    return output / re.sub(r"[^A-Za-z0-9_.-]+", "-", nodeid.split("/")[-1]).strip("-")


def attempt_number(item: pytest.Item) -> int:
    """1 on the first run; pytest-rerunfailures counts its reruns in `execution_count`."""
    return int(getattr(item, "execution_count", 1) or 1)


def start(folder: Path, nodeid: str, attempt: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    _write(
        folder,
        {
            "nodeid": nodeid,
            "attempt": attempt,
            "outcome": "running",
            "phase": "setup",
            "seconds": 0.0,
            "message": "",
            "details": "",
        },
    )


def record(folder: Path, report: pytest.TestReport) -> None:
    """Fold one phase's report into the attempt's result: the first failure or skip decides it."""
    path = folder / RESULT
    if not path.exists():
        return
    result: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    result["seconds"] = round(float(result["seconds"]) + report.duration, 3)
    if result["outcome"] == "running" and (report.failed or report.skipped):
        result.update(
            outcome=_outcome(report), phase=report.when, message=_message(report), details=report.longreprtext
        )
    elif result["outcome"] == "running":
        result["phase"] = report.when
    if report.when == "teardown" and result["outcome"] == "running":
        result["outcome"] = "passed"
    _write(folder, result)


def write_steps(session: EmployerSession) -> Path:
    path = session.evidence.path(STEPS)
    path.parent.mkdir(parents=True, exist_ok=True)  # recreated if someone emptied `--output` meanwhile
    path.write_text(json.dumps([s.as_dict() for s in session.steps], indent=1), encoding="utf-8")
    return path


def fold_reruns(junit: Path, output: Path) -> None:
    """One testcase per test in `junit`: the earlier attempts' testcases (no failure in them: pytest
    does not count a rerun) are dropped, and each failed attempt goes inside the final testcase as
    Surefire's `<flakyFailure>` (it passed in the end) or `<rerunFailure>` (it did not)."""
    results: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for path in output.glob(f"*/attempt-*/{RESULT}"):
        result = json.loads(path.read_text(encoding="utf-8"))
        results.setdefault(junit_key(result["nodeid"]), []).append(result)
    tree = ET.parse(junit)
    for suite in tree.getroot().iter("testsuite"):
        cases: dict[tuple[str, str], list[ET.Element]] = {}
        for case in suite.findall("testcase"):
            cases.setdefault((case.get("classname", ""), case.get("name", "")), []).append(case)
        for key, elements in cases.items():
            for earlier in elements[:-1]:
                if not any(child.tag in ("failure", "error", "skipped") for child in earlier):
                    suite.remove(earlier)
            final = elements[-1]
            for folded in [c for c in final if c.tag in ("flakyFailure", "rerunFailure")]:
                final.remove(folded)  # folded already (the hook ran twice): fold again from scratch
            tag = "rerunFailure" if any(c.tag in ("failure", "error") for c in final) else "flakyFailure"
            recorded = sorted(results.get(key, []), key=lambda r: int(r["attempt"]))
            for result in [r for r in recorded[:-1] if r["outcome"] in ("failed", "error")]:
                rerun = ET.SubElement(
                    final, tag, message=result["message"], type=f"attempt {result['attempt']}"
                )
                ET.SubElement(rerun, "stackTrace").text = result["details"]
        suite.set("tests", str(len(suite.findall("testcase"))))
    tree.write(junit, encoding="utf-8", xml_declaration=True)


def _outcome(report: pytest.TestReport) -> str:
    if report.skipped:
        return "skipped"
    return "failed" if report.when == "call" else "error"


def _message(report: pytest.TestReport) -> str:
    """The one line that says what went wrong (the full text is in `details`)."""
    if report.skipped and isinstance(report.longrepr, tuple):
        return str(report.longrepr[2])
    crash = getattr(report.longrepr, "reprcrash", None)
    if crash is not None:
        return str(crash.message)
    lines = report.longreprtext.strip().splitlines()
    return lines[-1] if lines else ""


def _write(folder: Path, result: dict[str, Any]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / RESULT).write_text(json.dumps(result, indent=1), encoding="utf-8")
