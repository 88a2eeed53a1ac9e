"""The error model of unattended runs (DESIGN.md): what went wrong decides what happens next."""

from __future__ import annotations

from datetime import datetime


class AssistError(Exception):
    """Base of every error the bot reports; `exit_code` is what the CLI exits with."""

    exit_code = 1
    retryable = False


class BusinessError(AssistError):
    """The data or the portal said no. Never retried; reported with the reason."""


class ApplicationError(AssistError):
    """Something transient failed (timeout, 5xx, expired session, late mail). Retried per policy."""

    retryable = True


class UnknownOutcome(AssistError):
    """We may have done it. Never retried blindly: the next attempt reconciles with the portal first."""

    exit_code = 2


class NeedsHuman(AssistError):
    """A person must act; the run goes on with other employers."""

    exit_code = 2


class SettlesLater(NeedsHuman):
    """Nothing to do but wait: the portal settles it by itself (e.g. FPX times out a transaction the
    bank never confirmed), and a rerun after `after` (epoch seconds) finishes the work."""

    def __init__(self, message: str, after: float) -> None:
        super().__init__(message)
        self.after = after

    @property
    def after_text(self) -> str:
        return when(self.after)


def when(epoch: float) -> str:
    """A moment as people read it in a report or a log: local time with its zone."""
    return datetime.fromtimestamp(epoch).astimezone().strftime("%Y-%m-%d %H:%M:%S %Z")


class ConfigError(AssistError):
    """Bad usage or configuration."""

    exit_code = 64


class PortalUnavailable(ApplicationError):
    """The portal did not answer in time or answered with a server error."""


class SessionExpired(ApplicationError):
    """The portal sent us back to the login page in the middle of a procedure."""


class MailTimeout(ApplicationError):
    """The emailed password did not arrive in time."""


class PasswordRefused(BusinessError):
    """The portal refused the emailed password: usually a newer login of the same employer
    (another process, a person) superseded it. Not retried: each refusal counts towards the
    portal's lockout, and two runs retrying against each other lock the account (seen in tests)."""


class TryLater(AssistError):
    """Busy, not failed: another run holds the database or the lock, or the portal is down and the
    circuit breaker is open. Exit 75 (EX_TEMPFAIL) so that cron and schedulers can tell it apart."""

    exit_code = 75
