"""Settings of one mock portal process, built once from the command line."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
SEED_RELATIVE = Path("fixtures") / "demo" / "employers.toml"
# The repository's fixtures (editable install, a checkout), else the working folder's.
DEFAULT_SEED_FILE = next(
    (p for p in (PACKAGE_DIR.parent / SEED_RELATIVE, Path.cwd() / SEED_RELATIVE) if p.is_file()),
    PACKAGE_DIR.parent / SEED_RELATIVE,
)


@dataclass(frozen=True)
class PortalConfig:
    """What the portal's behaviour depends on (ports and addresses live in the server module)."""

    state_dir: Path = Path(".state/mock_portal")
    seed_file: Path = DEFAULT_SEED_FILE
    control: bool = True
    password_ttl: float = 600.0
    session_idle: float = 1800.0
    lockout_after: int = 5
    lockout_seconds: float = 900.0
    mail_from: str = "ASSIST PERKESO <noreply@perkeso.gov.my>"
    mail_subject: str = "Kata Laluan Log Masuk ASSIST"
    # FPX times out a transaction the bank never confirmed: `Pending` becomes `Unsuccessful` after
    # this long (`--fpx-pending-expiry`; the faults' `fpx_pending_expiry_seconds` overrides it).
    fpx_pending_expiry: float = 900.0
    # The portal's "today" (`--today`): the pending months, the "month in the future" rule and
    # due dates depend on it. None = the real date.
    today: date | None = None

    def current_date(self) -> date:
        return self.today or date.today()

    @property
    def database(self) -> Path:
        return self.state_dir / "portal.sqlite"
