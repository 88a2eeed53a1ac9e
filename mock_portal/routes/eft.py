"""QRG 6: `ELECTRONIC FUND TRANSFER` → `SOCSO`/`EIS` → `Registration` (one-time) and `Payment`
(`SEARCH`, tick, view, `ADD TO CART`, `PROCEED TO PAYMENT`, the transfer's details and slip,
`CONTINUE` ×2, confirmation). The payment stays "Pending Verification" until PERKESO sees the
transfer (`POST /_mock/eft/{reference}/verify`), which pays the documents and emails the receipt."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, File, Form, Request, UploadFile
from starlette.responses import Response

from mock_portal.amounts import parse_ringgit
from mock_portal.contribution.documents import month_label
from mock_portal.pages import render
from mock_portal.payments import cart
from mock_portal.payments.rules import ringgit
from mock_portal.payments.screens import not_found, redirect
from mock_portal.payments.store import PENDING_VERIFICATION
from mock_portal.portal import portal_of
from mock_portal.sessions import CsrfChecked, LoggedIn
from mock_portal.state import Employer

router = APIRouter(prefix="/employer/eft")
SCHEMES = {"socso": "SOCSO", "eis": "EIS"}
REGISTERED = "EFT registration has been successfully submitted."
NOT_REGISTERED = "Please complete the EFT Registration first."
SLIP_TYPES = (".pdf", ".jpg", ".jpeg", ".png")


@router.get("")
async def index(request: Request, employer: Employer = LoggedIn) -> Response:
    return render(request, "eft/index.html", employer=employer, schemes=SCHEMES)


@router.get("/registration")
async def registration(request: Request, employer: Employer = LoggedIn) -> Response:
    reg = portal_of(request).store.payments.eft_registration(employer.code)
    return render(
        request,
        "eft/registration.html",
        employer=employer,
        form=reg or {"email": employer.email},
        registered=reg is not None,
        status=request.session.pop("eft_status", None),
    )


@router.post("/registration", dependencies=[CsrfChecked])
async def register(
    request: Request,
    employer: Employer = LoggedIn,
    email: str = Form(""),
    contact_no: str = Form(""),
    officer_name: str = Form(""),
) -> Response:
    form = {"email": email, "contact_no": contact_no, "officer_name": officer_name}
    if "@" not in email or not contact_no.strip() or not officer_name.strip():
        return render(
            request,
            "eft/registration.html",
            status_code=422,
            employer=employer,
            form=form,
            registered=False,
            alert="Please fill in every field marked *.",
        )
    portal_of(request).store.payments.register_eft(
        employer.code, email.strip(), contact_no.strip(), officer_name.strip()
    )
    request.session["eft_status"] = REGISTERED
    return redirect("/employer/eft/registration")


@router.get("/{scheme}")
async def scheme_page(request: Request, scheme: str, employer: Employer = LoggedIn) -> Response:
    if scheme not in SCHEMES:
        return not_found(request, employer)
    return render(request, "eft/scheme.html", employer=employer, scheme=scheme, title=SCHEMES[scheme])


@router.get("/{scheme}/payment")
async def payment(
    request: Request, scheme: str, q: str | None = None, employer: Employer = LoggedIn
) -> Response:
    if scheme not in SCHEMES:
        return not_found(request, employer)
    payments = portal_of(request).store.payments
    if payments.eft_registration(employer.code) is None:
        return render(
            request,
            "eft/payment.html",
            status_code=403,
            employer=employer,
            scheme=scheme,
            title=SCHEMES[scheme],
            alert=NOT_REGISTERED,
            searched=False,
            unpaid=[],
            cart=[],
            month_label=month_label,
            q="",
        )
    found = []
    if q is not None:
        term = q.strip().upper()
        whole = term in ("", employer.code.upper()) or term in employer.name.upper()
        found = [d for d in payments.unpaid(employer.code, scheme) if whole or d.number == term]
    return render(
        request,
        "eft/payment.html",
        employer=employer,
        scheme=scheme,
        title=SCHEMES[scheme],
        searched=q is not None,
        unpaid=found,
        q=q or "",
        cart=cart.cart(request, employer, f"eft:{scheme}"),
        month_label=month_label,
        alert=request.session.pop("eft_alert", None),
    )


@router.post("/{scheme}/cart", dependencies=[CsrfChecked])
async def add_to_cart(request: Request, scheme: str, employer: Employer = LoggedIn) -> Response:
    numbers = [str(n) for n in (await request.form()).getlist("numbers")]
    if scheme in SCHEMES and not cart.add(request, employer, f"eft:{scheme}", numbers, scheme):
        request.session["eft_alert"] = "Please select at least one payment record."
    return redirect(f"/employer/eft/{scheme}/payment?q=")


def _form(
    request: Request,
    employer: Employer,
    scheme: str,
    status_code: int = 200,
    alert: str | None = None,
    form: dict[str, str] | None = None,
) -> Response:
    return render(
        request,
        "eft/pay.html",
        status_code=status_code,
        employer=employer,
        scheme=scheme,
        title=SCHEMES[scheme],
        cart=cart.cart(request, employer, f"eft:{scheme}"),
        month_label=month_label,
        alert=alert,
        form=form or {},
        today=portal_of(request).config.current_date().isoformat(),
    )


@router.get("/{scheme}/pay")
async def pay_form(request: Request, scheme: str, employer: Employer = LoggedIn) -> Response:
    if scheme not in SCHEMES or not cart.cart(request, employer, f"eft:{scheme}"):
        return redirect(f"/employer/eft/{scheme}/payment")
    return _form(request, employer, scheme)


@router.post("/{scheme}/pay", dependencies=[CsrfChecked])
async def pay(
    request: Request,
    scheme: str,
    employer: Employer = LoggedIn,
    payment_date: str = Form(""),
    payment_reference: str = Form(""),
    amount: str = Form(""),
    payment_slip: UploadFile | None = File(None),
) -> Response:
    items = cart.cart(request, employer, f"eft:{scheme}")
    if scheme not in SCHEMES or not items:
        return redirect(f"/employer/eft/{scheme}/payment")
    form = {"payment_date": payment_date, "payment_reference": payment_reference, "amount": amount}
    total = sum(d.amount_sen for d in items)
    try:
        paid_on = date.fromisoformat(payment_date)
    except ValueError:
        paid_on = None
    slip = payment_slip.filename if payment_slip is not None and payment_slip.filename else ""
    content = await payment_slip.read() if payment_slip is not None else b""
    problem = None
    if paid_on is None or paid_on > portal_of(request).config.current_date():
        problem = "Please enter a valid Payment Date (not in the future)."
    elif not payment_reference.strip():
        problem = "Please enter the Payment Reference No."
    elif parse_ringgit(amount) != total:
        problem = f"The Amount (RM) must equal the total of the selected records (RM{ringgit(total)})."
    elif not slip or not slip.lower().endswith(SLIP_TYPES) or not content:
        problem = "Please upload the Payment Slip (PDF, JPG or PNG)."
    if problem:
        return _form(request, employer, scheme, 422, problem, form)
    request.session[f"eft_pending:{scheme}"] = {**form, "slip_name": slip}
    return render(
        request,
        "eft/review.html",
        employer=employer,
        scheme=scheme,
        title=SCHEMES[scheme],
        cart=items,
        month_label=month_label,
        form={**form, "slip_name": slip},
    )


@router.post("/{scheme}/submit", dependencies=[CsrfChecked])
async def submit(request: Request, scheme: str, employer: Employer = LoggedIn) -> Response:
    items = cart.cart(request, employer, f"eft:{scheme}")
    pending = request.session.pop(f"eft_pending:{scheme}", None)
    if scheme not in SCHEMES or not items or not pending:
        return redirect(f"/employer/eft/{scheme}/payment")
    portal = portal_of(request)
    reg = portal.store.payments.eft_registration(employer.code) or {}
    payment = portal.store.payments.new_payment(
        employer_code=employer.code,
        method="eft",
        documents=items,
        today=portal.config.current_date(),
        status=PENDING_VERIFICATION,
        email=reg.get("email", employer.email),
        payment_date=pending["payment_date"],
        payer_reference=pending["payment_reference"],
        slip_name=pending["slip_name"],
    )
    cart.clear(request, f"eft:{scheme}")
    return redirect(f"/employer/eft/confirmation/{payment.reference}")


@router.get("/confirmation/{reference}")
async def confirmation(request: Request, reference: str, employer: Employer = LoggedIn) -> Response:
    payment = portal_of(request).store.payments.payment(reference, employer.code)
    if payment is None or payment.method != "eft":
        return not_found(request, employer)
    return render(request, "eft/confirmation.html", employer=employer, p=payment)
