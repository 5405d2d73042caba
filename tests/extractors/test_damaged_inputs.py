"""Damaged real inputs: whatever a page or feed holds, extraction gives a result or a
named reject, never an exception that would cost the input as an ``extraction_error``.

Real pages and feeds from the shared corpora are cut, spliced with markup fragments and
sprinkled with stray bytes, seeded, so every run tries the same inputs."""

from __future__ import annotations

import gzip
import random
from pathlib import Path

from extractors.feed_parser import parse_feed
from extractors.html import extract_page
from newsmon.core.errors import NewsmonError, RejectedInput

TRIES = 150
_FRAGMENTS = [
    b"<", b">", b"\x00", b"\xff\xfe", b"<script>", b"</script>", b'"', b"{", b"}", b"]]>",
    b"<!--", b"-->", b"&#0;", b"&#xD800;", b"\xe2\x80", b"<h1>", b"</h1>",
    b"<time datetime='0000-00-00T99:99' pubdate>", b'<script type="application/ld+json">',
    b'<meta property="article:published_time" content="0001-01-01T00:00:00Z">',
    b'<link rel="canonical" href="http://[::1/x">', b"<pubDate>Mon, 01 Jan 0001 00:00:00 GMT",
    b"<item>", b"</item>", b"<entry>", b"<link>javascript:1</link>", b"<ttl>-5</ttl>",
]


def _damaged(rng: random.Random, data: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        op, at = rng.random(), rng.randrange(len(out) + 1)
        if op < 0.2:  # where metadata is read first: right after <head>
            head = out.find(b"<head")
            at = out.find(b">", head) + 1 if head >= 0 else 0
            out[at:at] = rng.choice(_FRAGMENTS)
        elif op < 0.4:
            out[at:at] = rng.choice(_FRAGMENTS)
        elif op < 0.7:
            del out[at : at + rng.randint(1, 2000)]
        elif op < 0.85:
            del out[at:]
        else:
            out[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 50)))
    return bytes(out)


def _read(path: Path) -> bytes:
    data = path.read_bytes()
    return gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data


def test_damaged_pages_are_articles_or_named_rejects(shared: Path) -> None:
    corpora = shared / "corpora"
    paths = (sorted((corpora / "fundus").rglob("*.html*"))[:40]
             + sorted((corpora / "extraction-benchmark" / "html").glob("*.gz"))[:20])
    pages = [_read(p) for p in paths]
    rng = random.Random(20261204)
    outcomes = {"page": 0, "rejected": 0}
    for _ in range(TRIES):
        damaged = _damaged(rng, rng.choice(pages))
        try:
            extract_page(damaged, url="https://example.com/a")
            outcomes["page"] += 1
        except RejectedInput:
            outcomes["rejected"] += 1
    assert outcomes["page"] > TRIES // 2  # most damage leaves an article to read


def test_damaged_feeds_parse_or_are_named_rejects(shared: Path) -> None:
    corpora = shared / "corpora"
    paths = sorted(p for p in (corpora / "real-feeds").rglob("*")
                   if p.is_file() and p.stat().st_size < 2_000_000)
    feeds = [p.read_bytes() for p in paths]
    rng = random.Random(20261204)
    entries = 0
    for _ in range(TRIES):
        try:
            result = parse_feed(_damaged(rng, rng.choice(feeds)),
                                {"content-type": "application/rss+xml"},
                                "https://example.com/feed")
        except (RejectedInput, NewsmonError):
            continue
        entries += len(result.entries)
    assert entries > 0
