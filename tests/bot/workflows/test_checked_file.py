"""The month's submission is the very file its textfile step built and checked (issue 12).

Real DBOS (SQLite), the real mock portal, real Chromium: `assist-bot run` as a process.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from bot.core.contributions import Month, Scheme, check_payroll
from tests.bot.workflows.helpers import MONTH, BotEnv, by_employer, submissions_per_employer
from tests.support.demo_portfolio import DEMO_PORTFOLIO
from tests.support.portal import MockPortalProcess

pytestmark = pytest.mark.timeout(420)
PORTAL_DOWN = {"routes": [{"path": "/*", "error_rate": 1.0, "status": 503}]}
HALIM = ("--employers", "halim", "--no-pay")


def steps_of(report: dict[str, object]) -> dict[str, dict[str, str]]:
    (halim,) = by_employer(report).values()  # type: ignore[arg-type]
    return {s["step"]: s for s in halim["steps"]}


def test_a_payroll_edited_between_the_textfile_and_submit_steps_is_not_submitted(
    demo_portfolio: Path, tmp_path: Path, fresh_portal: MockPortalProcess
) -> None:
    # Given Halim's payroll, and a portal that is down: his month stops after its file is built and checked
    payroll = tmp_path / "halim.csv"
    shutil.copy(DEMO_PORTFOLIO.parent / "payroll" / "halim.csv", payroll)
    text = re.sub(r'payroll = ".*/halim\.csv"', f'payroll = "{payroll}"', demo_portfolio.read_text())
    demo_portfolio.write_text(text, encoding="utf-8")
    bot = BotEnv(demo_portfolio, tmp_path)
    fresh_portal.set_faults(PORTAL_DOWN)
    code, report = bot.run("run", "--month", MONTH, *HALIM)
    steps = steps_of(report)
    assert code == 1 and steps["textfile"]["status"] == "done" and steps["submit"]["status"] == "failed"
    checked_total = report["employers"][0]["amount_sen"]
    # When the payroll is edited (Ali's wages raised) before the portal is back and the month is rerun
    payroll.write_text(payroll.read_text().replace("Ali Bin Abu,1700.00", "Ali Bin Abu,2700.00"))
    fresh_portal.set_faults({})
    code, report = bot.run("run", "--month", MONTH, *HALIM)
    # Then the submit step stops with exit 1, saying the payroll changed, and nothing is submitted
    steps = steps_of(report)
    assert code == 1, report
    assert steps["submit"]["status"] == "failed", steps
    assert "payroll" in steps["submit"]["detail"] and "changed" in steps["submit"]["detail"], steps
    assert "nothing was submitted" in steps["submit"]["detail"]
    state = fresh_portal.state()
    assert submissions_per_employer(state) == {} and state["documents"] == [], state["submissions"]
    # When it is run once more
    code, report = bot.run("run", "--month", MONTH, *HALIM)
    # Then the new payroll's file is built and checked again, and that file, with the new totals, is submitted
    assert code == 0, report
    (halim,) = report["employers"]
    assert halim["amount_sen"] > checked_total
    state = fresh_portal.state()
    assert submissions_per_employer(state) == {halim["employer_code"]: 1}
    (submission,) = [s for s in state["submissions"] if s.get("submitted_at")]
    ali = next(line for line in submission["lines"] if line["id_number"].replace("-", "") == "900101145677")
    assert ali["wages_sen"] == 270000
    assert sum(d["amount_sen"] for d in state["documents"]) == halim["amount_sen"]


def test_a_month_from_payroll_software_s_own_text_file_is_checked_and_submitted(
    demo_portfolio: Path, tmp_path: Path, fresh_portal: MockPortalProcess
) -> None:
    # Given Halim's month as his payroll software writes it: LF line ends, lower-case names, no final newline
    canonical = check_payroll(
        DEMO_PORTFOLIO.parent / "payroll" / "halim.csv",
        tmp_path / "canonical.txt",
        employer_code="E1102069801V",
        month=Month.parse(MONTH),
        scheme=Scheme("socso+eis"),
    )
    lines = Path(canonical.path).read_text().splitlines()
    foreign = tmp_path / "from-payroll-software.txt"
    foreign.write_text("\n".join(line[:44] + line[44:194].lower() + line[194:] for line in lines))
    text = re.sub(r'payroll = ".*/halim\.csv"', f'textfile = "{foreign}"', demo_portfolio.read_text())
    assert f'textfile = "{foreign}"' in text and "halim.csv" not in text
    demo_portfolio.write_text(text, encoding="utf-8")
    # When the month is run for him
    code, report = BotEnv(demo_portfolio, tmp_path).run("run", "--month", MONTH, *HALIM)
    # Then that file is checked, made canonical and submitted: the portal holds its lines and totals
    assert code == 0, report
    steps = steps_of(report)
    assert steps["textfile"]["status"] == "done" and steps["submit"]["status"] == "done", steps
    state = fresh_portal.state()
    assert submissions_per_employer(state) == {"E1102069801V": 1}
    assert sum(d["amount_sen"] for d in state["documents"]) == canonical.total
