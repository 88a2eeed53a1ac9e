"""`assist-bot` as users run it: real process, real portal, the contract's exit codes and output."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.portal import MockPortalProcess

pytestmark = pytest.mark.timeout(120)


def assist_bot(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=100,
        env={"PATH": "/usr/bin:/bin", "HOME": str(cwd), "ASSIST_RETRY__WAIT_INITIAL_SECONDS": "0.1"},
    )


def test_login_one_employer_prints_a_table_and_exits_0(demo_portfolio: Path, tmp_path: Path) -> None:
    done = assist_bot("--portfolio", str(demo_portfolio), "login", "--employer", "halim", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "halim" in done.stdout and "E1102069801V" in done.stdout and "done" in done.stdout
    assert "Evidence:" in done.stdout
    assert list((tmp_path / "evidence").glob("*/halim/03-home.png"))


def test_login_all_as_json(demo_portfolio: Path, tmp_path: Path) -> None:
    done = assist_bot("--portfolio", str(demo_portfolio), "login", "--all", "--json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["exit_code"] == 0
    assert len(report["results"]) == 10
    assert {r["status"] for r in report["results"]} == {"done"}


def test_an_unknown_login_email_exits_1_with_the_portals_message(
    fresh_portal: MockPortalProcess, demo_portfolio: Path, tmp_path: Path
) -> None:
    text = demo_portfolio.read_text().replace(
        'hr@cahaya-logistik.my"\npayment', 'ghost@cahaya-logistik.my"\npayment'
    )
    demo_portfolio.write_text(text)
    done = assist_bot("--portfolio", str(demo_portfolio), "login", "-e", "cahaya", "--json", cwd=tmp_path)
    assert done.returncode == 1
    [result] = json.loads(done.stdout)["results"]
    assert result["error"] == "BusinessError"
    assert "Emel tidak berdaftar dengan ASSIST." in result["detail"]


@pytest.mark.parametrize(
    "args, message",
    [
        (["login", "--employer", "nobody"], "no employer named 'nobody'"),
        (["login"], "--employer NAME"),
        (["login", "--frobnicate"], "No such option"),
    ],
)
def test_bad_usage_exits_64_with_a_readable_message(
    demo_portfolio: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    done = assist_bot("--portfolio", str(demo_portfolio), *args, cwd=tmp_path)
    assert done.returncode == 64
    assert message in " ".join(done.stderr.split())
    assert "Traceback" not in done.stderr


def test_a_broken_portfolio_names_the_file_and_the_setting(tmp_path: Path) -> None:
    portfolio = tmp_path / "p.toml"
    portfolio.write_text(
        '[[employers]]\nname = "x"\nemployer_code = "E1"\nlogin_email = "a@b.my"\nmailbox = {host = "h", user = "u", password = "p", port = "many"}\n'
    )
    done = assist_bot("--portfolio", str(portfolio), "login", "--all", cwd=tmp_path)
    assert done.returncode == 64
    assert str(portfolio) in done.stderr.replace("\n", "")
    assert "[employers.mailbox] port" in done.stderr
    assert "'p'" not in done.stderr and "password = " not in done.stderr
