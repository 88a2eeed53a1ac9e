"""A bad portfolio is refused when it is loaded (real `assist-bot` processes): exit 64, the message names
the file, the employer and the key (TOML tables printed literally), and neither a browser nor a
mailbox is touched. Before, these failed after a browser, a login or three IMAP retries, or not at all."""

from __future__ import annotations

import os
import selectors
import socket
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.timeout(600)
REPO = Path(__file__).resolve().parents[2]

# The bot's own entry point (`bot.cli.main`, what `assist-bot` runs), telling first the CPU time its
# imports took: the one-second budget is for what comes after (parse the command, load, check and
# refuse the portfolio, exit), the interpreter's start-up and imports (Playwright, DBOS) being the same
# for every command. CPU seconds, not wall seconds: this machine's 2 cores are shared by many test runs
# (load 30 seen), which stretches any wall clock; a browser or an IMAP retry would cost seconds either way.
ENTRY = (
    "import sys, time; import bot.cli as cli; "
    "print(f'imported-cpu {time.process_time()}', file=sys.stderr, flush=True); cli.main(sys.argv[1:])"
)

GOOD = """
[portal]
base_url = "http://127.0.0.1:{port}"

[[employers]]
name = "halim"
employer_code = "E1102069801V"
login_email = "payroll+halim@akaun-sejahtera.my"
payment_method = "fpx"
[employers.mailbox]
host = "127.0.0.1"
port = {port}
tls = false
user = "payroll@akaun-sejahtera.my"
password = "sejahtera-demo-1"

[[employers]]
name = "bengkel"
employer_code = "A3609732P"
login_email = "payroll+bengkel@akaun-sejahtera.my"
password_source = "static"
static_password = "static-demo-2"
"""

MAILBOX = """[employers.mailbox]
host = "127.0.0.1"
port = {port}
tls = false
user = "payroll@akaun-sejahtera.my"
password = "sejahtera-demo-1"
"""

# (what is wrong, how to break the good portfolio: (old, new) text replacements or appended TOML,
#  what the message must name)
CASES: list[tuple[str, list[tuple[str, str]] | str, str]] = [
    ("code of 3 letters", [('"E1102069801V"', '"XYZ"')], "employer 'halim': employer_code"),
    ("code of 9 digits", [('"E1102069801V"', '"E110206980V"')], "employer_code"),
    ("code without its letters", [('"E1102069801V"', '"110206980123"')], "employer_code"),
    ("old code, 8 digits", [('"A3609732P"', '"A36097321P"')], "employer 'bengkel': employer_code"),
    ("email without @", [('"payroll+halim@akaun-sejahtera.my"', '"payroll.halim"')], "login_email"),
    ("email without a domain", [('"payroll+halim@akaun-sejahtera.my"', '"payroll@halim"')], "login_email"),
    ("email with two @", [('"payroll+halim@akaun-sejahtera.my"', '"a@@b.my"')], "login_email"),
    ("mailbox port 99999", [("port = {port}", "port = 99999")], "[employers.mailbox] port"),
    ("mailbox port 0", [("port = {port}", "port = 0")], "[employers.mailbox] port"),
    ("mailbox port a word", [("port = {port}", 'port = "many"')], "[employers.mailbox] port"),
    ("mailbox host empty", [('host = "127.0.0.1"', 'host = ""')], "[employers.mailbox] host"),
    ("mailbox user blank", [('user = "payroll@', 'user = "  "\n# "payroll@')], "[employers.mailbox] user"),
    ("tls a string", [("tls = false", 'tls = "no"')], "[employers.mailbox] tls"),
    ("tls a number", [("tls = false", "tls = 0")], "[employers.mailbox] tls"),
    (
        "base_url not a URL",
        [('base_url = "http://127.0.0.1:{port}"', 'base_url = "assist portal"')],
        "[portal] base_url",
    ),
    (
        "base_url ftp",
        [('base_url = "http://127.0.0.1:{port}"', 'base_url = "ftp://x.my"')],
        "[portal] base_url",
    ),
    (
        "base_url port",
        [('base_url = "http://127.0.0.1:{port}"', 'base_url = "http://x:99999"')],
        "[portal] base_url",
    ),
    ("password_pattern broken", "\n[mail]\npassword_pattern = 'Kata (\\S+'\n", "[mail] password_pattern"),
    ("password_pattern no group", "\n[mail]\npassword_pattern = 'Kata Laluan'\n", "[mail] password_pattern"),
    ("sender_pattern broken", "\n[mail]\nsender_pattern = '['\n", "[mail] sender_pattern"),
    ("negative mail timeout", "\n[mail]\ntimeout_seconds = -1\n", "[mail] timeout_seconds"),
    (
        "zero navigation timeout",
        [("[portal]\n", "[portal]\nnavigation_timeout_ms = 0\n")],
        "[portal] navigation_timeout_ms",
    ),
    ("two employers, one name", [('name = "bengkel"', 'name = "halim"')], "[[employers]] name: 'halim'"),
    ("empty name", [('name = "bengkel"', 'name = ""')], "employer (#2 of [[employers]]): name"),
    ("blank name", [('name = "bengkel"', 'name = "   "')], "name"),
    (
        "no mailbox table",
        [(MAILBOX, "")],
        "employer 'halim': password_source 'email' needs a [employers.mailbox]",
    ),
    ("a typo of a key", [("payment_method =", "payment_metod =")], "payment_metod"),
    ("headless a string", '\n[browser]\nheadless = "yes"\n', "[browser] headless"),
    (
        "bank email",
        [('payment_method = "fpx"', 'payment_method = "fpx"\nbank = {email = "receipts"}')],
        "[employers.bank] email",
    ),
    (
        "mandate frequency",
        [('payment_method = "fpx"', 'payment_method = "fpx"\nbank = {mandate_frequency = 40}')],
        "[employers.bank] mandate_frequency",
    ),
    (
        "notify sender",
        '\n[notify]\nsmtp = {host = "mx", sender = "nobody", to = ["a@b.my"]}\n',
        "[notify.smtp] sender",
    ),
    (
        "notify recipient",
        '\n[notify]\nsmtp = {host = "mx", sender = "bot@firm.my", to = ["boss"]}\n',
        "[notify.smtp] to",
    ),
    ("webhook not a URL", '\n[notify]\nwebhook_url = "hooks"\n', "[notify] webhook_url"),
    (
        "breaker threshold 0",
        "\n[orchestration]\nbreaker_threshold = 0\n",
        "[orchestration] breaker_threshold",
    ),
    ("retry attempts 0", "\n[retry]\nattempts = 0\n", "[retry] attempts"),
    ("keep_days negative", "\n[evidence]\nkeep_days = -5\n", "[evidence] keep_days"),
    ("mask_mykad a string", '\n[evidence]\nmask_mykad = "off"\n', "[evidence] mask_mykad"),
    ("database_url", 'database_url = "mysql://x"\n', "database_url"),
    ("concurrency 0", "concurrency = 0\n", "concurrency"),
]


