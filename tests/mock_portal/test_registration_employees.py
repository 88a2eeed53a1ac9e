"""QRG 3 / 10 / 11 over HTTP: adding local and foreign employees, the search that fills in a known
person, terminating, the employee list, and each field check with the portal's message."""

from __future__ import annotations

import pytest

from tests.mock_portal.browser import HALIM, Visitor
from tests.mock_portal.registration_forms import (
    FOREIGN_NEWCOMER,
    LOCAL_NEWCOMER,
    REFERENCE,
    SOCSO_NO,
    add_employee,
    field_errors,
    finish_case,
)
from tests.support.portal import MockPortalProcess

LADANG = "zainal+ladang@pejabat-zainal.my"
HALIM_CODE = "E1102069801V"


def employees_of(portal: MockPortalProcess, code: str) -> dict[str, dict]:  # type: ignore[type-arg]
    return {e["id_number"]: e for e in portal.state()["employees"] if e["employer_code"] == code}


def test_the_registration_site_offers_the_qrg_10_path(visitor: Visitor) -> None:
    visitor.login(HALIM)
    site = visitor.get("/employer/registration")
    assert "<summary>Update</summary>" in site.text and "Update Add New Employee" in site.text
    assert "Update Employee Resign Date" in site.text and "Employee List" in site.text
    cases = visitor.get("/employer/registration/update/new-employee")
    assert 'aria-label="Add employee"' in cases.text and "ADD EMPLOYEE" not in cases.text
    menu = visitor.get("/employer/registration/update/new-employee?add=1")
    assert "ADD EMPLOYEE" in menu.text and "ADD FOREIGN EMPLOYEE" in menu.text


def test_the_search_fills_in_a_person_perkeso_knows(visitor: Visitor) -> None:
    visitor.login(HALIM)
    visitor.get("/employer/registration/update/new-employee/add/local")
    page = visitor.post(
        "/employer/registration/update/new-employee/add/local",
        {"id_number": "930722-10-5540", "action": "search"},
    )
    assert "Employee found in PERKESO records" in page.text
    assert 'value="LEE SIEW MEI"' in page.text and 'value="1993-07-22"' in page.text
    assert "Register New Employee" not in page.text


def test_an_unknown_person_must_be_registered_as_new(visitor: Visitor) -> None:
    visitor.login(HALIM)
    visitor.get("/employer/registration/update/new-employee/add/local")
    found = visitor.post(
        "/employer/registration/update/new-employee/add/local",
        {"id_number": LOCAL_NEWCOMER["id_number"], "action": "search"},
    )
    assert "No record found" in found.text and "Register New Employee" in found.text
    page = add_employee(visitor, "local", {**LOCAL_NEWCOMER, "register_new": ""})
    assert field_errors(page) == [
        "Register New Employee: PERKESO has no record of this Identification No.: tick Register New Employee."
    ]


def test_a_known_local_employee_is_added_end_to_end(visitor: Visitor, portal: MockPortalProcess) -> None:
    # Given Halim logged in, and a person PERKESO knows
    visitor.login(HALIM)
    form = {
        "id_number": "930722105540",
        "employment_date": "2026-11-02",
        "occupation": "Kerani",
        "wages": "2100",
    }
    # When the employee is added, documents, SUBMIT, CONFIRM
    page = add_employee(visitor, "local", form)
    # Then a case reference is shown, and the employee is on Halim's list with the registry's details
    assert page.status_code == 200, field_errors(page)
    assert REFERENCE.search(page.text).group(1).startswith("NE-")  # type: ignore[union-attr]
    added = employees_of(portal, HALIM_CODE)["930722105540"]
    assert added["name"] == "LEE SIEW MEI" and added["gender"] == "F" and added["socso_no"] == "930722105540"
    assert added["employment_date"] == "2026-11-02" and added["wages_sen"] == 210000
    assert "LEE SIEW MEI" in visitor.get("/employer/registration/employees").text


def test_a_new_foreign_worker_gets_a_socso_foreign_worker_number(
    visitor: Visitor, portal: MockPortalProcess
) -> None:
    visitor.login(LADANG)
    page = add_employee(visitor, "foreign", FOREIGN_NEWCOMER)
    assert page.status_code == 200, field_errors(page)
    ssfw = SOCSO_NO.search(page.text).group(1)  # type: ignore[union-attr]
    assert len(ssfw) == 12 and ssfw.isdigit()
    added = employees_of(portal, "E6407788046W")["A9988776"]
    assert (
        added["socso_no"] == ssfw and added["citizenship"] == "foreign" and added["nationality"] == "MYANMAR"
    )
    assert "EIS Start Date" not in page.text


