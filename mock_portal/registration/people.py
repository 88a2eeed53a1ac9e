"""PERKESO's registry of persons it already knows (fixtures/demo/people.csv), for the QRG 10 search.

A person is also known when any employer has registered them (the employees table): the search
fills in their details from there. Read-only: read once per file and cached.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from mock_portal.registration.identifiers import compact


@dataclass(frozen=True)
class Person:
    id_type: str
    id_number: str
    name: str
    date_of_birth: str
    gender: str
    citizenship: str
    nationality: str


@cache
def _registry(path: Path) -> dict[str, Person]:
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8", newline="") as handle:
        people = [
            Person(
                id_type=row["id_type"],
                id_number=compact(row["id_number"]),
                name=row["name"].strip().upper(),
                date_of_birth=row["date_of_birth"],
                gender=row["gender"],
                citizenship=row["citizenship"],
                nationality=(row["nationality"] or "MALAYSIA").upper(),
            )
            for row in csv.DictReader(handle)
        ]
    return {p.id_number: p for p in people}


def people_file(seed_file: Path) -> Path:
    """people.csv sits beside the seed file (fixtures/demo/)."""
    return seed_file.parent / "people.csv"


def known_person(seed_file: Path, id_number: str) -> Person | None:
    """The registry's record of `id_number` (dashes ignored), if PERKESO knows the person."""
    return _registry(people_file(seed_file)).get(compact(id_number))
