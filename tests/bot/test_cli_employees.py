"""`assist-bot employees add|terminate|sync` and `register-employer` as users run them: a real
process, the real portal, the contract's exit codes, the portal's field messages on stdout."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.bot.test_cli import assist_bot
from tests.flows.registration_support import halim_payroll
from tests.support.portal import MockPortalProcess

pytestmark = pytest.mark.timeout(180)
HALIM = "E1102069801V"


def halim_employees(portal: MockPortalProcess) -> dict[str, dict]:  # type: ignore[type-arg]
    return {e["id_number"]: e for e in portal.state()["employees"] if e["employer_code"] == HALIM}


def test_sync_dry_run_prints_the_plan_and_changes_nothing(
    fresh_portal: MockPortalProcess, demo_portfolio: Path, tmp_path: Path
) -> None:
    payroll, month = halim_payroll(tmp_path)
    done = assist_bot(
        "--portfolio",
        str(demo_portfolio),
        "employees",
        "sync",
        "-e",
        "halim",
        "--payroll",
        str(payroll),
        "--month",
        month,
        "--dry-run",
        "--json",
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    [result] = json.loads(done.stdout)["results"]
    assert "register LEE SIEW MEI (930722105540)" in result["detail"]
    assert "register HAFIZ BIN KAMARUL (960415145521)" in result["detail"]
    assert "terminate TAN MEI LING (850612105432)" in result["detail"]
    assert len(halim_employees(fresh_portal)) == 4 and fresh_portal.state()["cases"] == []


def test_sync_makes_the_portal_match_and_a_second_run_changes_nothing(
    fresh_portal: MockPortalProcess, demo_portfolio: Path, tmp_path: Path
) -> None:
    # Given Halim's payroll with two joiners and one leaver, and their documents
    payroll, month = halim_payroll(tmp_path)
    args = (
        "--portfolio",
        str(demo_portfolio),
        "employees",
        "sync",
        "-e",
        "halim",
        "--payroll",
        str(payroll),
        "--month",
        month,
        "--documents",
        str(tmp_path / "documents"),
        "--json",
    )
    # When `employees sync` runs
    first = assist_bot(*args, cwd=tmp_path)
    # Then it exits 0, and the portal's list has the joiners and the leaver's date
    assert first.returncode == 0, first.stdout + first.stderr
    employees = halim_employees(fresh_portal)
    assert len(employees) == 6 and employees["850612105432"]["terminated_on"] is not None
    assert sorted(c["kind"] for c in fresh_portal.state()["cases"]) == ["employee", "employee", "resign"]
    # And a second run changes nothing
    second = assist_bot(*args, cwd=tmp_path)
    assert second.returncode == 0, second.stdout + second.stderr
    [result] = json.loads(second.stdout)["results"]
    assert result["detail"] == "nothing to do: the portal matches the payroll"
    assert len(fresh_portal.state()["cases"]) == 3


def test_add_prints_the_case_reference(
    fresh_portal: MockPortalProcess, demo_portfolio: Path, tmp_path: Path
) -> None:
    (tmp_path / "mykad.pdf").write_bytes(b"%PDF-1.4\n")
    done = assist_bot(
        "--portfolio",
        str(demo_portfolio),
        "employees",
        "add",
        "-e",
        "halim",
        "--id",
        "930722-10-5540",
        "--start-date",
        "2026-11-02",
        "--occupation",
        "Kerani",
        "--document",
        str(tmp_path / "mykad.pdf"),
        "--json",
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    [result] = json.loads(done.stdout)["results"]
    assert result["detail"].startswith("registered 930722-10-5540: case NE-")
    assert halim_employees(fresh_portal)["930722105540"]["name"] == "LEE SIEW MEI"


@pytest.mark.parametrize(
    "args, message",
    [
        (
            ["add", "--id", "961345-14-5521", "--start-date", "2026-11-02", "--occupation", "Kerani"],
            "Identification No.: Invalid MyKad number",
        ),
        (
            ["terminate", "--employee", "850612105432", "--date", "2014-12-31", "--reason", "resigned"],
            "Resign Date: The resign date cannot be before the employment start date",
        ),
    ],
)
def test_an_invalid_input_exits_1_with_the_portals_field_message(
    fresh_portal: MockPortalProcess, demo_portfolio: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    (tmp_path / "doc.pdf").write_bytes(b"%PDF-1.4\n")
    done = assist_bot(
        "--portfolio",
        str(demo_portfolio),
        "employees",
        args[0],
        "-e",
        "halim",
        *args[1:],
        "--document",
        str(tmp_path / "doc.pdf"),
        "--json",
        cwd=tmp_path,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    [result] = json.loads(done.stdout)["results"]
    assert result["error"] == "BusinessError" and message in result["detail"]


def test_a_missing_document_file_is_bad_usage(
    fresh_portal: MockPortalProcess, demo_portfolio: Path, tmp_path: Path
) -> None:
    done = assist_bot(
        "--portfolio",
        str(demo_portfolio),
        "employees",
        "terminate",
        "-e",
        "halim",
        "--employee",
        "TAN MEI LING",
        "--date",
        "2026-10-15",
        "--reason",
        "resigned",
        "--document",
        "",
        "--json",
        cwd=tmp_path,
    )
    assert done.returncode == 64  # an empty --document is bad usage, found before the portal is asked


APPLICATION = """
kind = "normal"
employer_name = "Kopitiam Bintang Sdn Bhd"
ssm = "{ssm}"
business_type = "Private Limited Company (Sdn Bhd)"
address1 = "10 Jalan Bintang"
postcode = "50200"
city = "Kuala Lumpur"
state = "WILAYAH PERSEKUTUAN KUALA LUMPUR"
contact_name = "Tan Ah Meng"
phone = "0321234567"
email = "admin@kopitiam-bintang.my"
first_hire = 2026-10-01
document = "ssm.pdf"
mailbox_password = "bintang-demo-7"
"""


def test_register_employer_prints_the_new_code(
    fresh_portal: MockPortalProcess, demo_portfolio: Path, tmp_path: Path
) -> None:
    (tmp_path / "ssm.pdf").write_bytes(b"%PDF-1.4 SSM\n")
    (tmp_path / "kopitiam.toml").write_text(APPLICATION.format(ssm="202301012345"), encoding="utf-8")
    done = assist_bot(
        "--portfolio",
        str(demo_portfolio),
        "register-employer",
        "--from",
        str(tmp_path / "kopitiam.toml"),
        "--json",
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    [result] = json.loads(done.stdout)["results"]
    code = result["detail"].split(" registered as ")[1].split()[0]
    assert code in {e["code"] for e in fresh_portal.state()["employers"]}
    assert "bintang-demo-7" not in done.stdout + done.stderr


def test_register_employer_with_a_taken_ssm_exits_1_with_the_portals_message(
    demo_portfolio: Path, tmp_path: Path
) -> None:
    (tmp_path / "ssm.pdf").write_bytes(b"%PDF-1.4 SSM\n")
    (tmp_path / "dup.json").write_text(
        json.dumps(
            {
                "employer_name": "Halim Lagi",
                "ssm": "201901000005",
                "business_type": "Sole Proprietorship",
                "address1": "1 Jalan",
                "postcode": "50200",
                "city": "KL",
                "state": "SELANGOR",
                "contact_name": "Halim",
                "phone": "03",
                "email": "halim2@emel.my",
                "first_hire": "2026-01-01",
                "document": "ssm.pdf",
            }
        ),
        encoding="utf-8",
    )
    done = assist_bot(
        "--portfolio",
        str(demo_portfolio),
        "register-employer",
        "--from",
        str(tmp_path / "dup.json"),
        "--json",
        cwd=tmp_path,
    )
    assert done.returncode == 1
    [result] = json.loads(done.stdout)["results"]
    assert (
        "SSM Registration No.: An employer with this SSM registration number is already registered"
        in result["detail"]
    )
