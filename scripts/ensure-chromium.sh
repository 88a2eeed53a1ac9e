#!/usr/bin/env bash
# Make sure the bot has a Chromium, in DESIGN.md's discovery order:
#   ASSIST_BROWSER_PATH, Playwright's own download, a system chromium / google-chrome.
# Where none exists: `playwright install chromium` where downloads work, else the distribution's
# package (Debian/Ubuntu: apt-get install chromium). Quiet when one is there already.
set -euo pipefail
venv_python=${1:-.venv/bin/python}

if [ -n "${ASSIST_BROWSER_PATH:-}" ]; then
    [ -x "$ASSIST_BROWSER_PATH" ] && exit 0
    echo "ASSIST_BROWSER_PATH=$ASSIST_BROWSER_PATH is not an executable" >&2
    exit 1
fi
bundled=$("$venv_python" - <<'PY' 2>/dev/null || true
from playwright.sync_api import sync_playwright
with sync_playwright() as p:
    print(p.chromium.executable_path)
PY
)
if [ -n "$bundled" ] && [ -x "$bundled" ]; then exit 0; fi
# Headless runs prefer the distribution's headless shell (bot/core/browser.py: faster, lighter); added
# beside a system chromium where apt can. Without it the full chromium is used: not an error.
headless_shell() {
    command -v chromium-headless-shell >/dev/null 2>&1 && return 0
    command -v apt-get >/dev/null 2>&1 || return 0
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then sudo -n true 2>/dev/null && sudo="sudo -n" || return 0; fi
    echo "Installing chromium-headless-shell (headless runs use it)." >&2
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium-headless-shell >/dev/null 2>&1 \
        || { $sudo apt-get update -qq >/dev/null 2>&1 \
             && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium-headless-shell >/dev/null 2>&1; } \
        || echo "chromium-headless-shell is not available here; the full chromium is used." >&2
}

for name in chromium chromium-browser google-chrome google-chrome-stable; do
    if command -v "$name" >/dev/null 2>&1; then
        headless_shell
        exit 0
    fi
done

echo "No Chromium found: installing one." >&2
if timeout 300 "$venv_python" -m playwright install chromium >/dev/null 2>&1; then
    exit 0
fi
echo "Playwright's download is not reachable here; using the distribution's chromium package." >&2
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
if command -v apt-get >/dev/null 2>&1; then
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
    if command -v chromium >/dev/null 2>&1; then
        headless_shell
        exit 0
    fi
fi
echo "Could not install Chromium. Install it yourself and set ASSIST_BROWSER_PATH." >&2
exit 1
