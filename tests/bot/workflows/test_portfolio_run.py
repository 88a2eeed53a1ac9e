"""`assist-bot run` over the demo portfolio: real DBOS (SQLite), the real mock portal, real Chromium."""
from __future__ import annotations

import signal
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.bot.workflows.helpers import MONTH, BotEnv, by_employer, submissions_per_employer
from tests.support.portal import MockPortalProcess

pytestmark = pytest.mark.timeout(300)
FINAL = {"done", "failed", "needs-human", "unknown-outcome"}
PORTAL_DOWN = {"routes": [{"path": "/*", "error_rate": 1.0, "status": 503}]}


@pytest.fixture
def bot(demo_portfolio: Path, tmp_path: Path) -> BotEnv:
    return BotEnv(demo_portfolio, tmp_path)


def test_a_portfolio_run_takes_every_employer_through_its_steps_once(bot: BotEnv, fresh_portal: MockPortalProcess) -> None:
    # Given the ten demo employers, each with a payroll
    # When the month is run for the whole portfolio
    code, report = bot.run("run", "--month", MONTH, "--concurrency", "4")
    # Then every employer got its text file built and checked, and reached the portal's steps
    employers = by_employer(report)
    assert len(employers) == 10
    for name, e in employers.items():
        steps = {s["step"]: s for s in e["steps"]}
        assert steps["textfile"]["status"] == "done", (name, steps["textfile"])
        assert e["amount_sen"] and e["amount_sen"] > 0
        assert e["status"] in FINAL, e
    assert code == report["exit_code"]
    # And the report exists as HTML, JSON and JUnit (one test case per employer)
    html = Path(report["report"]["html"]).read_text(encoding="utf-8")
    assert all(name in html for name in employers)
    suite = ET.parse(report["report"]["junit"]).getroot().find("testsuite")
    assert suite is not None and suite.get("tests") == "10"

    # When the same command runs again
    again_code, again = bot.run("run", "--month", MONTH, "--concurrency", "4")
    # Then no step that was done ran a second time
    for run in bot.runs():
        for step in run.steps:
            if step.status == "done":
                assert step.executions == 1, (run.employer, step.step, step.executions)
    assert again_code == code
    # And the portal holds one submission per employer, with its ACR/ECR read back
    assert submissions_per_employer(fresh_portal.state()) == {e["employer_code"]: 1 for e in again["employers"]}
    assert all(e["references"].get("acr") for e in again["employers"] if e["employer_code"][0] == "E")
    # And `report` rebuilds the same report from the database alone
    report_code, rebuilt = bot.run("report", "--month", MONTH)
    assert report_code == again_code
    assert {e["employer"]: e["status"] for e in rebuilt["employers"]} == {
        e["employer"]: e["status"] for e in again["employers"]}


def test_a_killed_run_resumes_and_repeats_no_finished_step(bot: BotEnv, fresh_portal: MockPortalProcess) -> None:
    # Given a run of the portfolio, one employer at a time, on a slow portal
    fresh_portal.set_faults({"routes": [{"path": "/*", "latency_ms": 150}]})
    process = bot.start("run", "--month", MONTH, "--concurrency", "1", "--quiet")
    # When it is killed (SIGKILL: no clean-up at all) once some employers are finished and others not
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        finished = [r for r in bot.runs() if r.status in FINAL] if (bot.folder / "state").exists() else []
        if len(finished) >= 2:
            break
        assert process.poll() is None, process.communicate()
        time.sleep(0.2)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    before = {r.employer: r for r in bot.runs()}
    assert any(r.status not in FINAL for r in before.values()) or len(before) < 10, "killed too late"
    fresh_portal.set_faults({})
    # And the same command runs again
    code, report = bot.run("run", "--month", MONTH, "--concurrency", "4")
    # Then every employer ends in a final state
    employers = by_employer(report)
    assert len(employers) == 10
    assert all(e["status"] in FINAL for e in employers.values()), employers
    # And the employers done before the kill were not run again, nor any step done before the kill
    after = {r.employer: r for r in bot.runs()}
    for name, run in before.items():
        if run.status == "done":
            assert after[name].workflow_id == run.workflow_id and after[name].finished_at == run.finished_at
        done_before = {s.step for s in run.steps if s.status == "done"}
        assert all(s.executions == 1 for s in after[name].steps if s.step in done_before), after[name].steps
    # And of the steps now done, at most the one in flight at the kill ran twice
    twice = [(r.employer, s.step) for r in after.values() for s in r.steps if s.status == "done" and s.executions > 1]
    assert len(twice) <= 1, twice
    # And the portal holds exactly one submission per employer
    assert submissions_per_employer(fresh_portal.state()) == {r.employer_code: 1 for r in after.values()}


def test_a_portal_outage_trips_the_breaker_and_the_rerun_finishes(bot: BotEnv, fresh_portal: MockPortalProcess) -> None:
    # Given a portal that answers 503 to everything
    fresh_portal.set_faults(PORTAL_DOWN)
    bot.extra["ASSIST_ORCHESTRATION__BREAKER_THRESHOLD"] = "2"
    # When the month is run
    code, report = bot.run("run", "--month", MONTH, "--concurrency", "1")
    # Then the run fails, stopped by the circuit breaker after two employers, not hammering the portal
    assert code == 1
    assert report["breaker"], report
    employers = by_employer(report)
    not_attempted = [n for n, e in employers.items() if "not attempted" in e["detail"]]
    assert len(not_attempted) >= 7, {n: e["detail"] for n, e in employers.items()}
    assert all(e["status"] == "failed" for e in employers.values())
    assert all("rerun" in e["next_action"] or "run --month" in e["next_action"] for e in employers.values())
    # When the portal is back and the same command runs again
    fresh_portal.set_faults({})
    code, report = bot.run("run", "--month", MONTH, "--concurrency", "4")
    # Then every employer gets past the outage: none fails, each resumed at the portal step
    employers = by_employer(report)
    assert not report["breaker"]
    assert [n for n, e in employers.items() if e["status"] == "failed"] == []
    assert all(e["attempt"] == 2 for e in employers.values())
    assert submissions_per_employer(fresh_portal.state()) == {e["employer_code"]: 1 for e in employers.values()}


def test_a_dry_run_submits_nothing(bot: BotEnv, fresh_portal: MockPortalProcess) -> None:
    # When the month is dry-run for two employers
    code, report = bot.run("run", "--month", MONTH, "--employers", "halim,siti", "--dry-run")
    # Then their text files are built and checked, nothing is submitted, and no one logged in
    assert code == 0, report
    assert sorted(by_employer(report)) == ["halim", "siti"]
    for e in report["employers"]:
        statuses = {s["step"]: s["status"] for s in e["steps"]}
        assert statuses == {"employees": "done", "textfile": "done", "submit": "skipped", "pay": "skipped"}
    assert fresh_portal.state()["login_attempts"] == []
    # And a real run afterwards is not mistaken for done
    assert bot.runs() == []
