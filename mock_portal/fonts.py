"""The PDFs' fonts: names in any script Malaysia writes them in (Latin, Chinese, Tamil, Jawi) print.

`PortalPDF(*texts)` looks at what it will print: text that Latin-1 covers uses the built-in
Helvetica (as fast as before); anything else uses Noto Sans with the fallback fonts that text needs
(Tamil, Arabic/Jawi, CJK, loaded only then: the CJK font alone takes seconds), shaped by HarfBuzz
where it is installed. Without the Noto fonts (scripts/ensure-fonts.sh installs them) it still
prints, with a `?` for each letter the built-in font lacks.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from fpdf import FPDF

NOTO = Path("/usr/share/fonts/truetype/noto")
NOTO_CJK = Path("/usr/share/fonts/opentype/noto")
MAIN = "PortalSans"
CORE = "Helvetica"
# Fallback family: (files regular / bold, collection index, the code points it is loaded for).
TAMIL = (0x0B80, 0x0BFF)
ARABIC = ((0x0600, 0x06FF), (0x0750, 0x077F), (0x08A0, 0x08FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF))
FALLBACKS = {
    "PortalTamil": ((NOTO / "NotoSansTamil-Regular.ttf", NOTO / "NotoSansTamil-Bold.ttf"), 0, (TAMIL,)),
    "PortalArabic": ((NOTO / "NotoNaskhArabic-Regular.ttf", NOTO / "NotoNaskhArabic-Bold.ttf"), 0, ARABIC),
    # Simplified Chinese is face 2 of Noto Sans CJK's collection; it has every Han character.
    "PortalCJK": ((NOTO_CJK / "NotoSansCJK-Regular.ttc", NOTO_CJK / "NotoSansCJK-Bold.ttc"), 2, ()),
}
MAIN_FILES = (NOTO / "NotoSans-Regular.ttf", NOTO / "NotoSans-Bold.ttf")


def _latin1(text: str) -> bool:
    return all(ord(c) < 256 for c in text)


def _needed(texts: tuple[str, ...]) -> list[str]:
    """The fallback families the characters beyond Latin need (anything not Tamil or Arabic: CJK)."""
    needed: set[str] = set()
    for c in "".join(texts):
        code = ord(c)
        if code < 0x0250:
            continue
        for family, (_, _, ranges) in FALLBACKS.items():
            if any(low <= code <= high for low, high in ranges):
                needed.add(family)
                break
        else:
            if code >= 0x2E80:  # CJK radicals and beyond
                needed.add("PortalCJK")
    return [f for f in FALLBACKS if f in needed]


class PortalPDF(FPDF):
    """An FPDF whose `family` prints every one of `texts`; `set_font(pdf.family, ...)`."""

    def __init__(self, *texts: str) -> None:
        super().__init__()
        self.family = CORE
        if _latin1("".join(texts)) or not all(f.is_file() for f in MAIN_FILES):
            return
        for style, path in zip(("", "B"), MAIN_FILES, strict=True):
            self.add_font(MAIN, style, path)
        fallbacks = []
        for family in _needed(texts):
            files, index, _ = FALLBACKS[family]
            if all(f.is_file() for f in files):
                for style, path in zip(("", "B"), files, strict=True):
                    self.add_font(family, style, path, collection_font_number=index)
                fallbacks.append(family)
        if fallbacks:
            self.set_fallback_fonts(fallbacks, exact_match=False)
        if importlib.util.find_spec("uharfbuzz") is not None:
            self.set_text_shaping(True)
        self.family = MAIN

    def normalize_text(self, text: str) -> str:
        """The built-in font prints `?` for a letter it lacks (fpdf2 would raise)."""
        if not self.is_ttf_font:
            text = text.encode("latin-1", "replace").decode("latin-1")
        return super().normalize_text(text)
