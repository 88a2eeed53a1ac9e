"""QRG 5 on the portal: `FPX PAYMENT` (unpaid ACR/ECR, view, `ADD TO CART`, `PROCEED TO SUMMARY`,
`CONTINUE`, Business Model / `Email Address` / `Bank List`, `PROCEED` → the FPX bank), the outcome
page the bank returns to, the receipt PDF and `Payment History` (every method)."""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from starlette.responses import Response

from mock_portal.contribution.documents import month_label
from mock_portal.pages import render
from mock_portal.payments import cart
from mock_portal.payments.receipt import METHODS, receipt_pdf
from mock_portal.payments.rules import BANKS, BUSINESS_MODELS, fpx_limit_problem
from mock_portal.payments.screens import not_found, redirect
from mock_portal.payments.store import INITIATED, SUCCESSFUL
from mock_portal.portal import portal_of
from mock_portal.sessions import CsrfChecked, LoggedIn
from mock_portal.state import Employer

router = APIRouter(prefix="/employer/payment")
CART = "fpx"


@router.get("/fpx")
async def select(request: Request, employer: Employer = LoggedIn) -> Response:
    payments = portal_of(request).store.payments
    return render(
        request,
        "fpx/select.html",
        employer=employer,
        unpaid=payments.unpaid(employer.code),
        cart=cart.cart(request, employer, CART),
        month_label=month_label,
        alert=request.session.pop("fpx_alert", None),
    )


@router.post("/fpx/cart", dependencies=[CsrfChecked])
async def add_to_cart(request: Request, employer: Employer = LoggedIn) -> Response:
    numbers = [str(n) for n in (await request.form()).getlist("numbers")]
    if not cart.add(request, employer, CART, numbers):
        request.session["fpx_alert"] = "Please select at least one unpaid ACR/ECR."
    return redirect("/employer/payment/fpx")


@router.get("/fpx/summary")
async def summary(request: Request, employer: Employer = LoggedIn) -> Response:
    items = cart.cart(request, employer, CART)
    if not items:
        request.session["fpx_alert"] = "Your cart is empty."
        return redirect("/employer/payment/fpx")
    return render(request, "fpx/summary.html", employer=employer, cart=items, month_label=month_label)


def _details(
    request: Request,
    employer: Employer,
    status_code: int = 200,
    alert: str | None = None,
    form: dict[str, str] | None = None,
) -> Response:
    return render(
        request,
        "fpx/details.html",
        status_code=status_code,
        employer=employer,
        alert=alert,
        cart=cart.cart(request, employer, CART),
        models=BUSINESS_MODELS,
        banks=BANKS,
        form=form or {"email": employer.email},
    )


@router.get("/fpx/details")
async def details(request: Request, employer: Employer = LoggedIn) -> Response:
    if not cart.cart(request, employer, CART):
        return redirect("/employer/payment/fpx")
    return _details(request, employer)


@router.post("/fpx/proceed", dependencies=[CsrfChecked])
async def proceed(
    request: Request,
    employer: Employer = LoggedIn,
    business_model: str = Form(""),
    email: str = Form(""),
    bank: str = Form(""),
) -> Response:
    items = cart.cart(request, employer, CART)
    form = {"business_model": business_model, "email": email, "bank": bank}
    amount = sum(d.amount_sen for d in items)
    problem = None
    if not items:
        problem = "Your cart is empty."
    elif business_model not in BUSINESS_MODELS:
        problem = "Please choose the Business Model."
    elif "@" not in email:
        problem = "Please enter a valid Email Address."
    elif bank not in BANKS:
        problem = "Please choose a bank from the Bank List."
    else:
        problem = fpx_limit_problem(business_model, amount)
    if problem:
        return _details(request, employer, 422, problem, form)
    portal = portal_of(request)
    payment = portal.store.payments.new_payment(
        employer_code=employer.code,
        method="fpx",
        documents=items,
        today=portal.config.current_date(),
        status=INITIATED,
        business_model=business_model,
        bank=bank,
        email=email.strip(),
    )
    cart.clear(request, CART)
    return redirect(f"/fpx-bank/{payment.reference}")


@router.get("/fpx/result/{reference}")
async def result(request: Request, reference: str, employer: Employer = LoggedIn) -> Response:
    payment = portal_of(request).store.payments.payment(reference, employer.code)
    if payment is None:
        return not_found(request, employer)
    return render(request, "fpx/result.html", employer=employer, p=payment, models=BUSINESS_MODELS)


@router.get("/receipts/{reference}")
async def receipt(request: Request, reference: str, employer: Employer = LoggedIn) -> Response:
    payment = portal_of(request).store.payments.payment(reference, employer.code)
    if payment is None or payment.status != SUCCESSFUL:
        return not_found(request, employer)
    return Response(
        receipt_pdf(employer, payment),
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="receipt-{reference}.pdf"'},
    )


@router.get("/history")
async def history(request: Request, employer: Employer = LoggedIn, method: str = "") -> Response:
    payments = portal_of(request).store.payments.history(employer.code, method or None)
    return render(request, "payment/history.html", employer=employer, payments=payments, methods=METHODS)
