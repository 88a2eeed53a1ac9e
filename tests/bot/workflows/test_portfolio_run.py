"""`assist-bot run` over the demo portfolio: real DBOS (SQLite), the real mock portal, real Chromium."""

from __future__ import annotations

import re
import signal
import subprocess
import time
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from tests.bot.workflows.helpers import (
    MONTH,
    REPO,
    BotEnv,
    by_employer,
    payments_per_employer,
    submissions_per_employer,
)
from tests.flows.registration_support import halim_payroll
from tests.support.demo_portfolio import RETAIL_BANK, paying_by_fpx
from tests.support.portal import MockPortalProcess

pytestmark = pytest.mark.timeout(300)
FINAL = {"done", "failed", "needs-human", "unknown-outcome"}
PORTAL_DOWN = {"routes": [{"path": "/*", "error_rate": 1.0, "status": 503}]}


@pytest.fixture
def bot(demo_portfolio: Path, tmp_path: Path) -> BotEnv:
    return BotEnv(demo_portfolio, tmp_path)


def test_a_killed_portfolio_run_resumes_and_every_employer_is_submitted_and_paid_once(
    demo_portfolio: Path, tmp_path: Path, fresh_portal: MockPortalProcess
) -> None:
    # Given the ten demo employers (mixed schemes, payrolls), each paying by FPX from an account the bot logs in to
    bot = BotEnv(paying_by_fpx(demo_portfolio), tmp_path)
    balance_before = bank_balance(fresh_portal.state())
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
    # Then every employer completes: text file built, submitted, paid
    employers = by_employer(report)
    assert len(employers) == 10
    assert code == report["exit_code"] == 0, {n: (e["status"], e["detail"]) for n, e in employers.items()}
    assert {e["status"] for e in employers.values()} == {"done"}
    for name, e in employers.items():
        assert {s["step"]: s["status"] for s in e["steps"]} == {
            "employees": "skipped",
            "textfile": "done",
            "submit": "done",
            "pay": "done",
        }, (name, e["steps"])
        assert e["amount_sen"] and e["amount_sen"] > 0
    # And the employers done before the kill were skipped, and no step done before the kill ran again
    after = {r.employer: r for r in bot.runs()}
    for name, run in before.items():
        if run.status == "done":
            assert after[name].workflow_id == run.workflow_id and after[name].finished_at == run.finished_at
        done_before = {s.step for s in run.steps if s.status == "done"}
        assert all(s.executions == 1 for s in after[name].steps if s.step in done_before), after[name].steps
    # And of the steps now done, only those in flight at the kill (at most one per employer at once) ran twice
    twice = [
        (r.employer, s.step)
        for r in after.values()
        for s in r.steps
        if s.status == "done" and s.executions > 1
    ]
    assert len(twice) <= 4, twice
    # And the portal holds exactly one submission and one successful payment per employer
    state = fresh_portal.state()
    codes = {r.employer_code for r in after.values()}
    assert submissions_per_employer(state) == {code: 1 for code in codes}
    successful = [p for p in state["payments"] if p["status"] == "Successful"]
    assert payments_per_employer({"payments": successful}) == {code: 1 for code in codes}
    # And a payment the kill cut off at the bank stayed an unfinished FPX initiation that moved no money:
    # the bank account was debited exactly once per employer
    abandoned = [p for p in state["payments"] if p["status"] != "Successful"]
    assert {p["status"] for p in abandoned} <= {"Pending"} and len(abandoned) <= 4, abandoned
    assert balance_before - bank_balance(state) == sum(p["amount_sen"] for p in successful)
    # And the report shows each employer's ACR/ECR and payment references
    for name, e in employers.items():
        assert e["references"].get("payment", "").startswith("FPX "), (name, e["references"])
        assert e["references"].get("acr") or e["references"].get("ecr"), (name, e["references"])
    # And the report exists as HTML, JSON and JUnit, and `report` rebuilds it from the database alone
    html = Path(report["report"]["html"]).read_text(encoding="utf-8")
    assert all(name in html for name in employers)
    suite = ET.parse(report["report"]["junit"]).getroot().find("testsuite")
    assert suite is not None and suite.get("tests") == "10"
    report_code, rebuilt = bot.run("report", "--month", MONTH)
    assert report_code == code
    assert {e["employer"]: (e["status"], e["references"]) for e in rebuilt["employers"]} == {
        n: (e["status"], e["references"]) for n, e in employers.items()
    }


