"""Keeping the portal in step with the payroll: the plan (payroll vs the portal's Employee List)
and applying it in a real Chromium, twice: the second run finds nothing to do."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.core.contributions import Month, import_payroll
from bot.core.settings import Settings
from flows.employee_sync import apply_plan, plan_sync
from flows.pages.registration import PortalEmployee
from tests.flows.registration_support import halim_payroll, run_logged_in
from tests.support.portal import MockPortalProcess

pytestmark = pytest.mark.timeout(180)
HALIM = "E1102069801V"


def on_portal(id_number: str, start: str = "2018-03-01", left: str | None = None) -> PortalEmployee:
    return PortalEmployee(
        id_number, "X", id_number, date.fromisoformat(start), date.fromisoformat(left) if left else None
    )


def test_the_plan_registers_joiners_terminates_leavers_and_leaves_the_rest(tmp_path: Path) -> None:
    # Given Halim's payroll (2 joiners, 1 leaver) and the portal's four employees plus one not on the payroll
    payroll, month = halim_payroll(tmp_path)
    rows = import_payroll(payroll, Month.parse(month))
    portal = [
        on_portal(i) for i in ("900101145677", "850612105432", "640101081235", "020315012346", "700101145511")
    ]
    # When they are compared
    plan = plan_sync(rows, portal)
    # Then the joiners are registered from their B date, the leaver terminated on her H date
    assert [(j.employee.id_number, j.start_date.day) for j in plan.joiners] == [
        ("930722105540", 2),
        ("960415145521", 3),
    ]
    assert [(x.employee.id_number, x.resign_date.day, x.reason) for x in plan.leavers] == [
        ("850612105432", 15, "resigned")
    ]
    # And the employee missing from the payroll is only reported
    assert plan.problems == [] and plan.notes == [
        "X (700101145511) is on the portal but not in the payroll: left as is"
    ]


def test_the_plan_is_empty_once_the_portal_matches(tmp_path: Path) -> None:
    payroll, month = halim_payroll(tmp_path)
    rows = import_payroll(payroll, Month.parse(month))
    left = rows[1].status_date.isoformat()  # type: ignore[union-attr]
    portal = [
        on_portal(i) for i in ("900101145677", "640101081235", "020315012346", "930722105540", "960415145521")
    ]
    portal.append(on_portal("850612105432", left=left))
    plan = plan_sync(rows, portal)
    assert plan.changes == 0 and plan.problems == [] and plan.lines() == []


def test_a_joiner_without_a_start_date_is_a_problem(tmp_path: Path) -> None:
    payroll = tmp_path / "p.csv"
    payroll.write_text("id_number,name,wages\n930722-10-5540,Lee Siew Mei,2100.00\n", encoding="utf-8")
    plan = plan_sync(import_payroll(payroll, Month.of(date.today())), [])
    assert plan.joiners == [] and "Lee Siew Mei".upper() in plan.problems[0].upper()


def test_two_joiners_and_a_leaver_are_applied_and_a_second_run_changes_nothing(
    settings: Settings, fresh_portal: MockPortalProcess, tmp_path: Path
) -> None:
    payroll, month = halim_payroll(tmp_path)
    rows = import_payroll(payroll, Month.parse(month))

    async def sync(session, registration):  # type: ignore[no-untyped-def]
        listing = await registration.open_employee_list()
        plan = plan_sync(rows, await listing.employees())
        await registration.reopen()
        return (await apply_plan(session, registration, plan, "EMPLOYEE", tmp_path / "documents")).summary()

    # When the bot syncs Halim
    first = run_logged_in(settings, "halim", sync)
    # Then both joiners are registered, the leaver has her date, and the list matches the payroll
    assert first.status == "done", first.detail
    assert first.detail.count("registered ") == 2 and first.detail.count("terminated ") == 1
    employees = {e["id_number"]: e for e in fresh_portal.state()["employees"] if e["employer_code"] == HALIM}
    assert {"930722105540", "960415145521"} <= set(employees)
    assert employees["850612105432"]["terminated_on"] == rows[1].status_date.isoformat()  # type: ignore[union-attr]
    # And a second run finds nothing to do
    second = run_logged_in(settings, "halim", sync)
    assert (second.status, second.detail) == ("done", "nothing to do: the portal matches the payroll")
