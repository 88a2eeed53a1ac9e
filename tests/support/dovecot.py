"""A private Dovecot IMAP server on loopback, for tests.

Proves that the bot's IMAP code works against a real, independent IMAP server (Debian's
Dovecot), not only against the bundled pymap one. Each ``DovecotServer`` lives in its own
temporary directory with a self-contained ``dovecot.conf`` (no ``/etc/dovecot`` includes),
a passwd-file of the given users and one Maildir per user. ``deliver()`` drops a message into
a user's Maildir the way a real MDA does, and Dovecot tells IDLE clients about it.

Dovecot as root, in short (see ``_config`` for details):
- the master runs as root, but login processes must not: ``default_login_user = dovenull``,
  ``default_internal_user = dovecot``, and the mail processes run as ``mail_uid = dovecot``;
- so the temp directory must be traversable by those users and the Maildirs owned by dovecot;
- Dovecot refuses mail UIDs below ``first_valid_uid`` (default 500; ``dovecot`` is a system
  user), so that is lowered to the dovecot UID.

If Dovecot is not installed this raises ``RuntimeError``; run ``scripts/ensure-dovecot.sh``.
"""

from __future__ import annotations

import base64
import itertools
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from types import TracebackType

HOST = "127.0.0.1"
MAIL_USER = "dovecot"
LOGIN_USER = "dovenull"
START_TIMEOUT = 15.0
STOP_TIMEOUT = 10.0

_delivery_counter = itertools.count(1)


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


def _maildir_filename() -> str:
    """Unique Maildir file name: ``<secs>.M<usecs>P<pid>Q<n>.<host>`` (Maildir convention)."""
    now = time.time()
    secs = int(now)
    usecs = int((now - secs) * 1_000_000)
    host = socket.gethostname().replace("/", r"\057").replace(":", r"\072")
    return f"{secs}.M{usecs}P{os.getpid()}Q{next(_delivery_counter)}.{host}"


