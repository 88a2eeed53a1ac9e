#!/usr/bin/env bash
# `make demo`: start the bundled mock portal (portal + SMTP + IMAP on loopback), run the main job
# (`assist-bot run --month <last month>`) on the demo portfolio against it; then play the people the
# report asks for (scripts/demo_people.py) and run the month again, so that it ends finished; stop
# the portal, and say where both reports and the evidence are.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
state=.state/demo
mkdir -p "$state"
log="$state/portal.log"

healthy() {
    $PY -c "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8700$1', data=$2, timeout=2).status != 200)" 2>/dev/null
}
if healthy /healthz None; then
    echo "Something already answers on http://127.0.0.1:8700 (another mock portal?). Stop it first." >&2
    exit 1
fi

$PY -m mock_portal --state "$state" >"$log" 2>&1 &
portal=$!
trap 'kill -TERM $portal 2>/dev/null; wait $portal 2>/dev/null' EXIT

for _ in $(seq 1 150); do
    if ! kill -0 $portal 2>/dev/null; then
        echo "The mock portal did not start (is port 8700, 8725 or 8143 taken?):" >&2
        cat "$log" >&2
        exit 1
    fi
    if healthy /healthz None; then break; fi
    sleep 0.2
done
healthy /_mock/reset "b''" || { echo "The mock portal is not answering:" >&2; cat "$log" >&2; exit 1; }

echo "Mock ASSIST portal at http://127.0.0.1:8700 (log: $log)"
# The main job: last month for the whole demo portfolio. The portal was just reset, so the bot's own
# run database for the demo starts afresh too (a real firm's is kept: reruns resume and skip).
month=$(date -d "$(date +%Y-%m-15) -1 month" +%Y-%m)
export ASSIST_STATE_DIR="$state/bot"
rm -rf "$ASSIST_STATE_DIR"
portfolio=fixtures/demo/portfolio.toml
report="$(pwd)/evidence/$month/report.html"
echo "== 1. The bot runs the month for the ten demo employers"
.venv/bin/assist-bot --portfolio $portfolio run --month "$month"
status=$?
# Exit 2 is the demo working as meant: some demo employers' payments need a person (no bank
# credentials, EFT, a mandate, an authoriser, the bank counter), and the report says what to do.
if [ $status -ne 0 ] && [ $status -ne 2 ]; then exit $status; fi
first=""
if [ $status -eq 2 ]; then
    echo
    echo "== 2. The people do what the report asks of them (authoriser, bank, PERKESO, counter)"
    $PY scripts/demo_people.py http://127.0.0.1:8700 $portfolio "$month" "${report%.html}.json" || exit 1
    echo
    echo "== 3. The bot runs the month again: it resumes where each employer stopped"
    .venv/bin/assist-bot --portfolio $portfolio run --month "$month"
    status=$?
    first=$(ls -t "$(dirname "$report")"/report-*.html 2>/dev/null | tail -n 1)
fi
echo
echo "Evidence (screenshots per step, traces of failures): $(pwd)/evidence/$month"
[ -n "$first" ] && echo "First report (what needed a person): $first"
echo "Report: $report"
exit $status
