"""The bot's own record of portfolio runs: one row per employer and month, one per step.

DBOS keeps the workflows' checkpoints; these tables keep what people read (status, the step an
employer is at, amounts, ACR/ECR numbers, payment references, evidence, the next action), so that
`assist-bot report` can rebuild the report from the database alone, and so that `run` can show
progress written by workers on other machines. Same database as DBOS's (SQLite file or PostgreSQL).
"""

from __future__ import annotations

import json
import os
import socket
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from bot.core.database import create_tables, open_engine
from bot.core.settings import Settings

metadata = sa.MetaData()

employer_runs = sa.Table(
    "assist_employer_runs",
    metadata,
    sa.Column("employer_code", sa.String(32), primary_key=True),
    sa.Column("month", sa.String(7), primary_key=True),
    sa.Column("dry_run", sa.Boolean, primary_key=True),
    sa.Column("employer", sa.String(100), nullable=False),
    sa.Column("workflow_id", sa.String(200), nullable=False),
    sa.Column("attempt", sa.Integer, nullable=False, default=1),
    sa.Column(
        "status", sa.String(20), nullable=False
    ),  # queued running done failed needs-human unknown-outcome
    sa.Column("step", sa.String(40), nullable=False, default=""),
    sa.Column("detail", sa.Text, nullable=False, default=""),
    sa.Column("next_action", sa.Text, nullable=False, default=""),
    sa.Column("pay_requested", sa.Boolean, nullable=False, default=True),
    sa.Column("started_at", sa.Float, nullable=False),
    sa.Column("updated_at", sa.Float, nullable=False),
    sa.Column("finished_at", sa.Float, nullable=True),
)

step_results = sa.Table(
    "assist_step_results",
    metadata,
    sa.Column("employer_code", sa.String(32), primary_key=True),
    sa.Column("month", sa.String(7), primary_key=True),
    sa.Column("dry_run", sa.Boolean, primary_key=True),
    sa.Column("step", sa.String(40), primary_key=True),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("workflow_id", sa.String(200), nullable=False),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("detail", sa.Text, nullable=False, default=""),
    sa.Column("error", sa.String(100), nullable=True),
    sa.Column("next_action", sa.Text, nullable=False, default=""),
    sa.Column("data", sa.Text, nullable=False, default="{}"),
    sa.Column("evidence", sa.Text, nullable=False, default=""),
    sa.Column("started_at", sa.Float, nullable=False),
    sa.Column("finished_at", sa.Float, nullable=True),
    # How often the step's code started: 1 for a step done once; a crash mid-step makes it 2.
    sa.Column("executions", sa.Integer, nullable=False, default=0),
)

workers = sa.Table(
    "assist_workers",
    metadata,
    sa.Column("executor_id", sa.String(200), primary_key=True),
    sa.Column("host", sa.String(200), nullable=False),
    sa.Column("pid", sa.Integer, nullable=False),
    sa.Column("seen_at", sa.Float, nullable=False),
)


def database_url(settings: Settings) -> str:
    """ASSIST_DATABASE_URL, else a SQLite file in the state folder (created here)."""
    if settings.database_url:
        url = settings.database_url
        # SQLAlchemy's bare postgresql:// means psycopg2, which is not installed; psycopg 3 is.
        if url.startswith("postgresql://") or url.startswith("postgres://"):
            url = "postgresql+psycopg://" + url.split("://", 1)[1]
        return url
    settings.state_dir.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{(settings.state_dir / 'assist-bot.sqlite').resolve()}"


def is_postgres(url: str) -> bool:
    return url.startswith("postgresql")


@dataclass
class StepRow:
    step: str
    position: int
    workflow_id: str
    status: str
    detail: str
    error: str | None
    next_action: str
    data: dict[str, Any]
    evidence: str
    started_at: float
    finished_at: float | None
    executions: int = 0


@dataclass
class EmployerRun:
    employer_code: str
    month: str
    dry_run: bool
    employer: str
    workflow_id: str
    attempt: int
    status: str
    step: str
    detail: str
    next_action: str
    pay_requested: bool
    started_at: float
    updated_at: float
    finished_at: float | None
    steps: list[StepRow] = field(default_factory=list)

    @property
    def seconds(self) -> float:
        return round((self.finished_at or time.time()) - self.started_at, 1)

    def data(self, step: str) -> dict[str, Any]:
        for row in self.steps:
            if row.step == step:
                return row.data
        return {}


