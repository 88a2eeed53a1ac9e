"""Test helpers: a cookie-keeping HTTP visitor of the mock portal, and its IMAP mailboxes."""

from __future__ import annotations

import email
import re
import time
from email.message import Message
from functools import cache

import httpx
from imapclient import IMAPClient

from mock_portal.config import DEFAULT_SEED_FILE
from mock_portal.mail import Mailbox
from mock_portal.seed import load_seed
from tests.support.portal import MockPortalProcess

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
ALERT = re.compile(r'role="alert">([^<]*)<')
PASSWORD_LINE = re.compile(r"^Kata Laluan: ([A-Za-z0-9]+)\r?$", re.MULTILINE)

HALIM = "payroll+halim@akaun-sejahtera.my"
BENGKEL = "payroll+bengkel@akaun-sejahtera.my"
CAHAYA = "hr@cahaya-logistik.my"


def alert(page: httpx.Response) -> str | None:
    match = ALERT.search(page.text)
    return match.group(1).strip() if match else None


class Visitor:
    """One browser: a cookie jar that follows redirects and fills the forms' CSRF token."""

    def __init__(self, portal: MockPortalProcess) -> None:
        self.portal = portal
        self.client = httpx.Client(base_url=portal.base_url, follow_redirects=True, timeout=15)
        self.page: httpx.Response | None = None

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> Visitor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def get(self, path: str) -> httpx.Response:
        self.page = self.client.get(path)
        return self.page

    def post(self, path: str, data: dict[str, str], csrf: bool = True) -> httpx.Response:
        """Submit a form; the CSRF token comes from the last page seen."""
        if csrf:
            assert self.page is not None, "no page to take the CSRF token from"
            match = CSRF.search(self.page.text)
            assert match, "the page has no CSRF token"
            data = {**data, "csrf_token": match.group(1)}
        self.page = self.client.post(path, data=data)
        return self.page

    def request_password(self, address: str) -> httpx.Response:
        self.get("/employer/login")
        return self.post("/employer/login", {"email": address})

    def submit_password(self, password: str) -> httpx.Response:
        return self.post("/employer/login/password", {"password": password})

    def login(self, address: str) -> httpx.Response:
        """The whole QRG 1 login, with the password read from the mailbox."""
        before = len(mails_to(self.portal, address, wait=0))
        page = self.request_password(address)
        assert page.url.path == "/employer/login/password", alert(page)
        return self.submit_password(passwords(self.portal, address, count=before + 1)[-1])

    def logout(self) -> httpx.Response:
        return self.post("/employer/logout", {})


@cache
def _mailbox_of() -> dict[str, Mailbox]:
    return {address: box for box in load_seed(DEFAULT_SEED_FILE).mailboxes for address in box.addresses}


def mails_to(portal: MockPortalProcess, address: str, count: int = 1, wait: float = 10.0) -> list[Message]:
    """The messages addressed to `address` in its mailbox, oldest first; waits for `count`."""
    box = _mailbox_of()[address]
    deadline = time.monotonic() + wait
    while True:
        with IMAPClient(portal.host, port=portal.imap_port, ssl=False, timeout=10) as imap:
            imap.login(box.user, box.password)
            imap.select_folder("INBOX", readonly=True)
            fetched = imap.fetch(imap.search("ALL"), ["RFC822"])
        messages = [email.message_from_bytes(fetched[uid][b"RFC822"]) for uid in sorted(fetched)]
        mine = [m for m in messages if m["To"] == address]
        if len(mine) >= count or time.monotonic() >= deadline:
            return mine
        time.sleep(0.1)


def passwords(portal: MockPortalProcess, address: str, count: int = 1) -> list[str]:
    """The passwords mailed to `address`, oldest first (waits for `count` of them)."""
    found = []
    for message in mails_to(portal, address, count):
        match = PASSWORD_LINE.search(message.get_payload(decode=True).decode())
        assert match, "password email without a 'Kata Laluan:' line"
        found.append(match.group(1))
    assert len(found) >= count, f"expected {count} password emails to {address}, got {len(found)}"
    return found
