#!/bin/sh
# Make sure Playwright's ffmpeg exists: Chromium needs it to record video (`assist-bot qa --video`,
# ASSIST_BROWSER__VIDEO). `playwright install ffmpeg` where downloads work; else the distribution's
# ffmpeg, linked where Playwright looks for its own (~/.cache/ms-playwright/ffmpeg-<revision>/).
# Quiet when it is there; a failure only means no video (the set-up goes on).
set -eu
venv_python=${1:-.venv/bin/python}

target=$("$venv_python" - <<'PY'
import json, os, pathlib
import playwright
driver = pathlib.Path(playwright.__file__).parent / "driver" / "package" / "browsers.json"
revision = next(b["revision"] for b in json.loads(driver.read_text())["browsers"] if b["name"] == "ffmpeg")
root = pathlib.Path(os.environ.get("PLAYWRIGHT_BROWSERS_PATH") or pathlib.Path.home() / ".cache" / "ms-playwright")
print(root / f"ffmpeg-{revision}" / "ffmpeg-linux")
PY
)
[ -x "$target" ] && exit 0
if timeout 120 "$venv_python" -m playwright install ffmpeg >/dev/null 2>&1 && [ -x "$target" ]; then
    exit 0
fi
if ! command -v ffmpeg >/dev/null 2>&1; then
    sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        if sudo -n true 2>/dev/null; then sudo="sudo -n"; else
            echo "ensure-ffmpeg: no ffmpeg, and installing one needs root: video recording is off." >&2; exit 0; fi
    fi
    if command -v apt-get >/dev/null 2>&1; then
        echo "ensure-ffmpeg: installing the distribution's ffmpeg (for video recording)" >&2
        $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ffmpeg >/dev/null 2>&1 \
            || { $sudo apt-get update -qq >/dev/null 2>&1 \
                 && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ffmpeg >/dev/null 2>&1; } \
            || true
    fi
fi
if command -v ffmpeg >/dev/null 2>&1; then
    mkdir -p "$(dirname "$target")"
    ln -sf "$(command -v ffmpeg)" "$target"
    exit 0
fi
echo "ensure-ffmpeg: no ffmpeg could be installed: video recording is off." >&2
