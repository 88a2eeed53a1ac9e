"""QRG 1 with the password read from a different, real IMAP server: Debian's Dovecot.

The chain is the real one: the portal sends its mail by SMTP (`--smtp-relay`) to a mail server
that delivers into Maildir, Dovecot serves it over IMAP, the bot reads it with generic mailbox
settings (host, port, TLS, user, password). Nothing here is specific to the bundled pymap server.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.core.settings import Settings, load_settings
from bot.runner import run_for_employers
from flows.login import log_in
from mock_portal.config import DEFAULT_SEED_FILE
from mock_portal.seed import load_seed
from tests.support.demo_portfolio import TEST_RETRY
from tests.support.dovecot import DovecotServer
from tests.support.portal import MockPortalProcess
from tests.support.smtp_relay import MaildirRelay

pytestmark = pytest.mark.timeout(120)


@pytest.fixture(scope="module")
def dovecot_portal() -> Iterator[tuple[MockPortalProcess, DovecotServer]]:
    seed = load_seed(DEFAULT_SEED_FILE)
    users = {box.user: box.password for box in seed.mailboxes}
    addresses = {address: box.user for box in seed.mailboxes for address in box.addresses}
    with (
        DovecotServer(users) as dovecot,
        MaildirRelay(dovecot, addresses) as relay,
        MockPortalProcess(extra_args=["--smtp-relay", relay.address]) as portal,
    ):
        yield portal, dovecot


def test_login_reads_the_password_from_dovecot(
    dovecot_portal: tuple[MockPortalProcess, DovecotServer], tmp_path: Path
) -> None:
    portal, dovecot = dovecot_portal
    # Given a portfolio whose mailboxes are on Dovecot, the portal relaying its mail there
    portfolio = tmp_path / "portfolio.toml"
    employers = {"murni": ("E5306677035T", "zainal+murni"), "ladang": ("E6407788046W", "zainal+ladang")}
    tables = [
        f"""
[[employers]]
name = "{name}"
employer_code = "{code}"
login_email = "{local}@pejabat-zainal.my"
[employers.mailbox]
host = "{dovecot.host}"
port = {dovecot.imap_port}
tls = false
user = "zainal@pejabat-zainal.my"
password_env = "MURNI_IMAP_PASSWORD"
"""
        for name, (code, local) in employers.items()
    ]
    portfolio.write_text(f'[portal]\nbase_url = "{portal.base_url}"\n' + "".join(tables), encoding="utf-8")
    mp = pytest.MonkeyPatch()
    mp.setenv("MURNI_IMAP_PASSWORD", dovecot.users["zainal@pejabat-zainal.my"])
    try:
        settings: Settings = load_settings(portfolio, evidence_dir=tmp_path / "evidence", retry=TEST_RETRY)
    finally:
        mp.undo()

    async def work(session, employer, settings):  # type: ignore[no-untyped-def]
        home = await log_in(session, employer, settings)
        return await home.employer_code()

    # When both employers sharing that mailbox log in at once
    settings.concurrency = 2
    results = asyncio.run(run_for_employers(settings, settings.employers, work))
    # Then each got in with the password Dovecot served it, and the mails were really in Maildir
    assert [(r.status, r.detail) for r in results] == [("done", "E5306677035T"), ("done", "E6407788046W")], [
        r.detail for r in results
    ]
    maildir = dovecot.maildir("zainal@pejabat-zainal.my")
    assert len(list((maildir / "new").iterdir()) + list((maildir / "cur").iterdir())) == 2
