"""A ``Content-Type`` header's parts: the media type and its ``charset`` parameter, read
alike for fetched pages and for the feeds and archives they are parsed as."""

from __future__ import annotations


def media_type(content_type: str) -> str:
    """The media type alone, lower case (``text/csv; charset=utf-8`` -> ``text/csv``)."""
    return content_type.split(";")[0].strip().lower()


def charset_of(content_type: str) -> str | None:
    """The ``charset`` parameter, lower case and unquoted, if any."""
    for param in content_type.split(";")[1:]:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset" and value.strip(" \"'"):
            return value.strip(" \"'").lower()
    return None


__all__ = ["charset_of", "media_type"]
