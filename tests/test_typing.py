"""Types: bot and flows are mypy-clean, the bot's core under mypy's strict mode (DESIGN.md house style)."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_the_core_is_held_to_strict_mode() -> None:
    # The strict override is part of the promise: dropping it would pass the check below silently
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mypy"]
    assert config["files"] == ["bot", "flows"]
    assert any(o.get("strict") is True and "bot.core.*" in o["module"] for o in config.get("overrides", []))


@pytest.mark.timeout(300)
def test_bot_and_flows_are_mypy_clean() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--no-error-summary"], cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr
