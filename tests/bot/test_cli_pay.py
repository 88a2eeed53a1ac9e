"""`assist-bot pay` / `reconcile` as users run them (real processes, real portal and mock bank):
the same command twice and two commands at the same moment pay exactly once."""

from __future__ import annotations

import json
import subprocess
import sys
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


ENV = {"PATH": "/usr/bin:/bin", "ASSIST_RETRY__WAIT_INITIAL_SECONDS": "0.1"}


def run(portfolio: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command(portfolio, *args, cwd=cwd),
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=200,
        env={**ENV, "HOME": str(cwd)},
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
    assert list((tmp_path / "evidence").glob("*/halim/receipt-*.pdf"))


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
