"""A secret given inline, by environment variable, by file (the first line) or by a command (the
first line of its output: a secret manager's CLI such as `op read …`, `bw get password …`,
`pass show …`, `vault kv get -field=… …`). One resolution for every secret in the settings:
mailbox passwords, OAuth client secrets and refresh tokens, bank passwords, static portal passwords.

A command's output (stdout and stderr) is captured and never shown or logged, not even when it
fails: only the program's name, its exit code and the time limit are reported.
"""

from __future__ import annotations

import os
import shlex
import subprocess
from pathlib import Path

from pydantic import SecretStr

COMMAND_TIMEOUT_SECONDS = 30.0


def resolve_secret(
    value: SecretStr | None,
    env: str | None,
    file: Path | None,
    command: str | None = None,
    *,
    name: str = "password",
    timeout: float = COMMAND_TIMEOUT_SECONDS,
) -> SecretStr | None:
    """`value`, else the environment variable `env`, else the first line of `file`, else the first
    line of what `command` prints; ValueError names what is missing or failed (pydantic turns it
    into a readable settings error). `name` is the setting's stem (`password`, `client_secret`)."""
    if value is None and env:
        found = os.environ.get(env)
        if found is None:
            raise ValueError(f"environment variable {env} ({name}_env) is not set")
        value = SecretStr(found)
    if value is None and file:
        try:
            value = SecretStr(file.read_text().splitlines()[0].strip())
        except (OSError, IndexError) as exc:
            raise ValueError(f"cannot read {name}_file {file}: {exc}") from exc
    if value is None and command:
        value = run_secret_command(command, name=name, timeout=timeout)
    return value


def run_secret_command(
    command: str, *, name: str = "password", timeout: float = COMMAND_TIMEOUT_SECONDS
) -> SecretStr:
    """Run `command` (split like a shell would, but no shell) and return the first line it prints.

    ValueError when it cannot start, exits non-zero, exceeds `timeout` or prints nothing; the
    message names the program and never includes what it printed."""
    try:
        argv = shlex.split(command)
    except ValueError as exc:
        raise ValueError(f"{name}_command cannot be parsed: {exc}") from None
    if not argv:
        raise ValueError(f"{name}_command is empty")
    program = Path(argv[0]).name
    try:
        done = subprocess.run(
            argv, stdin=subprocess.DEVNULL, capture_output=True, timeout=timeout, check=False
        )
    except FileNotFoundError:
        raise ValueError(f"{name}_command: program {argv[0]!r} not found") from None
    except PermissionError:
        raise ValueError(f"{name}_command: program {argv[0]!r} is not executable") from None
    except subprocess.TimeoutExpired:
        # subprocess.run kills the child on timeout; the partial output is dropped with the exception.
        raise ValueError(
            f"{name}_command `{program} …` did not finish within {timeout:.0f} s and was stopped "
            "(its output is not shown)"
        ) from None
    if done.returncode != 0:
        raise ValueError(
            f"{name}_command `{program} …` failed with exit code {done.returncode} (its output is not shown)"
        )
    lines = done.stdout.decode("utf-8", errors="replace").splitlines()
    secret = lines[0].strip() if lines else ""
    if not secret:
        raise ValueError(f"{name}_command `{program} …` printed nothing")
    return SecretStr(secret)
