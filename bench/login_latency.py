"""How fast the bot types the emailed password: from the mail's delivery to the password typed.

Starts the bundled mock portal on free ports, logs the demo employers in N times in real Chromium,
and for each login measures:
  delivery → typed : the portal's SMTP hand-off of the password mail (its `sent_at`, taken after
                     the bundled server accepted the message) until the bot has typed the password;
  SETERUSNYA → typed: the whole wait a user sees, from pressing SETERUSNYA to the password typed.
Aim (issue 2): delivery → typed under 0.3 s with IMAP IDLE.

    .venv/bin/python bench/login_latency.py [--rounds 3]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.core.browser import Browser  # noqa: E402
from bot.core.evidence import Evidence  # noqa: E402
from bot.core.mail import watch_password  # noqa: E402
from bot.core.settings import load_settings  # noqa: E402
from flows.pages.login import LandingPage  # noqa: E402
from tests.support.demo_portfolio import write_demo_portfolio  # noqa: E402
from tests.support.portal import MockPortalProcess  # noqa: E402


def summary(name: str, values: list[float]) -> str:
    ms = sorted(v * 1000 for v in values)
    p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
    return (
        f"{name:<20} n={len(ms):<3} min {ms[0]:7.1f} ms  median {statistics.median(ms):7.1f} ms  "
        f"p95 {p95:7.1f} ms  max {ms[-1]:7.1f} ms"
    )


async def measure(portal: MockPortalProcess, rounds: int, folder: Path) -> tuple[list[float], list[float]]:
    settings = load_settings(
        write_demo_portfolio(portal.base_url, portal.host, portal.imap_port, folder),
        evidence_dir=folder / "ev",
    )
    settings.browser.trace = "off"
    settings.browser.screenshots = False
    after_delivery: list[float] = []
    after_click: list[float] = []
    async with Browser(settings.browser, settings.portal) as browser:
        for _ in range(rounds):
            for employer in settings.employers:
                assert employer.mailbox is not None
                async with browser.employer(Evidence(folder / "ev", "bench", employer.name)) as session:
                    landing = await LandingPage.open(session.page, settings.portal.base_url)
                    email_page = await landing.go_to_portal()
                    await email_page.enter_email(employer.login_email)
                    async with watch_password(employer.mailbox, settings.mail, employer.login_email) as watch:
                        clicked = time.time()
                        password_page = await email_page.next()
                        password = await watch.password()
                    await password_page.password.fill(session.hide(password))
                    typed = time.time()
                    await password_page.press(password_page.login_button, "logging in")
                mail = [m for m in portal.state()["mails"] if m["to"] == employer.login_email][-1]
                delivered = datetime.fromisoformat(mail["sent_at"]).timestamp()
                after_delivery.append(typed - delivered)
                after_click.append(typed - clicked)
    return after_delivery, after_click


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=3, help="logins per demo employer (10 employers)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, MockPortalProcess() as portal:
        after_delivery, after_click = asyncio.run(measure(portal, args.rounds, Path(tmp)))
    print(summary("delivery -> typed", after_delivery))
    print(summary("SETERUSNYA -> typed", after_click))
    print("aim: delivery -> typed under 300 ms (IMAP IDLE)")


if __name__ == "__main__":
    main()
