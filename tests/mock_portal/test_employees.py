"""Registered employees: the seed, the store functions and their place in /_mock/state."""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path

from stdnum.my import nric

from bot.core.contributions import Month, import_payroll
from mock_portal.employees import Employees, read_seed_employees
from mock_portal.seed import load_seed
from mock_portal.state import Store
from tests.support.demo_portfolio import DEMO_PORTFOLIO
from tests.support.portal import MockPortalProcess

DEMO = DEMO_PORTFOLIO.parent
SEED = load_seed(DEMO / "employers.toml")


def _store(tmp_path: Path) -> Store:
    store = Store(tmp_path / "portal.sqlite", clock=lambda: 1_795_000_000.0)  # 2026-11-18
    store.load(SEED)
    return store


def test_every_demo_employer_has_three_to_eight_employees_and_one_aged_60_or_more() -> None:
    rows = read_seed_employees(DEMO / "employees.csv")
    for employer in SEED.employers:
        mine = [r for r in rows if r["employer_code"] == employer.code]
        assert 3 <= len(mine) <= 8, employer.code
        assert any(date.fromisoformat(r["date_of_birth"]) <= date(1966, 10, 1) for r in mine), employer.code


def test_local_ids_are_valid_mykads_matching_birth_date_and_gender() -> None:
    for row in read_seed_employees(DEMO / "employees.csv"):
        if row["id_type"] != "mykad":
            assert (
                row["citizenship"] == "foreign" and len(row["socso_no"]) == 12 and row["socso_no"].isdigit()
            )
            continue
        number = row["id_number"]
        assert nric.is_valid(number), number
        assert number[:6] == date.fromisoformat(row["date_of_birth"]).strftime("%y%m%d")
        assert (int(number[-1]) % 2 == 1) == (row["gender"] == "M"), number
        assert row["socso_no"] == number


def test_foreign_workers_belong_to_the_foreign_worker_and_domestic_employers() -> None:
    kinds = {e.code: e.kind for e in SEED.employers}
    rows = read_seed_employees(DEMO / "employees.csv")
    foreign = {kinds[r["employer_code"]] for r in rows if r["citizenship"] == "foreign"}
    assert foreign == {"foreign-workers", "domestic"}
    assert all(r["domestic"] == (kinds[r["employer_code"]] == "domestic") for r in rows)


def test_employees_of_a_month_leave_out_the_terminated_and_the_not_yet_employed(tmp_path: Path) -> None:
    # Given murni's seed: Hasnah terminated 2026-08-31
    employees = _store(tmp_path).employees
    code = "E5306677035T"
    # Then she is active in August, gone in September; Kumar (restoran) starts 2024-10-07
    assert "870707105522" in {e.id_number for e in employees.employees_of(code, "2026-08")}
    assert "870707105522" not in {e.id_number for e in employees.employees_of(code, "2026-09")}
    assert len(employees.employees_of(code)) == 8
    assert "920715134445" not in {e.id_number for e in employees.employees_of("E4205566024R", "2024-09")}
    assert "920715134445" in {e.id_number for e in employees.employees_of("E4205566024R", "2024-10")}


def test_add_find_and_terminate(tmp_path: Path) -> None:
    employees: Employees = _store(tmp_path).employees
    # When an employee is added with dashes in the MyKad
    added = employees.add_employee(
        "E1102069801V",
        id_type="mykad",
        id_number="990101-14-5671",
        name="Baru bin Masuk",
        citizenship="citizen",
        date_of_birth="1999-01-01",
        gender="M",
        employment_date="2026-11-02",
    )
    # Then it is found by number or row id, filed under its MyKad, registered "today"
    assert employees.find_employee("E1102069801V", "990101145671") == added
    assert employees.find_employee("E1102069801V", added.id) == added
    assert added.socso_no == "990101145671" and added.name == "BARU BIN MASUK"
    assert added.registered_on == "2026-11-18"
    # And not found for another employer; a foreign worker is found by the SSFW number
    assert employees.find_employee("E2303381002K", "990101145671") is None
    assert employees.find_employee("E6407788046W", "202301004512").name == "SUPRIYADI"  # type: ignore[union-attr]
    # When terminated at the end of November, active in November, not December
    employees.terminate_employee("E1102069801V", added.id, "2026-11-30", "resigned")
    assert added.id in {e.id for e in employees.employees_of("E1102069801V", "2026-11")}
    assert added.id not in {e.id for e in employees.employees_of("E1102069801V", "2026-12")}


def test_the_demo_payrolls_match_the_registered_employees() -> None:
    rows = read_seed_employees(DEMO / "employees.csv")
    portfolio = tomllib.loads((DEMO / "portfolio.toml").read_text(encoding="utf-8"))
    assert len(portfolio["employers"]) == len(SEED.employers)
    for employer in portfolio["employers"]:
        payroll = import_payroll(DEMO / employer["payroll"], Month(2026, 10), today=date(2026, 11, 26))
        active = {
            r["socso_no"]
            for r in rows
            if r["employer_code"] == employer["employer_code"] and not r["terminated_on"]
        }
        assert {e.id_number for e in payroll} == active, employer["name"]


def test_state_lists_the_employees(fresh_portal: MockPortalProcess) -> None:
    employees = fresh_portal.state()["employees"]
    assert len(employees) == len(read_seed_employees(DEMO / "employees.csv"))
    ali = next(e for e in employees if e["id_number"] == "900101145677")
    assert ali["employer_code"] == "E1102069801V" and ali["citizenship"] == "citizen"
    assert ali["wages_sen"] == 170000 and ali["terminated_on"] is None and ali["domestic"] is False
