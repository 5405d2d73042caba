"""A Content-Type header's media type and charset, as pages and feeds are read by them."""

from __future__ import annotations

import pytest

from newsmon.core.media_types import charset_of, media_type


@pytest.mark.parametrize(("header", "kind", "charset"), [
    ("text/csv; charset=Windows-1252", "text/csv", "windows-1252"),
    ('Text/HTML;Charset="UTF-8"', "text/html", "utf-8"),
    ("application/json; boundary=x; charset = 'latin-1' ", "application/json", "latin-1"),
    ("application/rss+xml", "application/rss+xml", None),
    ("text/plain; charset=", "text/plain", None),
    ("", "", None),
])
def test_the_media_type_and_its_charset(header: str, kind: str, charset: str | None) -> None:
    assert (media_type(header), charset_of(header)) == (kind, charset)
