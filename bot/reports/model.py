"""The run report's content, from the run tables alone: per employer status, amounts, references,
evidence, the failure screenshot, the reason and the next action; deadlines (the 15th of the next
month) and who is at risk of missing it. `assist-bot report` rebuilds it from the database.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from bot.core.contributions import Month
from bot.core.runs import EmployerRun

# Keys in step data that hold the portal's own references and downloaded files.
REFERENCE_KEYS = (
    "acr",
    "ecr",
    "acr_number",
    "ecr_number",
    "reference",
    "references",
    "fpx_transaction_id",
    "transaction_id",
    "payment_reference",
    "bank_reference",
    "receipt_number",
    "status",
)
FILE_KEYS = ("receipts", "files", "acr_file", "ecr_file", "receipt", "slip", "slips")
STATUS_ORDER = ("failed", "unknown-outcome", "needs-human", "running", "queued", "done")


def due_date(month: str) -> date:
    """Contributions for a month are due by the 15th of the next month."""
    m = Month.parse(month)
    return date(m.year + (m.month == 12), m.month % 12 + 1, 15)


@dataclass
class StepLine:
    step: str
    status: str
    detail: str
    error: str | None
    next_action: str
    references: dict[str, str]
    files: list[Path]
    evidence: Path | None


@dataclass
class EmployerLine:
    name: str
    code: str
    status: str
    step: str
    detail: str
    next_action: str
    attempt: int
    workflow_id: str
    seconds: float
    amount_sen: int | None
    employees: int | None
    references: dict[str, str]
    files: list[Path]
    evidence: Path | None
    failure_screenshot: Path | None
    steps: list[StepLine]
    totals_sen: dict[str, int] = field(default_factory=dict)  # socso, eis, skbbk, total
    paid_sen: int = 0  # what the ledger has as paid for the month
    at_risk: bool = False  # not done, and the due date is near (or today)
    overdue: bool = False  # not done, and the due date has passed

    @property
    def needs_attention(self) -> bool:
        return self.status != "done"

    @property
    def outstanding_sen(self) -> int | None:
        """What is still to pay: the month's total less what was paid (None when nothing was computed)."""
        return None if self.amount_sen is None else max(self.amount_sen - self.paid_sen, 0)


@dataclass
class RunReport:
    month: str
    dry_run: bool
    generated: datetime
    due: date
    employers: list[EmployerLine] = field(default_factory=list)
    breaker: str = ""

    @property
    def counts(self) -> dict[str, int]:
        return dict(Counter(e.status for e in self.employers))

    @property
    def needs_a_person(self) -> list[EmployerLine]:
        """Employers a person must look at, most urgent first (failed, unknown, needs a person...)."""
        return [e for e in self.employers if e.needs_attention]

    @property
    def totals_sen(self) -> dict[str, int]:
        """The portfolio's month in sen: SOCSO, EIS, SKBBK, their total, paid and outstanding."""
        sums = Counter[str]()
        for e in self.employers:
            sums.update(e.totals_sen)
            sums["paid"] += e.paid_sen
            sums["outstanding"] += e.outstanding_sen or 0
        return {k: sums[k] for k in ("socso", "eis", "skbbk", "total", "paid", "outstanding")}

    @property
    def at_risk(self) -> list[EmployerLine]:
        return [e for e in self.employers if e.at_risk]

    @property
    def overdue(self) -> list[EmployerLine]:
        return [e for e in self.employers if e.overdue]

    @property
    def exit_code(self) -> int:
        """CONTRACT.md: 1 when anything failed, else 2 when a person must look, else 0."""
        statuses = {e.status for e in self.employers}
        if statuses & {"failed", "queued", "running"}:
            return 1
        return 2 if statuses & {"needs-human", "unknown-outcome"} else 0

    def summary(self) -> str:
        counts = ", ".join(
            f"{n} {s}"
            for s, n in sorted(
                self.counts.items(), key=lambda i: STATUS_ORDER.index(i[0]) if i[0] in STATUS_ORDER else 99
            )
        )
        text = f"{self.month}{' (dry run)' if self.dry_run else ''}: {len(self.employers)} employers: {counts or 'none'}"
        if self.overdue:
            text += f"; {len(self.overdue)} overdue (due {self.due:%d %b %Y})"
        if self.at_risk:
            text += f"; {len(self.at_risk)} at risk of missing the {self.due:%d %b %Y} deadline"
        return text


