"""Typed settings, built once at the entry point: env (ASSIST_*, `__` nesting), `.env`, the portfolio TOML.

Priority, highest first: explicit overrides, environment, `.env`, secret files, the portfolio file.
Secrets are `SecretStr`; every one may also be named indirectly (`*_env`, `*_file`, `*_command`: see
`secret_sources`) so that the portfolio file itself can be committed to a firm's config repo.
"""

from __future__ import annotations

import os
import tomllib
from contextvars import ContextVar
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, model_validator
from pydantic_settings import (
    BaseSettings,
    InitSettingsSource,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

from bot.core.errors import ConfigError
from bot.core.mailbox_settings import MailboxSettings
from bot.core.payment_settings import BankSettings
from bot.core.run_settings import EvidenceSettings, NotifySettings, OrchestrationSettings
from bot.core.secret_sources import resolve_secret
from bot.core.validation import (
    DatabaseUrl,
    Email,
    EmployerCode,
    HttpUrl,
    Millis,
    Name,
    PasswordRegex,
    Regex,
    Seconds,
    describe,
    strict_booleans,
)

_portfolio_data: ContextVar[dict[str, Any] | None] = ContextVar("_portfolio_data", default=None)


class _Strict(BaseModel):
    """Unknown keys are errors: a typo in a portfolio must not silently drop a setting."""

    model_config = ConfigDict(extra="forbid")


class EmployerSettings(_Strict):
    """One client employer of the portfolio."""

    name: Name = Field(description="short name used on the command line (--employer NAME)")
    employer_code: EmployerCode
    login_email: Email
    password_source: Literal["email", "static"] = "email"
    mailbox: MailboxSettings | None = None
    static_password: SecretStr | None = None
    static_password_env: str | None = None
    static_password_file: Path | None = None
    static_password_command: str | None = None
    payment_method: Literal["fpx", "eft", "dda", "counter"] | None = None
    bank: BankSettings = Field(
        default_factory=BankSettings
    )  # [employers.bank]: bank, business model, credentials, mandate
    scheme: Literal["socso", "eis", "socso+eis"] = "socso+eis"
    payroll: Path | None = None
    # A text file written by the employer's payroll software, instead of `payroll` (checked and
    # rewritten as the bot writes it: `assist-bot textfile normalize`).
    textfile: Path | None = None
    sync_employees: bool = Field(
        default=False,
        description="`run` first registers the payroll's joiners and records its leavers "
        "(supporting documents from documents/ beside the payroll)",
    )

    @model_validator(mode="after")
    def _password_source_complete(self) -> EmployerSettings:
        if self.password_source == "static":
            self.static_password = resolve_secret(
                self.static_password,
                self.static_password_env,
                self.static_password_file,
                self.static_password_command,
                name="static_password",
            )
        if self.password_source == "email" and self.mailbox is None:
            raise ValueError("password_source 'email' needs a [employers.mailbox] table")
        if self.password_source == "static" and self.static_password is None:
            raise ValueError("password_source 'static' needs static_password")
        return self


class PortalSettings(_Strict):
    """The ASSIST portal to drive: the bundled mock by default."""

    base_url: HttpUrl = "http://127.0.0.1:8700"
    navigation_timeout_ms: Millis = 30_000
    action_timeout_ms: Millis = 15_000
    # FPX times out a transaction the bank never confirmed (`Pending` → `Unsuccessful`) after this long;
    # the bot waits that out before paying such a month again with a new transaction.
    fpx_pending_expiry_seconds: float = Field(default=900.0, gt=0)


class PasswordMailSettings(_Strict):
    """How to recognise the portal's password email (regular expressions, case-insensitive)."""

    sender_pattern: Regex = r"noreply@perkeso\.gov\.my"
    subject_pattern: Regex = r"kata laluan"
    password_pattern: PasswordRegex = r"Kata Laluan\s*:\s*(\S+)"
    timeout_seconds: Seconds = 120.0
    poll_interval_seconds: Seconds = 5.0
    idle_refresh_seconds: Seconds = 10.0
    stale_grace_seconds: float = Field(
        default=10.0,
        ge=0,
        description="with an earlier request's mail still unseen, how long to wait for the latest one's "
        "after the first matching mail (and for a newer mail after a refused password)",
    )


class BrowserSettings(_Strict):
    """Chromium discovery and evidence options."""

    executable_path: Path | None = Field(
        default=None, description="ASSIST_BROWSER__EXECUTABLE_PATH or ASSIST_BROWSER_PATH"
    )
    headless: bool = True
    trace: Literal["off", "on", "retain-on-failure"] = "retain-on-failure"
    # The trace's own screenshot filmstrip: its DOM snapshots already show each action's page, and the
    # step screenshots are kept beside it; recording it cost ~20 % of a run's throughput (bench/portfolio.py).
    trace_screenshots: bool = False
    screenshots: bool = True
    # A video of each employer's context (Playwright needs its ffmpeg: `playwright install ffmpeg`).
    video: Literal["off", "on", "retain-on-failure"] = "off"


class RetrySettings(_Strict):
    attempts: int = Field(default=3, ge=1)
    wait_initial_seconds: float = Field(default=1.0, ge=0)
    wait_max_seconds: float = Field(default=20.0, ge=0)


class ContributionSettings(_Strict):
    """How contributions are sent (QRG 4)."""

    textfile_above: int = Field(
        default=10, ge=0, description="payrolls with more employees go by text file, others by data entry"
    )


class Settings(BaseSettings):
    """Everything the bot needs, validated once."""

    model_config = SettingsConfigDict(
        env_prefix="ASSIST_",
        env_nested_delimiter="__",
        env_file=".env",
        extra="forbid",
    )

    portal: PortalSettings = PortalSettings()
    mail: PasswordMailSettings = PasswordMailSettings()
    browser: BrowserSettings = BrowserSettings()
    retry: RetrySettings = RetrySettings()
    contribution: ContributionSettings = ContributionSettings()
    evidence_dir: Path = Path("evidence")
    evidence: EvidenceSettings = EvidenceSettings()
    concurrency: int = Field(4, ge=1, le=64)
    state_dir: Path = Path(".state")
    database_url: DatabaseUrl = Field(
        default=None,
        description="ASSIST_DATABASE_URL: sqlite:///FILE (default <state_dir>/assist-bot.sqlite) or postgresql://... to scale out",
    )
    orchestration: OrchestrationSettings = OrchestrationSettings()
    notify: NotifySettings = NotifySettings()
    portfolio: Path | None = None
    employers: list[EmployerSettings] = []

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        portfolio = InitSettingsSource(settings_cls, init_kwargs=_portfolio_data.get() or {})
        return (init_settings, env_settings, dotenv_settings, file_secret_settings, portfolio)

    @model_validator(mode="after")
    def _mailbox_token_stores(self) -> Settings:
        """An OAuth2 mailbox without `token_store` keeps its refresh token under the state dir."""
        for employer in self.employers:
            box = employer.mailbox
            if box is not None and box.oauth2 is not None and box.oauth2.token_store is None:
                box.oauth2.token_store = box.default_token_store(self.state_dir)
        return self

    @model_validator(mode="after")
    def _unique_names(self) -> Settings:
        names = [e.name for e in self.employers]
        repeated = sorted({name for name in names if names.count(name) > 1})
        if repeated:
            raise ValueError(
                f"[[employers]] name: {', '.join(map(repr, repeated))} given to more than one employer"
                " (each name must be unique: it is what --employer picks)"
            )
        return self

    @property
    def records_dir(self) -> Path:
        """ACR/ECR PDFs and receipts, per employer and month: never pruned."""
        return self.evidence.records_dir or self.evidence_dir / "records"

    def employer(self, name: str) -> EmployerSettings:
        for employer in self.employers:
            if employer.name == name:
                return employer
        known = ", ".join(e.name for e in self.employers) or "none"
        raise ConfigError(f"no employer named {name!r} in the portfolio {self.portfolio} (known: {known})")


def default_portfolio_path() -> Path:
    return Path(os.environ.get("ASSIST_PORTFOLIO", "portfolio.toml"))


def _browser_path_alias(overrides: dict[str, Any]) -> None:
    """DESIGN.md names ASSIST_BROWSER_PATH; accept it besides the nested form."""
    path = os.environ.get("ASSIST_BROWSER_PATH")
    if path and not os.environ.get("ASSIST_BROWSER__EXECUTABLE_PATH"):
        overrides.setdefault("browser", {}).setdefault("executable_path", path)


def load_settings(portfolio: Path | None = None, *, required: bool = True, **overrides: Any) -> Settings:
    """Build the settings from the portfolio file, the environment and `.env`.

    A missing portfolio is an error when `required` (commands that act on employers), otherwise an
    empty portfolio. Any problem is a `ConfigError` that names the file and the setting.
    """
    path = portfolio or default_portfolio_path()
    data: dict[str, Any] = {}
    if path.exists():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
        base = path.resolve().parent
        for employer in data.get("employers", []):
            # Payroll paths in a portfolio are relative to the portfolio file, not the cwd.
            if isinstance(employer, dict) and employer.get("payroll"):
                employer["payroll"] = str(base / employer["payroll"])
            if isinstance(employer, dict) and employer.get("textfile"):
                employer["textfile"] = str(base / employer["textfile"])
    elif required:
        raise ConfigError(
            f"portfolio file {path} not found: pass --portfolio FILE or set ASSIST_PORTFOLIO "
            "(the demo one is fixtures/demo/portfolio.toml)"
        )
    data["portfolio"] = str(path)
    _browser_path_alias(overrides)
    problems = strict_booleans(data, Settings)
    token = _portfolio_data.set(data)
    try:
        settings = Settings(**overrides)
    except ValidationError as exc:
        problems += [(tuple(err["loc"]), err["msg"], err.get("input")) for err in exc.errors()]
    finally:
        _portfolio_data.reset(token)
    if problems:
        lines = [f"{path}: invalid settings:"]
        lines += [f"  {describe(loc, message, value, data)}" for loc, message, value in problems]
        raise ConfigError("\n".join(lines))
    from bot.core.evidence import private_places  # Playwright-free settings for the mock's tests

    private_places(settings)
    return settings
