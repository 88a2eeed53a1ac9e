"""The seam to DBOS (bot/workflows/dbos_seam.py): its one private reach is checked at start-up, and
what it gives (each worker its own --concurrency) is observed with two workers on a real PostgreSQL."""

from __future__ import annotations

import ast
import json
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from dbos import _queue

from bot.workflows import dbos_seam
from tests.bot.workflows.helpers import MONTH, BotEnv, submissions_per_employer
from tests.support.portal import MockPortalProcess
from tests.support.portfolio_gen import aim, generate
from tests.support.postgres import PostgresCluster, server_bin

EMPLOYERS = 8
BOT = Path(__file__).resolve().parents[3] / "bot"
SEAM = BOT / "workflows" / "dbos_seam.py"
# What code outside the seam may use of DBOS: its decorators, and the running workflow's id.
DECORATORS = {"workflow", "step", "workflow_id"}
needs_postgres = pytest.mark.skipif(
    server_bin() is None, reason="PostgreSQL not installed: scripts/ensure-postgres.sh"
)


def dbos_uses(path: Path) -> list[str]:
    """`DBOS.x` attributes and `dbos` imports in a module, as "file:line: what"."""
    found: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        where = f"{path.relative_to(BOT.parent)}:{getattr(node, 'lineno', 0)}"
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "DBOS":
            if node.attr not in DECORATORS:
                found.append(f"{where}: DBOS.{node.attr}")
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("dbos"):
            names = {a.name for a in node.names}
            if node.module != "dbos" or names - {"DBOS"}:
                found.append(f"{where}: from {node.module} import {', '.join(sorted(names))}")
    return found


def test_only_the_seam_calls_dbos_beyond_its_decorators() -> None:
    outside = [use for path in sorted(BOT.rglob("*.py")) if path != SEAM for use in dbos_uses(path)]
    assert outside == [], "DBOS used outside bot/workflows/dbos_seam.py:\n" + "\n".join(outside)
    # And the check sees what it looks for: the seam itself is full of it
    assert any("DBOS.launch" in use for use in dbos_uses(SEAM))
    assert any("from dbos._dbos import _get_dbos_instance" in use for use in dbos_uses(SEAM))


def test_the_installed_dbos_has_what_the_seam_relies_on() -> None:
    dbos_seam.check_private_api()  # raises when it does not
    assert dbos_seam.dbos_version().startswith(dbos_seam.TESTED + ".")


def test_a_dbos_whose_queue_thread_no_longer_reads_its_queue_row_is_refused_naming_its_version(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given a DBOS whose queue thread works some other way (as a release that renamed things would)
    def queue_worker_thread(*args: object) -> None:
        """Dequeues by other means."""

    monkeypatch.setattr(_queue, "queue_worker_thread", queue_worker_thread)
    # When the seam checks it at start-up
    with pytest.raises(dbos_seam.UnsupportedDbos) as refused:
        dbos_seam.check_private_api()
    # Then the error names the installed version, the tested one, what is missing and the fix
    message = str(refused.value)
    assert f"DBOS {dbos_seam.dbos_version()} is installed" in message
    assert "tested with DBOS 3.4.x" in message and "SystemDatabase.get_queue" in message
    assert "pip install 'dbos~=3.4.0'" in message
    assert refused.value.exit_code == 64


@pytest.fixture
def cluster() -> Iterator[PostgresCluster]:
    with PostgresCluster() as pg:
        yield pg


def running_per_executor(cluster: PostgresCluster) -> dict[str, int]:
    """Employers' workflows each executor has started and not finished (DBOS's system table)."""
    with psycopg.connect(cluster.url) as db:
        rows = db.execute(
            "SELECT executor_id, count(*) FROM dbos.workflow_status "
            "WHERE status = 'PENDING' AND name = 'assist.monthly_run' GROUP BY executor_id"
        ).fetchall()
    return {str(executor): int(n) for executor, n in rows}


def heartbeats(cluster: PostgresCluster) -> set[str]:
    with psycopg.connect(cluster.url) as db:
        try:
            return {str(r[0]) for r in db.execute("SELECT executor_id FROM assist_workers").fetchall()}
        except psycopg.errors.UndefinedTable:
            return set()


@needs_postgres
@pytest.mark.timeout(600)
def test_two_workers_on_one_postgresql_each_keep_their_own_concurrency(
    cluster: PostgresCluster, tmp_path: Path
) -> None:
    # Given a portal with eight employers, and two workers on one PostgreSQL database: one that
    # takes one employer at a time, one that takes three (both register the same queue row)
    generated = generate(tmp_path / "portfolio", EMPLOYERS, 3)
    with MockPortalProcess(extra_args=["--seed-file", str(generated.seed)]) as portal:
        bot = BotEnv(
            aim(generated, portal.base_url, portal.host, portal.imap_port),
            tmp_path,
            cluster.url,
            {
                "ASSIST_CONTRIBUTION__TEXTFILE_ABOVE": "0",
                "ASSIST_BROWSER__SCREENSHOTS": "false",
                "ASSIST_BROWSER__TRACE": "off",
            },
        )
        one = bot.start("worker", "--concurrency", "1", log=tmp_path / "worker-1.log")
        three = bot.start("worker", "--concurrency", "3", log=tmp_path / "worker-3.log")
        ids = {f"worker-{socket.gethostname()}-{w.pid}": n for w, n in ((one, 1), (three, 3))}
        most = dict.fromkeys(ids, 0)
        try:
            deadline = time.monotonic() + 120
            while not set(ids) <= heartbeats(cluster):
                assert one.poll() is None and three.poll() is None
                assert time.monotonic() < deadline, "the workers never started"
                time.sleep(0.3)
            # When `run` enqueues the month and waits
            run = bot.start("run", "--month", MONTH, "--no-pay", "--quiet", "--json")
            while run.poll() is None:
                for executor, n in running_per_executor(cluster).items():
                    assert executor in ids, f"executed by {executor}, not a worker"
                    most[executor] = max(most[executor], n)
                time.sleep(0.1)
            out, err = run.communicate(timeout=60)
        finally:
            for worker in (one, three):
                worker.terminate()
            for worker in (one, three):
                worker.wait(timeout=60)
        # Then every employer is done, each submitted once
        report = json.loads(out)
        assert run.returncode == 0, (report["summary"], err[-2000:])
        assert {e["status"] for e in report["employers"]} == {"done"} and len(
            report["employers"]
        ) == EMPLOYERS
        assert submissions_per_employer(portal.state()) == {
            e["employer_code"]: 1 for e in report["employers"]
        }
    # And each worker held at most its own --concurrency at once, and the one allowed three used more
    # than one: the limit is per worker, not the queue row's last writer's
    by_limit = {ids[executor]: n for executor, n in most.items()}
    assert by_limit[1] == 1, by_limit
    assert 2 <= by_limit[3] <= 3, by_limit
