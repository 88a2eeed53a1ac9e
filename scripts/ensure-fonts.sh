#!/bin/sh
# Make sure the mock portal's PDFs (ACR/ECR slips, receipts) can print employers' names in every
# script Malaysia writes them in: Debian's Noto fonts, Latin + Tamil + Arabic/Jawi (fonts-noto-core)
# and Chinese (fonts-noto-cjk). mock_portal/fonts.py finds them; without them the PDFs still print,
# with the letters the built-in font lacks shown as "?". Quiet when they are there; a failure only
# means that fallback (the set-up goes on).
set -eu

have_fonts() {
    [ -f /usr/share/fonts/truetype/noto/NotoSans-Regular.ttf ] \
        && [ -f /usr/share/fonts/truetype/noto/NotoSansTamil-Regular.ttf ] \
        && [ -f /usr/share/fonts/truetype/noto/NotoNaskhArabic-Regular.ttf ] \
        && [ -f /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc ]
}

have_fonts && exit 0
sudo=""
if [ "$(id -u)" -ne 0 ]; then
    if sudo -n true 2>/dev/null; then sudo="sudo -n"; else
        echo "ensure-fonts: the Noto fonts are missing and installing them needs root:" \
             "PDFs print non-Latin names as '?'." >&2; exit 0; fi
fi
if command -v apt-get >/dev/null 2>&1; then
    echo "ensure-fonts: installing fonts-noto-core and fonts-noto-cjk (PDFs in every script)" >&2
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
            fonts-noto-core fonts-noto-cjk >/dev/null 2>&1 \
        || { $sudo apt-get update -qq >/dev/null 2>&1 \
             && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
                    fonts-noto-core fonts-noto-cjk >/dev/null 2>&1; } \
        || true
fi
have_fonts || echo "ensure-fonts: could not install the Noto fonts: PDFs print non-Latin names as '?'." >&2
exit 0
