"""The demo portfolio, pointed at a mock portal started by the tests (on free ports)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import tomli_w

from bot.core.settings import Settings, load_settings

ROOT = Path(__file__).resolve().parents[2]
DEMO_PORTFOLIO = ROOT / "fixtures" / "demo" / "portfolio.toml"

# Fast enough for tests, slow enough to be a real wait.
TEST_RETRY = {"attempts": 3, "wait_initial_seconds": 0.1, "wait_max_seconds": 0.5}
# A retail account of the mock bank (fixtures/demo/bank.toml): FPX from it needs no person.
RETAIL_BANK = {"user": "halim.bank", "password": "halim-bank-1"}


def write_demo_portfolio(
    base_url: str, imap_host: str, imap_port: int, folder: Path, extra: str = ""
) -> Path:
    """Copy the demo portfolio with the portal's and mailbox's real addresses; append `extra` TOML."""
    text = DEMO_PORTFOLIO.read_text(encoding="utf-8")
    text = text.replace('base_url = "http://127.0.0.1:8700"', f'base_url = "{base_url}"')
    text = re.sub(r'host = "127\.0\.0\.1"\nport = 8143', f'host = "{imap_host}"\nport = {imap_port}', text)
    # The copy lives elsewhere: its payroll paths must still reach fixtures/demo/payroll/.
    text = text.replace('payroll = "payroll/', f'payroll = "{DEMO_PORTFOLIO.parent.as_posix()}/payroll/')
    path = folder / "portfolio.toml"
    path.write_text(text + extra, encoding="utf-8")
    return path


def demo_settings(portfolio: Path, evidence: Path, **overrides: Any) -> Settings:
    overrides.setdefault("retry", TEST_RETRY)
    overrides.setdefault("evidence_dir", evidence)
    return load_settings(portfolio, **overrides)


def paying_by_fpx(portfolio: Path) -> Path:
    """The portfolio with every employer paying by FPX from a retail account the bot logs in to: a
    month every employer can finish without a person (the demo's own methods leave some to people)."""
    data = tomllib.loads(portfolio.read_text(encoding="utf-8"))
    for employer in data["employers"]:
        employer["payment_method"] = "fpx"
        employer["bank"] = dict(RETAIL_BANK)
    path = portfolio.with_name(f"{portfolio.stem}-fpx.toml")
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    return path
