"""Feeds: RSS/Atom/RDF with feedparser (the only module that imports it), JSON Feed and
Google News sitemaps by their own modules, told apart here from the document's start
(unpacked first when gzip: sitemaps are often served as ``.xml.gz`` files); archives of
articles (JSON Lines, CSV) by their content type.

feedparser is given the raw bytes *and* the HTTP headers, never decoded text: its
encoding detection weighs the ``Content-Type`` charset, the XML declaration and a BOM,
and decoding earlier would throw that away. Its results are turned into our own
frozen records here, so no ``FeedParserDict`` leaks into the rest of newsmon.

A feed that feedparser flags as ``bozo`` (ill-formed XML, a wrong declared encoding)
but that still yields entries is used, and the problem is kept in
:attr:`FeedParseResult.problem` so it can be recorded. A document with no entries and
no recognised feed format is rejected as ``not_a_feed``; a recognised feed with no
entries is ``empty``. HTTP error pages never reach this module: the caller only
parses 200 responses.
"""

from __future__ import annotations

import codecs
import io
import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any
from urllib.parse import urljoin

import feedparser

from extractors.archive_feed import ARCHIVE_TYPES, parse_archive
from extractors.bookmarks import is_bookmark_file
from extractors.encoding import DecodedText, decode_text
from extractors.feed_records import (
    HAS_TIME,
    FeedEntry,
    FeedParseResult,
    clean_text,
    language_of,
    rfc822_date,
    visible_text,
    without_entries,
)
from extractors.files import gunzip, xml_root
from extractors.json_feed import parse_json_feed
from extractors.news_sitemap import SITEMAP_ROOTS, parse_news_sitemap
from newsmon.core.errors import RejectedInput
from newsmon.core.media_types import charset_of, media_type
from newsmon.core.outcomes import RejectReason
from newsmon.core.records import Dated, DatePrecision
from newsmon.core.urls import is_web_url

#: Content types that carry full article HTML (``content:encoded``, Atom ``content``).
_HTML_TYPES = {"text/html", "application/xhtml+xml", "html", "xhtml"}


#: A JSON Feed says what it is (anywhere in it: its keys come in any order), its slashes
#: perhaps escaped (``https:\/\/jsonfeed.org\/version\/1``, as PHP writes them).
_JSON_FEED_VERSION = re.compile(rb'"version"\s*:\s*"https:\\?/\\?/jsonfeed\.org\\?/version\\?/')
#: JSON Lines: an object closed on its first line and another opening the next (a JSON
#: Feed is one object, minified on one line or opened alone on its first).
_JSON_LINES = re.compile(rb"\{[^\n]*\}[ \t\r]*\n\s*\{")
#: The most a gzip feed or sitemap may unpack to: sitemaps.org's limit for one sitemap.
MAX_UNPACKED = 50 * 1024 * 1024


def unpacked(content: bytes) -> bytes:
    """``content``, unpacked when it is gzip: a ``.xml.gz`` sitemap is served as a file
    (``application/gzip``), not with a ``Content-Encoding`` the HTTP client undoes."""
    return gunzip(content, MAX_UNPACKED) if content.startswith(b"\x1f\x8b") else content


def is_sitemap_index(content: bytes) -> bool:
    """Whether ``content`` (unpacked) is a sitemap index, which names sitemaps, not entries."""
    return xml_root(_head(content)) == "sitemapindex"


