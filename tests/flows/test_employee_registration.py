"""QRG 3 / QRG 10 – the bot registers employees in a real Chromium against the mock portal:
a person PERKESO knows (the search fills in the details), a new person, a foreign worker, and
each refusal surfaced with the portal's field message."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from bot.core.registration import NewEmployee
from bot.core.settings import Settings
from flows.employee_registration import add_employee
from tests.flows.registration_support import document, run_logged_in
from tests.support.portal import MockPortalProcess

pytestmark = pytest.mark.timeout(120)
HALIM = "E1102069801V"


def halim_employees(portal: MockPortalProcess) -> dict[str, dict]:  # type: ignore[type-arg]
    return {e["id_number"]: e for e in portal.state()["employees"] if e["employer_code"] == HALIM}


def newcomer(tmp_path: Path, **changes: object) -> NewEmployee:
    base = NewEmployee(
        id_number="960415-14-5521",
        foreign=False,
        employment_date=date(2026, 11, 2),
        occupation="Cashier",
        documents=(document(tmp_path, "mykad.pdf", "Copy of MyKad"),),
        name="Hafiz bin Kamarul",
        date_of_birth=date(1996, 4, 15),
        gender="M",
        wages_sen=180000,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def test_a_person_perkeso_knows_is_filled_in_by_the_search(
    settings: Settings, fresh_portal: MockPortalProcess, tmp_path: Path
) -> None:
    # Given Lee Siew Mei, in PERKESO's registry, and only her MyKad and job on the bot's side
    known = newcomer(tmp_path, id_number="930722105540", name=None, date_of_birth=None, gender=None)

    async def task(session, registration):  # type: ignore[no-untyped-def]
        added = await add_employee(session, registration, known)
        return f"{added.case_reference} {added.socso_no} {added.known_to_perkeso}"

    # When the bot adds her to Halim
    result = run_logged_in(settings, "halim", task)
    # Then the portal gives a case reference, and her registry details are on Halim's list
    assert result.status == "done", result.detail
    reference, socso_no, known_flag = result.detail.split()
    assert reference.startswith("NE-") and socso_no == "930722105540" and known_flag == "True"
    added = halim_employees(fresh_portal)["930722105540"]
    assert (added["name"], added["date_of_birth"], added["gender"]) == ("LEE SIEW MEI", "1993-07-22", "F")
    assert "01-login-email.png" in result.screenshots and any(
        "added-employee" in s for s in result.screenshots
    )


def test_a_new_person_is_registered_with_the_details_given(
    settings: Settings, fresh_portal: MockPortalProcess, tmp_path: Path
) -> None:
    async def task(session, registration):  # type: ignore[no-untyped-def]
        return (await add_employee(session, registration, newcomer(tmp_path))).case_reference

    result = run_logged_in(settings, "halim", task)
    assert result.status == "done", result.detail
    added = halim_employees(fresh_portal)["960415145521"]
    assert (added["name"], added["wages_sen"], added["occupation"]) == (
        "HAFIZ BIN KAMARUL",
        180000,
        "CASHIER",
    )
    [case] = [c for c in fresh_portal.state()["cases"] if c["reference"] == result.detail]
    assert case["documents"][0]["type"] == "Copy of MyKad"


def test_a_foreign_worker_gets_a_socso_foreign_worker_number(
    settings: Settings, fresh_portal: MockPortalProcess, tmp_path: Path
) -> None:
    worker = newcomer(
        tmp_path,
        id_number="A9988776",
        foreign=True,
        name="Ye Lin Aung",
        date_of_birth=date(1995, 5, 5),
        nationality="MYANMAR",
        permit_no="PLKS2026-0042",
        permit_expiry=date(2027, 10, 31),
        documents=(document(tmp_path, "passport.pdf", "Passport"),),
    )

    async def task(session, registration):  # type: ignore[no-untyped-def]
        return str((await add_employee(session, registration, worker)).socso_no)

    result = run_logged_in(settings, "ladang", task)
    assert result.status == "done", result.detail
    [added] = [e for e in fresh_portal.state()["employees"] if e["id_number"] == "A9988776"]
    assert added["employer_code"] == "E6407788046W" and added["socso_no"] == result.detail
    assert len(result.detail) == 12 and added["citizenship"] == "foreign"


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"id_number": "961345-14-5521"}, "Identification No.: Invalid MyKad number"),
        (
            {"employment_date": date(2099, 1, 1)},
            "Employment Start Date: The start date cannot be in the future.",
        ),
        (
            {"id_number": "900101145677"},
            "Identification No.: This employee is already registered with this employer.",
        ),
        ({"documents": ()}, "Document: At least one supporting document is required."),
    ],
)
def test_the_portals_field_message_is_surfaced(
    settings: Settings,
    fresh_portal: MockPortalProcess,
    tmp_path: Path,
    changes: dict[str, object],
    message: str,
) -> None:
    async def task(session, registration):  # type: ignore[no-untyped-def]
        return (await add_employee(session, registration, newcomer(tmp_path, **changes))).case_reference

    result = run_logged_in(settings, "halim", task)
    assert (result.status, result.error) == ("failed", "BusinessError")
    assert message in result.detail
    assert "960415145521" not in halim_employees(fresh_portal)
