"""The physical floor: one employer-month done by plain HTTP (httpx) against the mock portal, no
browser. The same steps as the bot's `run`: the emailed password over IMAP (imapclient), the text
file uploaded and submitted, the ACR/ECR read back and their PDFs downloaded, and (with pay) FPX
through the mock bank and the receipt downloaded. Nothing is rendered, no screenshots: what is left
is the portal's own cost and the waits (latency, mail delivery).

    .venv/bin/python bench/floor.py                          # 16 employers at 1, 4, 16 at once
    .venv/bin/python bench/floor.py --employers 8 --concurrency 2 --no-pay

bench/portfolio.py imports `floor_month` and `FloorEmployer` to put the floor beside the bot.
"""

from __future__ import annotations

import argparse
import email
import os
import re
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import httpx
from imapclient import IMAPClient

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bot.core.contributions import Month, Scheme, compute, import_payroll, kind_of, render  # noqa: E402
from tests.support.portal import MockPortalProcess  # noqa: E402
from tests.support.portfolio_gen import MAILBOX_PASSWORD, MAILBOX_USER, Generated, employer_code  # noqa: E402

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
PASSWORD_LINE = re.compile(r"^Kata Laluan: ([A-Za-z0-9]+)\r?$", re.MULTILINE)
NEXT_LINK = re.compile(r'href="(/employer/contribution/submissions/(\d+))">Next<')
DOCUMENT = re.compile(r"<li>(?:ACR|ECR) ((?:ACR|ECR)\w+):")
BANK_REFERENCE = re.compile(r"^/fpx-bank/(\w+)$")
BANK = ("halim.bank", "halim-bank-1")  # one demo account, its balance raised by `fund_bank`
MAIL_POLL = 0.05


class FloorError(RuntimeError):
    """A step did not get the page it expects."""


@dataclass(frozen=True)
class FloorEmployer:
    code: str
    email: str
    payroll: Path
    mailbox: tuple[str, str]


@dataclass
class FloorResult:
    code: str
    seconds: float
    documents: int = 0
    pdf_bytes: int = 0
    paid: bool = False
    error: str = ""


def employers_of(generated: Generated) -> list[FloorEmployer]:
    """The generated portfolio's employers (tests/support/portfolio_gen.py), as the floor needs them."""
    folder = generated.portfolio.parent
    return [
        FloorEmployer(
            code=employer_code(i),
            email=f"payroll+{name}@firma-ujian.my",
            payroll=folder / "payroll" / f"{name}.csv",
            mailbox=(MAILBOX_USER, MAILBOX_PASSWORD),
        )
        for i, name in enumerate(generated.names)
    ]


def fund_bank(portal: MockPortalProcess) -> None:
    """Every floor payment comes from the demo account BANK: enough money for any bench (after a reset)."""
    httpx.post(f"{portal.base_url}/_mock/bank/accounts/{BANK[0]}", json={"balance": 100_000_000}, timeout=10)


def _token(page: httpx.Response) -> str:
    match = CSRF.search(page.text)
    if match is None:
        raise FloorError(f"no CSRF token on {page.url}")
    return match.group(1)


def _expect(page: httpx.Response, path_prefix: str) -> httpx.Response:
    if page.status_code >= 400 or not page.url.path.startswith(path_prefix):
        raise FloorError(f"expected {path_prefix}, got {page.status_code} {page.url.path}")
    return page


class Mail:
    """The employer's password mails in the (shared) mailbox, over IMAP."""

    def __init__(self, host: str, port: int, mailbox: tuple[str, str], address: str) -> None:
        self.imap = IMAPClient(host, port=port, ssl=False, timeout=30)
        self.imap.login(*mailbox)
        self.imap.select_folder("INBOX", readonly=True)
        self.address = address
        self.seen = max(self.imap.search("ALL"), default=0)

    def close(self) -> None:
        self.imap.logout()

    def password(self, timeout: float) -> str:
        """The password in the first mail to this address newer than any seen so far."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.imap.noop()
            new = [uid for uid in self.imap.search(["UID", f"{self.seen + 1}:*"]) if uid > self.seen]
            if new:
                fetched = self.imap.fetch(new, ["RFC822"])
                self.seen = max(new)
                for uid in sorted(fetched):
                    message = email.message_from_bytes(fetched[uid][b"RFC822"])
                    if message["To"] == self.address:
                        payload = message.get_payload(decode=True)
                        match = PASSWORD_LINE.search(payload.decode() if isinstance(payload, bytes) else "")
                        if match:
                            return match.group(1)
            time.sleep(MAIL_POLL)
        raise FloorError(f"no password mail to {self.address} within {timeout:.0f} s")


def textfile(employer: FloorEmployer, month: Month) -> bytes:
    """The bot's own text file of the payroll (bot/core/contributions, no browser involved)."""
    employees = import_payroll(employer.payroll, month, today=date.today())
    rendered = render(
        compute(employees, month),
        employer_code=employer.code,
        month=month,
        kind=kind_of(Scheme.COMBINED, None, month),
    )
    return "".join(rendered.lines).encode("ascii")


