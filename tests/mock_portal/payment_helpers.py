"""Helpers of the payment tests over HTTP: a submitted month's documents and the FPX steps."""

from __future__ import annotations

import re
from typing import Any

import httpx

from bot.core.contributions import Month
from tests.mock_portal.browser import HALIM, Visitor
from tests.mock_portal.contribution_helpers import textfile, upload_and_submit
from tests.support.portal import MockPortalProcess

OCT = Month(2026, 10)
HALIM_BANK = ("halim.bank", "halim-bank-1")
BENGKEL_BANK = ("bengkel.corp", "bengkel-bank-2")
RESULT = re.compile(r"/employer/payment/fpx/result/(FPX\d+)$")


def submitted(
    visitor: Visitor, portal: MockPortalProcess, name: str, code: str, scheme: str = "socso+eis"
) -> list[dict[str, Any]]:
    """The employer's October 2026 contributions submitted by text file: their documents."""
    text, _ = textfile(name, code, OCT, scheme)
    upload_and_submit(visitor, scheme, text)
    return [d for d in portal.state()["documents"] if d["employer_code"] == code]


def fpx_to_bank(
    visitor: Visitor, numbers: list[str], model: str = "b2c", bank: str = "Mock Bank", email: str = HALIM
) -> httpx.Response:
    """FPX PAYMENT: tick, ADD TO CART, PROCEED TO SUMMARY, CONTINUE, the details and PROCEED."""
    visitor.get("/employer/payment/fpx")
    visitor.post("/employer/payment/fpx/cart", {"numbers": numbers})  # type: ignore[dict-item]
    assert visitor.get("/employer/payment/fpx/summary").status_code == 200
    visitor.get("/employer/payment/fpx/details")
    return visitor.post(
        "/employer/payment/fpx/proceed", {"business_model": model, "email": email, "bank": bank}
    )


def bank_pay(visitor: Visitor, page: httpx.Response, user: tuple[str, str]) -> httpx.Response:
    """At the bank: LOGIN, then CONFIRM; the page the bank ends on."""
    reference = page.url.path.rsplit("/", 1)[1]
    visitor.post(f"/fpx-bank/{reference}/login", {"user_id": user[0], "password": user[1]})
    return visitor.post(f"/fpx-bank/confirm/{reference}", {})


def control(portal: MockPortalProcess, path: str, body: dict[str, Any] | None = None) -> httpx.Response:
    return httpx.post(f"{portal.base_url}/_mock/{path}", json=body or {}, timeout=10)
