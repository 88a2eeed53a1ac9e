"""One executor per SQLite database: while `run`, `worker` or `schedule` holds it, the others exit 75
(try later) naming the holder, and no workflow is executed by two processes."""

from __future__ import annotations

import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.bot.workflows.helpers import MONTH, REPO, BotEnv, submissions_per_employer
from tests.support.portal import MockPortalProcess

pytestmark = pytest.mark.timeout(400)
FOUR = "halim,bengkel,klinik,siti"


def attempt(bot: BotEnv, *args: str) -> subprocess.CompletedProcess[str]:
    """A command that should be refused at once."""
    return subprocess.run(
        bot.command(*args), cwd=REPO, env=bot.env, capture_output=True, text=True, timeout=120
    )


def said(done: subprocess.CompletedProcess[str]) -> str:
    """Its stderr on one line (Rich wraps long lines)."""
    return " ".join(done.stderr.split())


def test_a_worker_refuses_while_a_run_holds_the_database_and_no_workflow_runs_twice(
    demo_portfolio: Path, tmp_path: Path, fresh_portal: MockPortalProcess
) -> None:
    # Given a `run` of four employers executing on the default SQLite database
    bot = BotEnv(demo_portfolio, tmp_path)
    run = bot.start("run", "--month", MONTH, "--employers", FOUR, "--no-pay", "--concurrency", "2", "--quiet")
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        assert run.poll() is None, run.communicate()
        runs = bot.runs() if (bot.folder / "state" / "assist-bot.sqlite").exists() else []
        if any(r.status == "running" for r in runs):
            break
        time.sleep(0.2)
    else:
        pytest.fail("the run never started an employer")
    # When a worker starts on the same database
    worker = attempt(bot, "worker")
    # Then it refuses at once with 75 (try later), naming the run that holds the database
    assert worker.returncode == 75, worker.stderr
    assert f"`assist-bot run` (pid {run.pid} " in said(worker), worker.stderr
    assert "one `run`, `worker` or `schedule` executes at a time" in said(worker)
    # And a second run and a schedule are refused alike
    for command in (("run", "--month", MONTH, "--no-pay", "--quiet"), ("schedule", "--no-pay")):
        refused = attempt(bot, *command)
        assert refused.returncode == 75 and f"(pid {run.pid} " in said(refused), (command, refused.stderr)
    # And the run goes on to finish its four employers
    _out, err = run.communicate(timeout=300)
    assert run.returncode == 0, err[-3000:]
    runs = bot.runs()
    assert len(runs) == 4 and {r.status for r in runs} == {"done"}, [(r.employer, r.status) for r in runs]
    # And no workflow ran twice: one workflow per employer, each done step executed once, one
    # submission per employer on the portal
    assert {r.workflow_id for r in runs} == {f"monthly:{r.employer_code}:{MONTH}" for r in runs}
    assert all(s.executions == 1 for r in runs for s in r.steps if s.status == "done"), [
        (r.employer, s.step, s.executions) for r in runs for s in r.steps
    ]
    assert submissions_per_employer(fresh_portal.state()) == {r.employer_code: 1 for r in runs}


def test_a_run_refuses_while_a_worker_holds_the_database_and_goes_ahead_once_it_stops(
    demo_portfolio: Path, tmp_path: Path
) -> None:
    # Given a worker serving the default SQLite database
    bot = BotEnv(demo_portfolio, tmp_path)
    log = tmp_path / "worker.log"
    worker = bot.start("worker", log=log)
    try:
        deadline = time.monotonic() + 120
        while "this worker now holds it" not in " ".join(log.read_text(encoding="utf-8").split()):
            assert worker.poll() is None, log.read_text(encoding="utf-8")
            assert time.monotonic() < deadline, log.read_text(encoding="utf-8")
            time.sleep(0.2)
        # When the month is run
        refused = attempt(bot, "run", "--month", MONTH, "--employers", "halim", "--dry-run", "--json")
        # Then the run is refused with 75, naming the worker, and enqueued nothing
        assert refused.returncode == 75, refused.stderr
        assert f"`assist-bot worker` (pid {worker.pid} " in said(refused), refused.stderr
        assert refused.stdout == ""
        assert bot.runs() == []
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=60)
    # And the worker stopped cleanly, and a run after it goes ahead
    assert worker.returncode == 0, log.read_text(encoding="utf-8")[-3000:]
    code, report = bot.run("run", "--month", MONTH, "--employers", "halim", "--dry-run")
    assert code == 0 and [e["employer"] for e in report["employers"]] == ["halim"], report
