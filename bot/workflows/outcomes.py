"""What each step of an employer's month ends with: frozen dataclasses, a status from bot/outcome.py.

A step's outcome is checkpointed by DBOS and recorded in the run tables in its JSON form
(`as_dict`): plain JSON is what the planner (bot/workflows/portfolio.py) and the reports read, and
it stays readable by a later version of the bot resuming a month this one started. The code that
runs the month only ever handles the typed form (`StepOutcome.load`).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, ClassVar, Generic, Protocol, TypeVar

from bot.core.contributions import CheckedFile
from bot.core.errors import BusinessError
from bot.outcome import Status


class Stale(BusinessError):
    """What an earlier step handed on is out of date (the payroll changed since its text file was
    checked): this step stops, and the rerun restarts at `restart_at` instead of replaying it."""

    def __init__(self, message: str, restart_at: str) -> None:
        super().__init__(message)
        self.restart_at = restart_at


class StepData(Protocol):
    """What a step hands on (to later steps and the report), as JSON and back."""

    def as_dict(self) -> dict[str, Any]: ...


@dataclass(frozen=True)
class EmployeesSynced:
    """The employees step: the portal's Employee List brought in line with the payroll."""

    registered: int
    terminated: int
    changes: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "changes": list(self.changes), "notes": list(self.notes)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> EmployeesSynced:
        return cls(
            int(data.get("registered", 0)),
            int(data.get("terminated", 0)),
            tuple(data.get("changes", ())),
            tuple(data.get("notes", ())),
        )


@dataclass(frozen=True)
class TextfileBuilt:
    """The textfile step: the month's file, built from the payroll and checked by the reader
    (bot/core/contributions/checked.py). The submit step sends this file and nothing else: its hash
    and its source's travel with it, so a payroll changed since the check stops the submission."""

    checked: CheckedFile

    @property
    def file(self) -> str:
        return self.checked.path

    def as_dict(self) -> dict[str, Any]:
        # Beside the CheckedFile, what the report reads (file, kind, payroll, employees, totals).
        return {
            "file": self.checked.path,
            "kind": self.checked.kind,
            "payroll": self.checked.source,
            "employees": self.checked.employees,
            "totals_sen": self.checked.totals().as_dict(),
            "checked": self.checked.to_dict(),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TextfileBuilt:
        return cls(CheckedFile.from_dict(dict(data["checked"])))


@dataclass(frozen=True)
class Submitted:
    """The submit step: the month submitted (or found submitted) and its ACR/ECR read back."""

    submitted: bool
    mode: str
    documents: tuple[dict[str, Any], ...] = ()
    file_sha256: str = ""  # the checked file that was sent (empty when the month was already submitted)

    @property
    def files(self) -> list[str]:
        return [str(d["pdf"]) for d in self.documents if d.get("pdf")]

    @property
    def numbers(self) -> set[str]:
        """The ACR/ECR numbers read back: what the pay step pays."""
        return {str(d["number"]) for d in self.documents if d.get("number")}

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "submitted": self.submitted,
            "mode": self.mode,
            "documents": list(self.documents),
            "files": self.files,
            "file_sha256": self.file_sha256,
        }
        for d in self.documents:  # the report's references: "acr": number, "ecr": number
            data[str(d["type"]).lower()] = d["number"]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Submitted:
        return cls(
            bool(data.get("submitted", False)),
            str(data.get("mode", "")),
            tuple(data.get("documents", ())),
            str(data.get("file_sha256", "")),
        )


@dataclass(frozen=True)
class Paid:
    """The pay step (also when it did not end done: what a person must finish)."""

    method: str
    payments: tuple[dict[str, Any], ...] = ()
    already_paid: tuple[str, ...] = ()
    files: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "payments": list(self.payments),
            "already_paid": list(self.already_paid),
            "files": list(self.files),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Paid:
        return cls(
            str(data.get("method", "")),
            tuple(data.get("payments", ())),
            tuple(data.get("already_paid", ())),
            tuple(data.get("files", ())),
        )


D = TypeVar("D", EmployeesSynced, TextfileBuilt, Submitted, Paid)


@dataclass(frozen=True)
class StepOutcome(Generic[D]):
    """How one step ended: `data` is what it hands on (None when it was skipped or failed early)."""

    step: str
    status: Status
    detail: str
    error: str | None = None
    next_action: str = ""
    data: D | None = None
    evidence: str = ""
    restart_at: str = ""  # the earlier step a rerun starts from (bot/workflows/portfolio.py)

    DATA: ClassVar[dict[str, Any]] = {
        "employees": EmployeesSynced,
        "textfile": TextfileBuilt,
        "submit": Submitted,
        "pay": Paid,
    }

    @property
    def finished(self) -> bool:
        return self.status.finished

    def as_dict(self) -> dict[str, Any]:
        return {
            "step": self.step,
            "status": str(self.status),
            "detail": self.detail,
            "error": self.error,
            "next_action": self.next_action,
            "data": self.data.as_dict() if self.data is not None else {},
            "evidence": self.evidence,
            "restart_at": self.restart_at,
        }

    @classmethod
    def load(cls, stored: dict[str, Any]) -> StepOutcome[Any]:
        """The typed form of a checkpointed outcome (this version's or an earlier one's)."""
        step = str(stored["step"])
        raw = stored.get("data") or {}
        data = None
        if raw:
            try:
                data = cls.DATA[step].from_dict(raw)
            except (KeyError, TypeError, ValueError):
                data = None  # an outcome without what this version hands on: the next step says so
        return StepOutcome(
            step=step,
            status=Status(stored["status"]),
            detail=str(stored.get("detail", "")),
            error=stored.get("error"),
            next_action=str(stored.get("next_action", "")),
            data=data,
            evidence=str(stored.get("evidence", "")),
            restart_at=str(stored.get("restart_at", "")),
        )


@dataclass(frozen=True)
class MonthOutcome:
    """The workflow's result: the employer's month, and every step's outcome."""

    employer: str
    month: str
    status: Status
    step: str
    detail: str
    next_action: str
    steps: tuple[StepOutcome[Any], ...] = field(default=())

    def as_dict(self) -> dict[str, Any]:
        return {
            "employer": self.employer,
            "month": self.month,
            "status": str(self.status),
            "step": self.step,
            "detail": self.detail,
            "next_action": self.next_action,
            "steps": [s.as_dict() for s in self.steps],
        }
