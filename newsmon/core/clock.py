"""The one clock of the warehouse: naive UTC, as stored in its TIMESTAMP columns."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from newsmon.core.errors import InputError

_RELATIVE = re.compile(r"^(\d+)\s*([hdw])$")
_UNITS = {"h": timedelta(hours=1), "d": timedelta(days=1), "w": timedelta(weeks=1)}


def utcnow() -> datetime:
    """Naive UTC now."""
    return datetime.now(UTC).replace(tzinfo=None)


def parse_when(text: str, anchor: datetime, option: str) -> datetime:
    """``2026-03-01``, ``2026-03-01T09:00`` (UTC) or ``7d`` / ``36h`` / ``2w`` before
    ``anchor``; anything else is an :class:`InputError` naming ``option``."""
    value = text.strip()
    match = _RELATIVE.match(value)
    if match:
        return anchor - int(match[1]) * _UNITS[match[2]]
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise InputError(
            f"{option} {text!r}: expected a date (2026-03-01), a UTC time (2026-03-01T09:00) "
            "or a span before now (36h, 7d, 2w)"
        ) from None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(UTC).replace(tzinfo=None)
    return parsed
