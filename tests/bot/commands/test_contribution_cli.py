"""`assist-bot contribute | print | cancel` as users run them: real process, real portal, Chromium."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from bot.core.contributions import Kind, Month, compute, import_payroll, render
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


ROOT = Path(__file__).resolve().parents[3]


def this_tree(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """`python -m bot` from this source tree (assist_bot runs the installed copy)."""
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(cwd),
        "PYTHONPATH": str(ROOT),
        "ASSIST_RETRY__WAIT_INITIAL_SECONDS": "0.1",
    }
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], cwd=cwd, capture_output=True, text=True, timeout=200, env=env
    )


def tadika_file(month: Month) -> str:
    employees = import_payroll(ROOT / "fixtures" / "demo" / "payroll" / "tadika.csv", month)
    return render(
        compute(employees, month), employer_code="E1811122080A", month=month, kind=Kind.COMBINED_V2
    ).text


def test_contribute_textfile_sends_the_canonical_file_of_a_foreign_one(
    demo_portfolio: Path, tmp_path: Path, fresh_portal: MockPortalProcess
) -> None:
    # Given tadika's October as payroll software writes it: space-padded amounts, LF, no final newline
    month = Month(2026, 10)
    canonical = tadika_file(month)
    lines = canonical.split("\r\n")[:-1]
    spaced = []
    for line in lines:
        for a, b in [(200, 214), (214, 220), (220, 226), (226, 232), (232, 238), (238, 244)]:
            line = line[:a] + line[a:b].lstrip("0").rjust(3, "0").rjust(b - a) + line[b:]
        spaced.append(line.rstrip())
    foreign = tmp_path / "SOCSO.TXT"
    foreign.write_text("\n".join(spaced))
    # When it is contributed by text file
    done = this_tree(
        "--portfolio",
        str(demo_portfolio),
        "contribute",
        "-e",
        "tadika",
        "--month",
        "2026-10",
        "--textfile",
        str(foreign),
        "--mode",
        "textfile",
        "--json",
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr + done.stdout
    # Then the portal got the bot's own file's amounts, and the checked file is that file, byte for byte
    state = fresh_portal.state()
    assert len(state["submissions"]) == 1
    total = sum(
        int(ln[214:220]) + int(ln[220:226]) + int(ln[226:232]) + int(ln[232:238]) + int(ln[238:244])
        for ln in lines
    )
    assert sum(d["amount_sen"] for d in state["documents"]) == total
    checked = list((tmp_path / "evidence" / "checked").glob("*.txt"))
    assert len(checked) == 1 and checked[0].read_bytes() == canonical.encode()


def test_contribute_textfile_with_a_wrong_amount_stops_before_logging_in(
    demo_portfolio: Path, tmp_path: Path, fresh_portal: MockPortalProcess
) -> None:
    lines = tadika_file(Month(2026, 10)).split("\r\n")[:-1]
    lines[1] = lines[1][:238] + "009999" + lines[1][244:]
    foreign = tmp_path / "wrong.txt"
    foreign.write_text("\r\n".join(lines) + "\r\n")
    before = len(fresh_portal.state()["login_attempts"])
    done = this_tree(
        "--portfolio",
        str(demo_portfolio),
        "contribute",
        "-e",
        "tadika",
        "--month",
        "2026-10",
        "--textfile",
        str(foreign),
        cwd=tmp_path,
    )
    assert done.returncode == 1
    assert f"{foreign}:2: SKBBK employee (239-244): RM99.99" in done.stderr and "expected" in done.stderr
    state = fresh_portal.state()
    assert len(state["login_attempts"]) == before and state["submissions"] == []


def test_contribute_for_a_future_month_is_refused_before_logging_in(
    demo_portfolio: Path, tmp_path: Path, fresh_portal: MockPortalProcess
) -> None:
    done = this_tree(
        "--portfolio", str(demo_portfolio), "contribute", "-e", "tadika", "--month", "2099-01", cwd=tmp_path
    )
    assert done.returncode == 64 and "2099-01 is in the future" in done.stderr
    done = this_tree(
        "--portfolio", str(demo_portfolio), "contribute", "-e", "tadika", "--month", "2012-01", cwd=tmp_path
    )
    assert done.returncode == 64 and "no contribution table for 2012-01" in done.stderr
    assert fresh_portal.state()["login_attempts"] == []
