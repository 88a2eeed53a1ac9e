"""Shared fixtures of the contribution-data tests: a fixed "today" and the fixture files."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
PAYROLL = ROOT / "fixtures" / "payroll"
GOLDEN = ROOT / "fixtures" / "golden"
# Tests never depend on the real date: every import and read gets this as "today".
TODAY = date(2026, 11, 15)


@pytest.fixture
def write_csv(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Write a payroll CSV from lines of text; returns its path."""

    def write(*lines: str, name: str = "payroll.csv") -> Path:
        path = tmp_path / name
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path

    return write
