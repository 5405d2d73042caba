"""The one clock of the warehouse: naive UTC, as stored in its TIMESTAMP columns."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from newsmon.core.errors import InputError

_RELATIVE = re.compile(r"^(\d+)\s*([hdw])$")
_UNITS = {"h": timedelta(hours=1), "d": timedelta(days=1), "w": timedelta(weeks=1)}
#: What a time option may name: far back enough for any archive, short of the calendar's
#: ends, where the day or two the queries add or take would overflow.
EARLIEST_WHEN = datetime(1900, 1, 1)
LATEST_WHEN = datetime(9000, 1, 1)


def utcnow() -> datetime:
    """Naive UTC now."""
    return datetime.now(UTC).replace(tzinfo=None)


def parse_when(text: str, anchor: datetime, option: str) -> datetime:
    """``2026-03-01``, ``2026-03-01T09:00`` (UTC) or ``7d`` / ``36h`` / ``2w`` before
    ``anchor``; anything else is an :class:`InputError` naming ``option``."""
    value = text.strip()
    match = _RELATIVE.match(value)
    try:
        if match:
            parsed = anchor - int(match[1]) * _UNITS[match[2]]
        else:
            parsed = datetime.fromisoformat(value)
            if parsed.tzinfo is not None:
                parsed = parsed.astimezone(UTC).replace(tzinfo=None)
    except ValueError:
        raise InputError(
            f"{option} {text!r}: expected a date (2026-03-01), a UTC time (2026-03-01T09:00) "
            "or a span before now (36h, 7d, 2w)"
        ) from None
    except OverflowError:  # a span of a billion days, or 0001-01-01T00:00+01:00
        parsed = datetime.min
    if not EARLIEST_WHEN <= parsed <= LATEST_WHEN:
        raise InputError(f"{option} {text!r}: out of range (from {EARLIEST_WHEN:%Y} to "
                         f"{LATEST_WHEN:%Y})")
    return parsed


def check_span(since: datetime | None, until: datetime | None,
               names: tuple[str, str] = ("--since", "--until")) -> None:
    """An :class:`InputError` when ``since`` is not before ``until``: no time lies between
    them, so every listing would be empty, which looks like a filter that matched nothing
    when the two were swapped."""
    if since is not None and until is not None and since >= until:
        raise InputError(f"{names[0]} {since:%Y-%m-%d %H:%M} is not before {names[1]} "
                         f"{until:%Y-%m-%d %H:%M} (UTC): no time lies between them")