@pytest.fixture(scope="module")
def mailbox_listener() -> Iterator[socket.socket]:
    """A TCP port standing in for the IMAP server and the portal: nothing may connect to it."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        listener.setblocking(False)
        yield listener


@pytest.fixture(scope="module")
def fake_browser(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A "Chromium" that only leaves a mark: any launch shows."""
    folder = tmp_path_factory.mktemp("browser")
    marker = folder / "launched"
    script = folder / "chromium"
    script.write_text(f"#!/bin/sh\ntouch {marker}\nexit 1\n")
    script.chmod(0o755)
    return script, marker


def portfolio_text(port: int, change: list[tuple[str, str]] | str) -> str:
    text = GOOD
    if isinstance(change, str):
        text = change + text if not change.startswith("\n[") else text + change
    else:
        for old, new in change:
            assert old in text, old
            text = text.replace(old, new, 1)
    return textwrap.dedent(text).replace("{port}", str(port))


def assist_bot(
    portfolio: Path, cwd: Path, browser: Path, command: tuple[str, ...] = ("login", "--all")
) -> tuple[subprocess.CompletedProcess[str], float]:
    """`assist-bot --portfolio FILE COMMAND` (`login --all`); the CPU seconds it spent after its imports."""
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(cwd),
        "PYTHONPATH": str(REPO),
        "ASSIST_BROWSER_PATH": str(browser),
        "ASSIST_STATE_DIR": str(cwd / "state"),
    }
    args = [sys.executable, "-c", ENTRY, "--portfolio", str(portfolio), *command]
    with (cwd / "out").open("w+") as out, (cwd / "err").open("w+") as err:
        process = subprocess.Popen(args, cwd=cwd, stdout=out, stderr=err, text=True, env=env)
        _, status, usage = os.wait4(process.pid, 0)  # reaped here, with its resource usage
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    before, marker, after = stderr.partition("imported-cpu ")
    assert marker, stderr  # (an import may warn before it)
    imported, _, rest = after.partition("\n")
    seconds = usage.ru_utime + usage.ru_stime - float(imported)
    return subprocess.CompletedProcess(args, process.returncode, stdout, before + rest), seconds


