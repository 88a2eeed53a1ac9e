"""QRG 7: `Direct Debit` → `SOCSO`/`EIS` → `Mandate` (list, `ENROLL NEW`, `Payment History`) and
`Payment` (tick, view, `ADD TO CART`, `PROCEED TO SUMMARY`, `CONTINUE`, `Mandate List*`, `PROCEED`
→ "Payment has been successfully initiated."). A mandate stays "Pending Approval" until the bank
approves it (`POST /_mock/mandates/{reference}/approve`); payments keep to its limits."""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from starlette.responses import Response

from mock_portal.amounts import parse_count, parse_ringgit
from mock_portal.contribution.documents import month_label
from mock_portal.pages import render
from mock_portal.payments import cart
from mock_portal.payments.outcomes import settle
from mock_portal.payments.receipt import METHODS
from mock_portal.payments.rules import (
    BANKS,
    BUSINESS_MODELS,
    FPX_LIMITS,
    MAX_MANDATE_FREQUENCY,
    ringgit,
)
from mock_portal.payments.screens import not_found, redirect
from mock_portal.payments.store import INITIATED
from mock_portal.portal import portal_of
from mock_portal.sessions import CsrfChecked, LoggedIn
from mock_portal.state import Employer

router = APIRouter(prefix="/employer/direct-debit")
SCHEMES = {"socso": "SOCSO", "eis": "EIS"}
INITIATED_MESSAGE = "Payment has been successfully initiated."
ENROLLED = "Mandate enrolment has been submitted and is pending the bank's approval."


@router.get("")
async def index(request: Request, employer: Employer = LoggedIn) -> Response:
    return render(request, "dda/index.html", employer=employer, schemes=SCHEMES)


@router.get("/{scheme}")
async def scheme_page(request: Request, scheme: str, employer: Employer = LoggedIn) -> Response:
    if scheme not in SCHEMES:
        return not_found(request, employer)
    return render(request, "dda/scheme.html", employer=employer, scheme=scheme, title=SCHEMES[scheme])


@router.get("/{scheme}/mandate")
async def mandates(request: Request, scheme: str, employer: Employer = LoggedIn) -> Response:
    if scheme not in SCHEMES:
        return not_found(request, employer)
    return render(
        request,
        "dda/mandates.html",
        employer=employer,
        scheme=scheme,
        title=SCHEMES[scheme],
        mandates=portal_of(request).store.payments.mandates(employer.code, scheme),
        models=BUSINESS_MODELS,
        status=request.session.pop("dda_status", None),
    )


def _enrol_form(
    request: Request,
    employer: Employer,
    scheme: str,
    status_code: int = 200,
    alert: str | None = None,
    form: dict[str, str] | None = None,
) -> Response:
    return render(
        request,
        "dda/enroll.html",
        status_code=status_code,
        employer=employer,
        scheme=scheme,
        title=SCHEMES[scheme],
        models=BUSINESS_MODELS,
        banks=BANKS,
        alert=alert,
        form=form or {"email": employer.email},
    )


@router.get("/{scheme}/mandate/new")
async def enrol_page(request: Request, scheme: str, employer: Employer = LoggedIn) -> Response:
    if scheme not in SCHEMES:
        return not_found(request, employer)
    return _enrol_form(request, employer, scheme)


@router.post("/{scheme}/mandate/new", dependencies=[CsrfChecked])
async def enrol(
    request: Request,
    scheme: str,
    employer: Employer = LoggedIn,
    business_model: str = Form(""),
    bank: str = Form(""),
    limit: str = Form(""),
    max_frequency: str = Form(""),
    phone: str = Form(""),
    email: str = Form(""),
    consent: str = Form(""),
) -> Response:
    if scheme not in SCHEMES:
        return not_found(request, employer)
    form = {
        "business_model": business_model,
        "bank": bank,
        "limit": limit,
        "max_frequency": max_frequency,
        "phone": phone,
        "email": email,
    }
    limit_sen = parse_ringgit(limit)
    problem = None
    if business_model not in BUSINESS_MODELS:
        problem = "Please choose the Business Model."
    elif bank not in BANKS:
        problem = "Please choose a bank from the Bank List."
    elif limit_sen is None or not FPX_LIMITS[business_model][0] <= limit_sen <= FPX_LIMITS[business_model][1]:
        low, high = FPX_LIMITS.get(business_model, (0, 0))
        problem = f"Limit Per Transaction (RM) must be between RM{ringgit(low)} and RM{ringgit(high)}."
    elif not 1 <= (frequency := parse_count(max_frequency) or 0) <= MAX_MANDATE_FREQUENCY:
        problem = f"Max Frequency Per Month must be 1 to {MAX_MANDATE_FREQUENCY}."
    elif not phone.strip() or "@" not in email:
        problem = "Please enter the Phone No and a valid Email Address."
    elif consent != "yes":
        problem = "Please tick the consent to proceed."
    if problem:
        return _enrol_form(request, employer, scheme, 422, problem, form)
    portal = portal_of(request)
    mandate = portal.store.payments.new_mandate(
        employer_code=employer.code,
        scheme=scheme,
        today=portal.config.current_date(),
        business_model=business_model,
        bank=bank,
        limit_sen=limit_sen,
        max_frequency=frequency,
        phone=phone.strip(),
        email=email.strip(),
    )
    request.session["dda_status"] = f"{ENROLLED} Reference No.: {mandate.reference}"
    return redirect(f"/employer/direct-debit/{scheme}/mandate")


