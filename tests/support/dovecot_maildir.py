"""A test Dovecot's files: the users' passwd-file and Maildirs, and delivery into a Maildir.

Everything Dovecot's unprivileged processes open is owned by (or readable to) the ``dovecot``
mail user; see ``dovecot.py`` for why.
"""

from __future__ import annotations

import base64
import itertools
import os
import socket
import time
from pathlib import Path

_delivery_counter = itertools.count(1)


def maildir_filename() -> str:
    """Unique Maildir file name: ``<secs>.M<usecs>P<pid>Q<n>.<host>`` (Maildir convention)."""
    now = time.time()
    secs = int(now)
    usecs = int((now - secs) * 1_000_000)
    host = socket.gethostname().replace("/", r"\057").replace(":", r"\072")
    return f"{secs}.M{usecs}P{os.getpid()}Q{next(_delivery_counter)}.{host}"


def make_maildir(home: Path, uid: int, gid: int) -> None:
    """``home/Maildir/{cur,new,tmp}``, private to the mail user."""
    for path in (home, home / "Maildir", *(home / "Maildir" / d for d in ("cur", "new", "tmp"))):
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chown(path, uid, gid)


def write_passwd_file(path: Path, users: dict[str, tuple[str | None, Path]], uid: int, gid: int) -> None:
    """A passwd-file of ``user -> (password or None, home)``; None leaves the password empty
    (the user exists for the userdb, and a password login fails for it)."""
    lines = []
    for user, (password, home) in users.items():
        # base64 so that any password (':' included) fits the colon-separated file.
        field = "{PLAIN.b64}" + base64.b64encode(password.encode()).decode() if password is not None else ""
        lines.append(f"{user}:{field}:{uid}:{gid}::{home}::\n")
    path.write_text("".join(lines))
    # Read by the auth process, which runs as default_internal_user (dovecot).
    os.chown(path, 0, gid)
    os.chmod(path, 0o640)


def deliver_to_maildir(maildir: Path, raw_message: bytes, uid: int, gid: int) -> Path:
    """Put ``raw_message`` into ``maildir`` as an MDA would; return the file's path.

    Written to ``tmp/`` first, flushed, owned by the mail user, then renamed into ``new/``
    so Dovecot never sees a partial message.
    """
    name = maildir_filename()
    tmp_path = maildir / "tmp" / name
    fd = os.open(tmp_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw_message)
            fh.flush()
            os.fsync(fh.fileno())
        os.chown(tmp_path, uid, gid)
        new_path = maildir / "new" / name
        os.rename(tmp_path, new_path)
    except BaseException:
        tmp_path.unlink(missing_ok=True)
        raise
    return new_path
