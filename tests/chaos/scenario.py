"""The chaos scenario shared by tests/chaos/ and bench/chaos.py: a generated portfolio of employers who
can all finish alone (FPX retail, bank credentials), a mock portal with every fault of issue 15 at
once, `assist-bot run` SIGKILLed twice, then rerun (faults still on) until every employer is done or
the reruns run out. What it measured is a `ChaosResult`; the checks of what must hold are `problems`.
"""

from __future__ import annotations

import re
import signal
import time
import tomllib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import tomli_w

from tests.bot.workflows.helpers import BotEnv, submissions_per_employer
from tests.support.demo_portfolio import RETAIL_BANK
from tests.support.portal import MockPortalProcess
from tests.support.portfolio_gen import aim, generate

MONTH = "2026-10"
FINAL = {"done", "failed", "needs-human", "unknown-outcome"}
AFTER = re.compile(r"after (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)")


@dataclass
class Chaos:
    """The scenario's knobs: portfolio size, fault rates, kills and reruns."""

    employers: int = 20
    employees: int = 3
    error_rate: float = 0.10  # of the portal's requests, answered 500/502/503 before the handler
    lost_post_rate: float = 0.04  # of the portal's POSTs: the handler acts, the response is lost
    session_expiry_after_requests: int = 60
    mail_delay_ms: int = 3000
    mail_duplicate_rate: float = 0.2
    bank_error_rate: float = 0.05
    bank_no_return_rate: float = 0.1
    fpx_expiry_seconds: float = 20.0  # the mock's and the bot's FPX time-out, short for a test
    return_timeout_seconds: float = 5.0  # how long the bot waits for a bank that never returns
    kills: int = 2
    kill_after_finished: int = 2  # SIGKILL once this many more employers finished (or the cap)
    kill_cap_seconds: float = 45.0
    max_reruns: int = 8
    concurrency: int = 4
    seed: int = 15
    # bench/chaos.py: once the reruns under faults are used up, clear the faults and run once more
    # (the test never does: every employer must finish with the faults on).
    clear_faults_at_the_end: bool = False

    def faults(self) -> dict[str, Any]:
        share = self.error_rate / 3
        routes: list[dict[str, Any]] = [
            {"path": "/employer/*", "error_rate": share, "status": status} for status in (500, 502, 503)
        ]
        routes.append(
            {"path": "/employer/*", "method": "POST", "error_rate": self.lost_post_rate, "after": True}
        )
        return {
            "seed": self.seed,
            "routes": routes,
            "session_expiry_after_requests": self.session_expiry_after_requests,
            "mail": {"delay_ms": self.mail_delay_ms, "duplicate_rate": self.mail_duplicate_rate},
            "bank": {"error_rate": self.bank_error_rate, "no_return_rate": self.bank_no_return_rate},
            "fpx_pending_expiry_seconds": self.fpx_expiry_seconds,
        }


@dataclass
class ChaosResult:
    employers: int
    runs: list[tuple[str, int, int]] = field(default_factory=list)  # (kind, exit code, employers done)
    reruns: int = 0  # full runs after the kills
    wall_seconds: float = 0.0
    report: dict[str, Any] = field(default_factory=dict)  # the last run's JSON
    state: dict[str, Any] = field(default_factory=dict)  # the portal's, at the end
    ledger_open: list[dict[str, Any]] = field(default_factory=list)
    balance_before: int = 0
    waited_seconds: float = 0.0  # waiting out FPX time-outs a report promised would settle
    done_under_faults: int = 0  # employers done by the last run with the faults on
    runs_after_clearing: int = 0

    @property
    def done(self) -> int:
        return sum(e["status"] == "done" for e in self.report.get("employers", []))

    @property
    def logins_per_employer(self) -> float:
        used = [a for a in self.state.get("login_attempts", []) if a.get("used_at")]
        return len(used) / max(1, self.employers)

    @property
    def password_requests_per_employer(self) -> float:
        return len(self.state.get("login_attempts", [])) / max(1, self.employers)

    def duplicate_submissions(self) -> int:
        return sum(n - 1 for n in submissions_per_employer(self.state).values() if n > 1)

    def successful_payments_per_document(self) -> dict[str, int]:
        counts = {d["number"]: 0 for d in self.state.get("documents", []) if d.get("status") != "cancelled"}
        for p in self.state.get("payments", []):
            if p["status"] == "Successful":
                for number in p["documents"]:
                    counts[number] = counts.get(number, 0) + 1
        return counts

    def duplicate_payments(self) -> int:
        return sum(n - 1 for n in self.successful_payments_per_document().values() if n > 1)

    def debited(self) -> int:
        return self.balance_before - bank_balance(self.state)

    def amount_due(self) -> int:
        return sum(d["amount_sen"] for d in self.state.get("documents", []) if d.get("status") != "cancelled")