@router.get("/{scheme}/history")
async def history(request: Request, scheme: str, employer: Employer = LoggedIn) -> Response:
    """The scheme's direct-debit payments: those made under one of its mandates."""
    store = portal_of(request).store.payments
    mandates = {m.reference for m in store.mandates(employer.code, scheme)}
    payments = [p for p in store.history(employer.code, "dda") if p.mandate_reference in mandates]
    return render(request, "payment/history.html", employer=employer, payments=payments, methods=METHODS)


@router.get("/{scheme}/payment")
async def payment(request: Request, scheme: str, employer: Employer = LoggedIn) -> Response:
    if scheme not in SCHEMES:
        return not_found(request, employer)
    return render(
        request,
        "dda/payment.html",
        employer=employer,
        scheme=scheme,
        title=SCHEMES[scheme],
        unpaid=portal_of(request).store.payments.unpaid(employer.code, scheme),
        cart=cart.cart(request, employer, f"dda:{scheme}"),
        month_label=month_label,
        alert=request.session.pop("dda_alert", None),
    )


@router.post("/{scheme}/cart", dependencies=[CsrfChecked])
async def add_to_cart(request: Request, scheme: str, employer: Employer = LoggedIn) -> Response:
    numbers = [str(n) for n in (await request.form()).getlist("numbers")]
    if scheme in SCHEMES and not cart.add(request, employer, f"dda:{scheme}", numbers, scheme):
        request.session["dda_alert"] = "Please select at least one payment record."
    return redirect(f"/employer/direct-debit/{scheme}/payment")


@router.get("/{scheme}/summary")
async def summary(request: Request, scheme: str, employer: Employer = LoggedIn) -> Response:
    items = cart.cart(request, employer, f"dda:{scheme}")
    if scheme not in SCHEMES or not items:
        return redirect(f"/employer/direct-debit/{scheme}/payment")
    return render(
        request,
        "dda/summary.html",
        employer=employer,
        scheme=scheme,
        title=SCHEMES[scheme],
        cart=items,
        month_label=month_label,
    )


def _mandate_form(
    request: Request, employer: Employer, scheme: str, status_code: int = 200, alert: str | None = None
) -> Response:
    approved = [
        m for m in portal_of(request).store.payments.mandates(employer.code, scheme) if m.status == "Approved"
    ]
    return render(
        request,
        "dda/pay.html",
        status_code=status_code,
        employer=employer,
        scheme=scheme,
        title=SCHEMES[scheme],
        cart=cart.cart(request, employer, f"dda:{scheme}"),
        month_label=month_label,
        mandates=approved,
        alert=alert,
        ringgit=ringgit,
    )


@router.get("/{scheme}/pay")
async def pay_page(request: Request, scheme: str, employer: Employer = LoggedIn) -> Response:
    if scheme not in SCHEMES or not cart.cart(request, employer, f"dda:{scheme}"):
        return redirect(f"/employer/direct-debit/{scheme}/payment")
    return _mandate_form(request, employer, scheme)


@router.post("/{scheme}/pay", dependencies=[CsrfChecked])
async def pay(
    request: Request, scheme: str, employer: Employer = LoggedIn, mandate: str = Form("")
) -> Response:
    items = cart.cart(request, employer, f"dda:{scheme}")
    if scheme not in SCHEMES or not items:
        return redirect(f"/employer/direct-debit/{scheme}/payment")
    portal = portal_of(request)
    payments = portal.store.payments
    chosen = payments.mandate(mandate, employer.code)
    today = portal.config.current_date()
    amount = sum(d.amount_sen for d in items)
    if chosen is None or chosen.scheme != scheme or chosen.status != "Approved":
        return _mandate_form(
            request, employer, scheme, 422, "Please choose an approved mandate from the Mandate List."
        )
    if amount > chosen.limit_sen:
        return _mandate_form(
            request,
            employer,
            scheme,
            422,
            f"The amount RM{ringgit(amount)} exceeds the mandate's"
            f" Limit Per Transaction (RM{ringgit(chosen.limit_sen)}).",
        )
    if payments.paid_this_month(chosen.reference, today) >= chosen.max_frequency:
        return _mandate_form(
            request, employer, scheme, 422, "The mandate's Max Frequency Per Month has been reached."
        )
    created = payments.new_payment(
        employer_code=employer.code,
        method="dda",
        documents=items,
        today=today,
        status=INITIATED,
        mandate_reference=chosen.reference,
        bank=chosen.bank,
        business_model=chosen.business_model,
        email=chosen.email,
    )
    # The mock bank debits at once: the documents are paid and the receipt emailed.
    done = await settle(portal, created.reference)
    cart.clear(request, f"dda:{scheme}")
    return render(
        request,
        "dda/initiated.html",
        employer=employer,
        scheme=scheme,
        title=SCHEMES[scheme],
        p=done,
        status=INITIATED_MESSAGE,
    )
