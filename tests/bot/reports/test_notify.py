"""Notifications after a run: the summary email through a real SMTP server and the JSON POST to a
real HTTP webhook; a channel that cannot be reached is logged, never fatal, and does not stop the other."""

from __future__ import annotations

import email
import email.policy
import json
import threading
from collections.abc import Iterator
from datetime import date
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from bot.core.run_settings import NotifySettings, SmtpNotifySettings
from bot.reports.files import write
from bot.reports.model import RunReport, build
from bot.reports.notify import notify
from tests.bot.reports.test_model import MONTH, run
from tests.support.dovecot import free_port


class Inbox:
    """aiosmtpd handler keeping every message it is sent."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], Message]] = []

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        body = envelope.original_content or envelope.content
        assert isinstance(body, bytes)
        self.messages.append(
            (list(envelope.rcpt_tos), email.message_from_bytes(body, policy=email.policy.default))
        )
        return "250 OK"


@pytest.fixture
def smtp_server() -> Iterator[tuple[Controller, Inbox]]:
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller, inbox
    finally:
        controller.stop()


@pytest.fixture
def webhook() -> Iterator[tuple[str, list[dict[str, Any]]]]:
    received: list[dict[str, Any]] = []

    class Hook(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers["Content-Length"])
            received.append(
                {"content_type": self.headers["Content-Type"], "body": json.loads(self.rfile.read(length))}
            )
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Hook)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/hooks/assist", received
    finally:
        server.shutdown()
        server.server_close()


def a_month_with_one_employer_waiting() -> RunReport:
    return build(
        [run("halim", "done"), run("siti", "needs-human")], MONTH, today=date(2026, 11, 13), warning_days=3
    )


def smtp_settings(port: int) -> SmtpNotifySettings:
    return SmtpNotifySettings(
        host="127.0.0.1",
        port=port,
        starttls=False,
        sender="bot@firm.example",
        to=["payroll@firm.example", "partner@firm.example"],
    )


def test_the_summary_goes_by_email_and_webhook_naming_who_needs_a_person(
    smtp_server: tuple[Controller, Inbox], webhook: tuple[str, list[dict[str, Any]]], tmp_path: Path
) -> None:
    # Given a month where siti needs a person, two days before the 15th, and both channels configured
    controller, inbox = smtp_server
    url, posts = webhook
    report = a_month_with_one_employer_waiting()
    files = write(report, tmp_path / "report")
    settings = NotifySettings(smtp=smtp_settings(controller.port), webhook_url=url)
    # When the run notifies
    sent = notify(settings, report, files)
    # Then both channels took it
    assert sent == ["email", "webhook"]
    # And the email went to both addresses, says who needs what and carries the HTML report
    [(recipients, mail)] = inbox.messages
    assert sorted(recipients) == ["partner@firm.example", "payroll@firm.example"]
    assert mail["Subject"] == f"assist-bot {report.summary()}" and "1 at risk" in mail["Subject"]
    text, attachment = [part for part in mail.walk() if not part.is_multipart()]
    body = text.get_payload(decode=True).decode().replace("\r\n", "\n")
    assert "siti (Esiti): needs-human" in body and "halim" not in body
    assert "Due by Sunday 15 November 2026" in body and str(files.html.resolve()) in body
    assert attachment.get_filename() == "report.html"
    assert attachment.get_payload(decode=True) == files.html.read_bytes()
    # And the webhook got the report as JSON with the same text
    [post] = posts
    assert post["content_type"] == "application/json"
    assert post["body"]["month"] == MONTH and post["body"]["report"] == str(files.html.resolve())
    assert post["body"]["text"] == body


def test_an_unreachable_mail_server_is_logged_and_the_webhook_still_gets_it(
    webhook: tuple[str, list[dict[str, Any]]], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # Given an SMTP port nobody listens on
    url, posts = webhook
    report = a_month_with_one_employer_waiting()
    files = write(report, tmp_path / "report")
    settings = NotifySettings(smtp=smtp_settings(free_port()), webhook_url=url)
    # When the run notifies
    sent = notify(settings, report, files)
    # Then only the webhook worked, and the log names the mail server that failed
    assert sent == ["webhook"] and len(posts) == 1
    assert "the summary email could not be sent through 127.0.0.1" in caplog.text


def test_a_quiet_month_sends_nothing_when_only_attention_is_wanted(
    smtp_server: tuple[Controller, Inbox], webhook: tuple[str, list[dict[str, Any]]], tmp_path: Path
) -> None:
    # Given every employer done and notifications only when a person must look
    controller, inbox = smtp_server
    url, posts = webhook
    report = build([run("halim", "done")], MONTH, today=date(2026, 11, 13), warning_days=3)
    files = write(report, tmp_path / "report")
    settings = NotifySettings(
        smtp=smtp_settings(controller.port), webhook_url=url, only_when_attention_needed=True
    )
    # When the run notifies
    sent = notify(settings, report, files)
    # Then nothing is sent; and without the option the same month is sent
    assert sent == [] and inbox.messages == [] and posts == []
    assert notify(NotifySettings(webhook_url=url), report, files) == ["webhook"]
