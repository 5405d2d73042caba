"""Time options (``--since``, ``--until``, the web page's filters): one reading, bounded."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from newsmon.core.clock import parse_when
from newsmon.core.errors import InputError

NOW = datetime(2026, 12, 4, 12, 0)


def test_dates_times_and_spans_before_now() -> None:
    assert parse_when("2026-03-01", NOW, "--since") == datetime(2026, 3, 1)
    assert parse_when("2026-03-01T09:00+01:00", NOW, "--since") == datetime(2026, 3, 1, 8)
    assert parse_when(" 36h ", NOW, "--since") == NOW - timedelta(hours=36)
    assert parse_when("2w", NOW, "--until") == NOW - timedelta(weeks=2)
    assert parse_when("30000d", NOW, "--since").year == 1944


@pytest.mark.parametrize("text", ["0001-01-01", "1899-12-31", "9999-12-31",
                                  "0001-01-01T00:00+01:00", "999999999d", "10" * 30 + "w"])
def test_a_time_past_the_calendars_ends_is_a_one_line_error(text: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_when(text, NOW, "--since")
    assert str(caught.value) == f"--since {text!r}: out of range (from 1900 to 9000)"


def test_anything_else_says_what_is_expected() -> None:
    with pytest.raises(InputError, match=r"^--until 'yesterday': expected a date"):
        parse_when("yesterday", NOW, "--until")
