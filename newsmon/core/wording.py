"""Words messages share: counts ("1 article", "2 articles"), a value quoted cut short, and
what is said of a file a user wrote in another encoding than UTF-8."""

from __future__ import annotations

from pathlib import Path


def plural(n: int, noun: str) -> str:
    """``n`` and ``noun``, with an ``s`` unless ``n`` is one (the nouns used have regular
    plurals)."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


def clipped(text: str, limit: int) -> str:
    """``text`` as quoted in a one-line message: its first ``limit`` characters and "..."
    when longer (a WARC's binary first line, a 70,000-character link)."""
    return text if len(text) <= limit else f"{text[:limit]}..."


def not_utf8(path: Path | str, exc: UnicodeDecodeError) -> str:
    """Why a file a user wrote cannot be read: saved in a Windows code page ("ANSI"), as
    editors there still do, where newsmon reads UTF-8 (as TOML requires)."""
    return f"{path}: not UTF-8 text (byte {exc.start}: {exc.reason}); save it as UTF-8"
