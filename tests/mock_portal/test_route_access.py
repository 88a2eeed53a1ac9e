"""Every route of the portal, found by walking its routers (so a new route is covered the day it is
added): those behind the login send a visitor without a session to the login page, GET and POST;
and no route shows or changes another employer's submission, line, document, payment or case."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from mock_portal.routes import (
    contribution,
    direct_debit,
    eft,
    employer_registration,
    fpx,
    fpx_bank,
    home,
    landing,
    login,
    payment_documents,
    registration,
    registration_cases,
    resignation,
)
from mock_portal.sessions import current_employer
from tests.mock_portal.browser import BENGKEL, CSRF, Visitor
from tests.mock_portal.contribution_helpers import HALIM_CODE
from tests.mock_portal.forms import draft_line, resign_case
from tests.mock_portal.payment_helpers import fpx_to_bank, submitted
from tests.support.portal import MockPortalProcess

MODULES = (
    landing,
    login,
    contribution,
    payment_documents,
    fpx,
    fpx_bank,
    eft,
    direct_debit,
    home,
    employer_registration,
    registration,
    registration_cases,
    resignation,
)
PARAM = re.compile(r"{(\w+)}")
HALIM_NAME = "KEDAI RUNCIT HALIM"


def _needs_login(dependant: Dependant) -> bool:
    return dependant.call is current_employer or any(_needs_login(d) for d in dependant.dependencies)


def routes() -> Iterator[tuple[str, str, bool]]:
    """(method, path template, behind the login) of every page and form route."""
    for module in MODULES:
        for route in module.router.routes:
            if isinstance(route, APIRoute):
                for method in sorted(route.methods):
                    yield method, route.path, _needs_login(route.dependant)


ROUTES = sorted(set(routes()))
BEHIND_LOGIN = [(m, p) for m, p, logged_in in ROUTES if logged_in]
WITH_IDS = [(m, p) for m, p, _ in ROUTES if PARAM.search(p)]
DEFAULTS = {"slug": "socso-eis", "scheme": "socso", "kind": "local"}


def test_the_walk_finds_the_portals_routes() -> None:
    assert len(BEHIND_LOGIN) >= 50 and ("POST", "/employer/contribution/submit/{sid}") in BEHIND_LOGIN


@pytest.mark.parametrize(("method", "path"), BEHIND_LOGIN, ids=[f"{m} {p}" for m, p in BEHIND_LOGIN])
def test_given_no_session_then_every_route_behind_the_login_goes_to_the_login_page(
    portal: MockPortalProcess, method: str, path: str
) -> None:
    # Given a browser with a cookie session (so a CSRF token) but nobody logged in
    with httpx.Client(base_url=portal.base_url, timeout=15) as client:
        token = CSRF.search(client.get("/employer/login").text)
        assert token
        url = PARAM.sub(lambda m: DEFAULTS.get(m.group(1), "1"), path)
        # When it asks for the page or posts the form
        response = client.request(
            method, url, data={"csrf_token": token.group(1)} if method == "POST" else None
        )
    # Then it is sent to the login page
    assert (response.status_code, response.headers.get("location")) == (303, "/employer/login")


@pytest.fixture
def halims_records(visitor: Visitor, portal: MockPortalProcess) -> dict[str, str]:
    """Halim's own ids: a draft and its line, a resignation case, documents, an open FPX payment."""
    line = draft_line(visitor, portal)  # logs in as Halim
    sid, line_id = re.findall(r"\d+", line)
    case = resign_case("documents")(visitor, portal).split("/")[-2]
    numbers = [d["number"] for d in submitted(visitor, portal, "halim", HALIM_CODE)]
    page = fpx_to_bank(visitor, numbers)
    return {
        **DEFAULTS,
        "sid": sid,
        "line_id": line_id,
        "case_id": case,
        "number": numbers[0],
        "reference": page.url.path.rsplit("/", 1)[1],
    }


def _halims_state(portal: MockPortalProcess) -> list[object]:
    state = portal.state()
    return [
        [x for x in state[area] if x.get("employer_code") == HALIM_CODE]
        for area in ("submissions", "documents", "payments", "cases")
    ]


def test_given_another_employers_ids_then_no_route_shows_or_changes_their_records(
    halims_records: dict[str, str], other_visitor: Visitor, portal: MockPortalProcess
) -> None:
    # Given Halim's records, and Bengkel logged in in another browser
    before = _halims_state(portal)
    other_visitor.login(BENGKEL)
    token = CSRF.search(other_visitor.get("/employer/home").text)
    assert token
    # When Bengkel opens and posts every route with Halim's ids in its path
    leaks = []
    for method, path in WITH_IDS:
        url = PARAM.sub(lambda m: halims_records[m.group(1)], path)
        data = {"csrf_token": token.group(1), "numbers": halims_records["number"], "choice": "both"}
        response = other_visitor.client.request(method, url, data=data if method == "POST" else None)
        if response.status_code >= 500 or HALIM_NAME in response.text:
            leaks.append(f"{method} {url}: {response.status_code}")
    # Then none answers with Halim's data (or a server error), and Halim's records are unchanged
    assert leaks == []
    assert _halims_state(portal) == before