def test_each_employer_month_logs_in_once_and_logs_out_when_it_ends(
    demo_portfolio: Path, tmp_path: Path, fresh_portal: MockPortalProcess
) -> None:
    # Given the ten demo employers paying by FPX: each month has two portal steps, submit and pay
    bot = BotEnv(paying_by_fpx(demo_portfolio), tmp_path)
    # When the month is run
    code, report = bot.run("run", "--month", MONTH, "--concurrency", "4")
    assert code == 0, {e["employer"]: (e["status"], e["detail"]) for e in report["employers"]}
    # Then the portal saw exactly one login (one emailed password) per employer-month
    state = fresh_portal.state()
    logins = logins_per_employer(state)
    codes = {e["employer_code"] for e in report["employers"]}
    assert len(codes) == 10 and logins == {code: 1 for code in codes}, logins
    assert sum(logins.values()) / len(codes) == 1.0
    # And every session was logged out when its month ended: none is left open on the portal
    assert state["sessions"] == 0, state["sessions"]
    # And each step still kept its own evidence: the submit and pay steps their own screenshots
    for run in bot.runs():
        folders = {s.step: Path(s.evidence) for s in run.steps if s.status == "done" and s.evidence}
        for step in ("submit", "pay"):
            assert folders[step].name == step and list(folders[step].glob("*.png")), (run.employer, step)
        assert list(folders["submit"].glob("*contribution-submitted*.png")), run.employer
        assert not list(folders["pay"].glob("*contribution*")), (
            "the submit step's screenshots stay in submit/"
        )


def logins_per_employer(state: dict[str, Any]) -> dict[str, int]:
    """Emailed passwords the portal sent, per employer (each login asks for one)."""
    counts: dict[str, int] = {}
    for attempt in state["login_attempts"]:
        code = attempt.get("employer_code") or ""
        counts[code] = counts.get(code, 0) + 1
    return counts


def bank_balance(state: dict[str, Any]) -> int:
    """The mock bank's balance (sen) of the account the FPX payers pay from."""
    return next(a["balance_sen"] for a in state["bank_accounts"] if a["user"] == RETAIL_BANK["user"])


def test_a_month_with_mixed_payment_methods_leaves_each_unfinished_payment_to_a_person_with_its_next_step(
    bot: BotEnv, fresh_portal: MockPortalProcess
) -> None:
    # Given the ten demo employers as they are: FPX retail and corporate, EFT, direct debit without a mandate,
    # the bank counter, and one without bank credentials
    # When the month is run
    code, report = bot.run("run", "--month", MONTH, "--concurrency", "4")
    # Then every employer is submitted once, and the run exits 2: people have payments to finish
    employers = by_employer(report)
    assert len(employers) == 10 and code == report["exit_code"] == 2
    assert {n: e["status"] for n, e in employers.items() if e["status"] not in ("done", "needs-human")} == {}
    state = fresh_portal.state()
    assert submissions_per_employer(state) == {e["employer_code"]: 1 for e in employers.values()}
    # And the two FPX retail payers are done, each paid once; no employer has two payments
    assert {n for n, e in employers.items() if e["status"] == "done"} == {"halim", "murni"}
    payments = payments_per_employer(state)
    assert max(payments.values()) == 1, payments
    for name, e in employers.items():
        if payments.get(e["employer_code"]):
            assert e["references"].get("payment"), (name, e["references"])
    # And each employer a person must pay for stops at the pay step and says what to do, in its own words
    for e in employers.values():
        if e["status"] == "needs-human":
            assert e["step"] == "pay", e
            assert e["next_action"].startswith("a person: ") and e["detail"] in e["next_action"], e
    # And the HTML report carries the payment references and the next actions
    html = Path(report["report"]["html"]).read_text(encoding="utf-8")
    assert "FPX" in html and "Next action" in html


def test_a_portal_outage_trips_the_breaker_and_the_rerun_finishes(
    bot: BotEnv, fresh_portal: MockPortalProcess
) -> None:
    # Given a portal that answers 503 to everything, and a breaker that trips at two failures in a row
    fresh_portal.set_faults(PORTAL_DOWN)
    bot.extra["ASSIST_ORCHESTRATION__BREAKER_THRESHOLD"] = "2"
    # When the month is run for four employers, one at a time (payment is not the point here)
    chosen = ("--employers", "halim,bengkel,klinik,siti", "--no-pay")
    code, report = bot.run("run", "--month", MONTH, *chosen, "--concurrency", "1")
    # Then the run stops with 75 (try later), stopped by the circuit breaker after two employers, not
    # hammering the portal
    assert code == 75
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
    assert submissions_per_employer(fresh_portal.state()) == {
        e["employer_code"]: 1 for e in employers.values()
    }


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
    done = subprocess.run(
        bot.command("report", "--month", MONTH), cwd=REPO, env=bot.env, capture_output=True, text=True
    )
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
    assert (
        steps["employees"]["detail"].count("registered ") == 2
        and "terminated 850612105432" in steps["employees"]["detail"]
    )
    employees = {
        e["id_number"]: e
        for e in fresh_portal.state()["employees"]
        if e["employer_code"] == halim["employer_code"]
    }
    assert {"930722105540", "960415145521"} <= set(employees) and employees["850612105432"]["terminated_on"]
    assert steps["submit"]["status"] == "done" and submissions_per_employer(fresh_portal.state()) == {
        halim["employer_code"]: 1
    }
