"""The run report's content from run-table rows: deadlines (overdue vs at risk) and payment references."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from bot.core.runs import EmployerRun, StepRow
from bot.reports.files import write
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


def test_totals_per_scheme_paid_and_outstanding_and_who_needs_a_person_first(tmp_path) -> None:
    # Given two employers whose text files carry SOCSO, EIS and SKBBK, one paid and one awaiting a person
    totals = {
        "socso_employer": 2885,
        "socso_employee": 825,
        "eis_employer": 330,
        "eis_employee": 330,
        "skbbk_employee": 1235,
        "total": 5605,
    }
    paid = {"payments": [{"method": "fpx", "state": "paid", "amount_sen": 5605, "documents": ["A", "E"]}]}
    waiting = {"payments": [{"method": "fpx", "state": "awaiting-authoriser", "amount_sen": 5605}]}
    runs = [run("halim", "done", paid), run("siti", "needs-human", waiting)]
    for r in runs:
        r.steps[0].data["totals_sen"] = totals
    # When the report is built
    report = build(runs, MONTH, today=date(2026, 11, 1))
    # Then each employer shows its schemes, what was paid and what is outstanding
    halim, siti = sorted(report.employers, key=lambda e: e.name)
    assert halim.totals_sen == {"socso": 3710, "eis": 660, "skbbk": 1235, "total": 5605}
    assert (halim.paid_sen, halim.outstanding_sen) == (5605, 0)
    assert (siti.paid_sen, siti.outstanding_sen) == (0, 5605)
    # And the portfolio's totals add them up
    assert report.totals_sen == {
        "socso": 7420,
        "eis": 1320,
        "skbbk": 2470,
        "total": 11210,
        "paid": 5605,
        "outstanding": 5605,
    }
    # And the one a person must look at is listed first
    assert [e.name for e in report.needs_a_person] == ["siti"]


def test_the_evidence_folder_is_the_first_step_that_kept_evidence() -> None:
    # Given a run whose first step (the text file's) kept no evidence, and the pay step did
    r = run("halim", "done", {"payments": []})
    r.steps[:] = [r.steps[0], replace(r.steps[1], evidence="/ev/2026-10/halim/pay")]
    # When the report is built
    [line] = build([r], MONTH, today=date(2026, 11, 1)).employers
    # Then the employer's evidence folder is the pay step's parent, not empty
    assert str(line.evidence) == "/ev/2026-10/halim"


def test_a_second_report_of_the_month_keeps_the_first_beside_it(tmp_path) -> None:
    # Given a month whose report was written once
    first = build([run("siti", "needs-human", {"payments": []})], MONTH, today=date(2026, 11, 1))
    write(first, tmp_path)
    # When a rerun writes the month's report again
    second = build([run("siti", "done", {"payments": []})], MONTH, today=date(2026, 11, 1))
    files = write(second, tmp_path)
    # Then report.html is the new one and the first is kept beside it, whole
    assert "needs-human" not in files.html.read_text().split("<h2>Steps</h2>")[1]
    [kept] = tmp_path.glob("report-*.html")
    assert "needs-human" in kept.read_text()
    assert len(list(tmp_path.glob("report-*.json"))) == 1