def bank_balance(state: dict[str, Any]) -> int:
    return next(a["balance_sen"] for a in state["bank_accounts"] if a["user"] == RETAIL_BANK["user"])


def fpx_portfolio(template: Path, chaos: Chaos) -> Path:
    """Every employer pays by FPX from the retail account the bot logs in to (as demo_portfolio does),
    with a short wait for a bank that never returns."""
    data = tomllib.loads(template.read_text(encoding="utf-8"))
    for employer in data["employers"]:
        employer["payment_method"] = "fpx"
        employer["bank"] = {**RETAIL_BANK, "return_timeout_seconds": chaos.return_timeout_seconds}
    path = template.with_name("portfolio-fpx.toml")
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    return path


def promised_after(report: dict[str, Any]) -> float | None:
    """The latest moment a report's next actions name ("... after 2026-12-02 01:55:10 ..."), if any."""
    moments = []
    for employer in report.get("employers", []):
        if employer["status"] == "done":
            continue
        for text in (employer.get("next_action", ""), employer.get("detail", "")):
            found = AFTER.search(text or "")
            if found:
                moments.append(datetime.strptime(found.group(1), "%Y-%m-%d %H:%M:%S").timestamp())
    return max(moments) if moments else None


def run_chaos(chaos: Chaos, folder: Path, log: Any = print) -> ChaosResult:
    """The whole scenario; returns what it measured (the caller checks it)."""
    generated = generate(folder / "portfolio", chaos.employers, chaos.employees)
    result = ChaosResult(chaos.employers)
    with MockPortalProcess(extra_args=["--seed-file", str(generated.seed)]) as portal:
        portfolio = fpx_portfolio(aim(generated, portal.base_url, portal.host, portal.imap_port), chaos)
        bot = BotEnv(portfolio, folder / "bot")
        bot.extra.update(
            {
                "ASSIST_PORTAL__FPX_PENDING_EXPIRY_SECONDS": str(chaos.fpx_expiry_seconds),
                "ASSIST_ORCHESTRATION__PORTAL_SESSIONS": str(max(8, chaos.concurrency)),
            }
        )
        result.balance_before = bank_balance(portal.state())
        portal.set_faults(chaos.faults())
        started = time.monotonic()
        args = ("run", "--month", MONTH, "--concurrency", str(chaos.concurrency))
        for kill in range(chaos.kills):
            finished = _kill_during_run(bot, args, chaos, folder / f"killed-{kill + 1}.log")
            result.runs.append(("killed", -9, finished))
            log(f"run {kill + 1}: SIGKILLed with {finished} employers finished")
        for rerun in range(chaos.max_reruns + 1):
            code, report = bot.run(*args, "--quiet", timeout=900)
            result.report = report
            result.reruns = rerun + 1
            result.runs.append(("run", code, result.done))
            log(f"rerun {rerun + 1}: exit {code}, {result.done}/{chaos.employers} done")
            if result.done == chaos.employers:
                break
            after = promised_after(report)
            if after is not None and after > time.time():
                wait = after - time.time() + 1.0
                result.waited_seconds += wait
                log(f"waiting {wait:.0f}s: FPX times the Pending transactions out by then")
                time.sleep(wait)
        result.done_under_faults = result.done
        if chaos.clear_faults_at_the_end and result.done < chaos.employers:
            portal.set_faults({"fpx_pending_expiry_seconds": chaos.fpx_expiry_seconds})
            after = promised_after(result.report)
            if after is not None and after > time.time():
                time.sleep(after - time.time() + 1.0)
            code, result.report = bot.run(*args, "--quiet", timeout=900)
            result.runs_after_clearing = 1
            result.runs.append(("run, faults cleared", code, result.done))
            log(f"faults cleared, rerun: exit {code}, {result.done}/{chaos.employers} done")
        result.wall_seconds = time.monotonic() - started
        result.state = portal.state()
        result.ledger_open = _open_ledger(bot)
    return result


