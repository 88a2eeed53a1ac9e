"""QRG 1 on the mock portal: email → SETERUSNYA → emailed password → LOG MASUK."""

from __future__ import annotations

import json
import re

import httpx
import pytest

from tests.mock_portal.browser import BENGKEL, CAHAYA, HALIM, Visitor, alert, mails_to, passwords
from tests.support.portal import MockPortalProcess

MY_SITES = {
    "Registration": "/employer/registration",
    "Contribution": "/employer/contribution",
    "Payment": "/employer/payment",
    "Electronic Fund Transfer": "/employer/eft",
    "Direct Debit": "/employer/direct-debit",
}


def test_landing_page_links_to_the_employer_login(visitor: Visitor) -> None:
    page = visitor.get("/")
    assert "<h1>PERKESO</h1>" in page.text
    assert re.search(r'<a [^>]*href="/employer/login"[^>]*>Portal ASSIST</a>', page.text)


def test_login_page_has_the_email_form(visitor: Visitor) -> None:
    page = visitor.get("/employer/login")
    assert "<h1>Log Masuk Majikan</h1>" in page.text
    assert '<label for="email">Email Address</label>' in page.text
    assert re.search(r'<input id="email" name="email" type="email"', page.text)
    assert '<button type="submit">SETERUSNYA</button>' in page.text
    assert 'type="hidden" name="csrf_token"' in page.text


def test_unknown_email_is_refused(visitor: Visitor, portal: MockPortalProcess) -> None:
    page = visitor.request_password("nobody@example.my")
    assert page.url.path == "/employer/login"
    assert alert(page) == "Emel tidak berdaftar dengan ASSIST."
    state = portal.state()
    assert [a["outcome"] for a in state["login_attempts"]] == ["unknown_email"]
    assert state["mails"] == []


def test_full_login_with_the_emailed_password(visitor: Visitor, portal: MockPortalProcess) -> None:
    # Given the password page after SETERUSNYA
    page = visitor.request_password(HALIM)
    assert page.url.path == "/employer/login/password"
    assert '<label for="password">Kata Laluan</label>' in page.text
    assert '<input id="password" name="password" type="password"' in page.text
    assert '<button type="submit">LOG MASUK</button>' in page.text
    assert "Kata laluan telah dihantar ke emel anda." in page.text
    assert HALIM in page.text
    # and the password email
    [message] = mails_to(portal, HALIM)
    assert message["From"] == "ASSIST PERKESO <noreply@perkeso.gov.my>"
    assert message["Subject"] == "Kata Laluan Log Masuk ASSIST"
    assert message["Date"] and message["Message-ID"]
    body = message.get_payload(decode=True).decode()
    assert "sah selama 10 minit" in body and "sekali" in body
    [password] = passwords(portal, HALIM)
    assert re.fullmatch(r"[A-Za-z0-9]{10}", password)
    # When the password is entered
    home = visitor.submit_password(password)
    # Then the home page shows the employer, the My Sites menu and Logout
    assert home.url.path == "/employer/home"
    assert "<h1>KEDAI RUNCIT HALIM SDN BHD</h1>" in home.text
    assert "Employer Code: E1102069801V" in home.text
    assert "<summary>My Sites</summary>" in home.text
    for label, path in MY_SITES.items():
        assert f'<a href="{path}">{label}</a>' in home.text
    assert '<button type="submit">Logout</button>' in home.text
    state = portal.state()
    assert [a["outcome"] for a in state["login_attempts"]] == ["success"]
    assert state["login_attempts"][0]["used_at"]
    assert state["sessions"] == 1
    assert password not in json.dumps(state)


@pytest.mark.parametrize(("label", "path"), MY_SITES.items())
def test_each_site_page_is_reachable_when_logged_in(visitor: Visitor, label: str, path: str) -> None:
    visitor.login(CAHAYA)
    page = visitor.get(path)
    assert page.status_code == 200 and page.url.path == path
    assert f"<h1>{label}</h1>" in page.text
    assert "<summary>My Sites</summary>" in page.text


def test_logout_ends_the_session(visitor: Visitor, portal: MockPortalProcess) -> None:
    visitor.login(CAHAYA)
    page = visitor.logout()
    assert page.url.path == "/employer/login"
    assert visitor.get("/employer/home").url.path == "/employer/login"
    assert portal.state()["sessions"] == 0


