"""The payment cart of one browser session (FPX, EFT per scheme, direct debit per scheme): ACR/ECR
numbers kept in the session cookie, checked against the state on every use."""

from __future__ import annotations

from fastapi import Request

from mock_portal.contribution.store import Document
from mock_portal.portal import portal_of
from mock_portal.state import Employer


def _key(name: str) -> str:
    return f"cart:{name}"


def cart(request: Request, employer: Employer, name: str) -> list[Document]:
    """The cart's documents that are still the employer's and unpaid (paid ones drop out)."""
    store = portal_of(request).store.contributions
    documents = [store.document(n, employer.code) for n in request.session.get(_key(name), [])]
    return [d for d in documents if d is not None and d.status == "unpaid"]


def add(
    request: Request, employer: Employer, name: str, numbers: list[str], scheme: str | None = None
) -> int:
    """Put the ticked documents into the cart; returns how many were acceptable."""
    unpaid = {d.number for d in portal_of(request).store.payments.unpaid(employer.code, scheme)}
    chosen = [n for n in numbers if n in unpaid]
    current = list(request.session.get(_key(name), []))
    request.session[_key(name)] = current + [n for n in chosen if n not in current]
    return len(chosen)


def clear(request: Request, name: str) -> None:
    request.session.pop(_key(name), None)