def _kill_during_run(bot: BotEnv, args: tuple[str, ...], chaos: Chaos, log: Path) -> int:
    """Start `run`, SIGKILL it once `kill_after_finished` more employers finished (or at the cap)."""
    before = _finished(bot)
    process = bot.start(*args, "--quiet", log=log)
    deadline = time.monotonic() + chaos.kill_cap_seconds
    while time.monotonic() < deadline and process.poll() is None:
        if _finished(bot) >= before + chaos.kill_after_finished:
            break
        time.sleep(0.2)
    if process.poll() is None:
        process.send_signal(signal.SIGKILL)
    process.wait(timeout=60)
    if process.stdout is not None:
        process.stdout.close()
    return _finished(bot)


def _finished(bot: BotEnv) -> int:
    if not (bot.folder / "state" / "assist-bot.sqlite").exists():
        return 0
    try:
        return sum(r.status in FINAL for r in bot.runs())
    except Exception:  # the run is creating its tables right now
        return 0


def _open_ledger(bot: BotEnv) -> list[dict[str, Any]]:
    from bot.core.ledger import Ledger

    ledger = Ledger(f"sqlite:///{bot.folder / 'state' / 'assist-bot.sqlite'}")
    try:
        return [e.as_dict() for e in ledger.entries() if e.is_open]
    finally:
        ledger.close()


def problems(result: ChaosResult) -> list[str]:
    """What must hold after the scenario (issue 15), as readable complaints; empty when all holds."""
    found = []
    employers = {e["employer_code"]: e for e in result.report.get("employers", [])}
    if len(employers) != result.employers:
        found.append(f"{len(employers)} employers in the report, not {result.employers}")
    submissions = submissions_per_employer(result.state)
    for code in employers:
        if submissions.get(code, 0) != 1:
            found.append(f"{code}: {submissions.get(code, 0)} submissions")
    for number, n in result.successful_payments_per_document().items():
        if n != 1:
            found.append(f"document {number}: {n} successful payments")
    if result.debited() != result.amount_due():
        found.append(f"the bank was debited {result.debited()} sen, the amount due is {result.amount_due()}")
    for e in employers.values():
        if e["status"] != "done":
            found.append(f"{e['employer']}: {e['status']}: {e['detail']} / next: {e.get('next_action')}")
    if result.ledger_open:
        found.append(f"open in the ledger: {[(e['employer'], e['state']) for e in result.ledger_open]}")
    return found


def summary(result: ChaosResult) -> str:
    return (
        f"{result.done_under_faults}/{result.employers} employers done under faults"
        f" ({result.done} at the end); reruns {result.reruns}; "
        f"wall {result.wall_seconds:.0f}s (of which {result.waited_seconds:.0f}s waiting out FPX time-outs); "
        f"logins/employer {result.logins_per_employer:.1f} "
        f"(password requests {result.password_requests_per_employer:.1f}); "
        f"duplicate submissions {result.duplicate_submissions()}, duplicate payments {result.duplicate_payments()}; "
        f"runs {result.runs}"
    )
