#!/usr/bin/env bash
# `make demo`: start the bundled mock portal (portal + SMTP + IMAP on loopback), run the main job
# (`assist-bot run --month <last month>`) on the demo portfolio against it, stop the portal, and say
# where the report and the evidence are.
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
.venv/bin/assist-bot --portfolio fixtures/demo/portfolio.toml run --month "$month"
status=$?
# `run` has printed the report's path; the evidence folder is beside it.
echo "Evidence (screenshots per step, traces of failures): $(pwd)/evidence/$month"
# Exit 2 is the demo working as meant: some demo employers' payments need a person (no bank
# credentials, EFT, a mandate, an authoriser), and the report says what to do.
if [ $status -eq 2 ]; then
    echo "Some employers need a person (by design in the demo portfolio): see 'Next action' in the report."
    exit 0
fi
exit $status