def test_asking_for_a_new_password_ends_the_current_session(
    visitor: Visitor, portal: MockPortalProcess
) -> None:
    visitor.login(CAHAYA)
    visitor.get("/employer/home")
    assert visitor.post("/employer/login", {"email": CAHAYA}).url.path == "/employer/login/password"
    assert portal.state()["sessions"] == 0
    assert visitor.get("/employer/home").url.path == "/employer/login"


def test_wrong_password_then_the_right_one(visitor: Visitor, portal: MockPortalProcess) -> None:
    visitor.request_password(HALIM)
    page = visitor.submit_password("Wrong12345")
    assert page.url.path == "/employer/login/password"
    assert alert(page) == "Kata laluan tidak sah."
    assert visitor.submit_password(passwords(portal, HALIM)[0]).url.path == "/employer/home"


def test_a_used_password_does_not_work_again(visitor: Visitor, portal: MockPortalProcess) -> None:
    visitor.login(HALIM)
    [used] = passwords(portal, HALIM)
    visitor.logout()
    visitor.request_password(HALIM)
    page = visitor.submit_password(used)
    assert alert(page) == "Kata laluan tidak sah."


def test_a_newer_password_supersedes_the_older(visitor: Visitor, portal: MockPortalProcess) -> None:
    visitor.request_password(HALIM)
    visitor.request_password(HALIM)
    older, newer = passwords(portal, HALIM, count=2)
    assert alert(visitor.submit_password(older)) == "Kata laluan tidak sah."
    assert visitor.submit_password(newer).url.path == "/employer/home"


def test_another_browser_asking_supersedes_the_first(
    visitor: Visitor, other_visitor: Visitor, portal: MockPortalProcess
) -> None:
    visitor.request_password(HALIM)
    other_visitor.request_password(HALIM)
    first, _ = passwords(portal, HALIM, count=2)
    assert alert(visitor.submit_password(first)) == "Kata laluan tidak sah."
    outcomes = [a["outcome"] for a in portal.state()["login_attempts"]]
    assert outcomes == ["superseded", "pending"]


def test_shared_mailbox_gets_each_employers_own_email(visitor: Visitor, portal: MockPortalProcess) -> None:
    visitor.request_password(HALIM)
    visitor.request_password(BENGKEL)
    assert len(mails_to(portal, HALIM)) == 1
    assert len(mails_to(portal, BENGKEL)) == 1
    assert visitor.submit_password(passwords(portal, BENGKEL)[0]).url.path == "/employer/home"
    assert "BENGKEL MAJU MOTOR ENTERPRISE" in visitor.page.text  # type: ignore[union-attr]


def test_five_wrong_passwords_lock_the_account(visitor: Visitor, portal: MockPortalProcess) -> None:
    visitor.request_password(HALIM)
    for _ in range(4):
        assert alert(visitor.submit_password("Wrong12345")) == "Kata laluan tidak sah."
    locked = "Akaun anda telah dikunci. Sila cuba lagi selepas 15 minit."
    assert alert(visitor.submit_password("Wrong12345")) == locked
    # Even the right password and a new request are refused while locked.
    assert alert(visitor.submit_password(passwords(portal, HALIM)[0])) == locked
    assert alert(visitor.request_password(HALIM)) == locked
    employer = next(e for e in portal.state()["employers"] if e["email"] == HALIM)
    assert employer["locked_until"]
    assert len(mails_to(portal, HALIM, wait=0)) == 1


def test_post_without_csrf_token_is_forbidden(visitor: Visitor) -> None:
    visitor.get("/employer/login")
    page = visitor.post("/employer/login", {"email": HALIM}, csrf=False)
    assert page.status_code == 403
    page = visitor.post("/employer/login", {"email": HALIM, "csrf_token": "forged"}, csrf=False)
    assert page.status_code == 403


def test_logout_without_csrf_token_is_forbidden(visitor: Visitor) -> None:
    visitor.login(CAHAYA)
    assert visitor.post("/employer/logout", {}, csrf=False).status_code == 403
    assert visitor.get("/employer/home").url.path == "/employer/home"


@pytest.mark.parametrize("path", ["/employer/home", *MY_SITES.values()])
def test_pages_behind_the_login_need_a_session(portal: MockPortalProcess, path: str) -> None:
    response = httpx.get(f"{portal.base_url}{path}", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/employer/login"
    with httpx.Client(base_url=portal.base_url, follow_redirects=True) as client:
        page = client.get(path)
    assert page.url.path == "/employer/login"
    assert alert(page) == "Sesi anda telah tamat. Sila log masuk semula."


def test_password_page_without_a_pending_login_goes_back(visitor: Visitor) -> None:
    assert visitor.get("/employer/login/password").url.path == "/employer/login"
