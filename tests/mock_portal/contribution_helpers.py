"""Helpers of the Contribution tests: text files written by the bot's writer (so that the portal's
parser and the bot's writer check each other) and the upload/submit steps over HTTP."""

from __future__ import annotations

import re
from datetime import date

import httpx

from bot.core.contributions import Month, Scheme, Totals, compute, import_payroll, kind_of, render
from tests.mock_portal.browser import CSRF, Visitor
from tests.support.demo_portfolio import DEMO_PORTFOLIO

PAYROLL = DEMO_PORTFOLIO.parent / "payroll"
HALIM_CODE = "E1102069801V"
SLUG = {"socso+eis": "socso-eis", "socso": "socso", "eis": "eis"}
NEXT_LINK = re.compile(r'href="(/employer/contribution/submissions/\d+)">Next<')


def textfile(
    name: str, code: str, month: Month, scheme: str, version: int | None = None
) -> tuple[str, Totals]:
    """The bot's text file of a demo payroll (combined: ``version``, else the month's), and its totals."""
    employees = import_payroll(PAYROLL / f"{name}.csv", month, today=date(2026, 11, 26))
    rendered = render(
        compute(employees, month),
        employer_code=code,
        month=month,
        kind=kind_of(Scheme(scheme), version, month),
    )
    return "".join(rendered.lines), rendered.totals


def upload(visitor: Visitor, scheme: str, text: str, filename: str = "caruman.txt") -> httpx.Response:
    page = visitor.get(f"/employer/contribution/{SLUG[scheme]}/textfile")
    token = CSRF.search(page.text)
    assert token
    visitor.page = visitor.client.post(
        f"/employer/contribution/{SLUG[scheme]}/textfile",
        data={"csrf_token": token.group(1)},
        files={"textfile": (filename, text.encode("ascii"), "text/plain")},
    )
    return visitor.page


def upload_and_submit(visitor: Visitor, scheme: str, text: str) -> httpx.Response:
    page = upload(visitor, scheme, text)
    link = NEXT_LINK.search(page.text)
    assert link, page.text
    summary = visitor.get(link.group(1))
    sid = link.group(1).rsplit("/", 1)[1]
    page = visitor.post(f"/employer/contribution/submit/{sid}", {})
    if scheme != "socso+eis":
        assert "CONFIRM" in page.text
        page = visitor.post(f"/employer/contribution/confirm/{sid}", {})
    assert summary.status_code == 200
    return page
