"""Counts in messages."""

from __future__ import annotations

from newsmon.core.wording import plural


def test_one_is_singular_and_every_other_count_plural() -> None:
    assert [plural(n, "article") for n in (0, 1, 2)] == ["0 articles", "1 article", "2 articles"]
