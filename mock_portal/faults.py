"""Fault injection: per-route latency and errors, early session expiry, mail delay/duplicate/drop,
the mock FPX bank's errors and lost returns, and the FPX time-out of a transaction left `Pending`.

The same keys come from `--faults FILE` (JSON or TOML) and `POST /_mock/faults`; every random
decision draws from one `random.Random(seed)`, so a run with the same requests is repeatable.
"""

from __future__ import annotations

import asyncio
import json
import random
import tomllib
from dataclasses import asdict, dataclass, field
from http import HTTPStatus
from pathlib import Path
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mock_portal.rewrites import Rewrites, send_rewritten

NEVER_FAULTED = ("/_mock/", "/healthz")
BANK_PATHS = "/fpx-bank/*"  # the mock FPX bank's own site
ERROR_STATUSES = frozenset(s.value for s in HTTPStatus if 400 <= s.value <= 599)


@dataclass
class RouteFault:
    path: str
    method: str | None = None
    latency_ms: int = 0
    error_rate: float = 0.0
    status: int = 503
    times: int | None = None
    # True: the handler runs (its work is done) and its response is lost, replaced by the error:
    # "the request succeeded but the answer never came back" (e.g. a dropped response to SUBMIT).
    after: bool = False
    applied: int = 0

    def matches(self, method: str, path: str) -> bool:
        if self.method and self.method.upper() != method.upper():
            return False
        if self.path.endswith("*"):
            return path.startswith(self.path[:-1])
        return path == self.path


@dataclass
class MailFault:
    delay_ms: int = 0
    duplicate: bool = False  # every mail twice
    duplicate_rate: float = 0.0  # each mail twice with this probability
    drop: bool = False
    drop_rate: float = 0.0


@dataclass
class BankFault:
    """The mock FPX bank (`/fpx-bank/*`): errors on its pages, and lost returns to the portal."""

    error_rate: float = 0.0  # each bank request answers `status` before the bank acts
    status: int = 503
    # Each CONFIRM: the bank acts (debits) and never sends the browser back, with this probability
    # (the account's own `no_return` makes it every time).
    no_return_rate: float = 0.0


@dataclass(frozen=True)
class MailDecision:
    delay_ms: int
    duplicate: bool
    drop: bool


@dataclass
class FaultPlan:
    seed: int = 0
    routes: list[RouteFault] = field(default_factory=list)
    session_expiry_after_requests: int | None = None
    mail: MailFault = field(default_factory=MailFault)
    bank: BankFault = field(default_factory=BankFault)
    # FPX times out a transaction left `Pending` after this long (None: `--fpx-pending-expiry`).
    fpx_pending_expiry_seconds: float | None = None
    # Portal drift rehearsal (mock_portal/rewrites.py): renamed labels, removed fields, moved URLs.
    labels: dict[str, str] = field(default_factory=dict)
    remove: list[str] = field(default_factory=list)
    urls: dict[str, str] = field(default_factory=dict)

    @property
    def rewrites(self) -> Rewrites:
        return Rewrites(labels=dict(self.labels), remove=list(self.remove), urls=dict(self.urls))

    @classmethod
    def parse(cls, data: dict[str, Any]) -> FaultPlan:
        """Build a plan from the documented keys; anything else is a ValueError."""
        try:
            routes = [
                RouteFault(**{k: v for k, v in r.items() if k != "applied"}) for r in data.get("routes") or []
            ]
            plan = cls(
                seed=int(data.get("seed") or 0),
                routes=routes,
                session_expiry_after_requests=data.get("session_expiry_after_requests"),
                mail=MailFault(**(data.get("mail") or {})),
                bank=BankFault(**(data.get("bank") or {})),
                fpx_pending_expiry_seconds=_seconds(data.get("fpx_pending_expiry_seconds")),
                labels={str(k): str(v) for k, v in (data.get("labels") or {}).items()},
                remove=[str(r) for r in data.get("remove") or []],
                urls={str(k): str(v) for k, v in (data.get("urls") or {}).items()},
            )
        except TypeError as exc:
            raise ValueError(f"unknown fault key: {exc}") from exc
        unknown = set(data) - {
            "seed",
            "routes",
            "session_expiry_after_requests",
            "mail",
            "bank",
            "fpx_pending_expiry_seconds",
            "labels",
            "remove",
            "urls",
        }
        if unknown:
            raise ValueError(f"unknown fault keys: {sorted(unknown)}")
        for route in plan.routes:
            if int(route.status) not in ERROR_STATUSES:
                raise ValueError(f"status must be an HTTP 4xx or 5xx status: {route.status}")
            if not 0.0 <= float(route.error_rate) <= 1.0:
                raise ValueError(f"error_rate must be within 0..1: {route.error_rate}")
        if int(plan.bank.status) not in ERROR_STATUSES:
            raise ValueError(f"bank status must be an HTTP 4xx or 5xx status: {plan.bank.status}")
        for name, rate in (
            ("mail.duplicate_rate", plan.mail.duplicate_rate),
            ("mail.drop_rate", plan.mail.drop_rate),
            ("bank.error_rate", plan.bank.error_rate),
            ("bank.no_return_rate", plan.bank.no_return_rate),
        ):
            if not 0.0 <= float(rate) <= 1.0:
                raise ValueError(f"{name} must be within 0..1: {rate}")
        return plan

    @classmethod
    def from_file(cls, path: Path) -> FaultPlan:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text) if path.suffix.lower() == ".toml" else json.loads(text)
        return cls.parse(data)


