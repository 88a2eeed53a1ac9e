"""Telling people a run ended: an email summary (SMTP) and/or a JSON POST to a webhook.

A notification that cannot be sent is logged, never fatal: the report on disk is the record.
"""

from __future__ import annotations

import json
import logging
import smtplib
import urllib.request
from email.message import EmailMessage

from bot.core.run_settings import NotifySettings, SmtpNotifySettings
from bot.reports.files import ReportFiles, as_document
from bot.reports.model import RunReport

log = logging.getLogger(__name__)


def message_text(report: RunReport, files: ReportFiles) -> str:
    lines = [report.summary(), f"Due by {report.due:%A %d %B %Y}.", ""]
    if report.breaker:
        lines += [f"The run was stopped by the circuit breaker: {report.breaker}", ""]
    for e in report.employers:
        if e.needs_attention:
            lines.append(f"- {e.name} ({e.code}): {e.status} at {e.step}: {e.detail}")
            lines.append(f"  next: {e.next_action}")
    lines += ["", f"Report: {files.html.resolve()}"]
    return "\n".join(lines) + "\n"


def send_email(smtp: SmtpNotifySettings, report: RunReport, files: ReportFiles) -> None:
    mail = EmailMessage()
    mail["From"] = smtp.sender
    mail["To"] = ", ".join(smtp.to)
    mail["Subject"] = f"assist-bot {report.summary()}"
    mail.set_content(message_text(report, files))
    mail.add_attachment(files.html.read_bytes(), maintype="text", subtype="html", filename="report.html")
    with smtplib.SMTP(smtp.host, smtp.port, timeout=30) as client:
        if smtp.starttls:
            client.starttls()
        if smtp.user and smtp.password:
            client.login(smtp.user, smtp.password.get_secret_value())
        client.send_message(mail)


def post_webhook(url: str, report: RunReport, files: ReportFiles) -> None:
    body = json.dumps(
        {**as_document(report), "report": str(files.html.resolve()), "text": message_text(report, files)}
    ).encode()
    request = urllib.request.Request(
        url, data=body, headers={"Content-Type": "application/json"}, method="POST"
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        response.read()


def notify(settings: NotifySettings, report: RunReport, files: ReportFiles) -> list[str]:
    """Send what is configured; returns the channels that worked."""
    if settings.only_when_attention_needed and report.exit_code == 0 and not report.at_risk:
        return []
    sent: list[str] = []
    if settings.smtp is not None:
        try:
            send_email(settings.smtp, report, files)
            sent.append("email")
        except (OSError, smtplib.SMTPException) as exc:
            log.error(
                "the summary email could not be sent through %s:%s: %s",
                settings.smtp.host,
                settings.smtp.port,
                exc,
            )
    if settings.webhook_url:
        try:
            post_webhook(settings.webhook_url, report, files)
            sent.append("webhook")
        except OSError as exc:
            log.error("the webhook %s did not take the summary: %s", settings.webhook_url, exc)
    return sent
