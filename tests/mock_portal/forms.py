"""Every form of the mock portal, as a table the property-based tests drive: where it is posted,
its fields (and file fields), and how a visitor gets to it (logged in, a draft open, a cart filled…)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from hypothesis import strategies as st

from mock_portal.registration import employee_forms as ef
from mock_portal.registration import forms as rf
from tests.mock_portal.browser import CSRF, HALIM, Visitor
from tests.mock_portal.contribution_helpers import HALIM_CODE
from tests.mock_portal.payment_helpers import fpx_to_bank, submitted
from tests.support.portal import MockPortalProcess

LINE_LINK = re.compile(r"/employer/contribution/submissions/(\d+)/lines/(\d+)")
PENDING_MONTH = re.compile(r'name="month" value="(\d{4}-\d\d)"')

# Numbers as people (and attackers) type them: overflowing, non-finite, exotic digits, huge ids.
NASTY = (
    "inf",
    "-inf",
    "Infinity",
    "nan",
    "NaN",
    "sNaN",
    "1e308",
    "-1e308",
    "1e309",
    "9e999999",
    "12345678901234567890123",
    "-12345678901234567890123",
    "9" * 400,
    "0x10",
    "1_000",
    "1,,0",
    "١٢٣",
    "²",
    "１７００.００",
    "1700.00",
    "-0",
    "0.005",
    "",
    " ",
    "\x00",
    "2026-10",
    "9999-99-99",
    "0001-01-01",
    "../../etc/passwd",
    "<script>",
    "' OR 1=1 --",
)
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=60)
NUMBER = st.one_of(
    st.integers().map(str),
    st.integers(min_value=10**18, max_value=10**40).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
)
VALUE = st.one_of(st.sampled_from(NASTY), TEXT, NUMBER)


@dataclass(frozen=True)
class Form:
    name: str
    fields: tuple[str, ...]
    reach: Callable[[Visitor, MockPortalProcess], str]  # gets the visitor to the form; its action
    files: tuple[str, ...] = ()


def token(visitor: Visitor) -> str:
    page = visitor.page
    match = CSRF.search(page.text) if page is not None else None
    if match is None:
        match = CSRF.search(visitor.get("/employer/login").text)
    assert match, "no CSRF token anywhere"
    return match.group(1)


def _logged_in(path: str, then: str | None = None) -> Callable[[Visitor, MockPortalProcess], str]:
    def reach(visitor: Visitor, portal: MockPortalProcess) -> str:
        visitor.login(HALIM)
        visitor.get(path)
        return then or path

    return reach


def _anonymous(path: str, then: str | None = None) -> Callable[[Visitor, MockPortalProcess], str]:
    def reach(visitor: Visitor, portal: MockPortalProcess) -> str:
        visitor.get(path)
        return then or path

    return reach


def _password(visitor: Visitor, portal: MockPortalProcess) -> str:
    visitor.request_password(HALIM)
    return "/employer/login/password"


def draft_line(visitor: Visitor, portal: MockPortalProcess) -> str:
    visitor.login(HALIM)
    month = PENDING_MONTH.search(visitor.get("/employer/contribution/socso-eis").text)
    assert month, "no pending month"
    page = visitor.post("/employer/contribution/socso-eis/entry", {"month": month.group(1)})
    link = LINE_LINK.search(page.text)
    assert link, "the draft has no lines"
    visitor.get(link.group(0))
    return link.group(0)


def _documents(visitor: Visitor, portal: MockPortalProcess) -> list[str]:
    visitor.login(HALIM)
    return [d["number"] for d in submitted(visitor, portal, "halim", HALIM_CODE)]


def _cancel(visitor: Visitor, portal: MockPortalProcess) -> str:
    number = _documents(visitor, portal)[0]
    visitor.get(f"/employer/payment/documents/{number}/cancel")
    return f"/employer/payment/documents/{number}/cancel"


def _eft_registered(visitor: Visitor, portal: MockPortalProcess) -> list[str]:
    numbers = _documents(visitor, portal)
    visitor.get("/employer/eft/registration")
    visitor.post(
        "/employer/eft/registration",
        {"email": HALIM, "contact_no": "0123456789", "officer_name": "HALIM"},
    )
    return numbers


def _eft_pay(visitor: Visitor, portal: MockPortalProcess) -> str:
    numbers = _eft_registered(visitor, portal)
    visitor.get("/employer/eft/socso/payment?q=")
    visitor.post("/employer/eft/socso/cart", {"numbers": numbers})  # type: ignore[dict-item]
    visitor.get("/employer/eft/socso/pay")
    return "/employer/eft/socso/pay"


def _eft_cart(visitor: Visitor, portal: MockPortalProcess) -> str:
    _eft_registered(visitor, portal)
    visitor.get("/employer/eft/socso/payment?q=")
    return "/employer/eft/socso/cart"


def _fpx_details(visitor: Visitor, portal: MockPortalProcess) -> str:
    numbers = _documents(visitor, portal)
    visitor.get("/employer/payment/fpx")
    visitor.post("/employer/payment/fpx/cart", {"numbers": numbers})  # type: ignore[dict-item]
    visitor.get("/employer/payment/fpx/summary")
    visitor.get("/employer/payment/fpx/details")
    return "/employer/payment/fpx/proceed"


def _fpx_bank(visitor: Visitor, portal: MockPortalProcess) -> str:
    page = fpx_to_bank(visitor, _documents(visitor, portal))
    reference = page.url.path.rsplit("/", 1)[1]
    return f"/fpx-bank/{reference}/login"


def _dda_cart(visitor: Visitor, portal: MockPortalProcess) -> str:
    _documents(visitor, portal)
    visitor.get("/employer/direct-debit/socso/payment")
    return "/employer/direct-debit/socso/cart"


def _dda_pay(visitor: Visitor, portal: MockPortalProcess) -> str:
    numbers = _documents(visitor, portal)
    visitor.get("/employer/direct-debit/socso/payment")
    visitor.post("/employer/direct-debit/socso/cart", {"numbers": numbers})  # type: ignore[dict-item]
    visitor.get("/employer/direct-debit/socso/pay")
    return "/employer/direct-debit/socso/pay"


def resign_case(kind: str) -> Callable[[Visitor, MockPortalProcess], str]:
    """A resignation case of one of Halim's employees, at its documents step."""

    def reach(visitor: Visitor, portal: MockPortalProcess) -> str:
        visitor.login(HALIM)
        employee = next(e for e in portal.state()["employees"] if e["employer_code"] == HALIM_CODE)
        visitor.get("/employer/registration/update/resign")
        page = visitor.post(
            "/employer/registration/update/resign",
            {
                "scope": "specific",
                "employee": employee["id_number"],
                "resign_date": employee["employment_date"],
                "reason": "resigned",
            },
        )
        assert page.url.path.endswith("/documents"), page.url
        case = page.url.path.split("/")[-2]
        return f"/employer/registration/cases/{case}/{kind}"

    return reach