class RunStore:
    """Reads and writes the run tables; every write is one short transaction (safe from many workers)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = open_engine(url)
        create_tables(metadata, self.engine)

    def close(self) -> None:
        self.engine.dispose()

    # -- employer runs --------------------------------------------------------------------
    def _upsert(
        self,
        table: sa.Table,
        keys: dict[str, Any],
        values: dict[str, Any],
        first: dict[str, Any] | None = None,
    ) -> None:
        """Update the row, else insert it (with `first` overriding values that only make sense as updates)."""
        with self.engine.begin() as conn:
            where = [table.c[k] == v for k, v in keys.items()]
            updated = conn.execute(sa.update(table).where(*where).values(**values)).rowcount
            if not updated:
                try:
                    with conn.begin_nested():
                        conn.execute(sa.insert(table).values(**keys, **{**values, **(first or {})}))
                except sa.exc.IntegrityError:  # another process inserted it first
                    conn.execute(sa.update(table).where(*where).values(**values))

    def queue_employer(
        self,
        *,
        code: str,
        month: str,
        dry_run: bool,
        employer: str,
        workflow_id: str,
        attempt: int,
        pay: bool,
    ) -> None:
        """An employer's month is (re)queued under `workflow_id`."""
        now = time.time()
        self._upsert(
            employer_runs,
            {"employer_code": code, "month": month, "dry_run": dry_run},
            {
                "employer": employer,
                "workflow_id": workflow_id,
                "attempt": attempt,
                "status": "queued",
                "step": "",
                "detail": "waiting for a worker",
                "next_action": "",
                "pay_requested": pay,
                "started_at": now,
                "updated_at": now,
                "finished_at": None,
            },
        )

    def employer_progress(
        self,
        *,
        code: str,
        month: str,
        dry_run: bool,
        status: str,
        step: str,
        detail: str = "",
        next_action: str = "",
        finished: bool = False,
    ) -> None:
        values: dict[str, Any] = {
            "status": status,
            "step": step,
            "detail": detail,
            "next_action": next_action,
            "updated_at": time.time(),
        }
        if finished:
            # Kept once set (until the employer is queued again): a workflow recovered after a kill that
            # came between this write and DBOS recording the end replays its steps and writes it again.
            values["finished_at"] = sa.func.coalesce(employer_runs.c.finished_at, time.time())
        with self.engine.begin() as conn:
            conn.execute(
                sa.update(employer_runs)
                .where(
                    employer_runs.c.employer_code == code,
                    employer_runs.c.month == month,
                    employer_runs.c.dry_run == dry_run,
                )
                .values(**values)
            )

    def pay_requested(self, code: str, month: str, dry_run: bool) -> bool:
        with self.engine.connect() as conn:
            value = conn.execute(
                sa.select(employer_runs.c.pay_requested).where(
                    employer_runs.c.employer_code == code,
                    employer_runs.c.month == month,
                    employer_runs.c.dry_run == dry_run,
                )
            ).scalar()
        return True if value is None else bool(value)

    # -- steps ----------------------------------------------------------------------------
    def record_step(
        self,
        *,
        code: str,
        month: str,
        dry_run: bool,
        step: str,
        position: int,
        workflow_id: str,
        status: str,
        detail: str = "",
        error: str | None = None,
        next_action: str = "",
        data: dict[str, Any] | None = None,
        evidence: str = "",
        started_at: float | None = None,
        finished: bool = True,
    ) -> None:
        values: dict[str, Any] = {} if finished else {"executions": step_results.c.executions + 1}
        keys = {"employer_code": code, "month": month, "dry_run": dry_run, "step": step}
        self._upsert(
            step_results,
            keys,
            {
                **values,
                "position": position,
                "workflow_id": workflow_id,
                "status": status,
                "detail": detail,
                "error": error,
                "next_action": next_action,
                "data": json.dumps(data or {}, default=str),
                "evidence": evidence,
                "started_at": started_at or time.time(),
                "finished_at": time.time() if finished else None,
            },
            first={} if finished else {"executions": 1},
        )

    # -- reading --------------------------------------------------------------------------
    def employer_runs(
        self, month: str | None = None, *, dry_run: bool = False, codes: list[str] | None = None
    ) -> list[EmployerRun]:
        """Every employer's run (for `month`, else the latest month with runs), steps in order."""
        with self.engine.connect() as conn:
            if month is None:
                month = conn.execute(
                    sa.select(sa.func.max(employer_runs.c.month)).where(employer_runs.c.dry_run == dry_run)
                ).scalar()
                if month is None:
                    return []
            query = sa.select(employer_runs).where(
                employer_runs.c.month == month, employer_runs.c.dry_run == dry_run
            )
            if codes is not None:
                query = query.where(employer_runs.c.employer_code.in_(codes))
            runs = [
                EmployerRun(**row._mapping) for row in conn.execute(query.order_by(employer_runs.c.employer))
            ]
            steps = conn.execute(
                sa.select(step_results)
                .where(step_results.c.month == month, step_results.c.dry_run == dry_run)
                .order_by(step_results.c.position)
            ).all()
        by_code = {r.employer_code: r for r in runs}
        for row in steps:
            values = dict(row._mapping)
            run = by_code.get(values.pop("employer_code"))
            if run is None:
                continue
            for key in ("month", "dry_run"):
                values.pop(key)
            values["data"] = json.loads(values["data"] or "{}")
            run.steps.append(StepRow(**values))
        return runs

    # -- workers --------------------------------------------------------------------------
    def heartbeat(self, executor_id: str) -> None:
        self._upsert(
            workers,
            {"executor_id": executor_id},
            {"host": socket.gethostname(), "pid": os.getpid(), "seen_at": time.time()},
        )

    def stale_workers(self, older_than_seconds: float) -> list[str]:
        with self.engine.connect() as conn:
            return list(
                conn.execute(
                    sa.select(workers.c.executor_id).where(
                        workers.c.seen_at < time.time() - older_than_seconds
                    )
                ).scalars()
            )

    def forget_worker(self, executor_id: str) -> bool:
        """Delete a worker's heartbeat; True for the one caller whose delete found it."""
        with self.engine.begin() as conn:
            return conn.execute(sa.delete(workers).where(workers.c.executor_id == executor_id)).rowcount > 0


def evidence_path(path: str) -> Path | None:
    return Path(path) if path else None