def test_the_good_portfolio_gets_past_loading(
    tmp_path: Path, mailbox_listener: socket.socket, fake_browser: tuple[Path, Path]
) -> None:
    """The control: the same portfolio unbroken passes the checks and goes on to start the browser,
    so the cases below fail because of what they break, and the browser mark works."""
    script, marker = fake_browser
    port = mailbox_listener.getsockname()[1]
    portfolio = tmp_path / "portfolio.toml"
    portfolio.write_text(portfolio_text(port, []), encoding="utf-8")
    done, _ = assist_bot(portfolio, tmp_path, script)
    assert "invalid settings" not in done.stderr
    assert marker.exists(), done.stderr
    marker.unlink()


@pytest.mark.parametrize(("change", "names"), [(c, n) for _, c, n in CASES], ids=[c[0] for c in CASES])
def test_a_bad_portfolio_exits_64_at_once_naming_the_key(
    tmp_path: Path,
    mailbox_listener: socket.socket,
    fake_browser: tuple[Path, Path],
    change: list[tuple[str, str]] | str,
    names: str,
) -> None:
    # Given a portfolio with one mistake
    script, marker = fake_browser
    port = mailbox_listener.getsockname()[1]
    portfolio = tmp_path / "portfolio.toml"
    portfolio.write_text(portfolio_text(port, change), encoding="utf-8")
    # When a command that logs in every employer runs on it
    done, seconds = assist_bot(portfolio, tmp_path, script)
    message = " ".join(done.stderr.split())
    # Then it exits 64 within a second (of CPU, after its imports), naming the file and the key
    assert done.returncode == 64, done.stdout + done.stderr
    assert seconds < 1.0, f"{seconds:.2f} s"
    assert str(portfolio) in message and names in message, message
    assert "Traceback" not in done.stderr
    # And no secret is echoed, no browser started, nobody knocked on the mailbox's port
    assert "sejahtera-demo-1" not in done.stderr and "static-demo-2" not in done.stderr
    assert not marker.exists()
    with selectors.DefaultSelector() as waiting:
        waiting.register(mailbox_listener, selectors.EVENT_READ)
        assert not waiting.select(timeout=0), "something connected to the mailbox/portal port"


PAY_REFUSALS = [
    (("pay", "-e", "halim", "--month", "2099-01"), "--month 2099-01 is in the future"),
    (("pay", "-e", "halim", "--month", "2010-01"), "no contribution table for 2010-01"),
    (("pay", "-e", "halim", "--month", "2026-10", "--method", "eft"), "EFT needs --slip FILE"),
]


@pytest.mark.parametrize(("command", "names"), PAY_REFUSALS, ids=["future", "no-table", "eft-no-slip"])
def test_pay_refuses_what_it_can_before_logging_in(
    tmp_path: Path,
    mailbox_listener: socket.socket,
    fake_browser: tuple[Path, Path],
    command: tuple[str, ...],
    names: str,
) -> None:
    # Given a good portfolio
    script, marker = fake_browser
    portfolio = tmp_path / "portfolio.toml"
    portfolio.write_text(portfolio_text(mailbox_listener.getsockname()[1], []), encoding="utf-8")
    # When `pay` is asked for a month not begun, a month without a table, or EFT without its slip
    done, seconds = assist_bot(portfolio, tmp_path, script, command)
    # Then it exits 64 at once, saying why, with no browser and no mailbox
    assert done.returncode == 64, done.stdout + done.stderr
    assert names in " ".join(done.stderr.split()) and seconds < 1.0
    assert not marker.exists()
    with selectors.DefaultSelector() as waiting:
        waiting.register(mailbox_listener, selectors.EVENT_READ)
        assert not waiting.select(timeout=0)


def test_there_are_at_least_25_cases() -> None:
    assert len(CASES) >= 25


def test_env_values_stay_text(tmp_path: Path) -> None:
    """Booleans are strict in the portfolio only: the environment's are always text."""
    from bot.core.settings import load_settings

    portfolio = tmp_path / "p.toml"
    portfolio.write_text(portfolio_text(9, []), encoding="utf-8")
    os.environ["ASSIST_BROWSER__HEADLESS"] = "false"
    try:
        assert load_settings(portfolio).browser.headless is False
    finally:
        del os.environ["ASSIST_BROWSER__HEADLESS"]
