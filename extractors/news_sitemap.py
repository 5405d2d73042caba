"""Google News sitemaps as feeds: outlets without RSS list their articles of the last two
days this way (``news:news`` under each ``url``: title, publication date, publication name
and language), and Media Cloud and GDELT read them for that reason.

Only the news entries of a sitemap are read: a plain sitemap lists every page of a site,
and fetching it would crawl the site, so it is refused with a line saying why. A sitemap
index names sitemaps, not articles: :func:`index_sitemaps` lists them for the poller to
choose the news ones (:mod:`newsmon.sources.sitemap_index`); read alone as a feed it is
refused the same way. The standard library's expat parses both (no external entities;
libexpat >= 2.4 refuses entity-expansion bombs); one expat refuses as ill-formed is read
again by lxml's recovering parser, which resolves no entity and reads nothing from the
network.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urljoin, urlsplit

from extractors.feed_records import FeedEntry, FeedParseResult, clean_text, iso_date, language_of
from newsmon.core.errors import RejectedInput
from newsmon.core.outcomes import RejectReason
from newsmon.core.records import Dated, DatePrecision

NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
#: The root elements of sitemaps (sitemaps.org), whatever their namespace.
SITEMAP_ROOTS = frozenset({"urlset", "sitemapindex"})
#: Sitemaps an index names, quoted in its reject: enough to pick the news one.
SHOWN_SITEMAPS = 3
#: A year and month in a sitemap's address, then maybe the day and the hour, each parted
#: by one of ``-_/.`` or not at all; never inside a longer number (an id, a timestamp).
_ADDRESS_DATE = re.compile(
    r"(?<!\d)(20\d\d)[-_/.]?(0[1-9]|1[0-2])(?:[-_/.]?(0[1-9]|[12]\d|3[01])"
    r"(?:[-_T]?([01]\d|2[0-3]))?)?(?!\d)")


@dataclass(frozen=True, slots=True)
class IndexedSitemap:
    """One sitemap a sitemap index names."""

    url: str  # absolute
    # When it last changed: its ``lastmod``, else the day its address names
    # (``news-2023-09-12.xml``, as indexes of daily or hourly parts are named)
    modified: Dated | None


def index_sitemaps(content: bytes, url: str) -> tuple[IndexedSitemap, ...]:
    """The sitemaps the sitemap index in ``content`` names, in its order (relative ``loc``
    resolved against ``url``); :class:`RejectedInput` when it is not a sitemap index."""
    root = _root(content)
    if _local(root.tag) != "sitemapindex":
        raise RejectedInput(RejectReason.NOT_A_FEED,
                            f"not a sitemap index: its root is <{_local(root.tag)}>")
    found: list[IndexedSitemap] = []
    for item in root:
        loc = clean_text(_child_text(item, "loc")) if _local(item.tag) == "sitemap" else None
        if loc:
            absolute = _absolute(url, loc)
            modified = iso_date(_child_text(item, "lastmod")) or date_in_address(absolute)
            found.append(IndexedSitemap(absolute, modified))
    return tuple(found)


def date_in_address(url: str) -> Dated | None:
    """The time a sitemap's file name gives (``news-2023-09-12.xml``,
    ``sitemap-20230912-08.xml``, ``2023/09/news.xml``), None when it names none: an index
    of dated parts often leaves out ``lastmod``, and its order (oldest first, as often as
    not) cannot tell which parts are new."""
    try:
        path = urlsplit(url).path
    except ValueError:
        return None
    match = _ADDRESS_DATE.search(path)
    if match is None:
        return None
    year, month, day, hour = (int(g) if g else None for g in match.groups())
    assert year is not None and month is not None  # the pattern requires both
    try:
        at = datetime(year, month, day or 1, hour or 0)
    except ValueError:  # 2023-02-30
        return None
    return Dated(at, DatePrecision.MONTH if day is None else DatePrecision.DAY)


def parse_news_sitemap(content: bytes, url: str) -> FeedParseResult:
    """The news entries of the sitemap in ``content`` (relative ``loc`` resolved against
    ``url``); :class:`RejectedInput` for a sitemap without any, or an index."""
    root, problem = _parsed(content)
    kind = _local(root.tag)
    if kind == "sitemapindex":
        named = [clean_text(e.text) for e in root.iter() if _local(e.tag) == "loc"]
        shown = [n for n in named[:SHOWN_SITEMAPS] if n]
        if len(named) > SHOWN_SITEMAPS:
            shown.append("...")
        raise RejectedInput(
            RejectReason.NOT_A_FEED, f"a sitemap index of {len(named)} sitemaps "
            f"({', '.join(shown)}): give newsmon its news sitemap")
    if kind != "urlset":
        raise RejectedInput(RejectReason.NOT_A_FEED, f"not a sitemap: its root is <{kind}>")
    entries: list[FeedEntry] = []
    names: list[str] = []
    languages: list[str] = []
    pages = 0
    for item in root:
        if _local(item.tag) != "url":
            continue
        pages += 1
        news = item.find(f"{{{NEWS_NS}}}news")
        loc = clean_text(_child_text(item, "loc"))
        if news is None or not loc:
            continue
        name = clean_text(news.findtext(f"{{{NEWS_NS}}}publication/{{{NEWS_NS}}}name"))
        language = language_of(news.findtext(
            f"{{{NEWS_NS}}}publication/{{{NEWS_NS}}}language"))
        names += [name] if name else []
        languages += [language] if language else []
        entries.append(FeedEntry(
            entry_id=None,
            link=_absolute(url, loc),
            title=clean_text(news.findtext(f"{{{NEWS_NS}}}title")),
            published=iso_date(news.findtext(f"{{{NEWS_NS}}}publication_date"))
            or iso_date(_child_text(item, "lastmod")),
        ))
    if not entries:
        raise RejectedInput(
            RejectReason.NOT_A_FEED if pages else RejectReason.EMPTY,
            (f"a sitemap of {pages} pages without news entries (news:news): newsmon reads "
             "Google News sitemaps, not a whole site's" if pages else "a sitemap without pages")
            + (f"; {problem}" if problem else ""))
    # pages without news entries (the site's other pages) are no fault of the sitemap
    return FeedParseResult(
        title=max(set(names), key=names.count) if names else None,
        language=max(set(languages), key=languages.count) if languages else None,
        format="news-sitemap",
        encoding=None,
        entries=tuple(entries),
        problem=problem,
    )


def _root(content: bytes) -> ElementTree.Element:
    return _parsed(content)[0]


def _parsed(content: bytes) -> tuple[ElementTree.Element, str | None]:
    """The sitemap's root, and what was wrong with its XML when it had to be recovered.

    A news sitemap is written by a site's own code, and one headline with a bare "&" (Tom &
    Jerry) or a control character makes the whole file ill-formed: expat refuses it, as it
    must. Feed readers read such a feed anyway; so does newsmon, with lxml's recovering
    parser (no entities resolved, no network), naming the fault as a feed's problem."""
    try:
        return ElementTree.fromstring(content), None
    except ElementTree.ParseError as exc:
        fault = f"{exc}"
    from lxml import etree  # only for the ill-formed: most sitemaps never need it

    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True,
                             remove_comments=True, remove_pis=True, huge_tree=False)
    try:
        root = etree.fromstring(content, parser)
    except etree.XMLSyntaxError:
        root = None
    if root is None:
        raise RejectedInput(RejectReason.NOT_A_FEED, f"not a sitemap: {fault}")
    return root, f"ill-formed XML, read as far as it could be ({fault})"


def _absolute(base: str, loc: str) -> str:
    """``loc`` resolved against ``base``; as written when either cannot be parsed
    ("http://[::1..."): refused as an address when it is fetched, named."""
    try:
        return urljoin(base, loc)
    except ValueError:
        return loc


def _child_text(element: ElementTree.Element, name: str) -> str | None:
    """The text of ``element``'s first child called ``name`` in any namespace."""
    for child in element:
        if _local(child.tag) == name:
            return child.text
    return None


def _local(tag: str) -> str:
    """A tag without its namespace (``{uri}urlset`` -> ``urlset``)."""
    return tag.rpartition("}")[2]


__all__ = ["NEWS_NS", "SITEMAP_ROOTS", "IndexedSitemap", "index_sitemaps", "parse_news_sitemap"]