def _head(content: bytes) -> bytes:
    """The document's first bytes, without a byte-order mark or leading white space: what
    tells the formats apart."""
    return content[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")


def parse_feed(content: bytes, headers: Mapping[str, str], url: str) -> FeedParseResult:
    """Parse one feed document; raises :class:`RejectedInput` when there is nothing to use.

    ``headers`` are the HTTP response headers (any case); ``url`` is the final URL the
    document came from, used to resolve relative links.
    """
    content = unpacked(content)
    if not content.strip():
        raise RejectedInput(RejectReason.EMPTY, "the feed document is empty")
    content_type = next((v for k, v in headers.items() if k.lower() == "content-type"), "")
    archive = ARCHIVE_TYPES.get(media_type(content_type))
    if archive is not None:
        return parse_archive(content, url, archive, charset_of(content_type))
    head = _head(content)
    if is_bookmark_file(head):  # an exported reading list: the pages it links
        return parse_archive(content, url, "bookmarks", charset_of(content_type))
    if _JSON_LINES.match(head):  # an API's JSON Lines, served as application/json
        return parse_archive(content, url, "jsonl")
    if head.startswith(b"{") and _JSON_FEED_VERSION.search(content):
        return parse_json_feed(content, url)
    if head.startswith((b"{", b"[")):  # an API's answer, a scraper's articles
        return parse_archive(content, url, "json", charset_of(content_type))
    root = xml_root(head)
    if root == "en-export":  # a note tool's export given where a feed was expected
        return parse_archive(content, url, "enex")
    if root in SITEMAP_ROOTS:
        return parse_news_sitemap(content, url)
    if root == "opml":  # a feed reader's subscriptions, given where a feed was expected
        raise RejectedInput(RejectReason.NOT_A_FEED, (
            "an OPML list of feeds, not a feed: save it and run newsmon ingest LIST.opml "
            "(each feed it names is then polled), or name its feeds in [[feeds]]"))
    response_headers = {k.lower(): v for k, v in headers.items()}
    response_headers["content-location"] = url
    guessed = _undeclared_encoding(content, content_type)
    if guessed is not None:
        content = guessed.text.encode("utf-8")
        response_headers["content-type"] = (media_type(content_type) or "application/xml"
                                            ) + "; charset=utf-8"
    try:
        parsed = feedparser.parse(io.BytesIO(content), response_headers=response_headers)
    except Exception as exc:  # feedparser has crashed on odd inputs before; one feed only
        raise RejectedInput(
            RejectReason.FEED_ERROR, f"feedparser failed: {type(exc).__name__}: {exc}"
        ) from None
    problem = _bozo_problem(parsed) if parsed.get("bozo") else None
    if guessed is not None:
        problem = "; ".join(filter(None, (
            f"no encoding declared and not UTF-8: read as {guessed.encoding}, guessed from "
            "its bytes", problem)))
    listed = parsed.get("entries", [])
    entries = tuple(e for e in (_entry(raw, url) for raw in listed) if e)
    version = parsed.get("version") or None
    if not entries:
        if version:
            raise without_entries(version, len(listed))
        raise RejectedInput(
            RejectReason.NOT_A_FEED,
            "no RSS, Atom or RDF feed found" + (f" ({problem})" if problem else ""),
        )
    feed = parsed.get("feed", {})
    return FeedParseResult(
        title=clean_text(feed.get("title")),
        language=language_of(feed.get("language") or response_headers.get("content-language")),
        format=version,
        encoding=guessed.encoding if guessed else (parsed.get("encoding") or None),
        entries=entries,
        problem=problem,
        declared_minutes=_declared_minutes(feed),
    )


# -- RSS, Atom, RDF -------------------------------------------------------------------------------

#: Encodings of scripts other than Latin (Cyrillic, Greek, Hebrew, Arabic, Thai, Chinese,
#: Japanese, Korean), as Python names them. Only a guess among these replaces feedparser's
#: Windows-1252: among the Latin code pages a guess is as often wrong as right (a
#: Portuguese feed guessed Baltic: "simulaēões de 2ŗ turno"), and Windows-1252 is what a
#: browser reads an undeclared Latin page in.
_OTHER_SCRIPT = re.compile(
    r"koi8|cp1251|cp866|cp855|mac_?cyrillic|iso8859_5|cp1253|iso8859_7|cp1255|iso8859_8|"
    r"cp1256|iso8859_6|tis_?620|cp874|iso8859_11|euc|shift_?jis|cp932|gb|big5|cp949|cp950|"
    r"iso2022|hz|johab", re.IGNORECASE)
#: An XML declaration that names the document's encoding.
_DECLARED = re.compile(rb"""\A\s*<\?xml[^>]*?\bencoding\s*=""", re.IGNORECASE)


def _undeclared_encoding(content: bytes, content_type: str) -> DecodedText | None:
    """The feed as text in the encoding guessed from its bytes, when nothing names one
    (no charset in its Content-Type, no byte-order mark, no encoding in its XML
    declaration), it is not UTF-8, XML's default, and its bytes show a script other than
    Latin; else None. feedparser would read such a feed as Windows-1252 (its last resort
    without chardet), which turns a KOI8-R, Shift_JIS or Big5 feed into letters of no
    language."""
    if charset_of(content_type) or content.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE,
                                                       codecs.BOM_UTF16_BE)):
        return None
    if _DECLARED.match(content[:512]):
        return None
    try:  # UTF-8 first: a feed that is UTF-8 comes back so, and is left to feedparser
        decoded = decode_text(content)
    except RejectedInput:  # no encoding reads it: feedparser says what is wrong
        return None
    return decoded if _OTHER_SCRIPT.search(decoded.encoding) else None


