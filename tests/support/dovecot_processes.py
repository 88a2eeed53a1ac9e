"""The operating-system side of a test Dovecot: its binary, free ports, file modes, process groups.

Kept apart from ``dovecot.py`` (the server's life cycle) and ``dovecot_config.py`` (its config
text) so each reads in one sitting.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
from pathlib import Path

HOST = "127.0.0.1"


def find_dovecot() -> str:
    """Path of the ``dovecot`` binary, or RuntimeError telling how to install it."""
    found = shutil.which("dovecot") or shutil.which("dovecot", path="/usr/sbin:/usr/local/sbin")
    if not found:
        raise RuntimeError(
            "Dovecot is not installed (no 'dovecot' binary on PATH or in /usr/sbin). "
            "Run scripts/ensure-dovecot.sh (installs Debian's dovecot-imapd) and retry."
        )
    return found


def dovecot_version(binary: str | None = None) -> tuple[int, int]:
    """(major, minor) of the installed Dovecot, e.g. (2, 3)."""
    out = subprocess.run(
        [binary or find_dovecot(), "--version"], capture_output=True, text=True, check=True
    ).stdout
    major, minor = out.split()[0].split(".")[:2]
    return int(major), int(minor)


def free_port(host: str = HOST) -> int:
    """A TCP port that was free a moment ago (callers retry if someone else takes it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def make_traversable(directory: Path) -> None:
    """Give "others" search (x, not read) permission on ``directory`` and its ancestors.

    The auth, imap and login processes run as dovecot/dovenull and open files by path, so every
    ancestor of the server directory must be searchable by them. pytest's ``tmp_path`` lives
    under ``/tmp/pytest-of-root`` (mode 0700), which would otherwise make every login fail with
    "Temporary authentication failure".
    """
    for path in (directory, *directory.parents):
        mode = path.stat().st_mode
        if not mode & 0o001:
            os.chmod(path, (mode & 0o7777) | 0o001)


def signal_group(pgid: int, sig: signal.Signals) -> None:
    """Send ``sig`` to process group ``pgid`` if anything in it still runs."""
    if live_group_members(pgid):
        try:
            os.killpg(pgid, sig)
        except ProcessLookupError:
            pass


def live_group_members(pgid: int) -> list[int]:
    """PIDs in process group ``pgid`` that are still running (zombies excluded).

    Zombies are ignored on purpose: when the master exits its children are re-parented to
    PID 1, and in some containers PID 1 never reaps them; a zombie holds no port or file.
    """
    members = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:
            continue
        # "pid (comm) state ppid pgrp ..."; comm may contain spaces, so split after the ')'.
        fields = stat[stat.rindex(")") + 2 :].split()
        if int(fields[2]) == pgid and fields[0] not in ("Z", "X"):
            members.append(int(entry.name))
    return members
