"""QRG 11 – the bot records resign dates in a real Chromium: one employee chosen by IC, SOCSO number
or name, and each refusal surfaced with the portal's field message."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.core.registration import Termination
from bot.core.settings import Settings
from flows.employee_termination import terminate_employee
from tests.flows.registration_support import document, run_logged_in
from tests.support.portal import MockPortalProcess

pytestmark = pytest.mark.timeout(120)


def employee(portal: MockPortalProcess, id_number: str) -> dict:  # type: ignore[type-arg]
    [found] = [e for e in portal.state()["employees"] if e["id_number"] == id_number]
    return found


@pytest.mark.parametrize("who", ["850612-10-5432", "TAN MEI LING"])
def test_an_employee_chosen_by_ic_or_name_is_terminated(
    settings: Settings, fresh_portal: MockPortalProcess, tmp_path: Path, who: str
) -> None:
    # Given Tan Mei Ling at Halim, and her resignation letter
    letter = document(tmp_path, "letter.pdf", "Resignation Letter")

    async def task(session, registration):  # type: ignore[no-untyped-def]
        return await terminate_employee(
            session, registration, Termination(who, date(2026, 10, 15), "resigned", (letter,))
        )

    # When the bot records her resign date
    result = run_logged_in(settings, "halim", task)
    # Then the portal gives a case update number and the state has her date and reason
    assert result.status == "done", result.detail
    assert result.detail.startswith("RD-")
    left = employee(fresh_portal, "850612105432")
    assert (left["terminated_on"], left["termination_reason"]) == ("2026-10-15", "resigned")


def test_a_foreign_worker_chosen_by_socso_number_dies(
    settings: Settings, fresh_portal: MockPortalProcess, tmp_path: Path
) -> None:
    worker = employee(fresh_portal, "C4582913")  # Supriyadi at Ladang
    certificate = document(tmp_path, "death.pdf", "Death Certificate")

    async def task(session, registration):  # type: ignore[no-untyped-def]
        return await terminate_employee(
            session, registration, Termination(worker["socso_no"], date(2026, 10, 3), "died", (certificate,))
        )

    result = run_logged_in(settings, "ladang", task)
    assert result.status == "done", result.detail
    assert employee(fresh_portal, "C4582913")["termination_reason"] == "died"


@pytest.mark.parametrize(
    "resign_date, documents, message",
    [
        (
            date(2014, 12, 31),
            True,
            "Resign Date: The resign date cannot be before the employment start date (2015-03-01",
        ),
        (date(2099, 1, 1), True, "Resign Date: The date cannot be in the future."),
        (date(2026, 10, 15), False, "Document: At least one supporting document is required."),
    ],
)
def test_the_portals_field_message_is_surfaced(
    settings: Settings,
    fresh_portal: MockPortalProcess,
    tmp_path: Path,
    resign_date: date,
    documents: bool,
    message: str,
) -> None:
    letters = (document(tmp_path, "letter.pdf", "Resignation Letter"),) if documents else ()

    async def task(session, registration):  # type: ignore[no-untyped-def]
        return await terminate_employee(
            session, registration, Termination("850612105432", resign_date, "resigned", letters)
        )

    result = run_logged_in(settings, "halim", task)
    assert (result.status, result.error) == ("failed", "BusinessError")
    assert message in result.detail
    assert employee(fresh_portal, "850612105432")["terminated_on"] is None
