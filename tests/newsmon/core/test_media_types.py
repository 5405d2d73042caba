"""A Content-Type header's media type and charset, as pages and feeds are read by them; the
document a body's own first bytes mark it as."""

from __future__ import annotations

import pytest

from newsmon.core.media_types import charset_of, document_mark, media_type


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


@pytest.mark.parametrize(("body", "mark"), [
    (b"%PDF-1.7\n%\xe2\xe3", "pdf"),
    (b"PK\x03\x04" + b"\x00" * 26 + b"[Content_Types].xml" + b"\x00" * 600
     + b"word/document.xml", "docx"),  # Word's part is named after the first 512 bytes
    (b"PK\x03\x04" + b"\x00" * 26 + b"mimetypeapplication/vnd.oasis.opendocument.text", "odt"),
    (b"\r\n {\\rtf1\\ansi Kim trifft Putin}", "rtf"),
    (b"PK\x03\x04" + b"\x00" * 26 + b"photo.jpg", None),  # a zip of something else
    (b"<!doctype html><title>%PDF-</title>", None),
    (b" " * 600 + b"{\\rtf1}", None),  # a mark is looked for in the first bytes only
    (b"", None),
])
def test_a_document_is_known_by_its_own_first_bytes(body: bytes, mark: str | None) -> None:
    assert document_mark(body) == mark
