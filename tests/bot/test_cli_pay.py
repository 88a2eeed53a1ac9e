"""`assist-bot pay` / `reconcile` as users run them (real processes, real portal and mock bank):
the same command twice and two commands at the same moment pay exactly once."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import httpx
import pytest

from tests.flows.payment_support import submit_month
from tests.support.demo_portfolio import demo_settings
from tests.support.portal import MockPortalProcess

pytestmark = pytest.mark.timeout(240)
PAY = ("pay", "--employer", "halim", "--month", "2026-10", "--method", "fpx", "--json")


def command(portfolio: Path, *args: str, cwd: Path) -> list[str]:
    return [sys.executable, "-m", "bot", "--portfolio", str(portfolio), *args]


# PYTHONPATH passed on: the commands must run the code under test (a worktree), not the installed copy.
ENV = {
    "PATH": "/usr/bin:/bin",
    "ASSIST_RETRY__WAIT_INITIAL_SECONDS": "0.1",
    "PYTHONPATH": os.environ.get("PYTHONPATH", ""),
}


def run(
    portfolio: Path, *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command(portfolio, *args, cwd=cwd),
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=200,
        env={**ENV, "HOME": str(cwd), **(env or {})},
    )


def test_the_same_pay_twice_pays_once(
    demo_portfolio: Path, fresh_portal: MockPortalProcess, tmp_path: Path
) -> None:
    # Given halim's submitted October
    submit_month(fresh_portal, demo_settings(demo_portfolio, tmp_path / "e"), "halim")
    # When `pay` runs, then runs again
    first = run(demo_portfolio, *PAY, cwd=tmp_path)
    second = run(demo_portfolio, *PAY, cwd=tmp_path)
    # Then both exit 0, the second says it was already paid, and the portal holds one payment
    assert first.returncode == 0, first.stdout + first.stderr
    assert second.returncode == 0, second.stdout + second.stderr
    assert "already paid" in json.loads(second.stdout)["results"][0]["detail"]
    assert [p["status"] for p in fresh_portal.state()["payments"]] == ["Successful"]
    assert list((tmp_path / "evidence" / "records" / "halim" / "2026-10").glob("receipt-*.pdf"))


def test_two_pay_commands_at_the_same_moment_pay_once(
    demo_portfolio: Path, fresh_portal: MockPortalProcess, tmp_path: Path
) -> None:
    submit_month(fresh_portal, demo_settings(demo_portfolio, tmp_path / "e"), "halim")
    # When two `pay` processes start together on one ledger
    procs = [
        subprocess.Popen(
            command(demo_portfolio, *PAY, cwd=tmp_path),
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**ENV, "HOME": str(tmp_path)},
        )
        for _ in range(2)
    ]
    outputs = [p.communicate(timeout=200) for p in procs]
    codes = sorted(p.returncode for p in procs)
    # Then exactly one payment exists; one process paid (0); the other logged in after it (their logins
    # take turns: a new password request would void the other's) and paid nothing: it found the payment
    # done or in progress (0 or 2)
    assert [p["status"] for p in fresh_portal.state()["payments"]] == ["Successful"], outputs
    assert codes[0] == 0 and codes[1] in (0, 2), outputs
    assert len(fresh_portal.state()["payments"]) == 1


def test_no_return_exits_2_and_reconcile_settles_it(
    demo_portfolio: Path, fresh_portal: MockPortalProcess, tmp_path: Path
) -> None:
    submit_month(fresh_portal, demo_settings(demo_portfolio, tmp_path / "e"), "halim")
    httpx.post(
        f"{fresh_portal.base_url}/_mock/bank/accounts/halim.bank", json={"no_return": True}
    ).raise_for_status()
    portfolio = tmp_path / "short.toml"
    portfolio.write_text(
        demo_portfolio.read_text().replace(
            'user = "halim.bank"', 'user = "halim.bank"\nreturn_timeout_seconds = 3'
        )
    )
    first = run(portfolio, *PAY, cwd=tmp_path)
    assert first.returncode == 2 and json.loads(first.stdout)["results"][0]["status"] == "unknown-outcome", (
        first.stdout
    )
    done = run(portfolio, "reconcile", "--json", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "paid" in json.loads(done.stdout)["results"][0]["detail"]
    assert len(fresh_portal.state()["payments"]) == 1


EXPIRY = 45  # FPX's time-out here: long enough for a second command to see the transaction Pending
AFTER = re.compile(r"after (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)")


def halim_balance(portal: MockPortalProcess) -> int:
    return next(a["balance_sen"] for a in portal.state()["bank_accounts"] if a["user"] == "halim.bank")


def promised_time(detail: str) -> float:
    found = AFTER.search(detail)
    assert found, detail
    return datetime.strptime(found.group(1), "%Y-%m-%d %H:%M:%S").timestamp()


@pytest.mark.timeout(600)
@pytest.mark.parametrize("waiting_with", ["pay", "reconcile"])
def test_one_503_on_the_banks_confirm_is_paid_once_after_fpx_times_it_out(
    demo_portfolio: Path, fresh_portal: MockPortalProcess, tmp_path: Path, waiting_with: str
) -> None:
    # Given halim's submitted October, FPX timing out unconfirmed transactions after EXPIRY seconds,
    # and the bank's CONFIRM answering 503 once, before the bank acts
    submit_month(fresh_portal, demo_settings(demo_portfolio, tmp_path / "e"), "halim")
    before = halim_balance(fresh_portal)
    fresh_portal.set_faults(
        {
            "fpx_pending_expiry_seconds": EXPIRY,
            "routes": [
                {
                    "path": "/fpx-bank/confirm/*",
                    "method": "POST",
                    "error_rate": 1.0,
                    "status": 503,
                    "times": 1,
                }
            ],
        }
    )
    env = {"ASSIST_PORTAL__FPX_PENDING_EXPIRY_SECONDS": str(EXPIRY)}
    # When `pay` runs: the outcome after CONFIRM is unknown (exit 2), nothing was debited
    first = run(demo_portfolio, *PAY, cwd=tmp_path, env=env)
    assert first.returncode == 2, first.stdout + first.stderr
    assert json.loads(first.stdout)["results"][0]["status"] == "unknown-outcome"
    assert halim_balance(fresh_portal) == before
    assert [p["status"] for p in fresh_portal.state()["payments"]] == ["Pending"]
    # And the next command (`pay` or `reconcile`) finds it Pending: a person needs do nothing but rerun
    # after the time it names (exit 2, needs-human), and it pays nothing meanwhile
    command_args = PAY if waiting_with == "pay" else ("reconcile", "--json")
    second = run(demo_portfolio, *command_args, cwd=tmp_path, env=env)
    assert second.returncode == 2, second.stdout + second.stderr
    [result] = json.loads(second.stdout)["results"]
    assert result["status"] == "needs-human" and "Pending" in result["detail"], result
    after = promised_time(result["detail"])
    assert len(fresh_portal.state()["payments"]) == 1 and halim_balance(fresh_portal) == before
    # Then the action named, run after that time, does what it promised
    time.sleep(max(0.0, after - time.time()) + 0.5)
    if waiting_with == "reconcile":
        # `reconcile` records it declined (FPX timed it out) ...
        settled = run(demo_portfolio, "reconcile", "--json", cwd=tmp_path, env=env)
        assert settled.returncode == 0, settled.stdout + settled.stderr
        assert "declined" in json.loads(settled.stdout)["results"][0]["detail"]
    # ... and `pay` pays the month with a new transaction
    paid = run(demo_portfolio, *PAY, cwd=tmp_path, env=env)
    assert paid.returncode == 0, paid.stdout + paid.stderr
    # The month is paid exactly once, and the bank shows one debit of the amount due
    payments = fresh_portal.state()["payments"]
    assert [p["status"] for p in payments] == ["Unsuccessful", "Successful"]
    assert "timed out" in payments[0]["reason"]
    documents = [
        d for d in fresh_portal.state()["documents"] if d["employer_code"] == payments[1]["employer_code"]
    ]
    assert {d["status"] for d in documents} == {"paid"}
    assert halim_balance(fresh_portal) == before - payments[1]["amount_sen"]
    assert payments[1]["amount_sen"] == sum(d["amount_sen"] for d in documents)
