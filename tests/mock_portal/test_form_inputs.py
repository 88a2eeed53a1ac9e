"""Property-based: every form of the mock portal, given arbitrary text and numbers (overflowing,
`inf`, `nan`, `1e308`, 23-digit ids, exotic digits), answers with a page (2xx, 3xx or 4xx HTML),
never a 500. The real server over HTTP, logged in where the form needs it."""

from __future__ import annotations

from urllib.parse import quote

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.mock_portal.browser import Visitor
from tests.mock_portal.forms import FORMS, QUERY_PAGES, TEXT, VALUE, Form, token
from tests.support.portal import MockPortalProcess

EXAMPLES = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=False,
)
FILE_BODY = st.one_of(st.binary(max_size=300), TEXT.map(lambda t: t.encode("utf-8")))


def assert_a_page(response: httpx.Response, what: str) -> None:
    assert response.status_code < 500, f"{what}: {response.status_code}\n{response.text[:2000]}"
    if response.status_code >= 400:
        assert response.headers["content-type"].startswith(("text/html", "application/json")), what


@pytest.mark.parametrize("form", FORMS, ids=[f.name for f in FORMS])
def test_given_any_text_or_number_in_any_field_then_the_form_never_answers_500(
    form: Form, visitor: Visitor, portal: MockPortalProcess
) -> None:
    # Given the visitor on the form (logged in, the draft, cart or transaction it needs)
    action = form.reach(visitor, portal)
    csrf = token(visitor)

    @EXAMPLES
    @given(
        values=st.fixed_dictionaries({name: VALUE for name in form.fields}),
        files=st.fixed_dictionaries({name: st.tuples(TEXT, FILE_BODY) for name in form.files}),
    )
    def post(values: dict[str, str], files: dict[str, tuple[str, bytes]]) -> None:
        # When it posts them
        response = visitor.client.post(
            action,
            data={**values, "csrf_token": csrf},
            files={name: (filename or "x", body) for name, (filename, body) in files.items()} or None,
        )
        # Then a page with the field's message, never a server error
        assert_a_page(response, f"{form.name} {values} {list(files)}")

    post()


@pytest.mark.parametrize("page", QUERY_PAGES)
def test_given_any_text_in_a_query_or_an_id_then_the_page_never_answers_500(
    page: str, visitor: Visitor, portal: MockPortalProcess
) -> None:
    visitor.login("payroll+halim@akaun-sejahtera.my")

    @EXAMPLES
    @given(value=VALUE)
    def get(value: str) -> None:
        path = page.format(quote(value, safe="") or "x")
        assert_a_page(visitor.client.get(path), path)

    get()
