"""Counts in messages, so that one reads "1 article" and more read "2 articles"."""

from __future__ import annotations


def plural(n: int, noun: str) -> str:
    """``n`` and ``noun``, with an ``s`` unless ``n`` is one (the nouns used have regular
    plurals)."""
    return f"{n} {noun}{'' if n == 1 else 's'}"
