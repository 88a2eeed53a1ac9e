"""Upload limits: a text file over 2 MB, a document over 5 MB, any other form over 256 KB is refused
with a page naming the limit, quickly and without the body in the answer."""

from __future__ import annotations

import time

import httpx

from tests.mock_portal.browser import CSRF, HALIM, Visitor, alert
from tests.mock_portal.forms import token
from tests.support.portal import MockPortalProcess

JUNK_50_MB = b"x" * (50 * 1024 * 1024)


def _message(page: httpx.Response) -> str:
    return page.text.split("<p>", 1)[1].split("</p>", 1)[0]


def test_given_a_50_mb_junk_text_file_then_it_is_refused_quickly_with_the_limit(
    visitor: Visitor, portal: MockPortalProcess
) -> None:
    # Given a logged-in employer on the text-file page
    visitor.login(HALIM)
    page = visitor.get("/employer/contribution/socso-eis/textfile")
    csrf = CSRF.search(page.text)
    assert csrf
    # When it uploads 50 MB of junk
    started = time.monotonic()
    response = visitor.client.post(
        "/employer/contribution/socso-eis/textfile",
        data={"csrf_token": csrf.group(1)},
        files={"textfile": ("caruman.txt", JUNK_50_MB, "text/plain")},
        timeout=60,
    )
    elapsed = time.monotonic() - started
    # Then a short 413 page names the limit (not a 115 MB error page after 14 s)
    assert response.status_code == 413
    assert (
        _message(response) == "The text file is too large: the limit is 2 MB. Please upload a smaller file."
    )
    assert len(response.content) < 20_000 and elapsed < 10, (len(response.content), elapsed)
    # And nothing was submitted; the session still works
    assert [s for s in portal.state()["submissions"] if s["employer_code"] == "E1102069801V"] == []
    assert visitor.get("/employer/contribution/socso-eis/textfile").status_code == 200


def test_given_a_junk_text_file_under_the_limit_then_the_page_lists_the_first_hundred_errors(
    visitor: Visitor,
) -> None:
    visitor.login(HALIM)
    visitor.get("/employer/contribution/socso-eis/textfile")
    junk = b"junk line\n" * 5000
    response = visitor.client.post(
        "/employer/contribution/socso-eis/textfile",
        data={"csrf_token": token(visitor)},
        files={"textfile": ("caruman.txt", junk, "text/plain")},
    )
    assert response.status_code == 422
    assert response.text.count("<li>") <= 100 + 20  # the errors listed, plus the menu's items
    assert "(the first 100 are listed)" in (alert(response) or "")


def test_given_a_document_over_5_mb_then_the_employer_registration_refuses_it(visitor: Visitor) -> None:
    visitor.get("/employer/register/normal")
    response = visitor.client.post(
        "/employer/register/normal",
        data={"csrf_token": token(visitor)},
        files={"document": ("ssm.pdf", b"%PDF" + b"0" * (6 * 1024 * 1024), "application/pdf")},
    )
    assert response.status_code == 413
    assert "document is too large: the limit is 5 MB" in _message(response)


def test_given_a_chunked_body_without_a_length_over_the_limit_then_it_is_refused(visitor: Visitor) -> None:
    visitor.login(HALIM)
    visitor.get("/employer/eft/registration")

    def chunks():  # type: ignore[no-untyped-def]
        yield f"csrf_token={token(visitor)}&officer_name=".encode()
        for _ in range(64):
            yield b"x" * 8192

    response = visitor.client.post(
        "/employer/eft/registration",
        content=chunks(),
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 413
    assert "form is too large: the limit is 256 KB" in _message(response)
