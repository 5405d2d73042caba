"""The one clock of the warehouse: naive UTC, as stored in its TIMESTAMP columns."""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    """Naive UTC now."""
    return datetime.now(UTC).replace(tzinfo=None)
