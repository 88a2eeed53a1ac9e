"""QRG 2 – employer registration over HTTP: public forms, checks, duplicates, the new login."""

from __future__ import annotations

import re

from mock_portal.registration.identifiers import has_valid_check_letter
from tests.mock_portal.browser import Visitor, alert
from tests.mock_portal.registration_forms import (
    CODE,
    DOMESTIC_EMPLOYER,
    NORMAL_EMPLOYER,
    REFERENCE,
    field_errors,
    register_employer,
)
from tests.support.portal import MockPortalProcess


def test_the_login_page_links_to_the_registration_without_a_session(visitor: Visitor) -> None:
    # Given a visitor who has never logged in
    page = visitor.get("/employer/login")
    # When they follow "New Employer Registration"
    assert 'href="/employer/register"' in page.text and "New Employer Registration" in page.text
    choices = visitor.get("/employer/register")
    # Then the three QRG 2 forms are offered
    assert choices.status_code == 200
    for title in ("Normal Employer", "Employer of Foreign Workers", "Domestic Employer"):
        assert title in choices.text


def test_a_normal_employer_gets_a_code_and_its_email_becomes_a_login(
    visitor: Visitor, portal: MockPortalProcess
) -> None:
    # Given the normal employer form filled in, with the SSM certificate
    # When it is submitted and confirmed
    page = register_employer(visitor, "normal", NORMAL_EMPLOYER)
    # Then the portal shows an employer code in PERKESO's format and a case reference
    assert page.status_code == 200, field_errors(page)
    code = CODE.search(page.text).group(1)  # type: ignore[union-attr]
    assert re.fullmatch(r"E\d{10}[A-Z]", code) and has_valid_check_letter(code)
    reference = REFERENCE.search(page.text).group(1)  # type: ignore[union-attr]
    # And the state knows the employer and the submitted case
    state = portal.state()
    [employer] = [e for e in state["employers"] if e["code"] == code]
    assert employer["name"] == "KOPITIAM BINTANG SDN BHD" and employer["ssm"] == "202301012345"
    [case] = [c for c in state["cases"] if c["reference"] == reference]
    assert case["status"] == "submitted" and case["result"]["employer_code"] == code
    assert "mailbox_password" not in case["data"]
    # And the registered email can request a login password at once
    asked = visitor.request_password(NORMAL_EMPLOYER["email"])
    assert asked.url.path == "/employer/login/password", alert(asked)


def test_a_domestic_employer_gets_a_d_code(visitor: Visitor) -> None:
    page = register_employer(visitor, "domestic", DOMESTIC_EMPLOYER)
    assert page.status_code == 200, field_errors(page)
    code = CODE.search(page.text).group(1)  # type: ignore[union-attr]
    assert code.startswith("D") and has_valid_check_letter(code)
    # A generated mailbox password is shown (mock only), since the form gave none
    assert "IMAP password" in page.text


def test_the_same_ssm_number_is_refused(visitor: Visitor) -> None:
    # Given an SSM number already registered (Kedai Runcit Halim's)
    form = {**NORMAL_EMPLOYER, "ssm": "201901000005"}
    # When it is registered again
    page = register_employer(visitor, "normal", form)
    # Then the portal refuses, naming the field and the existing employer
    assert page.status_code == 422
    assert field_errors(page) == [
        "SSM Registration No.: An employer with this SSM registration number is already registered (E1102069801V)."
    ]
    assert 'aria-describedby="err-ssm"' in page.text and 'id="err-ssm"' in page.text


def test_a_second_registration_of_the_new_employer_is_refused(
    visitor: Visitor, other_visitor: Visitor
) -> None:
    assert register_employer(visitor, "normal", NORMAL_EMPLOYER).status_code == 200
    again = register_employer(
        other_visitor, "normal", {**NORMAL_EMPLOYER, "email": "other@kopitiam-bintang.my"}
    )
    assert again.status_code == 422
    assert [e.split(":")[0] for e in field_errors(again)] == ["SSM Registration No."]


def test_every_field_problem_is_listed_with_its_label(visitor: Visitor) -> None:
    form = {
        **DOMESTIC_EMPLOYER,
        "householder_id": "800535105512",
        "email": "not-an-email",
        "first_hire": "2099-01-01",
        "postcode": "4740",
        "city": "",
    }
    page = register_employer(visitor, "domestic", form)
    assert page.status_code == 422
    assert field_errors(page) == [
        "City: This field is required.",
        "MyKad No.: Invalid MyKad number: the birth date or the place-of-birth code is not valid.",
        "Email Address: Invalid email address.",
        "Postcode: Postcode must be 5 digits.",
        "Date First Employee Hired: The date cannot be in the future.",
    ]


def test_a_missing_document_is_refused(visitor: Visitor) -> None:
    visitor.get("/employer/register/normal")
    page = visitor.post("/employer/register/normal", NORMAL_EMPLOYER)
    assert page.status_code == 422
    assert field_errors(page) == ["Supporting Document: A supporting document is required."]
