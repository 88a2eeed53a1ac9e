"""Finishing the month through a faulty portal, at scale (issue 15): the chaos scenario of
tests/chaos/ (every fault at once, `run` SIGKILLed twice, reruns with the faults still on) over 60+
generated employers, then, if some are still not done, one rerun with the faults cleared.

Prints: employers done under faults, reruns needed, wall time, logins per employer, duplicates.

    .venv/bin/python bench/chaos.py                        # 60 employers, 10 % 5xx, concurrency 4
    .venv/bin/python bench/chaos.py --employers 80 --error-rate 0.05 --max-reruns 4
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.chaos.scenario import Chaos, problems, run_chaos  # noqa: E402


def main() -> int:
    defaults = Chaos()
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--employers", type=int, default=60)
    parser.add_argument("--employees", type=int, default=defaults.employees)
    parser.add_argument("--error-rate", type=float, default=defaults.error_rate, help="5xx share of requests")
    parser.add_argument("--lost-post-rate", type=float, default=defaults.lost_post_rate)
    parser.add_argument("--concurrency", type=int, default=defaults.concurrency)
    parser.add_argument("--max-reruns", type=int, default=defaults.max_reruns)
    parser.add_argument("--seed", type=int, default=defaults.seed)
    args = parser.parse_args()
    chaos = Chaos(
        employers=args.employers,
        employees=args.employees,
        error_rate=args.error_rate,
        lost_post_rate=args.lost_post_rate,
        concurrency=args.concurrency,
        max_reruns=args.max_reruns,
        seed=args.seed,
        kill_cap_seconds=90.0,
        clear_faults_at_the_end=True,
    )
    print(
        f"{chaos.employers} employers x {chaos.employees} employees, concurrency {chaos.concurrency}; faults: "
        f"{chaos.error_rate:.0%} 5xx, {chaos.lost_post_rate:.0%} of POSTs lose their response, session expiry "
        f"after {chaos.session_expiry_after_requests} requests, mail {chaos.mail_delay_ms} ms late and "
        f"{chaos.mail_duplicate_rate:.0%} duplicated, bank {chaos.bank_error_rate:.0%} 5xx and "
        f"{chaos.bank_no_return_rate:.0%} no return; {chaos.kills} SIGKILLs of `run`",
        flush=True,
    )
    folder = Path(tempfile.mkdtemp(prefix="bench-chaos-"))
    result = run_chaos(chaos, folder, log=lambda line: print(f"  {line}", flush=True))
    share = result.done_under_faults / chaos.employers
    print(f"employers done under faults: {result.done_under_faults}/{chaos.employers} ({share:.0%})")
    print(
        f"reruns needed (after the kills): {result.reruns}"
        + (" + 1 with the faults cleared" * result.runs_after_clearing)
    )
    print(f"employers done at the end: {result.done}/{chaos.employers}")
    print(f"wall time: {result.wall_seconds:.0f} s ({result.waited_seconds:.0f} s waiting out FPX time-outs)")
    print(
        f"logins per employer: {result.logins_per_employer:.1f} "
        f"(password requests: {result.password_requests_per_employer:.1f})"
    )
    print(f"duplicates: {result.duplicate_submissions()} submissions, {result.duplicate_payments()} payments")
    print(f"bank debited {result.debited() / 100:,.2f}, amount due {result.amount_due() / 100:,.2f}")
    left = problems(result)
    for line in left:
        print(f"  not right: {line}")
    print(f"evidence and state: {folder}")
    return 0 if not left else 1


if __name__ == "__main__":
    sys.exit(main())
