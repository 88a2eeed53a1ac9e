"""QRG 1 – Login, driven by the bot in a real Chromium against the real mock portal and its mail."""

from __future__ import annotations

import asyncio
import zipfile

import pytest
from imapclient import IMAPClient

from bot.core.browser import EmployerSession
from bot.core.settings import EmployerSettings, Settings
from bot.runner import EmployerResult, run_for_employers
from flows.login import log_in
from tests.mock_portal.browser import Visitor, mails_to
from tests.support.portal import MockPortalProcess

pytestmark = pytest.mark.timeout(120)


class CountingLogin:
    """The login flow, counting attempts (each retry is a new attempt)."""

    def __init__(self) -> None:
        self.attempts = 0

    async def __call__(self, session: EmployerSession, employer: EmployerSettings, settings: Settings) -> str:
        self.attempts += 1
        home = await log_in(session, employer, settings)
        return await home.employer_code()


def run(settings: Settings, names: list[str], work: CountingLogin | None = None) -> list[EmployerResult]:
    employers = [settings.employer(n) for n in names]
    return asyncio.run(run_for_employers(settings, employers, work or CountingLogin()))


def test_one_employer_logs_in_with_the_emailed_password(settings: Settings) -> None:
    # Given the demo employer Kedai Runcit Halim, whose mail arrives in the firm's shared mailbox
    # When the bot logs in
    [result] = run(settings, ["halim"])
    # Then it reaches the home page of that employer, with a screenshot of each step
    assert result.status == "done", result.detail
    assert result.detail == "E1102069801V"
    assert result.screenshots == ["01-login-email.png", "02-login-password-page.png", "03-home.png"]
    assert not list(result.evidence.glob("trace*.zip")), "traces are kept only on failure"


def test_every_demo_employer_logs_in_at_once(settings: Settings, fresh_portal: MockPortalProcess) -> None:
    # Given the ten demo employers, four of them sharing one mailbox
    settings.concurrency = 10
    # When the bot logs them all in concurrently
    results = run(settings, [e.name for e in settings.employers])
    # Then each one is in, as itself
    assert [r.status for r in results] == ["done"] * 10, [r.detail for r in results]
    assert [r.detail for r in results] == [e.employer_code for e in settings.employers]
    used = [a for a in fresh_portal.state()["login_attempts"] if a["outcome"] == "success"]
    assert len(used) == 10


def test_two_employers_sharing_a_mailbox_each_use_their_own_password(
    settings: Settings, fresh_portal: MockPortalProcess
) -> None:
    # Given Halim and Bengkel, whose password mails land in the same mailbox
    halim, bengkel = settings.employer("halim"), settings.employer("bengkel")
    assert halim.mailbox and bengkel.mailbox and halim.mailbox.user == bengkel.mailbox.user
    # When both log in at the same moment
    settings.concurrency = 2
    results = run(settings, ["halim", "bengkel"])
    # Then both succeed: each took the mail addressed to its own login email
    assert [r.status for r in results] == ["done", "done"], [r.detail for r in results]
    attempts = fresh_portal.state()["login_attempts"]
    assert sorted(a["employer_code"] for a in attempts if a["outcome"] == "success") == sorted(
        [halim.employer_code, bengkel.employer_code]
    )
    assert not [a for a in attempts if a["outcome"] not in ("success", "requested")]


def test_the_same_employer_logging_in_twice_at_once_waits_its_turn(
    settings: Settings, fresh_portal: MockPortalProcess
) -> None:
    # Given two pieces of work for Halim at the same moment (the portal keeps one emailed password per
    # employer: a second request voids the first)
    settings.concurrency = 2
    work = CountingLogin()
    # When both log in
    results = run(settings, ["halim", "halim"], work)
    # Then both get in at their first attempt: the second asked for its password only after the first
    # had used its own
    assert [r.status for r in results] == ["done", "done"], [r.detail for r in results]
    assert work.attempts == 2
    attempts = fresh_portal.state()["login_attempts"]
    assert [a["outcome"] for a in attempts].count("success") == 2, attempts
    assert not [a for a in attempts if a["outcome"] not in ("success", "requested")], attempts


def test_a_left_over_password_email_is_ignored(settings: Settings, fresh_portal: MockPortalProcess) -> None:
    # Given a password email from an earlier login request, still unread in the mailbox
    halim = settings.employer("halim")
    visitor = Visitor(fresh_portal)
    visitor.request_password(halim.login_email)
    visitor.close()
    assert len(mails_to(fresh_portal, halim.login_email)) == 1
    assert halim.mailbox is not None and halim.mailbox.password is not None
    with IMAPClient(fresh_portal.host, port=fresh_portal.imap_port, ssl=False) as imap:
        imap.login(halim.mailbox.user, halim.mailbox.password.get_secret_value())
        imap.select_folder("INBOX")
        [left_over] = imap.search(["UNSEEN"])
    # When the bot logs in (the portal has superseded that older password)
    work = CountingLogin()
    [result] = run(settings, ["halim"], work)
    # Then it used the new mail, at the first attempt, and left the old one alone
    assert result.status == "done", result.detail
    assert work.attempts == 1
    with IMAPClient(fresh_portal.host, port=fresh_portal.imap_port, ssl=False) as imap:
        imap.login(halim.mailbox.user, halim.mailbox.password.get_secret_value())
        imap.select_folder("INBOX")
        assert imap.search(["UNSEEN"]) == [left_over]
        assert len(imap.search(["SEEN"])) == 1


