"""`assist-bot qa` against a running portal: drift (fails every attempt), a step that fails once (passes
on the rerun, the failed attempt's evidence kept in the report), `--browser`, `--video`, pass-through."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from bot.commands.qa import Video, pytest_args
from bot.core.retry import IN_PLACE
from tests.support.demo_portfolio import ROOT, write_demo_portfolio
from tests.support.portal import MockPortalProcess

pytestmark = pytest.mark.timeout(240)
RECORDS = ("employees", "submissions", "documents", "cases", "payments", "mandates")
LOGIN_TEST = "test_the_employer_logs_in_with_the_emailed_password"
# The "Portal ASSIST" link's page answers 503 as often as it is loaded in place (bot/core/retry.py),
# so the first attempt fails: the walks do not retry the step (TEST_RETRY is for flows).
ONCE_UNAVAILABLE = {
    "routes": [
        {
            "path": "/employer/login",
            "method": "GET",
            "error_rate": 1.0,
            "status": 503,
            "times": IN_PLACE.attempts,
        }
    ]
}


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.links |= {v for k, v in attrs if k in ("href", "src") and v}


def links_of(report: Path) -> set[str]:
    parser = _Links()
    parser.feed(report.read_text(encoding="utf-8"))
    return parser.links


def run_qa(
    portal: MockPortalProcess, portfolio: Path, evidence: Path, *options: str
) -> subprocess.CompletedProcess[str]:
    """QRG 1 through `assist-bot qa`, read-only, with the demo accounts; options before `--` and after."""
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "bot",
            "qa",
            "--base-url",
            portal.base_url,
            "--portfolio",
            str(portfolio),
            "--procedures",
            "1",
            "--evidence",
            str(evidence),
            *options,
        ],
        capture_output=True,
        text=True,
        timeout=200,
    )


def test_a_renamed_label_fails_every_attempt_with_a_drift_report_and_its_evidence(
    fresh_portal: MockPortalProcess, demo_portfolio: Path, tmp_path: Path
) -> None:
    # Given a portal whose login button now says NEXT instead of SETERUSNYA
    fresh_portal.set_faults({"labels": {"SETERUSNYA": "NEXT"}})
    before = {k: fresh_portal.state()[k] for k in RECORDS}
    # When QA runs QRG 1 against it (one rerun by default)
    done = run_qa(fresh_portal, demo_portfolio, tmp_path / "qa", "--", "-k", LOGIN_TEST)
    # Then the run fails (exit 1); the JUnit XML has one testcase, its failure the drift report,
    # the first attempt inside it as a rerunFailure
    assert done.returncode == 1, done.stdout + done.stderr
    [folder] = (tmp_path / "qa").iterdir()
    [case] = ET.parse(folder / "junit.xml").getroot().iter("testcase")
    failure = case.find("failure")
    assert failure is not None and failure.text is not None
    for part in (
        "screen 'Employer login (email)'",
        "button 'SETERUSNYA' is missing",
        "'NEXT'",
        "update flows.pages.login.LoginEmailPage",
    ):
        assert part in failure.text, failure.text
    [rerun] = case.findall("rerunFailure")
    assert rerun.get("type") == "attempt 1" and "SETERUSNYA" in (rerun.get("message") or "")
    report = folder / "report.html"
    assert "SETERUSNYA" in report.read_text(encoding="utf-8")
    # And each attempt's folder keeps its own trace, failure screenshot and drift.txt, linked from the report
    [test] = folder.glob(f"test_qrg01_login.py-{LOGIN_TEST}")
    for attempt in ("attempt-1", "attempt-2"):
        evidence = test / attempt / "halim"
        assert {"trace.zip", "01-failure.png", "drift.txt"} <= {p.name for p in evidence.iterdir()}, attempt
        assert "LoginEmailPage" in (evidence / "drift.txt").read_text(encoding="utf-8")
        assert {f"{test.name}/{attempt}/halim/{n}" for n in ("trace.zip", "01-failure.png")} <= links_of(
            report
        )
    # And nothing was created on the portal
    assert {k: fresh_portal.state()[k] for k in RECORDS} == before


def test_a_step_that_fails_once_passes_on_the_rerun_and_the_report_keeps_the_failed_attempt(
    tmp_path: Path,
) -> None:
    # Given a fresh portal whose login page answers 503 once (a faults file)
    with MockPortalProcess(faults=ONCE_UNAVAILABLE) as portal:
        portfolio = write_demo_portfolio(portal.base_url, portal.host, portal.imap_port, tmp_path)
        # When QA runs the login check with the default reruns, on Chromium named explicitly
        done = run_qa(portal, portfolio, tmp_path / "qa", "--", "-k", LOGIN_TEST, "--browser", "chromium")
    # Then the run passes, and the JUnit XML has one passed testcase with the first attempt as flakyFailure
    assert done.returncode == 0, done.stdout + done.stderr
    [folder] = (tmp_path / "qa").iterdir()
    [case] = ET.parse(folder / "junit.xml").getroot().iter("testcase")
    assert case.find("failure") is None and case.find("error") is None
    [flaky] = case.findall("flakyFailure")
    assert flaky.get("type") == "attempt 1" and "503" in (flaky.get("message") or ""), flaky.attrib
    # And the first attempt kept its failure: result, screenshot, trace; the second its timed steps
    [test] = folder.glob(f"test_qrg01_login.py-{LOGIN_TEST}")
    first, second = test / "attempt-1", test / "attempt-2"
    assert json.loads((first / "result.json").read_text())["outcome"] == "failed"
    assert json.loads((second / "result.json").read_text())["outcome"] == "passed"
    assert {"01-failure.png", "trace.zip"} <= {p.name for p in (first / "halim").iterdir()}
    assert "trace.zip" not in {p.name for p in (second / "halim").iterdir()}  # retain-on-failure
    steps = json.loads((second / "halim" / "steps.json").read_text())
    assert [s["name"] for s in steps] == ["login-email", "home"], steps
    assert all(s["seconds"] >= 0 for s in steps) and steps[0]["offset_seconds"] <= steps[1]["offset_seconds"]
    assert all((second / "halim" / s["screenshot"]).is_file() for s in steps)
    # And the report says so first, and links the failed attempt's screenshot and trace beside the passing one
    report = folder / "report.html"
    text = report.read_text(encoding="utf-8")
    assert text.index("1 passed on rerun") < text.index("Attempt 1") < text.index("Attempt 2"), text
    links = links_of(report)
    for kept in (
        "attempt-1/halim/01-failure.png",
        "attempt-1/halim/trace.zip",
        "attempt-2/halim/01-login-email.png",
        "attempt-2/halim/02-home.png",
    ):
        assert f"{test.name}/{kept}" in links, sorted(links)
        assert (folder / test.name / kept).is_file()
    assert "login-email" in text and "took" in text


def test_without_reruns_the_same_fault_fails_the_test_once(tmp_path: Path) -> None:
    # Given the same portal, and pytest run as `make test` runs it (no --reruns)
    with MockPortalProcess(faults=ONCE_UNAVAILABLE) as portal:
        portfolio = write_demo_portfolio(portal.base_url, portal.host, portal.imap_port, tmp_path)
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                "-p",
                "no:cacheprovider",
                "-q",
                "tests/portal/test_qrg01_login.py",
                "-k",
                LOGIN_TEST,
                f"--base-url={portal.base_url}",
                f"--portfolio={portfolio}",
                f"--output={tmp_path / 'out'}",
                "--tracing=retain-on-failure",
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=200,
        )
    # Then the check fails once and is not run again
    assert done.returncode == 1, done.stdout + done.stderr
    [test] = (tmp_path / "out").iterdir()
    assert [p.name for p in test.iterdir()] == ["attempt-1"]
    result = json.loads((test / "attempt-1" / "result.json").read_text())
    assert result["outcome"] == "failed" and "503" in result["message"], result


def test_a_browser_other_than_chromium_is_a_usage_error(tmp_path: Path) -> None:
    # When QA is asked to run on other browsers (pytest-playwright's --browser, after `--`)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "bot",
            "qa",
            "--procedures",
            "1",
            "--evidence",
            str(tmp_path),
            "--",
            "--browser",
            "webkit",
            "--browser",
            "firefox",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    # Then it refuses, naming the option (exit 64: bad usage), instead of running Chromium regardless
    assert done.returncode == 64, done.stdout + done.stderr
    assert "--browser firefox webkit: the bot drives Chromium only" in done.stdout + done.stderr


def test_qa_options_reach_pytest(tmp_path: Path) -> None:
    # When the options are given
    args = pytest_args(
        tmp_path, ["tests/portal"], reruns=3, video=Video.retain_on_failure, update_baselines=True
    )
    # Then pytest gets them
    assert {"--reruns=3", "--video=retain-on-failure", "--update-baselines"} <= set(args), args
    # And without them: one rerun, no video, baselines left alone
    default = pytest_args(tmp_path, ["tests/portal"])
    assert "--reruns=1" in default and "--video=off" in default and "--update-baselines" not in default


def test_with_mutations_allowed_a_failed_mutation_is_not_rerun(tmp_path: Path) -> None:
    # Given a failing read-only check and a failing mutation, with the portal suite's plugin
    (tmp_path / "conftest.py").write_text(
        "from tests.portal.plugin import pytest_addoption, pytest_collection_modifyitems, pytest_configure  # noqa\n"
    )
    (tmp_path / "test_checks.py").write_text(
        "import pytest\n\n@pytest.mark.mutation\ndef test_submits():\n    assert False\n\n"
        "def test_reads():\n    assert False\n"
    )
    # When they run with mutations allowed and a rerun, as `assist-bot qa --allow-mutations` runs them
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "-rR",
            str(tmp_path),
            "--allow-mutations",
            "--reruns=1",
            f"--output={tmp_path / 'out'}",
        ],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    # Then the read-only check is run again, the mutation (it may have submitted half-way) is not
    assert done.returncode == 1, done.stdout + done.stderr
    assert "RERUN test_checks.py::test_reads" in done.stdout, done.stdout
    assert "RERUN test_checks.py::test_submits" not in done.stdout and "2 failed, 1 rerun" in done.stdout, (
        done.stdout
    )


def _records_video() -> bool:
    """Playwright records video only with its ffmpeg (`playwright install ffmpeg`)."""
    probe = (
        "import tempfile\nfrom playwright.sync_api import sync_playwright\n"
        "from bot.core.browser import CHROMIUM_ARGS, find_chromium\nwith sync_playwright() as p:\n"
        "    b = p.chromium.launch(executable_path=str(find_chromium(None, p)), args=CHROMIUM_ARGS)\n"
        "    b.new_context(record_video_dir=tempfile.mkdtemp()).new_page()\n    b.close()\n"
    )
    return (
        subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, timeout=60).returncode
        == 0
    )


def test_a_video_is_kept_for_the_failed_attempt_only(tmp_path: Path) -> None:
    if not _records_video():
        pytest.skip("Playwright's ffmpeg is not installed (playwright install ffmpeg)")
    # Given the portal whose login page answers 503 once
    with MockPortalProcess(faults=ONCE_UNAVAILABLE) as portal:
        portfolio = write_demo_portfolio(portal.base_url, portal.host, portal.imap_port, tmp_path)
        # When QA runs with videos kept on failure
        done = run_qa(
            portal, portfolio, tmp_path / "qa", "--video", "retain-on-failure", "--", "-k", LOGIN_TEST
        )
    assert done.returncode == 0, done.stdout + done.stderr
    # Then the failed attempt's video is kept (a WebM file) and linked; the passing one's is not kept
    [folder] = (tmp_path / "qa").iterdir()
    [test] = folder.glob(f"test_qrg01_login.py-{LOGIN_TEST}")
    video = test / "attempt-1" / "halim" / "video.webm"
    assert video.read_bytes()[:4] == b"\x1a\x45\xdf\xa3"  # EBML: Matroska / WebM
    assert not list((test / "attempt-2").rglob("*.webm"))
    assert f"{test.name}/attempt-1/halim/video.webm" in links_of(folder / "report.html")
