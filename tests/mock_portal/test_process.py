"""`python -m mock_portal` as a process: options, faults file, relay, restart, clean stop."""

from __future__ import annotations

import signal
from pathlib import Path

import httpx
import pytest

from tests.mock_portal.browser import CAHAYA, HALIM, Visitor, alert, mails_to, passwords
from tests.support.portal import MockPortalProcess


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_stops_it_cleanly(sig: signal.Signals) -> None:
    process = MockPortalProcess().start()
    assert process._process is not None
    process._process.send_signal(sig)
    assert process._process.wait(timeout=10) == 0
    assert process.stop() == 0
    assert "Traceback" not in process.output


def test_options_faults_file_and_no_control() -> None:
    faults = {"routes": [{"path": "/", "method": "GET", "error_rate": 1.0, "status": 502, "times": 1}]}
    args = [
        "--no-control",
        "--mail-from",
        "QA <qa@example.my>",
        "--mail-subject",
        "Kod ujian",
        "--password-ttl",
        "120",
    ]
    with MockPortalProcess(extra_args=args, faults=faults) as portal, Visitor(portal) as visitor:
        assert [httpx.get(f"{portal.base_url}/").status_code for _ in range(2)] == [502, 200]
        assert httpx.get(f"{portal.base_url}/_mock/state").status_code == 404
        visitor.request_password(HALIM)
        [message] = mails_to(portal, HALIM)
        assert message["From"] == "QA <qa@example.my>" and message["Subject"] == "Kod ujian"
        assert "sah selama 2 minit" in message.get_payload(decode=True).decode()
        assert visitor.submit_password(passwords(portal, HALIM)[0]).url.path == "/employer/home"
        assert portal.stop() == 0


def test_lockout_options() -> None:
    args = ["--lockout-after", "2", "--lockout-seconds", "1"]
    with MockPortalProcess(extra_args=args) as portal, Visitor(portal) as visitor:
        visitor.request_password(HALIM)
        assert alert(visitor.submit_password("Wrong12345")) == "Kata laluan tidak sah."
        assert (
            alert(visitor.submit_password("Wrong12345"))
            == "Akaun anda telah dikunci. Sila cuba lagi selepas 1 minit."
        )


def test_smtp_relay_sends_the_mail_elsewhere(portal: MockPortalProcess) -> None:
    relay = f"{portal.host}:{portal.smtp_port}"
    with MockPortalProcess(extra_args=["--smtp-relay", relay]) as relaying:
        with Visitor(relaying) as visitor:
            visitor.request_password(CAHAYA)
        assert len(mails_to(portal, CAHAYA)) == 1
        assert mails_to(relaying, CAHAYA, wait=0) == []


def test_the_state_survives_a_restart(tmp_path: Path) -> None:
    state = tmp_path / "state"
    with MockPortalProcess(state_dir=state) as first, Visitor(first) as visitor:
        assert visitor.login(CAHAYA).url.path == "/employer/home"
    with MockPortalProcess(state_dir=state) as second:
        after = second.state()
        assert [a["outcome"] for a in after["login_attempts"]] == ["success"]
        assert len(after["employers"]) >= 10
