"""Scale-out on a real PostgreSQL: `run` enqueues, two `assist-bot worker` processes execute."""

from __future__ import annotations

import json
import re
import signal
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from tests.bot.workflows.helpers import MONTH, BotEnv, by_employer, submissions_per_employer
from tests.support.portal import MockPortalProcess
from tests.support.portfolio_gen import aim, generate
from tests.support.postgres import PostgresCluster, server_bin

pytestmark = [
    pytest.mark.timeout(600),
    pytest.mark.skipif(server_bin() is None, reason="PostgreSQL not installed: scripts/ensure-postgres.sh"),
]
EMPLOYERS = 30


@pytest.fixture
def cluster() -> Iterator[PostgresCluster]:
    with PostgresCluster() as pg:
        yield pg


def in_hand(cluster: PostgresCluster, pid: int) -> int:
    """Workflows the worker process `pid` has started and not finished (DBOS's system table)."""
    with psycopg.connect(cluster.url) as db:
        row = db.execute(
            "SELECT count(*) FROM dbos.workflow_status WHERE executor_id = %s AND status = 'PENDING'",
            (f"worker-{socket.gethostname()}-{pid}",),
        ).fetchone()
    return int(row[0]) if row else 0


def test_two_workers_do_thirty_employers_once_each_and_survive_a_killed_worker(
    cluster: PostgresCluster, tmp_path: Path
) -> None:
    # Given a portal with 30 employers, and two workers on one PostgreSQL database
    generated = generate(tmp_path / "portfolio", EMPLOYERS, 3)
    with MockPortalProcess(extra_args=["--seed-file", str(generated.seed)]) as portal:
        bot = BotEnv(
            aim(generated, portal.base_url, portal.host, portal.imap_port),
            tmp_path,
            cluster.url,
            {
                "ASSIST_ORCHESTRATION__WORKER_STALE_SECONDS": "3",
                # What this test proves is once-only across workers, not the evidence or the form:
                # text-file upload, no step screenshots and no traces keep 30 employers quick.
                "ASSIST_CONTRIBUTION__TEXTFILE_ABOVE": "0",
                "ASSIST_BROWSER__SCREENSHOTS": "false",
                "ASSIST_BROWSER__TRACE": "off",
            },
        )
        logs = [tmp_path / f"worker-{n}.log" for n in (1, 2)]
        workers = [bot.start("worker", "--concurrency", "4", log=log) for log in logs]
        try:
            # When `run` enqueues the month
            run = bot.start("run", "--month", MONTH, "--no-pay", "--quiet", "--json")
            # And one worker is killed once a few employers are done and it has some of its own in hand
            deadline = time.monotonic() + 240
            while time.monotonic() < deadline and not (
                len([r for r in bot.runs() if r.status == "done"]) >= 4 and in_hand(cluster, workers[0].pid)
            ):
                time.sleep(0.3)
            workers[0].send_signal(signal.SIGKILL)
            out, err = run.communicate(timeout=420)
        finally:
            for worker in workers:
                if worker.poll() is None:
                    worker.send_signal(signal.SIGTERM)
            for worker in workers:
                worker.wait(timeout=60)
        # Then the run ends with every employer done
        report = json.loads(out)
        assert run.returncode == 0, (report["summary"], err[-2000:])
        assert len(by_employer(report)) == EMPLOYERS
        assert {e["status"] for e in report["employers"]} == {"done"}
        # And each employer's month was submitted exactly once
        counts = submissions_per_employer(portal.state())
        assert counts == {e["employer_code"]: 1 for e in report["employers"]}
        # And the surviving worker declared the killed one dead and put its unfinished employers back
        # on the queue (not merely went on with the rest)
        assert workers[1].returncode == 0
        survivor = logs[1].read_text(encoding="utf-8")
        taken_over = re.search(
            rf"worker worker-{re.escape(socket.gethostname())}-{workers[0].pid} is silent: "
            r"(\d+) of its employers are back on the queue",
            survivor,
        )
        assert taken_over and int(taken_over.group(1)) >= 1, survivor[-3000:]


def test_a_workers_open_breaker_makes_the_run_waiting_for_it_exit_75(
    cluster: PostgresCluster, demo_portfolio: Path, tmp_path: Path, fresh_portal: MockPortalProcess
) -> None:
    # Given a portal that answers 503 to everything, and one worker whose breaker trips at two
    # failures in a row
    fresh_portal.set_faults({"routes": [{"path": "/*", "error_rate": 1.0, "status": 503}]})
    bot = BotEnv(demo_portfolio, tmp_path, cluster.url, {"ASSIST_ORCHESTRATION__BREAKER_THRESHOLD": "2"})
    log = tmp_path / "worker.log"
    worker = bot.start("worker", "--concurrency", "1", log=log)
    try:
        # When `run` enqueues four employers and waits for the worker
        code, report = bot.run(
            "run", "--month", MONTH, "--employers", "halim,bengkel,klinik,siti", "--no-pay", timeout=400
        )
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=60)
    # Then the run exits 75 (try later): the worker's breaker stopped the month, two employers were
    # not attempted, and the report says so
    assert code == 75, (report["summary"], log.read_text(encoding="utf-8")[-2000:])
    not_attempted = [e["employer"] for e in report["employers"] if "not attempted" in e["detail"]]
    assert len(not_attempted) == 2, {e["employer"]: e["detail"] for e in report["employers"]}
    assert report["breaker"].startswith("2 employer(s) not attempted"), report["breaker"]
    assert submissions_per_employer(fresh_portal.state()) == {}


def test_a_worker_declared_dead_by_another_stops_at_once_with_75(
    cluster: PostgresCluster, demo_portfolio: Path, tmp_path: Path
) -> None:
    # Given a worker on PostgreSQL, beating every second
    bot = BotEnv(demo_portfolio, tmp_path, cluster.url, {"ASSIST_ORCHESTRATION__WORKER_STALE_SECONDS": "5"})
    log = tmp_path / "worker.log"
    worker = bot.start("worker", log=log)
    executor = f"worker-{socket.gethostname()}-{worker.pid}"
    try:
        deadline = time.monotonic() + 120
        while not heartbeat_of(cluster, executor):
            assert worker.poll() is None, log.read_text(encoding="utf-8")
            assert time.monotonic() < deadline, "the worker never beat"
            time.sleep(0.3)
        # When another worker declares it dead (deletes its heartbeat row and takes its workflows),
        # as it would after a pause longer than the stale time
        with psycopg.connect(cluster.url) as db:
            db.execute("DELETE FROM assist_workers WHERE executor_id = %s", (executor,))
        # Then the worker stops at once, with 75, saying why, instead of executing beside the other
        worker.wait(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait(timeout=30)
    said = log.read_text(encoding="utf-8")
    assert worker.returncode == 75, said[-2000:]
    assert f"{executor} was declared dead by another worker" in " ".join(said.split())


def heartbeat_of(cluster: PostgresCluster, executor: str) -> bool:
    with psycopg.connect(cluster.url) as db:
        try:
            found = db.execute("SELECT 1 FROM assist_workers WHERE executor_id = %s", (executor,)).fetchone()
        except psycopg.errors.UndefinedTable:
            return False
    return found is not None
