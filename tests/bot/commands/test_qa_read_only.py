"""`assist-bot qa` in its default, read-only mode against a portal given by `--base-url`: every QRG
procedure's read-only checks run, the mutations are skipped, and the portal holds exactly the records
it held before (its `/_mock/state`, before and after)."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.flows.payment_support import submit_month
from tests.portal.walks_payment import RECORDS
from tests.support.demo_portfolio import demo_settings
from tests.support.portal import MockPortalProcess

pytestmark = pytest.mark.timeout(900)
ALL_PROCEDURES = ",".join(str(n) for n in range(1, 12))


def test_the_read_only_suite_of_every_procedure_creates_no_record(
    fresh_portal: MockPortalProcess, demo_portfolio: Path, tmp_path: Path
) -> None:
    # Given a portal where the first test account has a submitted month (documents to read and pay)
    settings = demo_settings(demo_portfolio, tmp_path / "setup")
    halim = settings.employers[0]
    submit_month(fresh_portal, settings, halim.name, halim.scheme)
    before = {key: fresh_portal.state()[key] for key in RECORDS}
    # When the QA suite of QRG 1 to 11 runs against it as against any portal, without --allow-mutations
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "bot",
            "qa",
            "--base-url",
            fresh_portal.base_url,
            "--portfolio",
            str(demo_portfolio),
            "--procedures",
            ALL_PROCEDURES,
            "--evidence",
            str(tmp_path / "evidence"),
        ],
        capture_output=True,
        text=True,
        timeout=840,
    )
    # Then it passes
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    # And the portal's records are exactly as before
    assert {key: fresh_portal.state()[key] for key in RECORDS} == before
    # And every procedure ran read-only checks, and every test that creates records or moves money was skipped
    [junit] = (tmp_path / "evidence").glob("qa-*/junit.xml")
    cases = list(ET.parse(junit).getroot().iter("testcase"))
    ran = {c.get("classname", "") for c in cases if not any(child.tag == "skipped" for child in c)}
    assert {f"test_qrg{n:02d}" for n in range(1, 12)} <= {name.split(".")[-1][:10] for name in ran}, ran
    skipped = [
        c
        for c in cases
        if any(child.tag == "skipped" and "allow-mutations" in (child.get("message") or "") for child in c)
    ]
    assert len(skipped) >= 10, [c.get("name") for c in skipped]


def test_the_global_portfolio_option_names_the_test_accounts_for_qa(
    fresh_portal: MockPortalProcess, demo_portfolio: Path, tmp_path: Path
) -> None:
    # Given the portfolio given the way every other command takes it: before the command's name
    command = [sys.executable, "-m", "bot", "--portfolio", str(demo_portfolio), "qa"]
    # When the login procedure's checks run against a portal by --base-url
    done = subprocess.run(
        [*command, "--base-url", fresh_portal.base_url, "--procedures", "1", "--evidence", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    # Then the global --portfolio is the test accounts: no "needs --portfolio", and the checks pass
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "needs --portfolio" not in done.stdout + done.stderr
