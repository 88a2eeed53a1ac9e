"""The seed data (fixtures/demo/employers.toml): demo employers and their mailboxes."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mock_portal.employees import read_seed_employees
from mock_portal.mail import Mailbox


@dataclass(frozen=True)
class SeedEmployer:
    code: str
    name: str
    email: str
    kind: str = "normal"
    ssm: str = ""
    householder_id: str = ""


@dataclass(frozen=True)
class Seed:
    mailboxes: tuple[Mailbox, ...]
    employers: tuple[SeedEmployer, ...]
    # Rows of employees.csv beside the seed file (mock_portal.employees), column -> value.
    employees: tuple[dict[str, Any], ...] = ()


def load_seed(path: Path) -> Seed:
    """Read the seed file; unknown keys are kept out so that later issues can add tables to it."""
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    mailboxes = tuple(
        Mailbox(user=box["user"], password=box["password"], addresses=tuple(box["addresses"]))
        for box in data.get("mailbox", [])
    )
    employers = tuple(
        SeedEmployer(
            code=row["code"],
            name=row["name"],
            email=row["email"],
            kind=row.get("kind", "normal"),
            ssm=row.get("ssm", ""),
            householder_id=row.get("householder_id", ""),
        )
        for row in data.get("employer", [])
    )
    employees = tuple(read_seed_employees(path.parent / "employees.csv"))
    return Seed(mailboxes=mailboxes, employers=employers, employees=employees)
