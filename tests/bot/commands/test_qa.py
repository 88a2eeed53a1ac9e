"""`assist-bot qa` against a running portal (the session's mock, with a label renamed by its faults)."""
from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.support.portal import MockPortalProcess

pytestmark = pytest.mark.timeout(240)
RECORDS = ("employees", "submissions", "documents", "cases", "payments", "mandates")


def test_a_renamed_label_fails_the_run_with_a_drift_report_and_its_evidence(
    fresh_portal: MockPortalProcess, demo_portfolio: Path, tmp_path: Path
) -> None:
    # Given a portal whose login button now says NEXT instead of SETERUSNYA
    fresh_portal.set_faults({"labels": {"SETERUSNYA": "NEXT"}})
    before = {k: fresh_portal.state()[k] for k in RECORDS}
    # When QA runs QRG 1 against it, read-only, with the demo accounts
    done = subprocess.run(
        [sys.executable, "-m", "bot", "qa", "--base-url", fresh_portal.base_url, "--portfolio", str(demo_portfolio),
         "--procedures", "1", "--evidence", str(tmp_path / "qa")],
        capture_output=True, text=True, timeout=200,
    )
    # Then the run fails (exit 1) and the JUnit XML and HTML report carry the drift report
    assert done.returncode == 1, done.stdout + done.stderr
    [folder] = (tmp_path / "qa").iterdir()
    [case] = ET.parse(folder / "junit.xml").getroot().iter("testcase")
    failure = case.find("failure")
    assert failure is not None and failure.text is not None
    for part in ("screen 'Employer login (email)'", "button 'SETERUSNYA' is missing", "'NEXT'",
                 "update flows.pages.login.LoginEmailPage"):
        assert part in failure.text, failure.text
    report = (folder / "report.html").read_text(encoding="utf-8")
    assert "SETERUSNYA" in report and "failure.png" in report and "trace.zip" in report
    # And the failed test's evidence folder keeps its trace, screenshot and drift.txt
    [evidence] = folder.glob("test_qrg01_login.py-*/*")
    kept = {p.name for p in evidence.iterdir()}
    assert {"trace.zip", "01-failure.png", "drift.txt"} <= kept, kept
    assert "LoginEmailPage" in (evidence / "drift.txt").read_text(encoding="utf-8")
    # And nothing was created on the portal
    assert {k: fresh_portal.state()[k] for k in RECORDS} == before
