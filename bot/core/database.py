"""The bot's database (SQLite file by default, PostgreSQL to scale out): one way to open it."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa


def open_engine(url: str) -> sa.Engine:
    """An engine for `url`; on SQLite a writer waits for another process's lock instead of failing."""
    kwargs: dict[str, Any] = {}
    if url.startswith("sqlite"):
        kwargs["connect_args"] = {"timeout": 30}
    return sa.create_engine(url, pool_pre_ping=True, **kwargs)


def create_tables(metadata: sa.MetaData, engine: sa.Engine, attempts: int = 3) -> None:
    """Create missing tables, even when another process (a worker, a second `run`) does it too.

    `create_all` checks, then creates: two processes can both see a table missing and one of them
    then fails with "already exists". Checking again settles it.
    """
    for attempt in range(1, attempts + 1):
        try:
            metadata.create_all(engine)
            return
        except (sa.exc.OperationalError, sa.exc.ProgrammingError, sa.exc.IntegrityError) as exc:
            if "already exists" not in str(exc).lower() and "duplicate" not in str(exc).lower():
                raise
            if attempt == attempts:
                raise