#: sy:updatePeriod in minutes (RSS 1.0 syndication module).
_PERIODS = {"hourly": 60, "daily": 1440, "weekly": 10080, "monthly": 43200, "yearly": 525600}


def _declared_minutes(feed: Any) -> float | None:
    """The longest of ``<ttl>`` (minutes) and ``sy:updatePeriod`` / ``sy:updateFrequency``
    (updates per period): how often the feed says it changes. Nonsense values are ignored."""
    found: list[float] = []
    ttl = str(feed.get("ttl") or "").strip()
    if ttl.isdigit() and 0 < int(ttl) <= 525600:
        found.append(float(ttl))
    period = _PERIODS.get(str(feed.get("sy_updateperiod") or "").strip().lower())
    if period:
        frequency = str(feed.get("sy_updatefrequency") or "1").strip()
        times = int(frequency) if frequency.isdigit() and int(frequency) > 0 else 1
        found.append(period / times)
    return max(found) if found else None


def _bozo_problem(parsed: Any) -> str:
    exc = parsed.get("bozo_exception")
    if exc is None:
        return "ill-formed feed"
    message = " ".join(str(exc).split())[:300]
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


def _entry(raw: Any, base: str) -> FeedEntry | None:
    """Our record for one feedparser entry; ``None`` for an entry with nothing in it at all.
    ``base``: the feed's address, against which a relative original link is read."""
    link = _link(raw)
    original = _original_link(raw, base)
    via = link if original and link and original != link else None
    link = original or link
    content = _content_html(raw)
    summary = clean_text(raw.get("summary"))
    title = _title(raw)
    entry_id = clean_text(raw.get("id"))
    if not (link or content or summary or title or entry_id):
        return None
    return FeedEntry(
        entry_id=entry_id,
        link=link,
        title=title,
        author=_authors(raw),
        published=_published(raw),
        summary=summary,
        content_html=content,
        source=_source(raw),
        via=via,
    )


def _title(raw: Any) -> str | None:
    """The entry's title as a reader sees it. A title feedparser found to be HTML (RSS
    titles often are: "&#x0024;4300 3bd 1930ft<sup>2</sup>") loses its tags; a reference
    is its character in any title ("5 &#8364;" escaped twice by its publisher); a plain
    title's angle brackets are text ("History of the <blink> tag")."""
    detail = raw.get("title_detail")
    markup = isinstance(detail, dict) and detail.get("type") in ("text/html",
                                                                 "application/xhtml+xml")
    return visible_text(raw.get("title"), markup=markup)


#: An RSS ``<author>`` is an e-mail address with the name in parentheses ("jdoe@example.com
#: (John Doe)"), and writers turn it round ("John Doe (jdoe@example.com)", "John Doe
#: <jdoe@example.com>"); feedparser's own split cuts some names ("stries (Jonas Große").
_EMAIL = r"(?:mailto:)?[^\s@()<>,;]+@[^\s@()<>,;]+"
_NAME_AFTER_EMAIL = re.compile(_EMAIL + r"\s*\((?P<name>[^()]+)\)")
_NAME_BEFORE_EMAIL = re.compile(r"(?P<name>[^()<>@]+?)\s*(?:\(" + _EMAIL + r"\)|<" + _EMAIL + ">)")


def _author(value: str | None) -> str | None:
    """The writer's name an entry's author states beside an e-mail address (the address
    is no name, and a blog platform's is everyone's: "noreply@blogger.com"); an address
    alone stays, the one thing that names the writer."""
    if not value:
        return None
    for pattern in (_NAME_AFTER_EMAIL, _NAME_BEFORE_EMAIL):  # each of a list's names
        value = pattern.sub(lambda match: match["name"], value)
    return clean_text(value)


