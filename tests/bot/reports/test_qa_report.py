"""The `assist-bot qa` report from a JUnit XML and the attempts' folders: counts, failed first, attempts."""

from __future__ import annotations

import json
from pathlib import Path

from bot.reports.qa_report import junit_key, read, write_html
from tests.portal.attempts import folder_of

JUNIT = """<?xml version="1.0" encoding="utf-8"?><testsuites><testsuite name="pytest">
<testcase classname="tests.portal.test_a" name="test_passes" time="1.0"/>
<testcase classname="tests.portal.test_a" name="test_flaky" time="2.0"/>
<testcase classname="tests.portal.test_b" name="test_fails[x-1]" time="3.0"><failure message="boom">boom trace</failure></testcase>
<testcase classname="tests.portal.test_b" name="test_skipped" time="0.0"><skipped message="needs --allow-mutations"/></testcase>
<testcase classname="tests.portal.test_b" name="test_errors" time="0.5"><error message="fixture broke">setup trace</error></testcase>
</testsuite></testsuites>"""


def attempt(folder: Path, nodeid: str, number: int, outcome: str, message: str = "", steps: int = 0) -> Path:
    """An attempt's folder as tests/portal/attempts.py leaves it."""
    path = folder_of(folder, nodeid) / f"attempt-{number}"
    employer = path / "halim"
    employer.mkdir(parents=True)
    (path / "result.json").write_text(
        json.dumps(
            {
                "nodeid": nodeid,
                "attempt": number,
                "outcome": outcome,
                "phase": "call",
                "seconds": 1.5,
                "message": message,
                "details": f"{message} traceback",
            }
        )
    )
    shots = [f"{i + 1:02d}-step-{i + 1}.png" for i in range(steps)]
    for shot in shots:
        (employer / shot).write_bytes(b"png")
    (employer / "steps.json").write_text(
        json.dumps(
            [
                {
                    "name": f"step-{i + 1}",
                    "at": f"2026-11-26T10:00:0{i}.250+08:00",
                    "offset_seconds": i + 0.5,
                    "seconds": 0.5,
                    "screenshot": shot,
                }
                for i, shot in enumerate(shots)
            ]
        )
    )
    if outcome == "failed":
        (employer / f"{steps + 1:02d}-failure.png").write_bytes(b"png")
        (employer / "trace.zip").write_bytes(b"zip")
    return employer


def run_folder(tmp_path: Path) -> Path:
    (tmp_path / "junit.xml").write_text(JUNIT)
    attempt(tmp_path, "tests/portal/test_a.py::test_passes", 1, "passed", steps=2)
    attempt(tmp_path, "tests/portal/test_a.py::test_flaky", 1, "failed", "503 once")
    attempt(tmp_path, "tests/portal/test_a.py::test_flaky", 2, "passed", steps=1)
    attempt(tmp_path, "tests/portal/test_b.py::test_fails[x-1]", 1, "failed", "boom")
    attempt(tmp_path, "tests/portal/test_b.py::test_fails[x-1]", 2, "failed", "boom")
    return tmp_path


def test_junit_names_are_found_from_node_ids() -> None:
    assert junit_key("tests/portal/test_b.py::test_fails[x-1]") == ("tests.portal.test_b", "test_fails[x-1]")
    assert junit_key("tests/portal/test_c.py::TestScreen::test_it") == (
        "tests.portal.test_c.TestScreen",
        "test_it",
    )


def test_tests_are_ordered_failed_first_with_their_attempts(tmp_path: Path) -> None:
    # Given a run with a pass, a pass on rerun, a failure on both attempts, a skip and an error
    report = read(run_folder(tmp_path) / "junit.xml", tmp_path)
    # Then the tests come worst first, skips last, and a pass after a failed attempt is "flaky"
    assert [(c.name, c.status) for c in report.cases] == [
        ("test_fails[x-1]", "failed"),
        ("test_errors", "error"),
        ("test_flaky", "flaky"),
        ("test_passes", "passed"),
        ("test_skipped", "skipped"),
    ]
    assert report.summary() == "5 tests: 1 failed, 1 error, 1 passed on rerun, 1 passed, 1 skipped · 2 reruns"
    # And every attempt is there, the earlier ones marked as rerun, with their steps and evidence
    flaky = report.cases[2]
    assert [(a.number, a.outcome, a.rerun) for a in flaky.attempts] == [
        (1, "failed", True),
        (2, "passed", False),
    ]
    first, second = flaky.attempts
    assert first.message == "503 once" and [n for n, _ in first.evidence[0].shots] == ["01-failure.png"]
    assert [name for name, _ in first.evidence[0].files] == ["trace.zip"]
    assert [(s.name, s.at, s.seconds) for s in second.evidence[0].steps] == [("step-1", "10:00:00.250", 0.5)]
    assert flaky.seconds == 3.0  # both attempts


def test_the_html_starts_with_the_counts_and_links_every_attempt(tmp_path: Path) -> None:
    page = write_html(run_folder(tmp_path) / "junit.xml", tmp_path).read_text(encoding="utf-8")
    # Then the counts come before the first test, the failed test before the passing ones
    assert page.index("1 failed") < page.index("1 passed on rerun") < page.index("<section")
    assert page.index('id="tests-portal-test_b-test_fails-x-1-"') < page.index(
        'id="tests-portal-test_a-test_passes"'
    )
    # And each attempt's failure screenshot (inline), trace and step screenshots are linked
    for link in (
        'src="test_a.py-test_flaky/attempt-1/halim/01-failure.png"',
        'href="test_a.py-test_flaky/attempt-1/halim/trace.zip"',
        'src="test_a.py-test_flaky/attempt-2/halim/01-step-1.png"',
        'src="test_b.py-test_fails-x-1/attempt-2/halim/01-failure.png"',
    ):
        assert link in page, link
    assert "boom trace" in page and "needs --allow-mutations" in page
