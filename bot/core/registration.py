"""What the registration procedures are given (QRG 2, 3/10, 11): an employer application, a new
employee, a termination, and the supporting documents that go with them.

These are the bot's own records, not the portal's forms: the page objects map them onto the
portal's labels. Checks here are only about completeness; the portal's own checks (MyKad, dates,
duplicates) are left to the portal, whose field messages the flows surface.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, SecretStr, ValidationError, model_validator

from bot.core.errors import ConfigError

EmployerKind = Literal["normal", "foreign-workers", "domestic"]
Reason = Literal["resigned", "retired", "end-of-contract", "dismissed", "died"]
REASONS: tuple[Reason, ...] = ("resigned", "retired", "end-of-contract", "dismissed", "died")
# The portal's option labels for the termination reasons.
REASON_LABELS: dict[Reason, str] = {
    "resigned": "Resigned",
    "retired": "Retired",
    "end-of-contract": "End of Contract",
    "dismissed": "Dismissed",
    "died": "Died",
}


@dataclass(frozen=True)
class Document:
    """A supporting document: the portal's document type and the file to upload."""

    type: str
    path: Path


class EmployerApplication(BaseModel):
    """QRG 2: the employer registration form's fields, from a TOML or JSON file."""

    model_config = ConfigDict(extra="forbid")

    kind: EmployerKind = "normal"
    employer_name: str | None = None
    ssm: str | None = None
    business_type: str | None = None
    foreign_workers: int | None = None
    householder_name: str | None = None
    householder_id: str | None = None
    address1: str
    address2: str = ""
    postcode: str
    city: str
    state: str
    contact_name: str | None = None
    phone: str
    email: str
    first_hire: date
    document: Path
    # Only the mock portal asks for it (its bundled mail server makes the login's mailbox).
    mailbox_password: SecretStr | None = None

    @model_validator(mode="after")
    def _complete_for_kind(self) -> EmployerApplication:
        needed = (
            ("householder_name", "householder_id")
            if self.kind == "domestic"
            else ("employer_name", "ssm", "business_type", "contact_name")
        )
        missing = [name for name in needed if not getattr(self, name)]
        if missing:
            raise ValueError(f"a {self.kind} employer needs: {', '.join(missing)}")
        return self

    @property
    def display_name(self) -> str:
        return str(self.householder_name if self.kind == "domestic" else self.employer_name)

    @classmethod
    def from_file(cls, path: Path) -> EmployerApplication:
        """Read a TOML (.toml) or JSON file; a relative `document` is relative to the file."""
        try:
            text = path.read_text(encoding="utf-8")
            data: dict[str, Any] = json.loads(text) if path.suffix.lower() == ".json" else tomllib.loads(text)
        except (OSError, ValueError) as exc:  # JSONDecodeError and TOMLDecodeError are ValueErrors
            raise ConfigError(f"{path}: cannot read the application: {exc}") from exc
        try:
            application = cls.model_validate(data)
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(map(str, e['loc'])) or 'file'}: {e['msg']}" for e in exc.errors()
            )
            raise ConfigError(f"{path}: {problems}") from exc
        if not application.document.is_absolute():
            application.document = path.parent / application.document
        if not application.document.is_file():
            raise ConfigError(f"{path}: document {application.document} does not exist")
        return application


@dataclass(frozen=True)
class NewEmployee:
    """QRG 3 / 10: an employee to register. Details beyond the ID are needed only when PERKESO
    does not know the person yet (the portal's search fills them in otherwise)."""

    id_number: str
    foreign: bool
    employment_date: date
    occupation: str
    documents: tuple[Document, ...]
    name: str | None = None
    date_of_birth: date | None = None
    gender: Literal["M", "F"] | None = None
    citizenship: Literal["citizen", "pr"] = "citizen"
    nationality: str | None = None
    permit_no: str | None = None
    permit_expiry: date | None = None
    wages_sen: int | None = None
    domestic: bool = False


@dataclass(frozen=True)
class Termination:
    """QRG 11: who leaves (IC, passport, SOCSO number or name; None = `All`), when and why."""

    employee: str | None
    resign_date: date
    reason: Reason
    documents: tuple[Document, ...] = field(default_factory=tuple)


def default_document_type(foreign: bool | None, reason: Reason | None = None) -> str:
    """The portal's document type for a file given without one."""
    if reason is not None:
        return {
            "died": "Death Certificate",
            "resigned": "Resignation Letter",
            "retired": "Resignation Letter",
        }.get(reason, "Termination Letter")
    return "Passport" if foreign else "Copy of MyKad"


def parse_documents(
    specs: list[str], foreign: bool | None, reason: Reason | None = None
) -> tuple[Document, ...]:
    """`--document [TYPE=]PATH` values as Documents; a missing file is a ConfigError."""
    documents = []
    for spec in specs:
        doc_type, _, raw = spec.rpartition("=")
        path = Path(raw)
        if not path.is_file():
            raise ConfigError(f"--document {spec}: {path} does not exist")
        documents.append(Document(doc_type or default_document_type(foreign, reason), path))
    return tuple(documents)


def documents_in(folder: Path | None, id_number: str, doc_type: str) -> tuple[Document, ...]:
    """The files of `folder` named after an employee's ID (e.g. `900101145677-mykad.pdf`)."""
    if folder is None:
        return ()
    key = id_number.replace("-", "").upper()
    return tuple(
        Document(doc_type, p)
        for p in sorted(folder.iterdir())
        if p.is_file() and p.name.replace("-", "").upper().startswith(key)
    )
