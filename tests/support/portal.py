"""A real `python -m mock_portal` process for tests: free ports, a temporary state, faults."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from types import TracebackType
from typing import Any

import httpx

ADDRESS_LINES = {
    "portal": re.compile(r"^Mock ASSIST portal: (http://\S+)$"),
    "smtp": re.compile(r"^SMTP: (\S+):(\d+)$"),
    "imap": re.compile(r"^IMAP: (\S+):(\d+)$"),
}
REPO = Path(__file__).resolve().parents[2]


class MockPortalProcess:
    """Starts the mock portal (portal, SMTP, IMAP on free loopback ports) as a subprocess.

    `with MockPortalProcess(extra_args=["--password-ttl", "2"]) as portal: ...`
    """

    def __init__(
        self,
        extra_args: list[str] | None = None,
        faults: dict[str, Any] | None = None,
        host: str = "127.0.0.1",
        startup_timeout: float = 30.0,
        state_dir: Path | None = None,
    ) -> None:
        """`state_dir` keeps the state (a restart sees it); by default a temporary one is used."""
        self.host = host
        self.extra_args = list(extra_args or [])
        self.faults = faults
        self.startup_timeout = startup_timeout
        self.base_url = ""
        self.smtp_port = 0
        self.imap_port = 0
        self.returncode: int | None = None
        self._state_dir = state_dir
        self._dir: Path | None = None
        self._process: subprocess.Popen[str] | None = None
        self._output: list[str] = []
        self._reader: threading.Thread | None = None

    @property
    def state_dir(self) -> Path:
        if self._state_dir is not None:
            return self._state_dir
        assert self._dir is not None, "not started"
        return self._dir / "state"

    @property
    def output(self) -> str:
        """Everything the process printed so far (stdout and stderr)."""
        return "".join(self._output)

    def start(self) -> MockPortalProcess:
        self._dir = Path(tempfile.mkdtemp(prefix="mock-portal-"))
        args = [
            sys.executable,
            "-m",
            "mock_portal",
            "--host",
            self.host,
            "--port",
            "0",
            "--smtp-port",
            "0",
            "--imap-port",
            "0",
            "--state",
            str(self.state_dir),
        ]
        if self.faults is not None:
            faults_file = self._dir / "faults.json"
            faults_file.write_text(json.dumps(self.faults), encoding="utf-8")
            args += ["--faults", str(faults_file)]
        self._process = subprocess.Popen(
            args + self.extra_args,
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            bufsize=1,
        )
        self._reader = threading.Thread(target=self._read_output, daemon=True)
        self._reader.start()
        try:
            self._wait_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def _read_output(self) -> None:
        assert self._process is not None and self._process.stdout is not None
        for line in self._process.stdout:
            self._output.append(line)
            text = line.strip()
            if match := ADDRESS_LINES["portal"].match(text):
                self.base_url = match.group(1)
            elif match := ADDRESS_LINES["smtp"].match(text):
                self.smtp_port = int(match.group(2))
            elif match := ADDRESS_LINES["imap"].match(text):
                self.imap_port = int(match.group(2))

    def _wait_ready(self) -> None:
        assert self._process is not None
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                self._reader and self._reader.join(timeout=2)
                raise RuntimeError(f"mock portal exited with {self._process.returncode}:\n{self.output}")
            if self.base_url and self.smtp_port and self.imap_port:
                try:
                    if httpx.get(f"{self.base_url}/healthz", timeout=2).status_code == 200:
                        return
                except httpx.HTTPError:
                    pass
            time.sleep(0.1)
        raise RuntimeError(f"mock portal not healthy after {self.startup_timeout} s:\n{self.output}")

    # -- control API ----------------------------------------------------------------------
    def _control(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        response = httpx.request(method, f"{self.base_url}{path}", json=body, timeout=10)
        response.raise_for_status()
        return response.json()

    def state(self) -> dict[str, Any]:
        return self._control("GET", "/_mock/state")  # type: ignore[no-any-return]

    def reset(self) -> None:
        self._control("POST", "/_mock/reset")

    def set_faults(self, faults: dict[str, Any]) -> dict[str, Any]:
        return self._control("POST", "/_mock/faults", faults)  # type: ignore[no-any-return]

    # -- stopping -------------------------------------------------------------------------
    def stop(self, timeout: float = 10.0) -> int | None:
        """SIGTERM, wait, kill on timeout; returns the exit code."""
        if self._process is not None and self.returncode is None:
            if self._process.poll() is None:
                self._process.terminate()
                try:
                    self._process.wait(timeout=timeout)
                except subprocess.TimeoutExpired:
                    self._process.kill()
                    self._process.wait(timeout=timeout)
            self.returncode = self._process.returncode
            if self._reader is not None:
                self._reader.join(timeout=2)
        if self._dir is not None:
            shutil.rmtree(self._dir, ignore_errors=True)
            self._dir = None
        return self.returncode

    def __enter__(self) -> MockPortalProcess:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
