"""`assist-bot run` over the demo portfolio: real DBOS (SQLite), the real mock portal, real Chromium."""
from __future__ import annotations

import re
import signal
import subprocess
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.bot.workflows.helpers import (MONTH, REPO, BotEnv, by_employer, payments_per_employer,
                                         submissions_per_employer)
from tests.flows.registration_support import halim_payroll
from tests.support.portal import MockPortalProcess

pytestmark = pytest.mark.timeout(300)
FINAL = {"done", "failed", "needs-human", "unknown-outcome"}
PORTAL_DOWN = {"routes": [{"path": "/*", "error_rate": 1.0, "status": 503}]}


@pytest.fixture
def bot(demo_portfolio: Path, tmp_path: Path) -> BotEnv:
    return BotEnv(demo_portfolio, tmp_path)


def test_a_killed_portfolio_run_resumes_and_every_employer_is_submitted_and_paid_once(
    bot: BotEnv, fresh_portal: MockPortalProcess
) -> None:
    # Given the ten demo employers: mixed schemes and payment methods, some needing a person to pay
    process = bot.start("run", "--month", MONTH, "--concurrency", "4", "--quiet")
    # When the run is killed (SIGKILL: no clean-up at all) once some employers are finished and others not
    deadline = time.monotonic() + 240
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
    # And the same command runs again
    code, report = bot.run("run", "--month", MONTH, "--concurrency", "5")
    # Then every employer ends in a final state, none failed, with its text file built and its amount
    employers = by_employer(report)
    assert len(employers) == 10
    assert {n: e["status"] for n, e in employers.items() if e["status"] not in FINAL - {"failed"}} == {}
    for name, e in employers.items():
        assert {s["step"]: s["status"] for s in e["steps"]}["textfile"] == "done", (name, e["steps"])
        assert e["amount_sen"] and e["amount_sen"] > 0
    assert code == report["exit_code"] == (2 if any(e["status"] != "done" for e in employers.values()) else 0)
    # And the employers done before the kill were skipped, and no step done before the kill ran again
    after = {r.employer: r for r in bot.runs()}
    for name, run in before.items():
        if run.status == "done":
            assert after[name].workflow_id == run.workflow_id and after[name].finished_at == run.finished_at
        done_before = {s.step for s in run.steps if s.status == "done"}
        assert all(s.executions == 1 for s in after[name].steps if s.step in done_before), after[name].steps
    # And of the steps now done, only those in flight at the kill (at most one per employer at once) ran twice
    twice = [(r.employer, s.step) for r in after.values() for s in r.steps if s.status == "done" and s.executions > 1]
    assert len(twice) <= 4, twice
    # And the portal holds exactly one submission per employer, its ACR/ECR read back
    state = fresh_portal.state()
    assert submissions_per_employer(state) == {r.employer_code: 1 for r in after.values()}
    assert all(e["references"].get("acr") for e in employers.values() if e["employer_code"][0] == "E")
    # And one payment per employer whose method the bot can finish (FPX paid, or handed to an authoriser),
    # never two; the report shows its reference
    payments = payments_per_employer(state)
    assert max(payments.values()) == 1, payments
    for name, e in employers.items():
        pay = {s["step"]: s for s in e["steps"]}["pay"]
        if pay["status"] == "done":
            assert payments.get(e["employer_code"]) == 1, (name, payments)
        if payments.get(e["employer_code"]):
            assert e["references"].get("payment"), (name, e["references"])
    assert {e["status"] for n, e in employers.items() if n in ("halim", "murni")} == {"done"}
    # And each employer a person must pay for says what to do next, in its own words
    for name, e in employers.items():
        if e["status"] == "needs-human":
            assert e["next_action"].startswith("a person: ") and e["detail"] in e["next_action"], e
    # And the report exists as HTML (payment references and next actions in it), JSON and JUnit
    html = Path(report["report"]["html"]).read_text(encoding="utf-8")
    assert all(name in html for name in employers)
    assert "FPX" in html and "Next action" in html
    suite = ET.parse(report["report"]["junit"]).getroot().find("testsuite")
    assert suite is not None and suite.get("tests") == "10"
    # And `report` rebuilds the same report from the database alone
    report_code, rebuilt = bot.run("report", "--month", MONTH)
    assert report_code == code
    assert {e["employer"]: (e["status"], e["references"]) for e in rebuilt["employers"]} == {
        n: (e["status"], e["references"]) for n, e in employers.items()}


