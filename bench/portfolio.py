"""Portfolio throughput: employers per minute and peak memory of `assist-bot run` at several concurrencies.

Generates a portfolio of N employers with M employees each (portal seed + payrolls), starts the mock
portal on it, and for each concurrency runs the month from a clean portal and a clean bot database,
sampling the resident memory of every process (the bot, its Chromium, the portal) every 0.2 s.

    .venv/bin/python bench/portfolio.py                      # 40 employers x 50 employees, 1 2 4 8
    .venv/bin/python bench/portfolio.py --employers 10 --concurrency 1 4
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.support.portal import MockPortalProcess  # noqa: E402
from tests.support.portfolio_gen import aim, generate  # noqa: E402


def tree(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:  # a process may end while it is being read
            tasks = list(Path(f"/proc/{current}/task").glob("*"))
        except OSError:
            continue
        for task in tasks:
            try:
                todo.extend(int(c) for c in (task / "children").read_text().split())
            except OSError:
                pass
    return found


def rss_kib(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total


TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> tuple[str, float] | None:
    """(command name, user + system CPU seconds so far) of a process."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    name, rest = stat[stat.index("(") + 1 : stat.rindex(")")], stat[stat.rindex(")") + 2 :].split()
    return name, (int(rest[11]) + int(rest[12])) / TICKS


class Sampler(threading.Thread):
    """Samples every 0.2 s: the peak resident memory of all the processes, and the CPU time each used
    (by part: the portal, the bot's Python, its Chromium)."""

    def __init__(self, portal: int, bot: int) -> None:
        super().__init__(daemon=True)
        self.portal, self.bot = portal, bot
        self.peak = 0
        self.cpu: dict[int, tuple[str, float]] = {}
        self.portal_pids: set[int] = set()
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            portal, bot = tree(self.portal), tree(self.bot)
            self.portal_pids.update(portal)
            self.peak = max(self.peak, rss_kib(portal + bot))
            for pid in portal + bot:
                sample = cpu_seconds(pid)
                if sample is not None:
                    self.cpu[pid] = sample
            self.stop.wait(0.2)

    def cpu_by_part(self, portal_before: float) -> dict[str, float]:
        parts = {"portal": -portal_before, "bot": 0.0, "chromium": 0.0}
        for pid, (name, seconds) in self.cpu.items():
            part = "portal" if pid in self.portal_pids else "bot" if name.startswith("python") else "chromium"
            parts[part] += seconds
        return parts


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--employers", type=int, default=40)
    parser.add_argument("--employees", type=int, default=50)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 2, 4, 8])
    parser.add_argument("--month", default="2026-10")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-portfolio-"))
    generated = generate(folder / "portfolio", args.employers, args.employees)
    print(f"{args.employers} employers x {args.employees} employees; submit + read back ACR/ECR (--no-pay)")
    print(
        f"{'concurrency':>11} {'seconds':>8} {'employers/min':>14} {'peak RSS MiB':>13} {'done':>5} {'exit':>5}"
        f"   CPU seconds: {'portal':>6} {'bot':>6} {'chromium':>8}  (cores: {os.cpu_count()})"
    )
    with MockPortalProcess(extra_args=["--seed-file", str(generated.seed)]) as portal:
        portfolio = aim(generated, portal.base_url, portal.host, portal.imap_port)
        assert portal._process is not None
        for concurrency in args.concurrency:
            portal.reset()
            run_dir = folder / f"c{concurrency}"
            env = dict(
                os.environ,
                ASSIST_STATE_DIR=str(run_dir / "state"),
                ASSIST_EVIDENCE_DIR=str(run_dir / "evidence"),
                ASSIST_ORCHESTRATION__PORTAL_SESSIONS=str(max(8, concurrency)),
            )
            started = time.monotonic()
            bot = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "bot",
                    "--portfolio",
                    str(portfolio),
                    "run",
                    "--month",
                    args.month,
                    "--no-pay",
                    "--concurrency",
                    str(concurrency),
                    "--json",
                ],
                cwd=REPO,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            portal_cpu = sum(c[1] for c in (cpu_seconds(p) for p in tree(portal._process.pid)) if c)
            sampler = Sampler(portal._process.pid, bot.pid)
            sampler.start()
            out, err = bot.communicate()
            seconds = time.monotonic() - started
            sampler.stop.set()
            sampler.join()
            try:
                done = sum(e["status"] == "done" for e in json.loads(out)["employers"])
            except (json.JSONDecodeError, KeyError):
                done = -1
                sys.stderr.write(err[-3000:])
            cpu = sampler.cpu_by_part(portal_cpu)
            print(
                f"{concurrency:>11} {seconds:>8.1f} {args.employers * 60 / seconds:>14.1f} "
                f"{sampler.peak / 1024:>13.0f} {done:>5} {bot.returncode:>5}   "
                f"{'':>12} {cpu['portal']:>6.0f} {cpu['bot']:>6.0f} {cpu['chromium']:>8.0f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
