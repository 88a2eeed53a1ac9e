"""An employer's payment settings (`[employers.bank]` in the portfolio): the bank, the FPX business
model, optional internet-banking credentials, and the direct-debit mandate's terms.

Without `user` and a password the bot stops at the bank's page and hands the payment to a person.
The password may be named indirectly (`password_env`, `password_file`, `password_command`) like a
mailbox password.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, model_validator

from bot.core.secret_sources import resolve_secret
from bot.core.validation import Email, Name


class BankSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    bank: Name = Field(default="Mock Bank", description="the portal's Bank List entry")
    business_model: Literal["b2c", "b2b"] = Field(
        default="b2c", description="b2c: Personal to Corporate; b2b: Corporate to Corporate"
    )
    user: str | None = Field(default=None, description="internet-banking user id (optional secret)")
    password: SecretStr | None = None
    password_env: str | None = None
    password_file: Path | None = None
    password_command: str | None = Field(
        default=None, description="command whose first output line is the password (a secret manager's CLI)"
    )
    email: Email | None = Field(default=None, description="where receipts go (default: the login email)")
    phone: str = Field(default="", description="Phone No of the direct-debit mandate")
    contact_name: str = Field(default="", description="Officer Name of the EFT registration")
    mandate_limit: Decimal = Field(
        default=Decimal("5000.00"), gt=0, description="mandate's Limit Per Transaction (RM)"
    )
    mandate_frequency: int = Field(default=2, ge=1, le=31, description="mandate's Max Frequency Per Month")
    return_timeout_seconds: float = Field(
        default=120.0, gt=0, description="how long to wait for the bank to send us back"
    )

    @model_validator(mode="after")
    def _resolve_password(self) -> BankSettings:
        self.password = resolve_secret(
            self.password, self.password_env, self.password_file, self.password_command
        )
        return self

    @property
    def has_credentials(self) -> bool:
        return bool(self.user) and self.password is not None
