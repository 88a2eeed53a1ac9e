"""QRG 8: the bank-counter pack (printed ACR and ECR, cover sheet with two separate cheques), held
in the ledger until the documents are paid."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.flows.payment_support import pay_settings, payments, run_pay, submit_month
from tests.support.portal import MockPortalProcess

pytestmark = pytest.mark.timeout(180)


def test_the_counter_pack_has_both_slips_and_a_cover_sheet_for_two_cheques(
    demo_portfolio: Path, fresh_portal: MockPortalProcess, tmp_path: Path
) -> None:
    settings = pay_settings(demo_portfolio, tmp_path)
    docs = {d["type"]: d for d in submit_month(fresh_portal, settings, "halim")}
    result = run_pay(settings, "halim", "counter")
    assert result.status == "needs-human" and "2 separate cheque(s)" in result.detail, result.detail
    records = settings.records_dir / "halim" / "2026-10"
    pdfs = sorted(p.name for p in records.glob("*.pdf"))
    assert f"{docs['ACR']['number']}.pdf" in pdfs and f"{docs['ECR']['number']}.pdf" in pdfs
    cover = " ".join(p.extract_text() for p in PdfReader(records / "counter-cover-2026-10.pdf").pages)
    assert "2 SEPARATE cheque(s)" in cover and "E1102069801V" in cover and "10/2026" in cover
    assert (
        f"RM {docs['ECR']['amount_sen'] / 100:,.2f}" in cover
        and f"RM {docs['ACR']['amount_sen'] / 100:,.2f}" in cover
    )
    assert "Kumpulan Wang Keselamatan Sosial" in cover
    # And no online payment may pay them while the cheques are on their way
    assert run_pay(settings, "halim", "fpx").status == "needs-human"
    assert payments(fresh_portal) == []
