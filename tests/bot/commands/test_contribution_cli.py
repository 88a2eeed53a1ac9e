"""`assist-bot contribute | print | cancel` as users run them: real process, real portal, Chromium."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.bot.test_cli import assist_bot
from tests.support.portal import MockPortalProcess

pytestmark = pytest.mark.timeout(240)


def bot(portfolio: Path, cwd: Path, *args: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    done = assist_bot("--portfolio", str(portfolio), *args, "--json", cwd=cwd)
    assert done.stdout, done.stderr
    return done.returncode, json.loads(done.stdout)


def test_contribute_cancel_and_contribute_again(
    demo_portfolio: Path, tmp_path: Path, fresh_portal: MockPortalProcess
) -> None:
    # Given tadika's October sent by text file (the portfolio's payroll, the default scheme)
    code, report = bot(
        demo_portfolio,
        tmp_path,
        "contribute",
        "--employer",
        "tadika",
        "--month",
        "2026-10",
        "--mode",
        "textfile",
    )
    assert code == 0, report
    first = {d["number"] for d in fresh_portal.state()["documents"]}
    assert len(first) == 2
    # When contribute runs again for the same month: nothing new is submitted
    code, report = bot(demo_portfolio, tmp_path, "contribute", "-e", "tadika", "--month", "2026-10")
    assert code == 0 and "already submitted" in report["results"][0]["detail"]
    assert len(fresh_portal.state()["submissions"]) == 1
    # When both documents are cancelled
    code, report = bot(
        demo_portfolio, tmp_path, "cancel", "-e", "tadika", "--month", "2026-10", "--document", "both"
    )
    assert code == 0, report
    assert {d["status"] for d in fresh_portal.state()["documents"]} == {"cancelled"}
    # Then the month can be sent again (by data entry this time), with new numbers
    code, report = bot(
        demo_portfolio, tmp_path, "contribute", "-e", "tadika", "--month", "2026-10", "--mode", "entry"
    )
    assert code == 0, report
    live = {d["number"] for d in fresh_portal.state()["documents"] if d["status"] == "unpaid"}
    assert len(live) == 2 and not live & first


def test_print_the_combined_slip_and_a_single_ecr(
    demo_portfolio: Path, tmp_path: Path, fresh_portal: MockPortalProcess
) -> None:
    code, _ = bot(
        demo_portfolio, tmp_path, "contribute", "-e", "murni", "--month", "2026-10", "--mode", "textfile"
    )
    assert code == 0
    docs = {d["type"]: d for d in fresh_portal.state()["documents"]}
    code, report = bot(demo_portfolio, tmp_path, "print", "-e", "murni", "--month", "2026-10")
    assert code == 0, report
    records = tmp_path / "evidence" / "records" / "murni" / "2026-10"  # never pruned
    [slip] = list(records.glob("ACR*_ECR*.pdf"))
    text = PdfReader(slip).pages[0].extract_text()
    assert docs["ACR"]["number"] in text and docs["ECR"]["number"] in text and "TEKSTIL MURNI" in text
    code, report = bot(
        demo_portfolio, tmp_path, "print", "-e", "murni", "--month", "2026-10", "--document", "ecr"
    )
    assert code == 0, report
    assert (records / f"{docs['ECR']['number']}.pdf").is_file()


def test_a_bad_payroll_line_exits_1_and_submits_nothing(
    demo_portfolio: Path, tmp_path: Path, fresh_portal: MockPortalProcess
) -> None:
    payroll = tmp_path / "payroll.csv"
    payroll.write_text(
        "id_number,name,wages,date_of_birth\n900101-14-5677,Ali bin Abu,1700.00,1990-01-01\n"
        "991231-14-5679,Orang Asing,1200.00,1999-12-31\n"
    )
    code, report = bot(
        demo_portfolio,
        tmp_path,
        "contribute",
        "-e",
        "halim",
        "--month",
        "2026-10",
        "--scheme",
        "socso",
        "--payroll",
        str(payroll),
        "--mode",
        "textfile",
    )
    assert code == 1
    assert "Line 2: ID 991231145679 is not a registered employee" in report["results"][0]["detail"]
    assert fresh_portal.state()["submissions"] == []


def test_cancelling_a_month_without_documents_fails(
    demo_portfolio: Path, tmp_path: Path, fresh_portal: MockPortalProcess
) -> None:
    code, report = bot(
        demo_portfolio, tmp_path, "cancel", "-e", "halim", "--month", "2026-09", "--document", "acr"
    )
    assert code == 1 and "no ACR for 2026-09" in report["results"][0]["detail"]
