"""A private Dovecot IMAP server on loopback, for tests.

Proves that the bot's IMAP code works against a real, independent IMAP server (Debian's
Dovecot), not only against the bundled pymap one. Each ``DovecotServer`` lives in its own
temporary directory with a self-contained ``dovecot.conf`` (no ``/etc/dovecot`` includes),
a passwd-file of the given users and one Maildir per user. ``deliver()`` drops a message into
a user's Maildir the way a real MDA does, and Dovecot tells IDLE clients about it.

Dovecot as root, in short (see ``dovecot_config.py`` for the config text):
- the master runs as root, but login processes must not: ``default_login_user = dovenull``,
  ``default_internal_user = dovecot``, and the mail processes run as ``mail_uid = dovecot``;
- so the temp directory must be traversable by those users and the Maildirs owned by dovecot;
- Dovecot refuses mail UIDs below ``first_valid_uid`` (default 500; ``dovecot`` is a system
  user), so that is lowered to the dovecot UID.

If Dovecot is not installed this raises ``RuntimeError``; run ``scripts/ensure-dovecot.sh``.
"""

from __future__ import annotations

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

from tests.support.dovecot_config import LOGIN_USER, MAIL_USER, ConfigInputs, dovecot_conf, oauth2_passdb_args
from tests.support.dovecot_maildir import deliver_to_maildir, make_maildir, write_passwd_file
from tests.support.dovecot_processes import (
    HOST,
    dovecot_version,
    find_dovecot,
    free_port,
    live_group_members,
    make_traversable,
    signal_group,
)

START_TIMEOUT = 15.0
STOP_TIMEOUT = 10.0


class DovecotServer:
    """Dovecot serving IMAP (no TLS, plaintext login allowed) on a free loopback port.

    ``users`` maps user name to password; ``oauth2_users`` log in only by XOAUTH2/OAUTHBEARER with
    an access token that ``introspection_url`` (RFC 7662) says is active for them. Use as a context manager, or call ``start()`` and
    ``stop()``. ``tmp_dir`` (optional) is the parent of the server's own directory, which is
    removed on ``stop()``.
    """

    def __init__(
        self,
        users: dict[str, str],
        tmp_dir: str | os.PathLike[str] | None = None,
        *,
        oauth2_users: tuple[str, ...] = (),
        introspection_url: str | None = None,
    ):
        if oauth2_users and not introspection_url:
            raise ValueError("oauth2_users need an introspection_url")
        users = {**users, **{name: None for name in oauth2_users}}
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
        self.users: dict[str, str | None] = dict(users)
        self.oauth2_users = tuple(oauth2_users)
        self.introspection_url = introspection_url
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
        with open(self._root() / "dovecot.stdout", "ab") as out:
            # Own session/process group: stop() can then reap every child Dovecot forked.
            self._proc = subprocess.Popen(
                [self.binary, "-F", "-c", str(self.conf_path)],
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

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
        signal_group(pgid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_TIMEOUT
        while live_group_members(pgid) and time.monotonic() < deadline:
            time.sleep(0.05)
        signal_group(pgid, signal.SIGKILL)

    # -- files -------------------------------------------------------------------------------

    def _prepare_tree(self) -> None:
        root = self._root()
        # mkdtemp makes 0700 root-only; Dovecot's unprivileged processes must traverse it.
        os.chmod(root, 0o755)
        make_traversable(root.parent)
        for sub in ("run", "state"):
            (root / sub).mkdir(mode=0o755)
        homes = {user: root / "mail" / user for user in self.users}
        for home in homes.values():
            make_maildir(home, self._uid, self._gid)
        os.chmod(root / "mail", 0o755)
        entries = {user: (password, homes[user]) for user, password in self.users.items()}
        write_passwd_file(root / "passwd", entries, self._uid, self._gid)
        if self.introspection_url:
            (root / "oauth2.conf.ext").write_text(oauth2_passdb_args(self.introspection_url))
            os.chmod(root / "oauth2.conf.ext", 0o644)

    def _config(self) -> str:
        return dovecot_conf(
            ConfigInputs(
                root=self._root(),
                version=self.version,
                host=self.host,
                imap_port=self.imap_port,
                instance_name=self.instance_name,
                uid=self._uid,
                gid=self._gid,
                oauth2_users=self.oauth2_users,
                introspection_url=self.introspection_url,
            )
        )

    # -- mail --------------------------------------------------------------------------------

    def deliver(self, user: str, raw_message: bytes) -> Path:
        """Put ``raw_message`` into ``user``'s INBOX as an MDA would; return the file's path.

        Written to ``tmp/`` first, then renamed into ``new/``: Dovecot never sees a partial message.
        """
        return deliver_to_maildir(self.maildir(user), raw_message, self._uid, self._gid)


__all__ = ["DovecotServer", "dovecot_version", "find_dovecot", "free_port", "live_group_members"]