EMPLOYER_FIELDS = tuple(sorted({*rf.FOREIGN_WORKERS_LABELS, *rf.DOMESTIC_LABELS, "mailbox_password"}))
EMPLOYEE_FIELDS = tuple(sorted({*ef.labels(True), *ef.labels(False), "action"}))
FORMS = (
    Form("login email", ("email",), _anonymous("/employer/login")),
    Form("emailed password", ("password",), _password),
    Form("register normal employer", EMPLOYER_FIELDS, _anonymous("/employer/register/normal"), ("document",)),
    Form(
        "register employer of foreign workers",
        EMPLOYER_FIELDS,
        _anonymous("/employer/register/foreign-workers"),
        ("document",),
    ),
    Form(
        "register domestic employer",
        EMPLOYER_FIELDS,
        _anonymous("/employer/register/domestic"),
        ("document",),
    ),
    Form(
        "contribution month",
        ("month",),
        _logged_in("/employer/contribution/socso-eis", "/employer/contribution/socso-eis/entry"),
    ),
    Form("contribution wages", ("wages", "employment_status"), draft_line),
    Form("text file upload", (), _logged_in("/employer/contribution/socso-eis/textfile"), ("textfile",)),
    Form(
        "add local employee",
        EMPLOYEE_FIELDS,
        _logged_in("/employer/registration/update/new-employee/add/local"),
    ),
    Form(
        "add foreign employee",
        EMPLOYEE_FIELDS,
        _logged_in("/employer/registration/update/new-employee/add/foreign"),
    ),
    Form("resign date", tuple(ef.RESIGN_LABELS), _logged_in("/employer/registration/update/resign")),
    Form("case document", ("document_type",), resign_case("documents"), ("document",)),
    Form("cancel a document", ("choice",), _cancel),
    Form(
        "EFT registration",
        ("email", "contact_no", "officer_name"),
        _logged_in("/employer/eft/registration"),
    ),
    Form("EFT cart", ("numbers",), _eft_cart),
    Form("EFT payment", ("payment_date", "payment_reference", "amount"), _eft_pay, ("payment_slip",)),
    Form(
        "direct debit mandate",
        ("business_model", "bank", "limit", "max_frequency", "phone", "email", "consent"),
        _logged_in("/employer/direct-debit/socso/mandate/new"),
    ),
    Form("direct debit cart", ("numbers",), _dda_cart),
    Form("direct debit payment", ("mandate",), _dda_pay),
    Form("FPX cart", ("numbers",), _logged_in("/employer/payment/fpx", "/employer/payment/fpx/cart")),
    Form("FPX payment details", ("business_model", "email", "bank"), _fpx_details),
    Form("FPX bank login", ("user_id", "password"), _fpx_bank),
)
# Pages that take a query or an id in their path: arbitrary text put there.
QUERY_PAGES = (
    "/employer/eft/socso/payment?q={}",
    "/employer/registration/update/new-employee?add={}",
    "/employer/contribution/submissions/{}",
    "/employer/contribution/submissions/1/lines/{}",
    "/employer/payment/documents/{}",
    "/employer/payment/documents/{}/print",
    "/employer/registration/cases/{}/eis",
    "/employer/register/cases/{}",
    "/employer/eft/confirmation/{}",
    "/employer/payment/fpx/result/{}",
    "/fpx-bank/{}",
    "/employer/contribution/{}",
    "/employer/direct-debit/{}/mandate",
)
