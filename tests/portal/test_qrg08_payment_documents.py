"""QRG 8 – Payment at a bank counter: the ACR/ECR list is readable, `PRINT` gives each document and
`PRINT ACR/ECR` the pair as real PDFs showing their numbers and totals, and printing records nothing
(read-only); a month just submitted made into the counter pack, its slips and the cover sheet for two
separate cheques carrying the portal's totals (mutation)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bot.core.browser import EmployerSession
from bot.core.errors import NeedsHuman
from bot.core.ledger import SUBMITTED
from bot.core.settings import EmployerSettings, Settings
from flows.pages.home import HomePage
from flows.pages.payment_list import DocumentRow
from flows.payment_counter import prepare_counter_pack
from flows.payment_documents import ReadBack, print_documents
from tests.portal.conftest import drift_explained
from tests.portal.walks import walk_login, walk_to_payment
from tests.portal.walks_payment import (
    OCT,
    ledger_in,
    payment_list,
    pdf_text,
    records,
    ringgit,
    submitted_month,
)
from tests.support.portal import MockPortalProcess

pytestmark = pytest.mark.timeout(120)


async def test_the_document_list_is_readable(
    october: list[dict[str, Any]],
    qa_session: EmployerSession,
    qa_employer: EmployerSettings,
    qa_settings: Settings,
) -> None:
    # Given a logged-in test account
    home = await walk_login(qa_session, qa_employer, qa_settings)
    # When it opens My Sites → Payment
    payment = await walk_to_payment(home)
    # Then every listed document has a number, a type and a month
    await qa_session.step("payment-list")
    rows = await payment.documents()
    for row in rows:
        assert row.number and row.type in {"ACR", "ECR"} and len(row.month) == 7, row
    # And (on the bundled mock) October's documents are listed with the portal's amounts, unpaid
    assert {(d["number"], d["type"], d["amount_sen"], "UNPAID") for d in october} <= {
        (r.number, r.type, r.amount, r.status) for r in rows
    }


def a_pair(rows: list[DocumentRow]) -> list[DocumentRow]:
    """The ACR and ECR of one month (the combined slip's pair), else any one document."""
    for month in sorted({r.month for r in rows}, reverse=True):
        pair = sorted((r for r in rows if r.month == month), key=lambda r: r.type)
        if [r.type for r in pair] == ["ACR", "ECR"]:
            return pair
    if not rows:
        pytest.skip("the test account has no ACR/ECR to print")
    return rows[:1]


async def test_print_and_print_acr_ecr_give_pdfs_of_the_documents_and_record_nothing(
    mock: MockPortalProcess | None,
    october: list[dict[str, Any]],
    qa_session: EmployerSession,
    qa_employer: EmployerSettings,
    qa_settings: Settings,
) -> None:
    # Given the account's ACR and ECR of one month
    before = records(mock)
    home = await walk_login(qa_session, qa_employer, qa_settings)
    payment, rows = await payment_list(home)
    pair = a_pair(rows)
    # When each is printed (PRINT, QRG 8 step 1)
    async with drift_explained(home.page):
        singles = await print_documents(qa_session, payment, [ReadBack(r) for r in pair])
    # Then each PDF shows the employer, its document's number and total (and no other document)
    for path, row in zip(singles, pair, strict=True):
        text = pdf_text(path)
        assert qa_employer.employer_code in text and row.number in text and ringgit(row.amount) in text, text
        assert not any(other.number in text for other in pair if other != row), text
    # When the pair is printed as one slip (PRINT ACR/ECR, step 2)
    if len(pair) == 2:
        async with drift_explained(home.page):
            [combined] = await print_documents(
                qa_session, payment, [ReadBack(r) for r in pair], combined=True
            )
        # Then that one PDF shows both documents, their totals and the grand total
        text = pdf_text(combined)
        assert all(r.number in text and ringgit(r.amount) in text for r in pair), text
        assert ringgit(sum(r.amount for r in pair)) in text, text
    # And printing recorded nothing: the portal's records are as they were, the documents unpaid
    assert records(mock) == before
    numbers = {r.number for r in pair}
    _, after = await payment_list(home)
    assert {r.number: r.status for r in after if r.number in numbers} == {r.number: r.status for r in pair}


@pytest.mark.mutation
@pytest.mark.timeout(300)
async def test_a_month_just_submitted_becomes_a_counter_pack_for_two_separate_cheques(
    qa_session: EmployerSession,
    qa_employer: EmployerSettings,
    qa_settings: Settings,
    tmp_path: Path,
) -> None:
    # Given October 2026 submitted (QRG 4): its ACR/ECR as the portal computed them
    rows = await submitted_month(qa_session, qa_employer, qa_settings)
    assert rows and all(r.status == "UNPAID" for r in rows), rows
    payment = await walk_to_payment(HomePage(qa_session.page))
    # When the bot prepares the bank-counter pack (QRG 8 steps 1-3)
    ledger = ledger_in(tmp_path)
    try:
        with pytest.raises(NeedsHuman) as handed_on:
            async with drift_explained(qa_session.page):
                await prepare_counter_pack(qa_session, qa_employer, payment, ledger, OCT, rows)
        held = ledger.entries(qa_employer.employer_code)
    finally:
        ledger.close()
    # Then a person is asked to take the printed slips and one cheque per document to the bank
    assert f"{len(rows)} separate cheque(s)" in str(handed_on.value), handed_on.value
    # And each printed slip shows its document's number and total
    folder = qa_session.evidence.records(OCT)
    for row in rows:
        text = pdf_text(folder / f"{row.number}.pdf")
        assert row.number in text and ringgit(row.amount) in text, text
    # And the cover sheet has a cheque per document, for the portal's amount
    cover = pdf_text(folder / f"counter-cover-{OCT}.pdf")
    assert f"{len(rows)} SEPARATE cheque(s)" in cover and qa_employer.employer_code in cover, cover
    assert all(row.number in cover and ringgit(row.amount) in cover for row in rows), cover
    # And the documents are held in the bot's ledger (no online payment while the cheques travel),
    # unpaid on the portal until the bank's payment arrives
    assert [(e.method, e.state, sorted(e.documents)) for e in held] == [
        ("counter", SUBMITTED, sorted(r.number for r in rows))
    ]
    numbers = {r.number for r in rows}
    _, after = await payment_list(HomePage(qa_session.page))
    assert {r.number: r.status for r in after if r.number in numbers} == {n: "UNPAID" for n in numbers}
