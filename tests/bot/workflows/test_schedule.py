"""`assist-bot schedule`: a DBOS scheduled workflow fires the due month; firing again repeats nothing."""

from __future__ import annotations

import signal
import time
from datetime import date
from pathlib import Path

import pytest

from bot.workflows.schedule import due_month
from tests.bot.workflows.helpers import BotEnv, submissions_per_employer
from tests.support.portal import MockPortalProcess

pytestmark = pytest.mark.timeout(300)


def test_the_due_month_is_the_one_before_todays() -> None:
    assert due_month(date(2026, 11, 3)) == "2026-10"
    assert due_month(date(2027, 1, 20)) == "2026-12"


def test_the_schedule_fires_the_due_month_and_firing_again_submits_nothing_twice(
    demo_portfolio: Path, tmp_path: Path, fresh_portal: MockPortalProcess
) -> None:
    # Given a schedule firing every three seconds for one employer, without payment
    bot = BotEnv(demo_portfolio, tmp_path)
    month = due_month(date.today())
    process = bot.start("schedule", "--cron", "*/3 * * * * *", "--employers", "halim", "--no-pay")
    try:
        # When it has fired, the month is done, and it has fired at least twice more since
        deadline = time.monotonic() + 200
        finished_at = None
        while time.monotonic() < deadline:
            assert process.poll() is None, process.communicate()
            runs = bot.runs(month) if (bot.folder / "state" / "assist-bot.sqlite").exists() else []
            if runs and runs[0].status == "done":
                finished_at = finished_at or time.monotonic()
                if time.monotonic() - finished_at > 7:
                    break
            time.sleep(0.5)
    finally:
        process.send_signal(signal.SIGTERM)
        _out, err = process.communicate(timeout=60)
    # Then halim's month was submitted once, by one workflow, and its report written
    (run,) = bot.runs(month)
    assert run.status == "done" and run.attempt == 1, (run, err[-2000:])
    assert all(s.executions == 1 for s in run.steps if s.status == "done"), run.steps
    assert submissions_per_employer(fresh_portal.state()) == {run.employer_code: 1}
    assert (tmp_path / "evidence" / month / "report.html").exists()
    assert process.returncode == 0, err[-2000:]
