"""A site's address where a feed was expected: find the site's feed.

Users paste the address of a site, not of its feed. When a feed URL answers with a web
page, the page is read for the feeds it links to (``<link rel="alternate">``, through
trafilatura's feed finder on the page already fetched), then the news sitemaps its
robots.txt names (``Sitemap:`` lines with "news" in the address: outlets without RSS, then
the sitemap indexes it names, which may name a news sitemap among their parts), then
the usual paths (``/feed``, ``/rss.xml`` ...). The first candidate that parses as a feed
with entries is chosen; every request goes through the cycle's
:class:`newsmon.fetch.Fetcher`, so the site's pacing holds.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from newsmon.core.errors import FetchPermanentError, FetchTransientError, RejectedInput
from newsmon.fetch import FEED_ACCEPT, HTML_TYPES, Fetcher, FetchResult
from newsmon.robots import RobotsRules
from newsmon.sources.sitemap_index import FeedRead, read_feed

#: Where sites usually keep their feed (WordPress, most CMSs, Blogger, Hugo/Jekyll).
USUAL_PATHS = ("/feed", "/rss", "/rss.xml", "/feed.xml", "/atom.xml", "/index.xml",
               "/feeds/posts/default")
#: Candidates tried at most: a page linking fifty feeds is not asked fifty times.
MAX_CANDIDATES = 8


@dataclass(frozen=True, slots=True)
class Discovery:
    """The feed found for a site, how, and its first read."""

    site_url: str
    feed_url: str
    how: str  # "linked from the page" or "the usual path /feed"
    result: FetchResult
    read: FeedRead


#: How far into a page its head is searched for what it says it is.
_HEAD_BYTES = 262_144
#: A page that calls itself an article: Open Graph's type, or a schema.org article type
#: in its JSON-LD (what news sites give every story page, and no front or section page).
_OG_ARTICLE = re.compile(
    rb"<meta\b[^>]*?(?:property|name)\s*=\s*[\"']og:type[\"'][^>]*?content\s*=\s*[\"']article"
    rb"|<meta\b[^>]*?content\s*=\s*[\"']article[\"'][^>]*?(?:property|name)\s*=\s*[\"']og:type",
    re.IGNORECASE)
_JSONLD_ARTICLE = re.compile(
    rb'"@type"\s*:\s*(?:\[[^\]]{0,200}?)?"(?:[A-Za-z]*Article|(?:Live)?BlogPosting)"')
#: A story's address: a number or an id in its path (``-a-1234``,
#: ``world-europe-66789012``, ``/2023/09/12/``), a slug of three words or more, or a
#: page's file name at its end; a section's (``/politik/``, ``/news/world``) has none.
_STORY_PART = re.compile(r"\d|\w[-_]\w+[-_]\w|\.(?:s?html?|php|aspx?|jsp|cms)$", re.IGNORECASE)


def declares_article(page: FetchResult) -> bool:
    """Whether a web page is one story: its address reads like a story's, and it says it
    is an article (``og:type`` article, a JSON-LD ``NewsArticle``). Given where a feed was
    expected, it is the article the user means, not a site whose feed to find. Both are
    asked for because some sites call every page an article, sections too."""
    if not story_address(page.url):
        return False
    head = page.content[:_HEAD_BYTES]
    return bool(_OG_ARTICLE.search(head) or _JSONLD_ARTICLE.search(head))


def story_address(url: str) -> bool:
    """Whether ``url`` reads like one story's address (``/2023/09/budget.html``,
    ``/world-europe-66789012``), not a front page's, a section's or an index's."""
    path = urlsplit(url).path.rstrip("/")
    last = path.rsplit("/", 1)[-1]
    return bool(last) and not last.lower().startswith("index.") and bool(_STORY_PART.search(path))


def is_web_page(result: FetchResult) -> bool:
    """An HTML answer (by type, or by its first bytes when the type is missing)."""
    if result.content_type:
        return result.content_type.startswith(HTML_TYPES)
    return result.is_markup


def candidates(page: FetchResult, sitemaps: Sequence[str] = ()) -> list[tuple[str, str]]:
    """(URL, how) to try, in order: the page's feed links, the news sitemaps among
    ``sitemaps`` (those robots.txt names, told by "news" in their address), the sitemap
    indexes among them, then the usual paths."""
    # Imported here, not at the top: every cycle imports this module, and the extraction
    # libraries (~60 MB) stay out of a process whose workers do the extracting.
    from extractors.html import feed_links

    found = [(u, "linked from the page") for u in feed_links(page.content, page.url)]
    found += [(urljoin(page.url, u), "a news sitemap robots.txt names") for u in sitemaps
              if "news" in u.lower()]
    found += [(urljoin(page.url, u), "a sitemap index robots.txt names") for u in sitemaps
              if _says_index(u) and "news" not in u.lower()]
    found += [(urljoin(page.url, p), f"the usual path {p}") for p in USUAL_PATHS]
    seen: set[str] = {page.url}
    ordered = []
    for url, how in found:
        if url not in seen:
            seen.add(url)
            ordered.append((url, how))
    return ordered[:MAX_CANDIDATES]


def _says_index(url: str) -> bool:
    """Whether a sitemap's address names an index (``sitemap_index.xml``, as Yoast and most
    SEO plugins publish it): one that may name the site's news sitemap beside its others,
    read by :func:`newsmon.sources.sitemap_index.read_feed` through that one. A plain
    sitemap lists the whole site and is not worth the request."""
    return "index" in url.lower().split("?", 1)[0].rsplit("/", 1)[-1]


def discover(fetcher: Fetcher, site_url: str, page: FetchResult) -> Discovery | None:
    """The site's feed, or None when neither its links, its robots.txt's news sitemaps
    nor the usual paths give one."""
    try:
        rules = fetcher.robots_rules(page.url)
    except FetchPermanentError:  # a site on a private address the page itself was allowed
        rules = None
    sitemaps = rules.sitemaps() if isinstance(rules, RobotsRules) else ()
    for url, how in candidates(page, sitemaps):
        try:
            result = fetcher.get(url, accept=FEED_ACCEPT, trusted=True)
            if is_web_page(result):
                continue
            read = read_feed(fetcher, result)
        except (FetchPermanentError, FetchTransientError, RejectedInput):
            continue
        return Discovery(site_url, result.url, how, result, read)
    return None
