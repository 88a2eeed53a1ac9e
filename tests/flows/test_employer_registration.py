"""QRG 2 – the bot registers new employers in a real Chromium, without logging in; the new
employer then logs in with its registered email (QRG 1) like any other."""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path

import pytest
from pydantic import SecretStr

from bot.core.browser import EmployerSession
from bot.core.registration import EmployerApplication
from bot.core.settings import EmployerSettings, MailboxSettings, Settings
from bot.runner import EmployerResult, run_for_employers
from flows.employer_registration import register_employer
from flows.login import log_in
from tests.support.portal import MockPortalProcess

pytestmark = pytest.mark.timeout(120)


def application(tmp_path: Path, **changes: object) -> EmployerApplication:
    document = tmp_path / "ssm.pdf"
    document.write_bytes(b"%PDF-1.4 SSM certificate\n")
    data: dict[str, object] = {
        "kind": "normal",
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
        "first_hire": date(2026, 10, 1),
        "document": document,
        "mailbox_password": "bintang-demo-7",
    }
    return EmployerApplication.model_validate({**data, **changes})


def register(settings: Settings, form: EmployerApplication) -> EmployerResult:
    applicant = EmployerSettings.model_construct(
        name="new-employer",
        employer_code="(new)",
        login_email=form.email,
        password_source="static",
        mailbox=None,
        static_password=None,
    )

    async def work(session: EmployerSession, employer: EmployerSettings, s: Settings) -> str:
        return (await register_employer(session, form, s)).employer_code

    [result] = asyncio.run(run_for_employers(settings, [applicant], work))
    return result


def test_a_normal_employer_registers_and_then_logs_in(
    settings: Settings, fresh_portal: MockPortalProcess, tmp_path: Path
) -> None:
    # Given a new business's application with its SSM certificate
    form = application(tmp_path)
    # When the bot registers it
    result = register(settings, form)
    # Then the portal's employer code comes back and the state has the employer
    assert result.status == "done", result.detail
    code = result.detail
    assert code.startswith("E") and len(code) == 12
    assert any(e["code"] == code and e["email"] == form.email for e in fresh_portal.state()["employers"])
    # And the new employer logs in with the password emailed to its registered address
    newcomer = EmployerSettings(
        name="kopitiam",
        employer_code=code,
        login_email=form.email,
        mailbox=MailboxSettings(
            host=fresh_portal.host,
            port=fresh_portal.imap_port,
            tls=False,
            user=form.email,
            password=SecretStr("bintang-demo-7"),
        ),
    )

    async def login(session: EmployerSession, employer: EmployerSettings, s: Settings) -> str:
        return await (await log_in(session, employer, s)).employer_code()

    [logged_in] = asyncio.run(run_for_employers(settings, [newcomer], login))
    assert (logged_in.status, logged_in.detail) == ("done", code)


def test_a_domestic_employer_gets_a_d_code(
    settings: Settings, fresh_portal: MockPortalProcess, tmp_path: Path
) -> None:
    form = application(
        tmp_path,
        kind="domestic",
        householder_name="Rohani binti Ismail",
        householder_id="800505105512",
        employer_name=None,
        ssm=None,
        business_type=None,
        contact_name=None,
        email="rohani@emel.my",
    )
    result = register(settings, form)
    assert result.status == "done", result.detail
    assert result.detail.startswith("D")


def test_a_duplicate_ssm_number_is_refused_with_the_portals_message(
    settings: Settings, fresh_portal: MockPortalProcess, tmp_path: Path
) -> None:
    result = register(settings, application(tmp_path, ssm="201901000005"))
    assert (result.status, result.error) == ("failed", "BusinessError")
    assert (
        "SSM Registration No.: An employer with this SSM registration number is already registered (E1102069801V)."
        in result.detail
    )
    assert not [c for c in fresh_portal.state()["cases"] if c["kind"] == "employer"]
