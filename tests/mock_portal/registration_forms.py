"""Form data of the registration tests: a valid employer application and new employees."""

from __future__ import annotations

import re

import httpx

from tests.mock_portal.browser import Visitor

SUMMARY_ITEM = re.compile(r"<li>([^<]*)</li>")
CODE = re.compile(r"Employer Code: <strong class=\"code\">([A-Z0-9]+)</strong>")
REFERENCE = re.compile(
    r"(?:Case Reference No\.|Request Case Update Number): <strong class=\"code\">([A-Z0-9-]+)</strong>"
)
SOCSO_NO = re.compile(r"SOCSO No\.: <strong class=\"code\">([A-Z0-9]+)</strong>")

NORMAL_EMPLOYER = {
    "employer_name": "Kopitiam Bintang Sdn Bhd",
    "ssm": "202301012345",
    "business_type": "Private Limited Company (Sdn Bhd)",
    "address1": "10 Jalan Bintang",
    "postcode": "50200",
    "city": "Kuala Lumpur",
    "state": "WILAYAH PERSEKUTUAN KUALA LUMPUR",
    "contact_name": "Tan Ah Meng",
    "phone": "0321234567",
    "email": "admin@kopitiam-bintang.my",
    "first_hire": "2026-10-01",
    "mailbox_password": "bintang-demo-7",
}
DOMESTIC_EMPLOYER = {
    "householder_name": "Rohani binti Ismail",
    "householder_id": "800505105512",
    "address1": "5 Jalan Mawar",
    "postcode": "47400",
    "city": "Petaling Jaya",
    "state": "SELANGOR",
    "phone": "0123456789",
    "email": "rohani@emel.my",
    "first_hire": "2026-09-15",
}
LOCAL_NEWCOMER = {
    "id_number": "960415-14-5521",
    "register_new": "1",
    "name": "Hafiz bin Kamarul",
    "date_of_birth": "1996-04-15",
    "gender": "M",
    "citizenship": "citizen",
    "employment_date": "2026-11-02",
    "occupation": "Cashier",
    "wages": "1800.00",
}
FOREIGN_NEWCOMER = {
    "id_number": "A9988776",
    "register_new": "1",
    "name": "Ye Lin Aung",
    "date_of_birth": "1995-05-05",
    "gender": "M",
    "nationality": "MYANMAR",
    "permit_no": "PLKS2026-0042",
    "permit_expiry": "2027-10-31",
    "employment_date": "2026-11-02",
    "occupation": "General Worker",
    "wages": "1700.00",
}
DOCUMENT = ("mykad.pdf", b"%PDF-1.4 copy of MyKad\n", "application/pdf")


def field_errors(page: httpx.Response) -> list[str]:
    """The role=alert summary's "Label: message" lines."""
    alert = page.text.split('role="alert"', 1)
    return SUMMARY_ITEM.findall(alert[1].split("</div>", 1)[0]) if len(alert) == 2 else []


def post_files(
    visitor: Visitor, path: str, data: dict[str, str], files: dict[str, tuple[str, bytes, str]]
) -> httpx.Response:
    """A multipart form post with the CSRF token of the last page."""
    assert visitor.page is not None
    token = re.search(r'name="csrf_token" value="([^"]+)"', visitor.page.text)
    assert token
    visitor.page = visitor.client.post(path, data={**data, "csrf_token": token.group(1)}, files=files)
    return visitor.page


def register_employer(visitor: Visitor, kind: str, form: dict[str, str]) -> httpx.Response:
    """QRG 2 up to CONFIRM; returns the last page."""
    visitor.get(f"/employer/register/{kind}")
    page = post_files(visitor, f"/employer/register/{kind}", form, {"document": DOCUMENT})
    if page.status_code != 200 or "CONFIRM" not in page.text:
        return page
    case_path = page.url.path
    return visitor.post(f"{case_path}/confirm", {})


def add_employee(visitor: Visitor, kind: str, form: dict[str, str], document: bool = True) -> httpx.Response:
    """QRG 10 from the form to CONFIRM; returns the last page (the form again when refused)."""
    visitor.get(f"/employer/registration/update/new-employee/add/{kind}")
    page = visitor.post(f"/employer/registration/update/new-employee/add/{kind}", {**form, "action": "save"})
    if not page.url.path.endswith("/eis"):
        return page
    case = page.url.path.rsplit("/", 1)[0]
    return finish_case(visitor, case, document)


def finish_case(
    visitor: Visitor, case: str, document: bool = True, doc_type: str | None = None
) -> httpx.Response:
    """Documents → SAVE & CONTINUE → SUBMIT → CONFIRM of an open case (`/employer/registration/cases/N`)."""
    visitor.post(f"{case}/eis", {}) if visitor.page and visitor.page.url.path.endswith(
        "/eis"
    ) else visitor.get(f"{case}/documents")
    if document:
        types = re.findall(r'<option value="([^"]+)"', visitor.page.text if visitor.page else "")
        post_files(
            visitor, f"{case}/documents", {"document_type": doc_type or types[0]}, {"document": DOCUMENT}
        )
    page = visitor.post(f"{case}/documents/continue", {})
    if page.status_code != 200 or "SUBMIT" not in page.text:
        return page
    visitor.post(f"{case}/submit", {})
    return visitor.post(f"{case}/confirm", {})
