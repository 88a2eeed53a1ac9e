"""QRG 4 i/ii/iii by data entry and by text file, driven by the bot in real Chromium against the
running mock portal: the portal's ACR/ECR must match the bot's computation to the sen."""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path

import pytest

from bot.core.browser import EmployerSession
from bot.core.contributions import Month
from bot.core.settings import EmployerSettings, Settings
from bot.runner import EmployerResult, run_for_employers
from flows.contribution import Outcome, contribute, prepare
from flows.payment_documents import documents_for
from tests.support.portal import MockPortalProcess

pytestmark = pytest.mark.timeout(180)
OCT = Month(2026, 10)
TODAY = date(2026, 11, 26)


def run_contribute(
    settings: Settings,
    name: str,
    scheme: str,
    mode: str | None,
    payroll: Path | None = None,
    outcomes: list[Outcome] | None = None,
) -> EmployerResult:
    employer = settings.employer(name)
    prepared = prepare(employer, OCT, scheme, payroll, mode, settings, today=TODAY)

    async def work(session: EmployerSession, emp: EmployerSettings, s: Settings) -> str:
        outcome = await contribute(session, emp, s, month=OCT, scheme=scheme, prepared=prepared)
        if outcomes is not None:
            outcomes.append(outcome)
        return outcome.detail()

    [result] = asyncio.run(run_for_employers(settings, [employer], work))
    return result


@pytest.mark.parametrize("mode", ["entry", "textfile"])
@pytest.mark.parametrize("scheme, name", [("socso+eis", "halim"), ("socso", "ladang"), ("eis", "tadika")])
def test_each_variant_and_mode_ends_with_documents_matching_the_bot(
    settings: Settings, fresh_portal: MockPortalProcess, scheme: str, name: str, mode: str
) -> None:
    # Given a demo employer and its payroll for October 2026
    outcomes: list[Outcome] = []
    # When the bot sends the month
    result = run_contribute(settings, name, scheme, mode, outcomes=outcomes)
    # Then it is done, the portal holds exactly the variant's documents, with the bot's amounts
    assert result.status == "done", result.detail
    [outcome] = outcomes
    assert outcome.submitted and outcome.mode == mode
    docs = fresh_portal.state()["documents"]
    assert sorted(d["type"] for d in docs) == list(documents_for(scheme))
    prepared = prepare(settings.employer(name), OCT, scheme, None, mode, settings, today=TODAY)
    assert sum(d["amount_sen"] for d in docs) == prepared.rendered.totals.total
    assert {d.row.number for d in outcome.documents} == {d["number"] for d in docs}
    # And the PDFs are in the records folder (employer, month): records are never pruned
    assert all(
        d.pdf is not None
        and d.pdf.parent == settings.records_dir / name / str(OCT)
        and d.pdf.stat().st_size > 500
        for d in outcome.documents
    )
    submissions = fresh_portal.state()["submissions"]
    assert [(s["mode"], s["status"]) for s in submissions] == [(mode, "submitted")]


def test_a_second_run_for_the_same_month_submits_nothing(
    settings: Settings, fresh_portal: MockPortalProcess
) -> None:
    first = run_contribute(settings, "bengkel", "socso+eis", "textfile")
    assert first.status == "done", first.detail
    outcomes: list[Outcome] = []
    second = run_contribute(settings, "bengkel", "socso+eis", "textfile", outcomes=outcomes)
    assert second.status == "done", second.detail
    assert not outcomes[0].submitted and "already submitted" in second.detail
    assert len(fresh_portal.state()["submissions"]) == 1


def test_a_file_with_bad_lines_fails_with_the_portals_line_messages(
    settings: Settings, fresh_portal: MockPortalProcess, tmp_path: Path
) -> None:
    # Given a payroll with someone the portal does not know (a valid MyKad, not registered to halim)
    payroll = tmp_path / "payroll.csv"
    original = (Path(str(settings.employer("halim").payroll))).read_text()
    payroll.write_text(original + "991231-14-5679,Orang Asing,1200.00,,,1999-12-31\n")
    # When the bot sends it by text file
    result = run_contribute(settings, "halim", "socso+eis", "textfile", payroll=payroll)
    # Then it fails with the portal's message for that line, and nothing was submitted
    assert result.status == "failed"
    assert "Line 5: ID 991231145679 is not a registered employee" in result.detail
    assert [s["status"] for s in fresh_portal.state()["submissions"]] == []


def test_a_lost_answer_to_submit_is_reconciled_by_the_next_run(
    settings: Settings, fresh_portal: MockPortalProcess
) -> None:
    # Given the portal loses its answer to the next SUBMIT, after doing the work
    fresh_portal.set_faults(
        {
            "routes": [
                {
                    "path": "/employer/contribution/submit/*",
                    "method": "POST",
                    "status": 502,
                    "error_rate": 1.0,
                    "times": 1,
                    "after": True,
                }
            ]
        }
    )
    # When the bot submits: the outcome is unknown
    first = run_contribute(settings, "klinik", "socso+eis", "entry")
    assert first.status == "unknown-outcome", first.detail
    assert sorted(d["type"] for d in fresh_portal.state()["documents"]) == ["ACR", "ECR"]
    # When it runs again: it finds the documents and submits nothing more
    outcomes: list[Outcome] = []
    second = run_contribute(settings, "klinik", "socso+eis", "entry", outcomes=outcomes)
    assert second.status == "done", second.detail
    assert not outcomes[0].submitted
    state = fresh_portal.state()
    assert [s["status"] for s in state["submissions"]] == ["submitted"]
    assert len(state["documents"]) == 2