@pytest.mark.parametrize(
    "change, message",
    [
        (
            {"id_number": "961345-14-5521"},
            "Identification No.: Invalid MyKad number: the birth date or the place-of-birth code is not valid.",
        ),
        (
            {"id_number": "12345"},
            "Identification No.: Invalid MyKad number: 12 digits are required (YYMMDD-PB-###G).",
        ),
        ({"employment_date": "2099-01-01"}, "Employment Start Date: The start date cannot be in the future."),
        (
            {"id_number": "900101145677"},
            "Identification No.: This employee is already registered with this employer.",
        ),
        (
            {"date_of_birth": "1996-04-16"},
            "Date of Birth: The date of birth does not match the MyKad number.",
        ),
    ],
)
def test_each_invalid_input_gets_its_field_message(
    visitor: Visitor, change: dict[str, str], message: str
) -> None:
    visitor.login(HALIM)
    page = add_employee(visitor, "local", {**LOCAL_NEWCOMER, **change})
    assert page.status_code == 422
    assert field_errors(page) == [message]


def test_a_case_without_a_document_cannot_continue(visitor: Visitor, portal: MockPortalProcess) -> None:
    visitor.login(HALIM)
    page = add_employee(visitor, "local", LOCAL_NEWCOMER, document=False)
    assert page.status_code == 422
    assert field_errors(page) == ["Document: At least one supporting document is required."]
    assert "960415145521" not in employees_of(portal, HALIM_CODE)


def resign(visitor: Visitor, form: dict[str, str]):  # type: ignore[no-untyped-def]
    visitor.get("/employer/registration/update/resign")
    page = visitor.post("/employer/registration/update/resign", form)
    if not page.url.path.endswith("/documents"):
        return page
    return finish_case(visitor, page.url.path.rsplit("/", 1)[0], doc_type="Resignation Letter")


def test_a_specific_employee_is_terminated_and_leaves_the_next_months_list(
    visitor: Visitor, portal: MockPortalProcess
) -> None:
    # Given Tan Mei Ling, employed at Halim since 2015
    visitor.login(HALIM)
    # When her resign date is recorded (reason: resigned)
    page = resign(
        visitor,
        {"scope": "specific", "employee": "850612105432", "resign_date": "2026-10-15", "reason": "resigned"},
    )
    # Then the portal gives a case update number and records the date and reason
    assert page.status_code == 200, field_errors(page)
    assert REFERENCE.search(page.text).group(1).startswith("RD-")  # type: ignore[union-attr]
    left = employees_of(portal, HALIM_CODE)["850612105432"]
    assert (left["terminated_on"], left["termination_reason"]) == ("2026-10-15", "resigned")
    listing = visitor.get("/employer/registration/employees").text
    assert "2026-10-15" in listing and "Left" in listing


@pytest.mark.parametrize(
    "form, message",
    [
        (
            {"employee": "850612105432", "resign_date": "2014-12-31"},
            "Resign Date: The resign date cannot be before the employment start date (2015-03-01, TAN MEI LING).",
        ),
        (
            {"employee": "850612105432", "resign_date": "2099-01-01"},
            "Resign Date: The date cannot be in the future.",
        ),
        ({"employee": "", "resign_date": "2026-10-15"}, "Employee: This field is required."),
    ],
)
def test_termination_field_checks(visitor: Visitor, form: dict[str, str], message: str) -> None:
    visitor.login(HALIM)
    page = resign(visitor, {"scope": "specific", "reason": "resigned", **form})
    assert page.status_code == 422
    assert field_errors(page) == [message]


def test_all_employees_leave_on_one_date(visitor: Visitor, portal: MockPortalProcess) -> None:
    visitor.login(HALIM)
    page = resign(visitor, {"scope": "all", "resign_date": "2026-10-31", "reason": "end-of-contract"})
    assert page.status_code == 200, field_errors(page)
    assert {e["terminated_on"] for e in employees_of(portal, HALIM_CODE).values()} == {"2026-10-31"}
