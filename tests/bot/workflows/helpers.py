"""Running `assist-bot` as a real process (so it can be killed) and reading its run tables."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.core.runs import EmployerRun, RunStore

REPO = Path(__file__).resolve().parents[3]
BOT = [sys.executable, "-m", "bot"]
MONTH = "2026-10"


@dataclass
class BotEnv:
    portfolio: Path
    folder: Path
    database_url: str | None = None
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def env(self) -> dict[str, str]:
        env = dict(
            os.environ,
            ASSIST_STATE_DIR=str(self.folder / "state"),
            ASSIST_EVIDENCE_DIR=str(self.folder / "evidence"),
            ASSIST_RETRY__WAIT_INITIAL_SECONDS="0.1",
            ASSIST_RETRY__WAIT_MAX_SECONDS="0.3",
            **self.extra,
        )
        if self.database_url:
            env["ASSIST_DATABASE_URL"] = self.database_url
        return env

    def command(self, *args: str) -> list[str]:
        return [*BOT, "--portfolio", str(self.portfolio), *args]

    def start(self, *args: str, log: Path | None = None) -> subprocess.Popen[str]:
        """Start a command; its stderr (the log) to `log` when given: a long-lived process must not
        block on a full pipe nobody reads."""
        if log is None:
            return subprocess.Popen(
                self.command(*args),
                cwd=REPO,
                env=self.env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
        with open(log, "w", encoding="utf-8") as stderr:
            return subprocess.Popen(
                self.command(*args), cwd=REPO, env=self.env, stdout=subprocess.PIPE, stderr=stderr, text=True
            )

    def run(self, *args: str, timeout: float = 240) -> tuple[int, dict[str, Any]]:
        """Run a command with --json; (exit code, the JSON document)."""
        done = subprocess.run(
            self.command(*args, "--json"),
            cwd=REPO,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        try:
            return done.returncode, json.loads(done.stdout)
        except json.JSONDecodeError:
            raise AssertionError(f"exit {done.returncode}, no JSON:\n{done.stdout}\n{done.stderr}") from None

    def runs(self, month: str = MONTH) -> list[EmployerRun]:
        url = self.database_url or f"sqlite:///{self.folder / 'state' / 'assist-bot.sqlite'}"
        if url.startswith("postgresql://"):
            url = url.replace("postgresql://", "postgresql+psycopg://")
        store = RunStore(url)
        try:
            return store.employer_runs(month)
        finally:
            store.close()


def by_employer(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {e["employer"]: e for e in document["employers"]}


def submissions_per_employer(state: dict[str, Any]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for submission in state.get("submissions", []):
        if not submission.get("submitted_at"):
            continue  # a draft, never sent
        code = submission.get("employer_code", "")
        counts[code] = counts.get(code, 0) + 1
    return counts


def payments_per_employer(state: dict[str, Any]) -> dict[str, int]:
    """Payments the portal holds per employer (any method, any state: started, pending or paid)."""
    counts: dict[str, int] = {}
    for payment in state.get("payments", []):
        code = payment.get("employer_code", "")
        counts[code] = counts.get(code, 0) + 1
    return counts
