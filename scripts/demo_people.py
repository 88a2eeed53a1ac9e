"""`make demo`'s second act: play the people the first run's report asked for, against the bundled
mock portal, so that a newcomer sees a month finished.

What a firm's people would do, each through the bot or through the mock's control API (the parts
that happen at a bank or at PERKESO, outside the portal):
- the company's authoriser approves a corporate FPX payment       (POST /_mock/fpx/REF/approve)
- someone enrols the missing direct-debit mandates                (assist-bot mandate enroll -e NAME)
  and the bank approves them                                      (POST /_mock/mandates/REF/approve)
- the payroll clerk transfers an EFT and hands the bot the slip   (assist-bot pay --method eft --slip F)
  and PERKESO sees the transfer arrive                            (POST /_mock/eft/REF/verify)
- someone takes the printed ACR/ECR and cheques to the counter     (POST /_mock/documents/N/paid-at-counter)
- an employer without bank credentials in the portfolio finishes  (POST /_mock/fpx/REF/complete)
  the FPX payment the bot left at the bank's login page, in their own browser
Then `assist-bot reconcile` settles the ledger with the portal's Payment History; `demo.sh` reruns
the month. Usage: demo_people.py PORTAL_URL PORTFOLIO MONTH REPORT_JSON
"""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import httpx

BOT = [sys.executable, "-m", "bot"]
# The smallest well-formed PDF: a bank's EFT payment slip for the demo.
SLIP = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 100]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def say(text: str) -> None:
    print(f"  person: {text}", flush=True)


def bot(portfolio: Path, *args: str) -> int:
    return subprocess.call([*BOT, "--portfolio", str(portfolio), *args], stdout=subprocess.DEVNULL)


def post(portal: httpx.Client, path: str) -> dict[str, Any]:
    answer = portal.post(path)
    answer.raise_for_status()
    return dict(answer.json())


def payments_of(portal: httpx.Client, code: str, method: str, status: str) -> list[dict[str, Any]]:
    state = portal.get("/_mock/state").json()
    return [
        p
        for p in state["payments"]
        if p["employer_code"] == code and p["method"] == method and p["status"] == status
    ]


def play(portal_url: str, portfolio: Path, month: str, report: Path) -> None:
    employers = {e["name"]: e for e in tomllib.loads(portfolio.read_text())["employers"]}
    waiting = [e for e in json.loads(report.read_text())["employers"] if e["status"] != "done"]
    slips = report.parent / "slips"
    with httpx.Client(base_url=portal_url, timeout=30) as portal:
        for line in waiting:
            name, code = line["employer"], line["employer_code"]
            method = employers[name].get("payment_method", "fpx")
            has_bank_login = bool(employers[name].get("bank", {}).get("user"))
            if method == "fpx" and has_bank_login:
                for p in payments_of(portal, code, "fpx", "Pending Authorisation"):
                    say(f"{name}'s authoriser approves FPX {p['reference']} in corporate banking")
                    post(portal, f"/_mock/fpx/{p['reference']}/approve")
            elif method == "fpx":
                for p in payments_of(portal, code, "fpx", "Pending"):
                    say(f"{name} finishes FPX {p['reference']} at the bank in their own browser")
                    post(portal, f"/_mock/fpx/{p['reference']}/complete")
            elif method == "dda":
                say(f"{name}: enrol the direct-debit mandates (assist-bot mandate enroll)")
                bot(portfolio, "mandate", "enroll", "-e", name)
                state = portal.get("/_mock/state").json()
                for m in state["mandates"]:
                    if m["employer_code"] == code and m["status"] not in ("Approved", "Rejected"):
                        say(f"{name}'s bank approves mandate {m['reference']}")
                        post(portal, f"/_mock/mandates/{m['reference']}/approve")
            elif method == "eft":
                slips.mkdir(parents=True, exist_ok=True)
                slip = slips / f"{name}-{month}-slip.pdf"
                slip.write_bytes(SLIP)
                say(f"{name}: transfer at the bank, then hand the bot the slip ({slip.name})")
                bot(portfolio, "pay", "-e", name, "--month", month, "--method", "eft", "--slip", str(slip))
                for p in payments_of(portal, code, "eft", "Pending Verification"):
                    say(f"PERKESO sees {name}'s transfer arrive and verifies EFT {p['reference']}")
                    post(portal, f"/_mock/eft/{p['reference']}/verify")
            elif method == "counter":
                state = portal.get("/_mock/state").json()
                for d in state["documents"]:
                    if d["employer_code"] == code and d["status"] == "unpaid":
                        say(f"{name} pays {d['number']} by cheque at the bank counter")
                        post(portal, f"/_mock/documents/{d['number']}/paid-at-counter")
    say("reconcile the ledger with the portal's Payment History (assist-bot reconcile)")
    bot(portfolio, "reconcile")


if __name__ == "__main__":
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    play(sys.argv[1], Path(sys.argv[2]), sys.argv[3], Path(sys.argv[4]))
