"""Stable identity: the same article read twice must get the same key.

The key comes from the canonical URL when the article has one (a web page read
again after a typo fix is still the same article), else from the normalised text
(a local file copied elsewhere is still the same article). Keys are signed 64-bit
integers: a BIGINT primary key costs less than half the memory of a 40-character
string key in DuckDB, and 2^64 leaves collisions out of reach for a news archive.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

_SPACE = re.compile(r"\s+")


def normalise_text(text: str) -> str:
    """Text as compared for identity: NFC, whitespace collapsed, case folded."""
    return _SPACE.sub(" ", unicodedata.normalize("NFC", text)).strip().casefold()


def content_hash(text: str) -> str:
    """sha256 hex of the normalised text."""
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()


def stable_id(key: str) -> int:
    """A signed 64-bit id from any string key (blake2b, first 8 bytes)."""
    digest = hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def article_id(canonical_url: str | None, text_hash: str) -> int:
    """The article's key: from its canonical http(s) URL if any, else from its content."""
    if canonical_url and canonical_url.startswith(("http://", "https://")):
        return stable_id("url:" + canonical_url)
    return stable_id("text:" + text_hash)
