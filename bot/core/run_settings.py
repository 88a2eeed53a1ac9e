"""Settings of portfolio runs: the database, the circuit breaker, deadlines and notifications.

Part of `Settings` (bot/core/settings.py) as `[orchestration]` and `[notify]` in the portfolio, or
`ASSIST_ORCHESTRATION__*` / `ASSIST_NOTIFY__*` in the environment.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, SecretStr

from bot.core.validation import Email, HttpUrl, Name, Port


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class OrchestrationSettings(_Strict):
    """How `run` and `worker` drive the portfolio."""

    breaker_threshold: int = Field(
        default=3,
        ge=1,
        description="fewest application errors (after retries) within the window, across employers, "
        "that stop a run (and they must be breaker_failure_ratio of the window's portal steps)",
    )
    breaker_window_seconds: float = Field(
        default=300.0,
        gt=0,
        description="the circuit breaker looks at the portal steps that ended this recently",
    )
    breaker_failure_ratio: float = Field(
        default=0.8,
        gt=0,
        le=1,
        description="share of the window's portal steps that must have failed: an outage, not a few unlucky employers",
    )
    breaker_cooldown_seconds: float = Field(
        default=300.0,
        gt=0,
        description="after this long a tripped breaker lets the portal be tried again (long-lived workers)",
    )
    portal_sessions: int = Field(
        default=8,
        ge=1,
        le=64,
        description="most browser contexts open on the portal at once in one process",
    )
    global_concurrency: int | None = Field(
        default=None,
        ge=1,
        description="most employers at once across every worker (PostgreSQL scale-out); none: no cap",
    )
    deadline_warning_days: int = Field(
        default=3, ge=0, description="flag employers not done this many days before the 15th"
    )
    poll_seconds: float = Field(default=0.5, gt=0, description="how often workers look for queued employers")
    worker_stale_seconds: float = Field(
        default=15.0,
        gt=0,
        description="a worker silent this long is dead: its employers go back to the queue",
    )


class SmtpNotifySettings(_Strict):
    host: Name
    port: Port = 587
    starttls: bool = True
    user: str | None = None
    password: SecretStr | None = None
    sender: Email
    to: list[Email] = Field(min_length=1)


class NotifySettings(_Strict):
    """Where the run summary goes after `run`: an email, a webhook (JSON POST), both or neither."""

    smtp: SmtpNotifySettings | None = None
    webhook_url: HttpUrl | None = None
    only_when_attention_needed: bool = False


class EvidenceSettings(_Strict):
    """What is kept, where and for how long (`[evidence]`, `ASSIST_EVIDENCE__*`). The folder itself is
    `evidence_dir` (`ASSIST_EVIDENCE_DIR`)."""

    keep_days: int | None = Field(
        default=90,
        ge=1,
        description="`evidence prune` (and `run`, `schedule` as they go) deletes evidence older than this;"
        " none: keep for ever. Records (ACR/ECR, receipts) are never pruned",
    )
    records_dir: Path | None = Field(
        default=None,
        description="ACR/ECR PDFs and receipts, per employer and month; default <evidence_dir>/records",
    )
    mask_mykad: bool = Field(
        default=True,
        description="MyKad numbers masked (930722-**-****) in every file the bot writes but the portal's"
        " PDFs; false only to debug",
    )
