"""A secret given inline, by environment variable or by file (the first line): one resolution for
every password in the settings (mailboxes, bank credentials)."""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import SecretStr


def resolve_secret(value: SecretStr | None, env: str | None, file: Path | None) -> SecretStr | None:
    """`value`, else the environment variable `env`, else the first line of `file`; ValueError names
    what is missing or unreadable (pydantic turns it into a readable settings error)."""
    if value is None and env:
        found = os.environ.get(env)
        if found is None:
            raise ValueError(f"environment variable {env} (password_env) is not set")
        value = SecretStr(found)
    if value is None and file:
        try:
            value = SecretStr(file.read_text().splitlines()[0].strip())
        except (OSError, IndexError) as exc:
            raise ValueError(f"cannot read password_file {file}: {exc}") from exc
    return value
