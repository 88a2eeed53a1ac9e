"""How fast an SMTP delivery wakes an IMAP IDLE client of the bundled mail server.

For each of N deliveries: a client idles on the INBOX (imapclient, as the bot does), a
sender delivers over SMTP (smtplib), and we time from ``sendmail`` returning to
``idle_check`` returning the EXISTS. Prints min/median/p95/max in ms. The server stores
the message (and so wakes IDLE) before it answers DATA with 250, so the wake can reach
the client before ``sendmail`` returns: such samples are negative. A second line times
from the start of ``sendmail`` (the whole SMTP transaction), which is never negative.

    .venv/bin/python bench/mail_idle.py [--count 50]
"""

from __future__ import annotations

import argparse
import asyncio
import smtplib
import statistics
import threading
import time

from imapclient import IMAPClient

from mock_portal.mail import Mailbox, MailServer

HOST = "127.0.0.1"
BOX = Mailbox("bench@example.my", "bench-pass", ("bench@example.my",))
MESSAGE = (
    b"From: noreply@assist.perkeso.test\r\nTo: bench@example.my\r\nSubject: Kata laluan\r\n\r\nXy12345!\r\n"
)


def measure_one(server: MailServer, client: IMAPClient) -> tuple[float, float]:
    """Deliver once while *client* idles; seconds to the wake from sendmail returning,
    and from sendmail starting."""
    sent_at: list[float] = []
    idling = threading.Event()

    def deliver() -> None:
        idling.wait()
        with smtplib.SMTP(HOST, server.smtp_port) as smtp:
            sent_at.append(time.perf_counter())
            smtp.sendmail("noreply@assist.perkeso.test", [BOX.addresses[0]], MESSAGE)
            sent_at.append(time.perf_counter())

    sender = threading.Thread(target=deliver)
    sender.start()
    client.idle()
    idling.set()
    responses: list[tuple[object, ...]] = []
    while not any(r[1:2] == (b"EXISTS",) for r in responses):
        responses += client.idle_check(timeout=5) or [(None, b"TIMEOUT")]
        if responses[-1][1] == b"TIMEOUT":
            raise RuntimeError("IDLE client not woken within 5 s")
    woken_at = time.perf_counter()
    client.idle_done()
    sender.join()
    started, returned = sent_at
    return woken_at - returned, woken_at - started


def run_client(server: MailServer, count: int) -> list[tuple[float, float]]:
    client = IMAPClient(HOST, port=server.imap_port, ssl=False, timeout=10)
    client.login(BOX.user, BOX.password)
    client.select_folder("INBOX")
    try:
        return [measure_one(server, client) for _ in range(count)]
    finally:
        client.logout()


async def main(count: int) -> None:
    server = MailServer(HOST, 0, 0, [BOX])
    await server.start()
    try:
        # The server shares this loop; the blocking clients run in threads.
        samples = await asyncio.to_thread(run_client, server, count)
    finally:
        await server.stop()
    report("sendmail returned -> IDLE woken", [after for after, _ in samples])
    report("sendmail started  -> IDLE woken", [whole for _, whole in samples])


def report(label: str, seconds: list[float]) -> None:
    ms = sorted(s * 1000 for s in seconds)
    p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
    print(
        f"{label}, {len(ms)} deliveries: min {ms[0]:.2f} ms, "
        f"median {statistics.median(ms):.2f} ms, p95 {p95:.2f} ms, max {ms[-1]:.2f} ms"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=50)
    asyncio.run(main(parser.parse_args().count))