def floor_month(
    portal: MockPortalProcess, employer: FloorEmployer, month: Month, *, pay: bool, mail_timeout: float = 120
) -> FloorResult:
    """One employer-month over plain HTTP; the result says what was done (or the error)."""
    started = time.monotonic()
    result = FloorResult(code=employer.code, seconds=0.0)
    client = httpx.Client(base_url=portal.base_url, follow_redirects=True, timeout=60)
    mail = Mail(portal.host, portal.imap_port, employer.mailbox, employer.email)
    try:
        # QRG 1: email, the emailed password, LOG MASUK
        page = client.get("/employer/login")
        page = client.post("/employer/login", data={"email": employer.email, "csrf_token": _token(page)})
        _expect(page, "/employer/login/password")
        password = mail.password(mail_timeout)
        page = client.post(
            "/employer/login/password", data={"password": password, "csrf_token": _token(page)}
        )
        _expect(page, "/employer/home")
        # QRG 4: the text file, SUBMIT; the ACR/ECR generated
        page = client.get("/employer/contribution/socso-eis/textfile")
        page = client.post(
            "/employer/contribution/socso-eis/textfile",
            data={"csrf_token": _token(page)},
            files={"textfile": ("caruman.txt", textfile(employer, month), "text/plain")},
        )
        link = NEXT_LINK.search(page.text)
        if link is None:
            raise FloorError(f"text file not accepted: {page.status_code}")
        page = client.get(link.group(1))
        page = client.post(
            f"/employer/contribution/submit/{link.group(2)}", data={"csrf_token": _token(page)}
        )
        numbers = DOCUMENT.findall(page.text)
        if not numbers:
            raise FloorError("no ACR/ECR after SUBMIT")
        # QRG 8: read back each document and download its PDF
        for number in numbers:
            client.get(f"/employer/payment/documents/{number}").raise_for_status()
            pdf = client.get(f"/employer/payment/documents/{number}/print")
            if pdf.status_code != 200 or not pdf.content.startswith(b"%PDF"):
                raise FloorError(f"no PDF for {number}")
            result.pdf_bytes += len(pdf.content)
        result.documents = len(numbers)
        if pay:
            _pay_fpx(client, employer, numbers, result)
        page = client.get("/employer/home")
        client.post("/employer/logout", data={"csrf_token": _token(page)})
    except (FloorError, httpx.HTTPError) as exc:
        result.error = f"{type(exc).__name__}: {exc}"
    finally:
        client.close()
        mail.close()
    result.seconds = time.monotonic() - started
    return result


def _pay_fpx(client: httpx.Client, employer: FloorEmployer, numbers: list[str], result: FloorResult) -> None:
    """QRG 5: ADD TO CART, PROCEED TO SUMMARY, the details, PROCEED, the bank's LOGIN and CONFIRM, the
    portal's result and the receipt."""
    page = client.get("/employer/payment/fpx")
    page = client.post("/employer/payment/fpx/cart", data={"numbers": numbers, "csrf_token": _token(page)})
    client.get("/employer/payment/fpx/summary").raise_for_status()
    page = client.get("/employer/payment/fpx/details")
    page = client.post(
        "/employer/payment/fpx/proceed",
        data={
            "business_model": "b2c",
            "email": employer.email,
            "bank": "Mock Bank",
            "csrf_token": _token(page),
        },
    )
    bank = BANK_REFERENCE.match(page.url.path)
    if bank is None:
        raise FloorError(f"PROCEED did not reach the bank: {page.status_code} {page.url.path}")
    reference = bank.group(1)
    page = client.post(
        f"/fpx-bank/{reference}/login",
        data={"user_id": BANK[0], "password": BANK[1], "csrf_token": _token(page)},
    )
    page = client.post(f"/fpx-bank/confirm/{reference}", data={"csrf_token": _token(page)})
    _expect(page, f"/employer/payment/fpx/result/{reference}")
    receipt = client.get(f"/employer/payment/receipts/{reference}")
    if receipt.status_code != 200 or not receipt.content.startswith(b"%PDF"):
        raise FloorError(f"no receipt for {reference}: {receipt.status_code}")
    result.pdf_bytes += len(receipt.content)
    result.paid = True


def floor_run(
    portal: MockPortalProcess, employers: list[FloorEmployer], month: Month, concurrency: int, *, pay: bool
) -> tuple[float, list[FloorResult]]:
    """Every employer's month, `concurrency` at a time (threads: the waits are I/O); wall seconds."""
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        results = list(pool.map(lambda e: floor_month(portal, e, month, pay=pay), employers))
    return time.monotonic() - started, results


def main() -> None:
    from tests.support.portfolio_gen import generate

    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--employers", type=int, default=16)
    parser.add_argument("--employees", type=int, default=50)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 4, 16])
    parser.add_argument("--month", default="2026-10")
    parser.add_argument("--pay", action=argparse.BooleanOptionalAction, default=True)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-floor-"))
    generated = generate(folder / "portfolio", args.employers, args.employees)
    month = Month.parse(args.month)
    employers = employers_of(generated)
    print(
        f"floor: {args.employers} employers x {args.employees} employees, pay={args.pay} (cores: {os.cpu_count()})"
    )
    with MockPortalProcess(extra_args=["--seed-file", str(generated.seed)], startup_timeout=180) as portal:
        for concurrency in args.concurrency:
            portal.reset()
            fund_bank(portal)
            seconds, results = floor_run(portal, employers, month, concurrency, pay=args.pay)
            done = sum(not r.error for r in results)
            errors = sorted({r.error for r in results if r.error})
            print(
                f"concurrency {concurrency:>3}: {seconds:6.1f} s, {len(employers) * 60 / seconds:7.1f} employer-months/min,"
                f" {done}/{len(results)} done{'; ' + errors[0] if errors else ''}",
                flush=True,
            )


if __name__ == "__main__":
    main()
