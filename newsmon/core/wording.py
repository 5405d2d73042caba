"""Words messages share: counts ("1 article", "2 articles"), and what is said of a file a
user wrote in another encoding than UTF-8."""

from __future__ import annotations

from pathlib import Path


def plural(n: int, noun: str) -> str:
    """``n`` and ``noun``, with an ``s`` unless ``n`` is one (the nouns used have regular
    plurals)."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


def not_utf8(path: Path | str, exc: UnicodeDecodeError) -> str:
    """Why a file a user wrote cannot be read: saved in a Windows code page ("ANSI"), as
    editors there still do, where newsmon reads UTF-8 (as TOML requires)."""
    return f"{path}: not UTF-8 text (byte {exc.start}: {exc.reason}); save it as UTF-8"