def test_a_portal_outage_trips_the_breaker_and_the_rerun_finishes(bot: BotEnv, fresh_portal: MockPortalProcess) -> None:
    # Given a portal that answers 503 to everything, and a breaker that trips at two failures in a row
    fresh_portal.set_faults(PORTAL_DOWN)
    bot.extra["ASSIST_ORCHESTRATION__BREAKER_THRESHOLD"] = "2"
    # When the month is run for four employers, one at a time (payment is not the point here)
    chosen = ("--employers", "halim,bengkel,klinik,siti", "--no-pay")
    code, report = bot.run("run", "--month", MONTH, *chosen, "--concurrency", "1")
    # Then the run fails, stopped by the circuit breaker after two employers, not hammering the portal
    assert code == 1
    assert report["breaker"], report
    employers = by_employer(report)
    not_attempted = [n for n, e in employers.items() if "not attempted" in e["detail"]]
    assert len(not_attempted) == 2, {n: e["detail"] for n, e in employers.items()}
    assert all(e["status"] == "failed" for e in employers.values())
    assert all("run --month" in e["next_action"] for e in employers.values())
    # When the portal is back and the same command runs again
    fresh_portal.set_faults({})
    code, report = bot.run("run", "--month", MONTH, *chosen, "--concurrency", "4")
    # Then every employer gets past the outage: all done, each resumed at the portal step, submitted once
    employers = by_employer(report)
    assert code == 0 and not report["breaker"]
    assert {e["status"] for e in employers.values()} == {"done"}
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
        assert statuses == {"employees": "skipped", "textfile": "done", "submit": "skipped", "pay": "skipped"}
    assert fresh_portal.state()["login_attempts"] == []
    # And a real run afterwards is not mistaken for done
    assert bot.runs() == []
    # And the dry run has its own report, which `report --dry-run` rebuilds; the real month has none
    report_code, rebuilt = bot.run("report", "--month", MONTH, "--dry-run")
    assert (report_code, rebuilt["dry_run"], sorted(by_employer(rebuilt))) == (0, True, ["halim", "siti"])
    assert Path(rebuilt["report"]["html"]).parent.name == f"{MONTH}-dry-run"
    done = subprocess.run(bot.command("report", "--month", MONTH), cwd=REPO, env=bot.env, capture_output=True,
                          text=True)
    assert done.returncode == 64 and "no runs recorded" in done.stderr


def test_an_employer_with_employee_sync_registers_joiners_and_leavers_before_submitting(
    bot: BotEnv, fresh_portal: MockPortalProcess, tmp_path: Path
) -> None:
    # Given Halim's payroll with two joiners and a leaver, and the portfolio asking to sync his employees
    (tmp_path / "halim").mkdir()
    payroll, month = halim_payroll(tmp_path / "halim")
    text = bot.portfolio.read_text(encoding="utf-8")
    text = re.sub(r'payroll = ".*/halim\.csv"', f'payroll = "{payroll}"\nsync_employees = true', text)
    bot.portfolio.write_text(text, encoding="utf-8")
    # When his month is run
    code, report = bot.run("run", "--month", month, "--employers", "halim", "--no-pay")
    # Then the employees step registered the joiners and recorded the leaver, then the month was submitted
    assert code == 0, report
    (halim,) = report["employers"]
    steps = {s["step"]: s for s in halim["steps"]}
    assert steps["employees"]["status"] == "done"
    assert steps["employees"]["detail"].count("registered ") == 2 and "terminated 850612105432" in steps["employees"]["detail"]
    employees = {e["id_number"]: e for e in fresh_portal.state()["employees"] if e["employer_code"] == halim["employer_code"]}
    assert {"930722105540", "960415145521"} <= set(employees) and employees["850612105432"]["terminated_on"]
    assert steps["submit"]["status"] == "done" and submissions_per_employer(fresh_portal.state()) == {halim["employer_code"]: 1}