def _authors(raw: Any) -> str | None:
    """Every writer an entry names (Atom ``<author>`` elements, RSS ``dc:creator``s), each
    once: feedparser's ``author`` is the last of them alone. A name inside another, spaces
    and marks aside ("X", "X: www.x.com", "xpod", "X Pod": how podcasts state theirs
    thrice), is one."""
    names: list[str] = []
    listed = raw.get("authors")
    for each in listed if isinstance(listed, list) else ():
        name = _author(clean_text(each.get("name"))) if isinstance(each, dict) else None
        if name:
            names.append(name)
    folded = [re.sub(r"[\W_]", "", n.casefold()) for n in names]
    distinct = [n for i, n in enumerate(names)
                if folded.index(folded[i]) == i
                and not any(folded[i] in other and folded[i] != other for other in folded)]
    if len(distinct) > 1:
        return "; ".join(distinct)
    return _author(clean_text(raw.get("author")))


def _source(raw: Any) -> str | None:
    """The outlet an aggregator's entry names as its own (RSS ``<source>``, Atom
    ``<source><title>``: Google News, a planet, a bookmark service), which the feed's
    title is not."""
    source = raw.get("source")
    return clean_text(source.get("title")) if isinstance(source, dict) else None


def _original_link(raw: Any, base: str) -> str | None:
    """The article's own address a feed states beside a redirecting link: FeedBurner's
    ``feedburner:origLink`` (its ``<link>`` goes through feedproxy.google.com, which counts
    the click and redirects, or no longer answers). Fetched and known by it, the story is
    one article with the same story from the site's own feed, and no request goes to the
    redirector. A path is read against the feed's address; a value that is neither an
    address nor a path (a guid put there) is left aside."""
    value = clean_text(raw.get("feedburner_origlink"))
    if not value:
        return None
    if value.startswith("/") and base.lower().startswith(("http://", "https://")):
        value = urljoin(base, value)
    return value if is_web_url(value) else None


def _link(raw: Any) -> str | None:
    link = clean_text(raw.get("link"))
    if link:
        # feedparser turns file:///etc/passwd into file://etc/passwd; such links are
        # refused anyway, but the reject must name what the feed said
        return "file:///" + link[len("file://"):] if re.match(r"file://[^/]", link) else link
    for candidate in raw.get("links", []) or []:
        href = clean_text(candidate.get("href"))
        if href and candidate.get("rel", "alternate") == "alternate":
            return href
    guid = clean_text(raw.get("id"))
    if guid and guid.lower().startswith(("http://", "https://")) and raw.get("guidislink", True):
        return guid
    return None


def _content_html(raw: Any) -> str | None:
    """The longest HTML ``content`` block (content:encoded, Atom content), if any."""
    best: str | None = None
    for block in raw.get("content", []) or []:
        value = block.get("value")
        ctype = (block.get("type") or "text/html").lower()
        if isinstance(value, str) and value.strip() and ctype in _HTML_TYPES | {"text/plain"}:
            if ctype == "text/plain":
                value = "".join(f"<p>{p}</p>" for p in value.split("\n\n") if p.strip())
            if best is None or len(value) > len(best):
                best = value
    return best


def _published(raw: Any) -> Dated | None:
    """Publication time in naive UTC; DAY precision when the feed gave no time of day. A
    date feedparser could not read is read again when its month is named in another
    language than English ("Seg, 24 Set 2018 19:42:40 -0300")."""
    for key in ("published", "updated", "created"):
        # dict.get: FeedParserDict.get would map a missing "updated" to "published" (and warn)
        parsed = dict.get(raw, f"{key}_parsed")
        if not parsed:
            stated = dict.get(raw, key)
            local = rfc822_date(stated) if isinstance(stated, str) else None
            if local is not None:
                return local
            continue
        try:
            at = datetime(*parsed[:6])  # feedparser's *_parsed tuples are already UTC
        except (ValueError, TypeError):
            continue
        stated = dict.get(raw, key) or ""
        precision = DatePrecision.SECOND if HAS_TIME.search(stated) else DatePrecision.DAY
        return Dated(at, precision)
    return None


__all__ = ["MAX_UNPACKED", "FeedEntry", "FeedParseResult", "is_sitemap_index", "parse_feed",
           "unpacked"]