def _references(data: dict[str, Any]) -> dict[str, str]:
    """The portal's references in a step's data; payments (the pay step's `payments` list, from the
    ledger) as `payment` / `payment 2`: the portal's reference, else the bank's transaction id, and the state."""
    found = {
        k: str(v)
        for k, v in data.items()
        if k in REFERENCE_KEYS and isinstance(v, (str, int, float)) and v != ""
    }
    payments = data.get("payments")
    for n, payment in enumerate(payments if isinstance(payments, list) else [], start=1):
        if not isinstance(payment, dict):
            continue
        reference = payment.get("portal_reference") or payment.get("transaction_id") or "no reference yet"
        method = str(payment.get("method") or "").upper()
        found["payment" if n == 1 else f"payment {n}"] = (
            f"{method} {reference} ({payment.get('state', '?')})".strip()
        )
    return found


def _files(data: dict[str, Any]) -> list[Path]:
    found: list[Path] = []
    for key in FILE_KEYS:
        value = data.get(key)
        values = value if isinstance(value, list) else [value] if value else []
        found.extend(Path(str(v)) for v in values if isinstance(v, (str, Path)))
    payments = data.get("payments")
    found.extend(
        Path(p["receipt"])
        for p in (payments if isinstance(payments, list) else [])
        if isinstance(p, dict) and isinstance(p.get("receipt"), str) and p["receipt"]
    )
    return list(dict.fromkeys(found))  # a receipt is both a payment's and the step's file


def _totals(totals: dict[str, Any]) -> dict[str, int]:
    """The textfile step's totals (sen, per scheme and share) as the report's columns."""
    part = {k: int(v) for k, v in totals.items() if isinstance(v, int | float)}
    return {
        "socso": part.get("socso_employer", 0) + part.get("socso_employee", 0),
        "eis": part.get("eis_employer", 0) + part.get("eis_employee", 0),
        "skbbk": part.get("skbbk_employee", 0),
        "total": part.get("total", 0),
    }


def _paid(data: dict[str, Any]) -> int:
    """Sen paid for the month: the ledger's payments (pay step data) in state `paid`."""
    payments = data.get("payments")
    return sum(
        int(p.get("amount_sen") or 0)
        for p in (payments if isinstance(payments, list) else [])
        if isinstance(p, dict) and p.get("state") == "paid"
    )


def _failure_screenshot(folder: Path | None) -> Path | None:
    if folder is None or not folder.is_dir():
        return None
    shots = sorted(folder.glob("*failure*.png"))
    return shots[-1] if shots else None


def build(
    runs: list[EmployerRun],
    month: str,
    *,
    dry_run: bool = False,
    today: date | None = None,
    warning_days: int = 3,
    breaker: str = "",
) -> RunReport:
    today = today or date.today()
    due = due_date(month)
    report = RunReport(month, dry_run, datetime.now(), due, breaker=breaker)
    for run in runs:
        steps = [
            StepLine(
                s.step,
                s.status,
                s.detail,
                s.error,
                s.next_action,
                _references(s.data),
                _files(s.data),
                Path(s.evidence) if s.evidence else None,
            )
            for s in run.steps
        ]
        textfile = run.data("textfile")
        totals = textfile.get("totals_sen") or {}
        failing = next((s for s in steps if s.status not in ("done", "skipped")), None)
        references: dict[str, str] = {}
        files: list[Path] = []
        for s in steps:
            references.update({f"{s.step} {k}" if k == "status" else k: v for k, v in s.references.items()})
            files.extend(s.files)
        line = EmployerLine(
            name=run.employer,
            code=run.employer_code,
            status=run.status,
            step=run.step,
            detail=run.detail,
            next_action=run.next_action,
            attempt=run.attempt,
            workflow_id=run.workflow_id,
            seconds=run.seconds,
            amount_sen=totals.get("total"),
            employees=textfile.get("employees"),
            references=references,
            files=files,
            # The employer's folder: the first step that kept evidence (local steps, such as the
            # text file's, keep none).
            evidence=next((s.evidence.parent for s in steps if s.evidence), None),
            failure_screenshot=_failure_screenshot(failing.evidence if failing else None),
            steps=steps,
            totals_sen=_totals(totals) if totals else {},
            paid_sen=_paid(run.data("pay")),
        )
        days_left = (due - today).days
        line.overdue = line.status != "done" and days_left < 0
        line.at_risk = line.status != "done" and 0 <= days_left <= warning_days
        report.employers.append(line)
    report.employers.sort(
        key=lambda e: (STATUS_ORDER.index(e.status) if e.status in STATUS_ORDER else 99, e.name)
    )
    return report