def _seconds(value: Any) -> float | None:
    if value is None:
        return None
    seconds = float(value)
    if seconds <= 0:
        raise ValueError(f"fpx_pending_expiry_seconds must be above 0: {value}")
    return seconds


class Faults:
    """The current fault plan and the random generator its decisions draw from."""

    def __init__(self, plan: FaultPlan | None = None) -> None:
        self.replace(plan or FaultPlan())

    def replace(self, plan: FaultPlan) -> None:
        self.plan = plan
        self.rng = random.Random(plan.seed)

    def clear(self) -> None:
        self.replace(FaultPlan())

    def as_dict(self) -> dict[str, Any]:
        return asdict(self.plan)

    def for_request(self, method: str, path: str) -> tuple[int, int | None, bool]:
        """(latency in ms, error status or None, error after the handler ran) for one request;
        counts against `times`."""
        latency, status, after = 0, None, False
        for route in self.plan.routes:
            if not route.matches(method, path):
                continue
            if route.times is not None and route.applied >= route.times:
                continue
            route.applied += 1
            latency += int(route.latency_ms)
            if status is None and route.error_rate > 0 and self.rng.random() < route.error_rate:
                status, after = int(route.status), bool(route.after)
        bank = self.plan.bank
        at_bank = bank.error_rate > 0 and RouteFault(BANK_PATHS).matches(method, path)
        if status is None and at_bank and self.rng.random() < bank.error_rate:
            status = int(bank.status)
        return latency, status, after

    def for_mail(self) -> MailDecision:
        mail = self.plan.mail
        drop = mail.drop or (mail.drop_rate > 0 and self.rng.random() < mail.drop_rate)
        duplicate = mail.duplicate or (mail.duplicate_rate > 0 and self.rng.random() < mail.duplicate_rate)
        return MailDecision(delay_ms=int(mail.delay_ms), duplicate=duplicate, drop=drop)

    def bank_no_return(self) -> bool:
        """Whether this CONFIRM's bank never sends the browser back (drawn once per payment)."""
        rate = self.plan.bank.no_return_rate
        return rate > 0 and self.rng.random() < rate

    def fpx_pending_expiry(self, default: float) -> float:
        return self.plan.fpx_pending_expiry_seconds or default

    @property
    def session_expiry_after_requests(self) -> int | None:
        return self.plan.session_expiry_after_requests


class FaultMiddleware:
    """ASGI middleware: slows down or fails the portal's own routes, never the control API."""

    def __init__(self, app: ASGIApp, faults: Faults) -> None:
        self.app = app
        self.faults = faults

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or path.startswith(NEVER_FAULTED):
            await self.app(scope, receive, send)
            return
        latency_ms, status, after = self.faults.for_request(scope["method"], path)
        if latency_ms:
            await asyncio.sleep(latency_ms / 1000)
        if status is None:
            rewrites = self.faults.plan.rewrites
            if rewrites:
                await send_rewritten(self.app, rewrites, scope, receive, send)
            else:
                await self.app(scope, receive, send)
            return
        if after:
            await self.app(scope, receive, _discard)
        await send_error_page(send, status)


async def _discard(message: Message) -> None:
    """Swallows the handler's response: the work happened, the answer is lost."""


async def send_error_page(send: Send, status: int) -> None:
    title = f"{status} {HTTPStatus(status).phrase}"
    body = f"<!doctype html><html><head><title>{title}</title></head><body><h1>{title}</h1></body></html>"
    payload = body.encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"text/html; charset=utf-8"),
                (b"content-length", str(len(payload)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": payload})
