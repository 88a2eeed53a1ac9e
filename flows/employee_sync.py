"""Keep the portal's employees in step with the payroll: the plan is the difference between the
payroll (status `B` joiners, `H`/`M` leavers with their dates) and the portal's Employee List;
applying it registers the joiners (QRG 10) and records the leavers' resign dates (QRG 11).

Planned from what the portal shows on every run, so a second run finds nothing to do, and a run
retried after a transient error picks up where the first stopped. Employees on the portal but not
in the payroll are reported, never terminated: a missing payroll row is not a resignation.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from bot.core.browser import EmployerSession
from bot.core.contributions import Employee, IdType
from bot.core.contributions.rules import Citizenship
from bot.core.errors import BusinessError
from bot.core.registration import NewEmployee, Reason, Termination, default_document_type, documents_in
from flows.employee_registration import add_employee
from flows.employee_termination import terminate_employee
from flows.pages.registration import PortalEmployee, RegistrationPage

# Payroll status → the portal's termination reason (H "left" is taken as a resignation).
LEAVING: dict[str, Reason] = {"H": "resigned", "M": "died"}


@dataclass(frozen=True)
class Joiner:
    employee: Employee
    start_date: date


@dataclass(frozen=True)
class Leaver:
    employee: Employee
    resign_date: date
    reason: Reason


@dataclass
class SyncPlan:
    joiners: list[Joiner] = field(default_factory=list)
    leavers: list[Leaver] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def changes(self) -> int:
        return len(self.joiners) + len(self.leavers)

    def lines(self) -> list[str]:
        """The plan for people: one line per change, problem and note."""
        return (
            [f"register {j.employee.name} ({j.employee.id_number}) from {j.start_date}" for j in self.joiners]
            + [
                f"terminate {x.employee.name} ({x.employee.id_number}) on {x.resign_date} ({x.reason})"
                for x in self.leavers
            ]
            + [f"problem: {p}" for p in self.problems]
            + [f"note: {n}" for n in self.notes]
        )


def plan_sync(payroll: Sequence[Employee], portal: Sequence[PortalEmployee]) -> SyncPlan:
    """What must change on the portal for it to match the payroll."""
    on_portal = {key: p for p in portal for key in (p.id_number, p.socso_no)}
    plan = SyncPlan()
    in_payroll = set()
    for employee in payroll:
        known = on_portal.get(employee.id_number)
        who = f"{employee.name} ({employee.id_number})"
        if known is not None:
            in_payroll.add(known.id_number)
        if employee.status in LEAVING:
            assert employee.status_date is not None  # import_payroll requires it
            if known is None:
                plan.notes.append(f"{who} leaves but is not on the portal: nothing to terminate")
            elif known.active:
                plan.leavers.append(Leaver(employee, employee.status_date, LEAVING[employee.status]))
            continue
        if known is None:
            start = employee.status_date if employee.status == "B" else employee.employment_date
            if start is None:
                plan.problems.append(
                    f"{who} is not registered on the portal and the payroll gives no start "
                    "date (status B with status_date, or employment_date)"
                )
            else:
                plan.joiners.append(Joiner(employee, start))
        elif not known.active:
            plan.problems.append(
                f"{who} left on {known.resign_date} according to the portal but is still paid"
            )
    for p in portal:
        if p.active and p.id_number not in in_payroll:
            plan.notes.append(f"{p.name} ({p.id_number}) is on the portal but not in the payroll: left as is")
    return plan


def new_employee(joiner: Joiner, occupation: str, documents: Path | None) -> NewEmployee:
    """What the add-employee form needs, from a payroll row (gender from the MyKad's last digit)."""
    e = joiner.employee
    foreign = e.citizenship is Citizenship.FOREIGN
    mykad = e.id_type is IdType.MYKAD
    return NewEmployee(
        id_number=e.id_number,
        foreign=foreign,
        employment_date=joiner.start_date,
        occupation=occupation,
        documents=documents_in(documents, e.id_number, default_document_type(foreign)),
        name=e.name,
        date_of_birth=e.date_of_birth,
        gender=("M" if int(e.id_number[-1]) % 2 else "F") if mykad else None,
        citizenship="pr" if e.citizenship is Citizenship.PR else "citizen",
        wages_sen=e.wages,
        domestic=e.domestic,
    )


@dataclass
class SyncOutcome:
    plan: SyncPlan
    done: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def summary(self) -> str:
        if not self.plan.changes and not self.plan.problems:
            return "nothing to do: the portal matches the payroll"
        return "; ".join(
            self.done + [f"FAILED {f}" for f in self.failed] + self.plan.lines()[self.plan.changes :]
        )


async def apply_plan(
    session: EmployerSession,
    registration: RegistrationPage,
    plan: SyncPlan,
    occupation: str,
    documents: Path | None,
) -> SyncOutcome:
    """Register the joiners and terminate the leavers; one refused change does not stop the others.
    A BusinessError at the end lists what the portal refused (and what was done)."""
    outcome = SyncOutcome(plan)
    for joiner in plan.joiners:
        try:
            added = await add_employee(session, registration, new_employee(joiner, occupation, documents))
            outcome.done.append(f"registered {joiner.employee.id_number} (case {added.case_reference})")
        except BusinessError as exc:
            outcome.failed.append(f"register {joiner.employee.id_number}: {exc}")
            await registration.reopen()
    for leaver in plan.leavers:
        e = leaver.employee
        termination = Termination(
            e.id_number,
            leaver.resign_date,
            leaver.reason,
            documents_in(documents, e.id_number, default_document_type(None, leaver.reason)),
        )
        try:
            reference = await terminate_employee(session, registration, termination)
            outcome.done.append(f"terminated {e.id_number} on {leaver.resign_date} (case {reference})")
        except BusinessError as exc:
            outcome.failed.append(f"terminate {e.id_number}: {exc}")
            await registration.reopen()
    if outcome.failed or plan.problems:
        raise BusinessError(outcome.summary())
    return outcome
