"""`assist-bot mailbox authorize|check`, and the exit 64 of a revoked refresh token, as users run them:
real processes, the local authorization server, Dovecot taking only XOAUTH2 for the firm's mailbox."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path

import pytest

from bot.core.access_tokens import TokenStore
from tests.support.dovecot import DovecotServer
from tests.support.oauth_mailbox import (
    APP_SECRET,
    FIRM,
    delegated,
    dovecot,
    mailbox_table,
    oauth,
    oauth_portfolio,
)
from tests.support.oauth_server import OAuthServer

__all__ = ["dovecot", "oauth"]  # fixtures
pytestmark = pytest.mark.timeout(120)
NOWHERE = "http://127.0.0.1:9"  # no portal: these commands must not touch it


def bot(*args: str) -> list[str]:
    return [sys.executable, "-m", "bot", *args]


def env(cwd: Path) -> dict[str, str]:
    return {
        "PATH": "/usr/bin:/bin",
        "HOME": str(cwd),
        "PYTHONPATH": os.environ.get("PYTHONPATH", ""),
        "COLUMNS": "400",
        "TEST_OAUTH_CLIENT_SECRET": APP_SECRET,
    }


def run_bot(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(bot(*args), cwd=cwd, capture_output=True, text=True, timeout=100, env=env(cwd))


@pytest.fixture
def portfolio(tmp_path: Path, dovecot: DovecotServer, oauth: OAuthServer) -> Iterator[Path]:
    mailbox = mailbox_table(dovecot, delegated(oauth, tmp_path / "state" / "halim-token.json"))
    yield oauth_portfolio(tmp_path, NOWHERE, mailbox, ["halim", "bengkel"])


def password_mail(to: str) -> bytes:
    msg = EmailMessage()
    msg["From"] = "noreply@perkeso.gov.my"
    msg["To"] = to
    msg["Subject"] = "Kata Laluan ASSIST"
    msg.set_content("Kata Laluan: Qq-1234\n")
    return msg.as_bytes()


def test_authorize_completes_a_device_code_flow_and_check_then_logs_in(
    portfolio: Path, tmp_path: Path, dovecot: DovecotServer, oauth: OAuthServer
) -> None:
    # Given an OAuth2 mailbox with no refresh token yet
    store = tmp_path / "state" / "halim-token.json"
    assert not store.exists()
    # When `mailbox authorize` runs and a person approves the code it prints
    process = subprocess.Popen(
        bot("--portfolio", str(portfolio), "mailbox", "authorize", "-e", "halim"),
        cwd=tmp_path,
        env=env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stderr is not None
    shown = []
    for line in process.stderr:
        shown.append(line)
        found = re.search(r"enter the code: (\w+)", line)
        if found:
            oauth.approve(found.group(1), FIRM)
            break
    assert any(oauth.base_url + "/device" in line for line in shown), shown
    rest = process.communicate(timeout=60)
    # Then it ends well, with the refresh token stored for this user only
    assert process.returncode == 0, "".join(shown) + rest[1]
    assert store.stat().st_mode & 0o777 == 0o600
    assert TokenStore(store).load() is not None
    # And `mailbox check` logs in with it and counts Halim's password mails, not Bengkel's
    dovecot.deliver(FIRM, password_mail("payroll+halim@akaun-sejahtera.my"))
    dovecot.deliver(FIRM, password_mail("payroll+halim@akaun-sejahtera.my"))
    dovecot.deliver(FIRM, password_mail("payroll+bengkel@akaun-sejahtera.my"))
    done = run_bot("--portfolio", str(portfolio), "mailbox", "check", "-e", "halim", "--json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["auth"] == "oauth2" and report["idle"] is True
    assert report["password_mails"] >= 2
    text = run_bot("--portfolio", str(portfolio), "mailbox", "check", "-e", "bengkel", cwd=tmp_path)
    assert "IDLE: supported" in text.stdout and "logged in (oauth2)" in text.stdout, text.stderr


def test_a_revoked_refresh_token_ends_the_login_with_exit_64_and_the_fix(
    portfolio: Path, tmp_path: Path, oauth: OAuthServer
) -> None:
    # Given a stored refresh token that has been revoked
    refresh = oauth.issue_refresh_token(FIRM)
    TokenStore(tmp_path / "state" / "halim-token.json").save(refresh)
    oauth.revoke(refresh)
    before = oauth.count("refresh_token")
    # When the bot is asked to log in
    started = time.monotonic()
    done = run_bot("--portfolio", str(portfolio), "login", "-e", "halim", cwd=tmp_path)
    # Then it stops at once with exit 64, saying to authorize again, after one refused refresh
    assert done.returncode == 64, done.stdout + done.stderr
    assert "Run `assist-bot mailbox authorize -e halim` again" in done.stderr
    assert oauth.count("refresh_token") == before + 1
    assert time.monotonic() - started < 30


def test_a_password_login_refused_by_an_oauth2_only_server_names_auth_oauth2(
    tmp_path: Path, dovecot: DovecotServer
) -> None:
    # Given the firm's mailbox configured with a password, the password from a secret-manager command
    command = f"{sys.executable} -c \"print('old-password')\""
    mailbox = {
        "host": dovecot.host,
        "port": dovecot.imap_port,
        "tls": False,
        "user": FIRM,
        "password_command": command,
    }
    portfolio = oauth_portfolio(tmp_path, NOWHERE, mailbox, ["halim"])
    # When the mailbox is checked
    done = run_bot("--portfolio", str(portfolio), "mailbox", "check", "-e", "halim", cwd=tmp_path)
    # Then the server's refusal is a configuration error that says to set auth = "oauth2"
    assert done.returncode == 64, done.stdout + done.stderr
    assert 'set auth = "oauth2"' in done.stderr
    assert "old-password" not in done.stderr