class DovecotServer:
    """Dovecot serving IMAP (no TLS, plaintext login allowed) on a free loopback port.

    ``users`` maps user name to password. Use as a context manager, or call ``start()`` and
    ``stop()``. ``tmp_dir`` (optional) is the parent of the server's own directory, which is
    removed on ``stop()``.
    """

    def __init__(self, users: dict[str, str], tmp_dir: str | os.PathLike[str] | None = None):
        if not users:
            raise ValueError("DovecotServer needs at least one user")
        for name in users:
            if not name or any(c in name for c in ":/\n\r\t ") or name.startswith("."):
                raise ValueError(f"unusable IMAP user name: {name!r}")
        self.binary = find_dovecot()
        if os.geteuid() != 0:
            raise RuntimeError(
                "DovecotServer must run as root: Dovecot's master starts its login processes as "
                "dovenull and its mail processes as dovecot, and the Maildirs are chowned to dovecot"
            )
        self.version = dovecot_version(self.binary)
        self.users: dict[str, str] = dict(users)
        self.host = HOST
        self.imap_port = 0
        self._parent = Path(tmp_dir) if tmp_dir is not None else None
        self.root: Path | None = None
        self._proc: subprocess.Popen[bytes] | None = None
        try:
            pw = pwd.getpwnam(MAIL_USER)
            pwd.getpwnam(LOGIN_USER)
        except KeyError as exc:
            raise RuntimeError(
                f"system user {exc.args[0]!s} missing: Dovecot's package creates 'dovecot' and "
                "'dovenull'; run scripts/ensure-dovecot.sh"
            ) from None
        self._uid, self._gid = pw.pw_uid, pw.pw_gid

    # -- paths -------------------------------------------------------------------------------

    @property
    def conf_path(self) -> Path:
        return self._root() / "dovecot.conf"

    @property
    def log_path(self) -> Path:
        return self._root() / "dovecot.log"

    @property
    def instance_name(self) -> str:
        """Dovecot's instance name; its child processes are titled ``dovecot-<this>/<service>``."""
        return f"test-{self._root().name}"

    def maildir(self, user: str) -> Path:
        """The user's Maildir (``cur``/``new``/``tmp`` inside)."""
        if user not in self.users:
            raise KeyError(f"no such Dovecot user: {user!r}")
        return self._root() / "mail" / user / "Maildir"

    def _root(self) -> Path:
        if self.root is None:
            raise RuntimeError("DovecotServer is not started")
        return self.root

    # -- life cycle --------------------------------------------------------------------------

    def __enter__(self) -> DovecotServer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def start(self) -> DovecotServer:
        """Write the config, start Dovecot and wait for its IMAP greeting."""
        if self._proc is not None:
            raise RuntimeError("DovecotServer already started")
        # Dovecot listens on unix sockets under its base dir, and a socket path must stay under
        # 108 bytes: a deep parent (pytest-xdist's tmp paths) gets a short one under /tmp instead.
        parent = self._parent if self._parent is not None and len(str(self._parent)) <= 48 else None
        self.root = Path(tempfile.mkdtemp(prefix="dovecot-", dir=parent))
        try:
            self._prepare_tree()
            last_error = ""
            for _attempt in range(3):  # the free port may be taken between probe and bind
                self.imap_port = free_port(self.host)
                self.conf_path.write_text(self._config())
                self._launch()
                try:
                    self._wait_for_greeting()
                    return self
                except RuntimeError as exc:
                    last_error = str(exc)
                    self._shutdown()
                    if "in use" not in last_error:
                        break
            raise RuntimeError(last_error)
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        """Stop Dovecot (and every process it forked) and remove its directory."""
        self._shutdown()
        if self.root is not None:
            shutil.rmtree(self.root, ignore_errors=True)
            self.root = None

    @property
    def pid(self) -> int | None:
        """PID of the Dovecot master (also its process group), while running."""
        return self._proc.pid if self._proc is not None else None

    def _launch(self) -> None:
        out = open(self._root() / "dovecot.stdout", "ab")
        try:
            # Own session/process group: stop() can then reap every child Dovecot forked.
            self._proc = subprocess.Popen(
                [self.binary, "-F", "-c", str(self.conf_path)],
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        finally:
            out.close()

    def _wait_for_greeting(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            assert self._proc is not None
            if self._proc.poll() is not None:
                raise RuntimeError(
                    f"dovecot exited with code {self._proc.returncode}:\n{self._diagnostics()}"
                )
            try:
                with socket.create_connection((self.host, self.imap_port), timeout=2) as sock:
                    greeting = sock.recv(512)
                if greeting.startswith(b"* OK"):
                    return
            except OSError:
                pass
            time.sleep(0.05)
        raise RuntimeError(
            f"dovecot did not greet on {self.host}:{self.imap_port} within "
            f"{START_TIMEOUT:.0f}s:\n{self._diagnostics()}"
        )

    def _diagnostics(self) -> str:
        parts = []
        for name in ("dovecot.stdout", "dovecot.log"):
            path = self._root() / name
            if path.exists():
                parts.append(f"--- {name} ---\n" + path.read_text(errors="replace")[-4000:])
        return "\n".join(parts) or "(no output)"

    def _shutdown(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        pgid = proc.pid  # start_new_session: the master leads its own process group
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)  # the master stops its children and exits
            try:
                proc.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        # The master gives its children ~1 s and exits; an imap process serving a connected
        # client (and the log/stats processes it still talks to) can outlive it by ~10 s.
        # They are ours (same process group): terminate them, then kill what still lingers.
        _signal_group(pgid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_TIMEOUT
        while live_group_members(pgid) and time.monotonic() < deadline:
            time.sleep(0.05)
        _signal_group(pgid, signal.SIGKILL)

    # -- files -------------------------------------------------------------------------------

    def _prepare_tree(self) -> None:
        root = self._root()
        # mkdtemp makes 0700 root-only; Dovecot's unprivileged processes must traverse it.
        os.chmod(root, 0o755)
        _make_traversable(root.parent)
        for sub in ("run", "state"):
            (root / sub).mkdir(mode=0o755)
        for user in self.users:
            home = root / "mail" / user
            for path in (home, home / "Maildir", *(home / "Maildir" / d for d in ("cur", "new", "tmp"))):
                path.mkdir(mode=0o700, parents=True, exist_ok=True)
                os.chown(path, self._uid, self._gid)
        os.chmod(root / "mail", 0o755)
        lines = []
        for user, password in self.users.items():
            # base64 so that any password (':' included) fits the colon-separated file.
            encoded = base64.b64encode(password.encode()).decode()
            home = root / "mail" / user
            lines.append(f"{user}:{{PLAIN.b64}}{encoded}:{self._uid}:{self._gid}::{home}::\n")
        passwd = root / "passwd"
        passwd.write_text("".join(lines))
        # Read by the auth process, which runs as default_internal_user (dovecot).
        os.chown(passwd, 0, self._gid)
        os.chmod(passwd, 0o640)

    def _config(self) -> str:
        """A self-contained dovecot.conf (nothing from /etc/dovecot) for the installed version.

        Dovecot 2.4 renamed and restructured many settings (``dovecot_config_version`` first,
        ``mail_driver``/``mail_path`` instead of ``mail_location``, named passdb/userdb blocks,
        ``auth_allow_cleartext``); 2.3 is what Debian 12 ships and what this was verified with.
        """
        root = self._root()
        v24 = self.version >= (2, 4)
        head = "dovecot_config_version = 2.4.0\ndovecot_storage_version = 2.4.0\n" if v24 else ""
        cleartext = "auth_allow_cleartext = yes" if v24 else "disable_plaintext_auth = no"
        if v24:
            mail = "mail_driver = maildir\nmail_path = ~/Maildir"
            auth = f"""\
passdb passwd-file {{
  passwd_file_path = {root}/passwd
}}
userdb passwd-file {{
  passwd_file_path = {root}/passwd
}}"""
        else:
            mail = "mail_location = maildir:~/Maildir"
            auth = f"""\
passdb {{
  driver = passwd-file
  args = {root}/passwd
}}
userdb {{
  driver = passwd-file
  args = {root}/passwd
}}"""
        return f"""\
{head}# Generated by tests/support/dovecot.py: a private Dovecot on loopback, Dovecot {self.version[0]}.{self.version[1]}.
base_dir = {root}/run
state_dir = {root}/state
instance_name = {self.instance_name}
log_path = {root}/dovecot.log
info_log_path = {root}/dovecot.log
debug_log_path = {root}/dovecot.log

protocols = imap
listen = {self.host}
ssl = no
{cleartext}
auth_mechanisms = plain login

# The master runs as root, but Dovecot's login processes refuse to; mail is handled as dovecot.
default_login_user = {LOGIN_USER}
default_internal_user = {MAIL_USER}
mail_uid = {MAIL_USER}
mail_gid = {MAIL_USER}
# 'dovecot' is a system user (UID < 500); the default first_valid_uid = 500 would refuse it.
first_valid_uid = {self._uid}
first_valid_gid = {self._gid}

{mail}
# Dovecot watches the Maildir with inotify (IDLE clients hear of new mail ~0.5 s after it
# lands); this is only the fallback check.
mailbox_idle_check_interval = 1 secs

{auth}

service imap-login {{
  inet_listener imap {{
    port = {self.imap_port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}

# Every client is 127.0.0.1, so after one failed login anvil's auth penalty would slow every
# later login of every test by 2 s and more. Failed logins still answer after
# auth_failure_delay (2 s), as on a real server.
service anvil {{
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
"""

    # -- mail --------------------------------------------------------------------------------

    def deliver(self, user: str, raw_message: bytes) -> Path:
        """Put ``raw_message`` into ``user``'s INBOX as an MDA would; return the file's path.

        Written to ``tmp/`` first, flushed, owned by the mail user, then renamed into ``new/``
        so Dovecot never sees a partial message.
        """
        maildir = self.maildir(user)
        name = _maildir_filename()
        tmp_path = maildir / "tmp" / name
        fd = os.open(tmp_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(raw_message)
                fh.flush()
                os.fsync(fh.fileno())
            os.chown(tmp_path, self._uid, self._gid)
            new_path = maildir / "new" / name
            os.rename(tmp_path, new_path)
        except BaseException:
            tmp_path.unlink(missing_ok=True)
            raise
        return new_path


def _make_traversable(directory: Path) -> None:
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


def _signal_group(pgid: int, sig: signal.Signals) -> None:
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


__all__ = ["DovecotServer", "dovecot_version", "find_dovecot", "free_port", "live_group_members"]
