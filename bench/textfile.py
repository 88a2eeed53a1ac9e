"""Benchmark: 100,000 employees imported, computed, written and read back (issue 3).

Generates its own payroll in a temporary directory (valid MyKads, a share of foreign workers
and over-60s), then times each stage and prints the seconds and the peak memory. Aim: under 2 s
and 200 MB in all. Run: ``.venv/bin/python bench/textfile.py [--employees N] [--scheme KIND]``.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from bot.core.contributions import Kind, Month, compute, import_payroll, read_textfile, render, write_textfile
from bot.core.contributions.layout import Scheme

MONTH = Month(2026, 10)
TODAY = date(2026, 11, 15)
PLACES = ["01", "02", "05", "08", "10", "12", "13", "14", "21", "41", "54"]


def unique_payroll(path: Path, count: int) -> None:
    """Deterministic unique MyKads: (birth date, place, serial) enumerated, not drawn."""
    rng = random.Random(3)
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("id_number,name,wages,citizenship,date_of_birth\n")
        for n in range(count):
            wages = f"{rng.randrange(0, 900000) / 100:.2f}"
            if n % 10 == 9:
                out.write(f"P{n:08d},WORKER NUMBER {n},{wages},foreign,1975-0{1 + n % 9}-1{n % 10}\n")
                continue
            serial, rest = n % 10000, n // 10000
            yy, mm, dd = 55 + rest % 45, 1 + (n // 7) % 12, 1 + (n // 3) % 28
            place = PLACES[rest % len(PLACES)]
            out.write(f"{yy:02d}{mm:02d}{dd:02d}-{place}-{serial:04d},EMPLOYEE {n} BIN ABDULLAH,{wages},,\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", type=int, default=100_000)
    parser.add_argument("--kind", choices=[k.value for k in Kind], default=Kind.COMBINED_V2.value)
    args = parser.parse_args()
    kind = Kind(args.kind)
    scheme = Scheme(kind.value.split()[0])
    with tempfile.TemporaryDirectory() as tmp:
        payroll, out = Path(tmp) / "payroll.csv", Path(tmp) / "out.txt"
        unique_payroll(payroll, args.employees)
        stages: list[tuple[str, float]] = []
        start = last = time.perf_counter()
        cpu_start = time.process_time()

        def lap(name: str) -> None:
            nonlocal last
            now = time.perf_counter()
            stages.append((name, now - last))
            last = now

        employees = import_payroll(payroll, MONTH, today=TODAY)
        lap("import")
        lines = compute(employees, MONTH)
        lap("compute")
        rendered = render(lines, employer_code="E1102069801V", month=MONTH, kind=kind)
        write_textfile(out, rendered)
        count = len(employees)
        del employees, lines, rendered  # as in real use: the writer's data is dropped once written
        lap("write")
        checked = read_textfile(out, scheme=scheme, today=TODAY)
        lap("read+check")
        total = time.perf_counter() - start
        cpu = time.process_time() - cpu_start
    if checked.problems:
        print(f"unexpected problems, first: {checked.problems[0]}", file=sys.stderr)
        return 1
    # ru_maxrss is KiB on Linux: the whole process's peak, interpreter and imports included.
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"employees: {count:,} read, {len(checked.records):,} lines in a {kind} file")
    for name, seconds in stages:
        print(f"  {name:<11} {seconds:6.3f} s")
    # CPU seconds too: on a shared, loaded machine the wall clock says more about the neighbours.
    print(
        f"total: {total:.3f} s wall, {cpu:.3f} s CPU (aim < 2 s); peak memory (max RSS): {peak_mb:.0f} MB (aim < 200 MB)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
