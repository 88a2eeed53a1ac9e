"""The run report's content from run-table rows: deadlines (overdue vs at risk) and payment references."""

from __future__ import annotations

from datetime import date

from bot.core.runs import EmployerRun, StepRow
from bot.reports.model import build

MONTH = "2026-10"  # due 15 November 2026


def run(name: str, status: str, pay: dict[str, object] | None = None) -> EmployerRun:
    steps = [
        StepRow(
            "textfile",
            1,
            "w",
            "done",
            "",
            None,
            "",
            {"totals_sen": {"total": 26675}, "employees": 4},
            "",
            0.0,
            1.0,
        )
    ]
    if pay is not None:
        steps.append(
            StepRow("pay", 3, "w", "done" if status == "done" else status, "", None, "", pay, "", 0.0, 1.0)
        )
    return EmployerRun(
        f"E{name}",
        MONTH,
        False,
        name,
        f"monthly:E{name}:{MONTH}",
        1,
        status,
        "pay",
        "",
        "",
        True,
        0.0,
        1.0,
        1.0,
        steps,
    )


def test_an_unfinished_employer_is_at_risk_before_the_15th_and_overdue_after_it() -> None:
    # Given one employer done and one that needs a person
    runs = [run("halim", "done"), run("siti", "needs-human")]
    # When the report is built two days before, on, and one day after the 15th
    before = build(runs, MONTH, today=date(2026, 11, 13), warning_days=3)
    on_the_day = build(runs, MONTH, today=date(2026, 11, 15), warning_days=3)
    after = build(runs, MONTH, today=date(2026, 11, 16), warning_days=3)
    # Then before and on the day the unfinished one is at risk, not overdue; after it, overdue, not at risk
    assert [e.name for e in before.at_risk] == ["siti"] and before.overdue == []
    assert [e.name for e in on_the_day.at_risk] == ["siti"] and on_the_day.overdue == []
    assert after.at_risk == [] and [e.name for e in after.overdue] == ["siti"]
    assert "1 overdue" in after.summary() and "at risk" not in after.summary()
    # And well before the warning days nobody is flagged
    early = build(runs, MONTH, today=date(2026, 11, 1), warning_days=3)
    assert early.at_risk == [] and early.overdue == []


def test_payments_show_their_reference_and_state_and_their_receipt() -> None:
    # Given a pay step whose data lists the ledger's payments of the month
    payment = {
        "method": "fpx",
        "portal_reference": "FPX26112600001",
        "transaction_id": "T1",
        "state": "paid",
        "receipt": "/ev/halim/pay/receipt.pdf",
    }
    waiting = {
        "method": "fpx",
        "portal_reference": None,
        "transaction_id": "T2",
        "state": "awaiting-authoriser",
        "receipt": "",
    }
    report = build(
        [
            run("halim", "done", {"payments": [payment], "files": ["/ev/halim/pay/receipt.pdf"]}),
            run("bengkel", "needs-human", {"payments": [waiting]}),
        ],
        MONTH,
        today=date(2026, 11, 1),
    )
    lines = {e.name: e for e in report.employers}
    # Then the report shows each payment's reference and state, and the receipt once
    assert lines["halim"].references["payment"] == "FPX FPX26112600001 (paid)"
    assert [f.name for f in lines["halim"].files] == ["receipt.pdf"]
    assert lines["bengkel"].references["payment"] == "FPX T2 (awaiting-authoriser)"
