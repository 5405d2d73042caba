"""A sitemap index given as a feed: read through the news sitemaps it names.

Large outlets split their Google News sitemap by section or by hour and publish an index
of the parts (``news-sitemap-index.xml``, ``sitemaps/news.xml.gz``), and a site's one
sitemap index often names its news sitemap beside every other (``sitemap_index.xml``:
``post-sitemap.xml``, ``news-sitemap.xml`` ...). Such an index is read as one feed whose
entries are those of the news sitemaps it names: every sitemap of an index whose address
says "news", else those of its sitemaps whose address does; the most recently changed
first (``lastmod``, else the day the sitemap's address names), at most
:data:`MAX_SITEMAPS` per poll, one level deep. The other sitemaps list a whole site and are
never fetched.

An index may stay the same while its parts change (a fixed list of sections), so its own
validators cannot stand for the feed: it is fetched without a conditional GET, and the
feed counts as unchanged when the index and every part read have the same bytes as at the
last poll (:attr:`FeedRead.body_hash`).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass

from extractors.feed_parser import (
    FeedEntry,
    FeedParseResult,
    is_sitemap_index,
    parse_feed,
    unpacked,
)
from extractors.news_sitemap import IndexedSitemap, index_sitemaps, parse_news_sitemap
from newsmon.core.errors import FetchPermanentError, FetchTransientError, RejectedInput
from newsmon.core.outcomes import RejectReason
from newsmon.core.urls import host_of
from newsmon.fetch import FEED_ACCEPT, Fetcher, FetchResult

#: News sitemaps read per poll of one index: a section per sitemap rarely needs more, and
#: each is one more request to the site.
MAX_SITEMAPS = 10
#: Sitemaps an index names, quoted when none of them is a news sitemap.
SHOWN_SITEMAPS = 3


@dataclass(frozen=True, slots=True)
class FeedRead:
    """A feed document read, with what stands for its content between polls."""

    parsed: FeedParseResult
    body_hash: str  # sha256 of the body, or of an index and every part read
    conditional: bool  # whether the response's ETag and Last-Modified stand for the feed


def read_feed(fetcher: Fetcher, result: FetchResult) -> FeedRead:
    """The feed in ``result``; a sitemap index is read through its news sitemaps.
    :class:`RejectedInput` (or a fetch error, when every part failed to arrive) when there
    is nothing to use."""
    content = unpacked(result.content)
    if is_sitemap_index(content):
        return _read_index(fetcher, result, content)
    parsed = parse_feed(content, result.headers, result.url)
    return FeedRead(parsed, hashlib.sha256(result.content).hexdigest(), conditional=True)


def news_sitemaps(index_url: str, named: tuple[IndexedSitemap, ...]) -> list[IndexedSitemap]:
    """The sitemaps of an index to read: all of a news index's, else those whose address
    says "news"; the most recently changed first (undated ones last, in the index's
    order), at most :data:`MAX_SITEMAPS`."""
    news = list(named) if _says_news(index_url) else [s for s in named if _says_news(s.url)]
    first: dict[str, IndexedSitemap] = {}
    for sitemap in news:
        first.setdefault(sitemap.url, sitemap)
    unique = list(first.values())
    unique.sort(key=lambda s: (s.modified is None, -s.modified.at.timestamp() if s.modified else 0))
    return unique[:MAX_SITEMAPS]


def _read_index(fetcher: Fetcher, result: FetchResult, content: bytes) -> FeedRead:
    named = index_sitemaps(content, result.url)
    chosen = news_sitemaps(result.url, named)
    if not chosen:
        shown = [s.url for s in named[:SHOWN_SITEMAPS]] + (
            ["..."] if len(named) > SHOWN_SITEMAPS else [])
        raise RejectedInput(
            RejectReason.NOT_A_FEED if named else RejectReason.EMPTY,
            f"a sitemap index of {len(named)} sitemaps, none a news sitemap "
            f"({', '.join(shown)}): give newsmon its news sitemap" if named
            else "a sitemap index that names no sitemap")
    digest = hashlib.sha256(result.content)
    index_host = host_of(result.url)
    entries: dict[str, FeedEntry] = {}
    titles: Counter[str] = Counter()
    languages: Counter[str] = Counter()
    failures: list[tuple[str, FetchPermanentError | FetchTransientError | RejectedInput]] = []
    faults: list[str] = []  # parts read, but ill-formed
    for sitemap in chosen:
        try:
            # the index's own host is as trusted as the index; another host is checked
            part = fetcher.get(sitemap.url, accept=FEED_ACCEPT,
                               trusted=bool(index_host) and host_of(sitemap.url) == index_host)
            digest.update(part.content)
            parsed = parse_news_sitemap(unpacked(part.content), part.url)
        except (FetchPermanentError, FetchTransientError, RejectedInput) as exc:
            failures.append((sitemap.url, exc))
            continue
        if parsed.problem:
            faults.append(f"{sitemap.url}: {parsed.problem}")
        for entry in parsed.entries:  # a story listed in two sections is one entry
            entries.setdefault(entry.link or "", entry)
        titles.update([parsed.title] if parsed.title else [])
        languages.update([parsed.language] if parsed.language else [])
    problem = None
    if failures:
        url, first = failures[0]
        # a fetch error names its URL; a parse error does not
        what = f"{url}: {first.detail}" if isinstance(first, RejectedInput) else first.detail
        problem = (f"{len(failures)} of {len(chosen)} news sitemaps the index names could not "
                   f"be read; {what}")
        if not entries:
            if all(isinstance(e, FetchTransientError) for _u, e in failures):
                raise first  # nothing arrived: the poll is retried like any transient failure
            raise RejectedInput(first.reason, f"a sitemap index: {problem}")
    if faults:
        problem = "; ".join([*([problem] if problem else []), *faults])
    return FeedRead(
        FeedParseResult(
            title=titles.most_common(1)[0][0] if titles else None,
            language=languages.most_common(1)[0][0] if languages else None,
            format="news-sitemap-index", encoding=None, entries=tuple(entries.values()),
            problem=problem),
        digest.hexdigest(), conditional=False)


def _says_news(url: str) -> bool:
    return "news" in url.lower()


__all__ = ["MAX_SITEMAPS", "FeedRead", "news_sitemaps", "read_feed"]
