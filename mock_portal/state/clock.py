"""Times as the control API shows them."""

from __future__ import annotations

from datetime import UTC, datetime


def iso(epoch: float | None) -> str | None:
    """Epoch seconds as an ISO 8601 UTC string, for the control API."""
    if epoch is None:
        return None
    return datetime.fromtimestamp(epoch, tz=UTC).isoformat(timespec="milliseconds")
