"""The emailed password of the latest request only, at the IMAP level (Debian's Dovecot): a request
whose watch ended without a password stays outstanding, and its late mail is not the one taken."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from email.message import EmailMessage

import pytest

from bot.core.mail import PasswordWatch
from bot.core.mailbox_settings import MailboxSettings
from bot.core.settings import PasswordMailSettings
from tests.support.dovecot import DovecotServer

pytestmark = pytest.mark.timeout(120)
USER = "firm@latest.test"


@pytest.fixture(scope="module")
def dovecot() -> Iterator[DovecotServer]:
    with DovecotServer({USER: "pw-latest"}) as server:
        yield server


def mail(to: str, password: str) -> bytes:
    msg = EmailMessage()
    msg["From"] = "noreply@perkeso.gov.my"
    msg["To"] = to
    msg["Subject"] = "Kata Laluan ASSIST"
    msg.set_content(f"Kata Laluan: {password}\n")
    return msg.as_bytes()


def watch(dovecot: DovecotServer, recipient: str, grace: float) -> PasswordWatch:
    mailbox = MailboxSettings(
        host=dovecot.host, port=dovecot.imap_port, tls=False, user=USER, password="pw-latest"
    )
    w = PasswordWatch(mailbox, PasswordMailSettings(stale_grace_seconds=grace), recipient)
    w.open()
    return w


def deliver_later(dovecot: DovecotServer, seconds: float, raw: bytes) -> threading.Timer:
    timer = threading.Timer(seconds, dovecot.deliver, (USER, raw))
    timer.start()
    return timer


def test_the_late_mail_of_an_earlier_request_is_passed_over_for_the_latest(dovecot: DovecotServer) -> None:
    # Given a request whose attempt failed before its mail came (its watch closed without a password)
    to = "a@latest.test"
    watch(dovecot, to, grace=10).close()
    # When the retry asks again, and the first request's mail arrives, then the retry's
    retry = watch(dovecot, to, grace=10)
    started = time.monotonic()
    try:
        dovecot.deliver(USER, mail(to, "first-request"))
        deliver_later(dovecot, 1.0, mail(to, "second-request"))
        password = retry.wait(timeout=30)
    finally:
        retry.close()
    # Then the retry takes the newest, as soon as it has one mail per request (not after the grace)
    assert password.get_secret_value() == "second-request"
    assert time.monotonic() - started < 8


def test_when_the_earlier_mail_never_comes_the_one_that_did_is_taken_after_the_grace(
    dovecot: DovecotServer,
) -> None:
    # Given an earlier request whose mail was lost
    to = "b@latest.test"
    watch(dovecot, to, grace=1.5).close()
    retry = watch(dovecot, to, grace=1.5)
    started = time.monotonic()
    # When only the retry's mail arrives
    try:
        dovecot.deliver(USER, mail(to, "only-one"))
        password = retry.wait(timeout=30)
    finally:
        retry.close()
    # Then it is taken once the grace has passed
    assert password.get_secret_value() == "only-one"
    assert 1.4 < time.monotonic() - started < 10


def test_after_a_refusal_a_newer_mail_is_offered_once_and_nothing_older(dovecot: DovecotServer) -> None:
    # Given a watch that took a password
    to = "c@latest.test"
    w = watch(dovecot, to, grace=2)
    try:
        dovecot.deliver(USER, mail(to, "taken"))
        assert w.wait(timeout=30).get_secret_value() == "taken"
        # When the portal refused it and a newer mail arrives within the wait
        deliver_later(dovecot, 0.5, mail(to, "newer"))
        newer = w.newer()
        # Then that one is offered; and with no newer mail, nothing is (the taken one never again)
        assert newer is not None and newer.get_secret_value() == "newer"
        started = time.monotonic()
        assert w.newer() is None
        assert 1.9 < time.monotonic() - started < 10
    finally:
        w.close()
