"""The ACR/ECR slips and receipts print employers' names in Chinese, Tamil and Jawi (Noto fonts,
shaped), Latin names as before (the built-in font), and still print when the fonts are missing."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from mock_portal import fonts
from mock_portal.contribution.slip import slip_pdf
from mock_portal.contribution.store import Document
from mock_portal.payments.receipt import receipt_pdf
from mock_portal.payments.store import Payment
from mock_portal.state import Employer

NAMES = {
    "chinese": "陈记贸易",
    "tamil": "முருகன் ஸ்டோர்ஸ்",
    "jawi": "كدي رنچت حاجي علي",
    "latin": "KEDAI RUNCIT HAJI ALI",
}
FONTS_INSTALLED = all(f.is_file() for f in fonts.MAIN_FILES) and all(
    f.is_file() for files, _, _ in fonts.FALLBACKS.values() for f in files
)


def employer(name: str) -> Employer:
    return Employer(
        code="E1102069801V", name=name, email="a@b.my", kind="normal", failed_logins=0, locked_until=None
    )


def document() -> Document:
    return Document(
        number="ECR2026100001",
        submission_id=1,
        employer_code="E1102069801V",
        type="ECR",
        scheme="socso",
        month="2026-10",
        employees=3,
        socso_employer=10000,
        socso_employee=2345,
        eis_employer=0,
        eis_employee=0,
        skbbk_employee=0,
        amount_sen=12345,
        due_date="2026-11-15",
        status="unpaid",
        paid_at=None,
        payment_ref=None,
    )


def fonts_of(pdf: bytes) -> set[str]:
    reader = PdfReader(io.BytesIO(pdf))
    found = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            found.add(str(font.get_object()["/BaseFont"]))
    return found


@pytest.mark.skipif(not FONTS_INSTALLED, reason="the Noto fonts are not installed (scripts/ensure-fonts.sh)")
@pytest.mark.parametrize("script", ["chinese", "tamil", "jawi"])
def test_given_a_name_in_a_non_latin_script_when_printing_then_its_font_is_embedded(script: str) -> None:
    # Given an employer whose name is in that script
    who = employer(NAMES[script])
    # When the portal prints its ACR/ECR slip
    pdf = slip_pdf(who, [document()])
    # Then a Unicode font that has the script is embedded (no crash, no built-in font)
    embedded = " ".join(fonts_of(pdf))
    expected = {"chinese": "CJK", "tamil": "Tamil", "jawi": "Arabic"}[script]
    assert expected in embedded and "NotoSans" in embedded, embedded
    assert "Helvetica" not in embedded


@pytest.mark.skipif(not FONTS_INSTALLED, reason="the Noto fonts are not installed (scripts/ensure-fonts.sh)")
def test_given_a_chinese_name_then_the_receipt_text_holds_it() -> None:
    payment = Payment(
        reference="FPX2026120001",
        employer_code="E1102069801V",
        method="fpx",
        documents=("ECR2026100001",),
        amount_sen=12345,
        status="successful",
        business_model="b2c",
        bank="Mock Bank",
        email="a@b.my",
        transaction_id="2612020000000001",
        mandate_reference=None,
        bank_user="halim.bank",
        payment_date="2026-12-02",
        payer_reference=None,
        reason="",
    )
    pdf = receipt_pdf(employer(NAMES["chinese"]), payment)
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert NAMES["chinese"] in text.replace("\x00", "")  # pypdf reads the CJK font's CIDs with a NUL each


def test_given_a_latin_name_then_the_built_in_font_prints_it_as_before() -> None:
    pdf = slip_pdf(employer(NAMES["latin"]), [document()])
    assert fonts_of(pdf) == {"/Helvetica", "/Helvetica-Bold"}
    assert NAMES["latin"] in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


def test_given_no_noto_fonts_then_a_chinese_name_still_prints_as_question_marks(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given a machine without the fonts
    monkeypatch.setattr(fonts, "MAIN_FILES", (Path("/nonexistent/a.ttf"), Path("/nonexistent/b.ttf")))
    # When printing a Chinese name
    pdf = slip_pdf(employer(NAMES["chinese"]), [document()])
    # Then the slip prints, the name as "?", the rest intact
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "Employer: ????" in text and "ECR2026100001" in text
