"""Secrets from a secret manager's CLI (`*_command`), beside `*_env` and `*_file`."""

from __future__ import annotations

import logging
import shlex
import sys
import time
from pathlib import Path

import pytest

from bot.core.errors import ConfigError
from bot.core.mailbox_connection import connect
from bot.core.mailbox_settings import MailboxSettings
from bot.core.secret_sources import run_secret_command
from bot.core.settings import load_settings
from tests.support.dovecot import DovecotServer

SECRET = "Zx9-very-secret"


def python_command(tmp_path: Path, body: str) -> str:
    """A command line running a small Python script: stands in for `op read …` or `pass show …`."""
    script = tmp_path / f"manager_{abs(hash(body))}.py"
    script.write_text(body, encoding="utf-8")
    return shlex.join([sys.executable, str(script)])


def write_portfolio(tmp_path: Path, mailbox_command: str, bank_command: str) -> Path:
    portfolio = tmp_path / "portfolio.toml"
    portfolio.write_text(
        f"""
[[employers]]
name = "halim"
employer_code = "E1102069801V"
login_email = "halim@example.test"
[employers.mailbox]
host = "127.0.0.1"
user = "firm@example.test"
password_command = '''{mailbox_command}'''
[employers.bank]
user = "halim01"
password_command = '''{bank_command}'''
""",
        encoding="utf-8",
    )
    return portfolio


def test_mailbox_and_bank_passwords_come_from_commands(tmp_path: Path) -> None:
    # Given a portfolio naming a secret-manager command for the mailbox and for the bank login
    mailbox_cmd = python_command(tmp_path, f"print({SECRET!r})\nprint('second line: notes')\n")
    bank_cmd = python_command(tmp_path, "print('bank-Pw_1')\n")
    # When the settings are loaded
    settings = load_settings(write_portfolio(tmp_path, mailbox_cmd, bank_cmd))
    # Then each password is the first line the command printed
    employer = settings.employer("halim")
    assert employer.mailbox is not None and employer.mailbox.password is not None
    assert employer.mailbox.password.get_secret_value() == SECRET
    assert employer.bank.password is not None and employer.bank.password.get_secret_value() == "bank-Pw_1"
    assert employer.bank.has_credentials


def test_a_failing_command_is_a_config_error_with_its_exit_code_and_without_its_output(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # Given a command that prints the secret (and an error) and then fails with exit code 3
    failing = python_command(
        tmp_path,
        f"import sys\nprint({SECRET!r})\nprint('denied ' + {SECRET!r}, file=sys.stderr)\nsys.exit(3)\n",
    )
    caplog.set_level(logging.DEBUG)
    # When the settings are loaded
    with pytest.raises(ConfigError) as refused:
        load_settings(write_portfolio(tmp_path, failing, python_command(tmp_path, "print('x')\n")))
    # Then the error names the setting, the program and the exit code, and nothing it printed
    message = str(refused.value)
    assert "employer 'halim': [employers.mailbox]" in message
    assert "password_command" in message and "exit code 3" in message
    assert Path(sys.executable).name in message
    assert SECRET not in message and "denied" not in message
    assert SECRET not in caplog.text


def test_a_hanging_command_is_stopped_at_the_time_limit(tmp_path: Path) -> None:
    # Given a command that never answers
    hanging = python_command(tmp_path, "import time\ntime.sleep(60)\n")
    # When it is run with a 1 s limit
    started = time.monotonic()
    with pytest.raises(ValueError, match=r"did not finish within 1 s and was stopped"):
        run_secret_command(hanging, name="client_secret", timeout=1)
    # Then it was stopped near the limit, not waited for
    assert time.monotonic() - started < 10


def test_a_missing_program_and_an_empty_answer_are_named(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"program 'no-such-secret-manager' not found"):
        run_secret_command("no-such-secret-manager read op://vault/item")
    with pytest.raises(ValueError, match=r"printed nothing"):
        run_secret_command(python_command(tmp_path, "pass\n"))


def test_a_mailbox_password_from_a_command_logs_in_to_a_real_imap_server(tmp_path: Path) -> None:
    # Given a Dovecot mailbox whose password a secret-manager command prints
    with DovecotServer({"clerk@firma.test": SECRET}) as dovecot:
        mailbox = MailboxSettings(
            host=dovecot.host,
            port=dovecot.imap_port,
            tls=False,
            user="clerk@firma.test",
            password_command=python_command(tmp_path, f"print({SECRET!r})\n"),
        )
        # When the bot logs in to it
        client = connect(mailbox)
        # Then the server took the command's password
        assert client.select_folder("INBOX")[b"EXISTS"] == 0
        client.logout()
