"""The Dovecot harness: a real, independent IMAP server on loopback, fed through SMTP."""

from __future__ import annotations

import asyncio
import os
import smtplib
import subprocess
import time
from collections.abc import Iterator
from email.message import EmailMessage

import pytest
from imapclient import IMAPClient
from imapclient.exceptions import LoginError

from tests.support.dovecot import DovecotServer, live_group_members
from tests.support.smtp_relay import MaildirRelay

USERS = {"payroll": "s3cret:with/odd chars!", "hr": "another-Pass_2"}
MAILBOXES = {"payroll@employer.test": "payroll", "HR@Employer.test": "hr"}
IDLE_BOUND = 5.0


@pytest.fixture(scope="module")
def dovecot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DovecotServer]:
    with DovecotServer(USERS, tmp_dir=tmp_path_factory.mktemp("dovecot")) as server:
        yield server


@pytest.fixture(scope="module")
def relay(dovecot: DovecotServer) -> Iterator[MaildirRelay]:
    with MaildirRelay(dovecot, MAILBOXES) as smtp:
        yield smtp


def _message(to: str, subject: str, body: str = "Your password is Xy7#kq") -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = "noreply@assist.perkeso.test"
    msg["To"] = to
    msg["Subject"] = subject
    msg.set_content(body)
    return msg


def _send(relay: MaildirRelay, msg: EmailMessage) -> None:
    with smtplib.SMTP(relay.host, relay.port, timeout=10) as smtp:
        smtp.send_message(msg)


def _imap(dovecot: DovecotServer, user: str) -> IMAPClient:
    client = IMAPClient(dovecot.host, port=dovecot.imap_port, ssl=False, timeout=10)
    client.login(user, dovecot.users[user])
    return client


def test_mail_sent_over_smtp_is_read_over_imap(dovecot: DovecotServer, relay: MaildirRelay) -> None:
    # Given a message for each user, sent through the relay
    _send(relay, _message("payroll@employer.test", "Kata laluan ASSIST (payroll)"))
    _send(relay, _message("hr@employer.test", "Kata laluan ASSIST (hr)"))

    # When payroll reads its INBOX over IMAP
    with _imap(dovecot, "payroll") as client:
        client.select_folder("INBOX", readonly=True)
        uids = client.search(["SUBJECT", "Kata laluan ASSIST"])
        fetched = client.fetch(uids, ["ENVELOPE", "BODY.PEEK[]"])
        client.logout()

    # Then it sees its own message only, whole, with the delivery trace headers
    assert len(uids) == 1
    data = fetched[uids[0]]
    assert data[b"ENVELOPE"].subject == b"Kata laluan ASSIST (payroll)"
    raw = data[b"BODY[]"]
    assert b"Your password is Xy7#kq" in raw
    assert raw.startswith(b"Return-Path: <noreply@assist.perkeso.test>")
    assert b"Delivered-To: payroll@employer.test" in raw


def test_wrong_password_is_refused(dovecot: DovecotServer) -> None:
    client = IMAPClient(dovecot.host, port=dovecot.imap_port, ssl=False, timeout=10)
    try:
        with pytest.raises(LoginError):
            client.login("payroll", "not-the-password")
    finally:
        client.shutdown()


def test_unknown_recipient_is_rejected_with_550(relay: MaildirRelay) -> None:
    with (
        smtplib.SMTP(relay.host, relay.port, timeout=10) as smtp,
        pytest.raises(smtplib.SMTPRecipientsRefused) as refused,
    ):
        smtp.send_message(_message("nobody@employer.test", "lost"))
    code, _reason = refused.value.recipients["nobody@employer.test"]
    assert code == 550


def test_idle_client_is_woken_by_delivery(dovecot: DovecotServer, relay: MaildirRelay) -> None:
    # Given an IMAP client idling on hr's INBOX
    with _imap(dovecot, "hr") as client:
        client.select_folder("INBOX")
        client.idle()
        try:
            # When a message arrives through SMTP
            sent = time.monotonic()
            _send(relay, _message("hr@employer.test", "wake up"))

            # Then the IDLE client hears of it promptly
            exists = []
            while not exists and time.monotonic() - sent < IDLE_BOUND:
                responses = client.idle_check(timeout=IDLE_BOUND - (time.monotonic() - sent))
                exists = [r for r in responses if len(r) > 1 and r[1] == b"EXISTS"]
            woke_after = time.monotonic() - sent
        finally:
            client.idle_done()
        assert exists, f"IDLE client not woken within {IDLE_BOUND}s"
        assert woke_after < IDLE_BOUND
        uids = client.search(["SUBJECT", "wake up"])
        assert len(uids) == 1
        client.logout()


async def test_relay_works_from_async_code(dovecot: DovecotServer) -> None:
    # Given a relay started inside a running event loop (it runs its own loop in a thread)
    with MaildirRelay(dovecot, {"async@employer.test": "payroll"}) as relay:
        # When a message is sent without blocking the loop
        await asyncio.to_thread(_send, relay, _message("async@employer.test", "from async"))
        assert relay.delivered[-1] == ("async@employer.test", "payroll")

    # Then it is in payroll's INBOX
    def read() -> list[int]:
        with _imap(dovecot, "payroll") as client:
            client.select_folder("INBOX", readonly=True)
            return list(client.search(["SUBJECT", "from async"]))

    assert len(await asyncio.to_thread(read)) == 1


def test_direct_delivery_lands_in_new_with_dovecot_ownership(dovecot: DovecotServer) -> None:
    path = dovecot.deliver("hr", b"Subject: direct\r\n\r\nhello\r\n")
    assert path.parent.name == "new"
    assert path.stat().st_uid == dovecot._uid
    assert not any((dovecot.maildir("hr") / "tmp").iterdir())


def test_clean_stop_leaves_no_dovecot_process(tmp_path) -> None:  # type: ignore[no-untyped-def]
    # Given a running server with a logged-in client (so imap and auth processes exist)
    server = DovecotServer({"solo": "pw"}, tmp_dir=tmp_path).start()
    conf, instance, pgid = str(server.conf_path), server.instance_name, server.pid
    assert pgid is not None
    client = _imap(server, "solo")
    client.select_folder("INBOX")
    assert _pgrep(conf), "dovecot master should be running"
    assert any(name.endswith("/imap") for name in _pgrep(instance, names=True))

    # When it is stopped
    t0 = time.monotonic()
    server.stop()

    # Then neither the master nor any process it forked is left, and its directory is gone
    assert time.monotonic() - t0 < 5
    assert not _pgrep(conf)
    assert not _pgrep(instance)
    assert not live_group_members(pgid)
    assert not os.path.exists(conf)
    client.shutdown()


def test_missing_dovecot_raises_a_helpful_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("tests.support.dovecot_processes.shutil.which", lambda *a, **k: None)
    with pytest.raises(RuntimeError, match=r"scripts/ensure-dovecot\.sh"):
        DovecotServer({"x": "y"})


def _pgrep(pattern: str, names: bool = False) -> list[str]:
    """PIDs (or full command lines) of processes whose command line contains ``pattern``."""
    args = ["pgrep", "-a", "-f", pattern] if names else ["pgrep", "-f", pattern]
    out = subprocess.run(args, capture_output=True, text=True)
    lines = out.stdout.splitlines()
    return [line.split(maxsplit=1)[1] for line in lines] if names else [line.split()[0] for line in lines]