def test_an_unknown_email_is_a_business_error_and_not_retried(settings: Settings) -> None:
    # Given an employer whose login email the portal does not know
    settings.employer("cahaya").login_email = "nobody@nowhere.my"
    # When the bot tries to log in
    work = CountingLogin()
    [result] = run(settings, ["cahaya"], work)
    # Then it fails once with the portal's own message
    assert result.status == "failed"
    assert result.error == "BusinessError"
    assert "Emel tidak berdaftar dengan ASSIST." in result.detail
    assert work.attempts == 1


def test_a_password_mail_that_never_arrives_is_an_application_error(
    settings: Settings, fresh_portal: MockPortalProcess
) -> None:
    # Given a portal whose mail is lost, and a short wait for mail
    fresh_portal.set_faults({"mail": {"drop": True}})
    settings.mail.timeout_seconds = 1.5
    settings.retry.attempts = 2
    # When the bot logs in
    work = CountingLogin()
    [result] = run(settings, ["binaan"], work)
    # Then each attempt waited, and the error says which mailbox and since when
    assert result.status == "failed"
    assert result.error == "MailTimeout"
    assert work.attempts == 2
    assert "no password email for akaun@binaan-jaya.my" in result.detail
    assert "akaun@binaan-jaya.my at 127.0.0.1" in result.detail
    assert "waiting since" in result.detail


def test_the_portal_answering_503_twice_is_retried(
    settings: Settings, fresh_portal: MockPortalProcess
) -> None:
    # Given a portal that answers the email step with 503, twice
    fresh_portal.set_faults(
        {
            "routes": [
                {"path": "/employer/login", "method": "POST", "error_rate": 1.0, "status": 503, "times": 2}
            ]
        }
    )
    # When the bot logs in with three attempts allowed
    work = CountingLogin()
    [result] = run(settings, ["tadika"], work)
    # Then the third attempt gets in, and the failed attempts left their evidence
    assert result.status == "done", result.detail
    assert work.attempts == 3
    assert len(list(result.evidence.glob("trace*.zip"))) == 2


def test_passwords_never_reach_traces_or_logs(
    settings: Settings, fresh_portal: MockPortalProcess, caplog: pytest.LogCaptureFixture
) -> None:
    # Given a portfolio with the wrong employer code for Siti (so the run fails after logging in)
    caplog.set_level("DEBUG")
    siti = settings.employer("siti")
    siti.employer_code = "D0000000000A"
    settings.browser.trace = "on"
    # When the bot logs in and the check fails
    [result] = run(settings, ["siti"])
    assert result.status == "failed" and "the portfolio says siti is D0000000000A" in result.detail
    # Then the password it typed appears in none of the traces, nor in the logs
    password = _password_sent_to(fresh_portal, siti)
    traces = list(result.evidence.glob("trace*.zip"))
    assert traces
    for trace in traces:
        with zipfile.ZipFile(trace) as archive:
            for name in archive.namelist():
                assert password.encode() not in archive.read(name), f"password in {trace.name}:{name}"
    assert password not in caplog.text
    assert password not in (result.evidence / "page.html").read_text()
    assert siti.mailbox is not None and siti.mailbox.password is not None
    assert siti.mailbox.password.get_secret_value() not in caplog.text


def _password_sent_to(portal: MockPortalProcess, employer: EmployerSettings) -> str:
    assert employer.mailbox is not None and employer.mailbox.password is not None
    import email
    import re

    with IMAPClient(portal.host, port=portal.imap_port, ssl=False) as imap:
        imap.login(employer.mailbox.user, employer.mailbox.password.get_secret_value())
        imap.select_folder("INBOX")
        [uid] = imap.search(["ALL"])
        raw = imap.fetch([uid], ["BODY.PEEK[]"])[uid][b"BODY[]"]
    body = email.message_from_bytes(raw).get_payload(decode=True).decode()
    match = re.search(r"Kata Laluan: (\S+)", body)
    assert match
    return match.group(1)


def test_a_late_password_mail_of_an_earlier_request_is_not_typed(
    settings: Settings, fresh_portal: MockPortalProcess
) -> None:
    # Given a SETERUSNYA whose answer is lost once after the portal mailed a password (a POST that
    # acted is not repeated in place: the step's next attempt asks again), and password mails that
    # arrive 3 s late
    fresh_portal.set_faults(
        {
            "routes": [
                {
                    "path": "/employer/login",
                    "method": "POST",
                    "error_rate": 1.0,
                    "status": 503,
                    "times": 1,
                    "after": True,
                }
            ],
            "mail": {"delay_ms": 3000},
        }
    )
    # When the bot logs in (the first attempt's request is answered after the retry has asked again)
    work = CountingLogin()
    [result] = run(settings, ["tadika"], work)
    # Then the retry gets in with the latest request's password
    assert result.status == "done", result.detail
    assert work.attempts == 2
    # And the portal saw no refused password: the first request's late mail was never typed
    attempts = [
        a
        for a in fresh_portal.state()["login_attempts"]
        if a["email"] == settings.employer("tadika").login_email
    ]
    assert [a["outcome"] for a in attempts] == ["superseded", "success"], attempts
    assert [a["failures"] for a in attempts] == [0, 0]
