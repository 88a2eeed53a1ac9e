"""Drift rehearsal faults (`labels`, `remove`, `urls`): the portal's wording and URLs change."""

from __future__ import annotations

from tests.mock_portal.browser import HALIM, Visitor
from tests.support.portal import MockPortalProcess


def test_a_renamed_label_shows_with_its_new_wording(visitor: Visitor, portal: MockPortalProcess) -> None:
    # Given the portal renames SETERUSNYA to NEXT
    portal.set_faults({"labels": {"SETERUSNYA": "NEXT"}})
    # When the login page is opened
    page = visitor.get("/employer/login")
    # Then the button says NEXT, and the page still works
    assert '<button type="submit">NEXT</button>' in page.text and "SETERUSNYA" not in page.text
    assert visitor.post("/employer/login", {"email": HALIM}).url.path == "/employer/login/password"


def test_a_label_ending_in_an_asterisk_can_be_renamed(visitor: Visitor, portal: MockPortalProcess) -> None:
    # Given the portal renames the mandate form's "Phone No*" to "Mobile No*"
    portal.set_faults({"labels": {"Phone No*": "Mobile No*"}})
    # When the ENROLL NEW form is opened
    visitor.login(HALIM)
    page = visitor.get("/employer/direct-debit/eis/mandate/new")
    # Then the field has its new label
    assert "Mobile No*" in page.text and "Phone No*" not in page.text


def test_a_removed_field_loses_its_label(visitor: Visitor, portal: MockPortalProcess) -> None:
    # Given the portal drops the "Kata Laluan" label
    portal.set_faults({"remove": ["Kata Laluan"]})
    # When the password page is reached
    page = visitor.request_password(HALIM)
    # Then the label is gone
    assert page.url.path == "/employer/login/password"
    assert "Kata Laluan" not in page.text and "LOG MASUK" in page.text


def test_a_moved_url_is_served_at_its_new_path_only(visitor: Visitor, portal: MockPortalProcess) -> None:
    # Given the login moved from /employer/login to /employer/signin
    portal.set_faults({"urls": {"/employer/login": "/employer/signin"}})
    # Then the old URL is a 404, the landing page links the new one, and the login works there
    assert visitor.get("/employer/login").status_code == 404
    assert 'href="/employer/signin"' in visitor.get("/").text
    page = visitor.get("/employer/signin")
    assert page.status_code == 200 and 'action="/employer/signin"' in page.text
    assert visitor.post("/employer/signin", {"email": HALIM}).url.path == "/employer/signin/password"
    # And clearing the faults brings the old URL back
    portal.set_faults({})
    assert visitor.get("/employer/login").status_code == 200
