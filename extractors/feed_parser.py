"""RSS/Atom/RDF feeds with feedparser (the only module that imports it), and JSON Feed.

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

JSON Feed (jsonfeed.org, versions 1 and 1.1; micro.blog, many static-site generators),
which feedparser 6 does not read, is told from its first byte and read here with the
standard library into the same records.
"""

from __future__ import annotations

import html
import io
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin

import feedparser

from newsmon.core.errors import RejectedInput
from newsmon.core.language_codes import primary_code
from newsmon.core.outcomes import RejectReason
from newsmon.core.records import Dated, DatePrecision

#: Content types that carry full article HTML (``content:encoded``, Atom ``content``).
_HTML_TYPES = {"text/html", "application/xhtml+xml", "html", "xhtml"}
_HAS_TIME = re.compile(r"\d{1,2}:\d{2}")
_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One item of a feed, as newsmon needs it."""

    entry_id: str | None  # guid / atom:id, as the feed states it
    link: str | None  # absolute URL of the page the entry points to (not canonicalised)
    title: str | None = None
    author: str | None = None
    published: Dated | None = None
    summary: str | None = None  # the description / summary (often a teaser)
    content_html: str | None = None  # full text markup (content:encoded, Atom content)

    @property
    def content_words(self) -> int:
        """Words of visible text in :attr:`content_html` (0 without content)."""
        if not self.content_html:
            return 0
        return len(_TAG.sub(" ", self.content_html).split())


@dataclass(frozen=True, slots=True)
class FeedParseResult:
    """A parsed feed: its metadata, its entries, and what was wrong with it, if anything."""

    title: str | None
    language: str | None
    format: str | None  # feedparser's version string, e.g. "rss20", "atom10"
    encoding: str | None
    entries: tuple[FeedEntry, ...]
    problem: str | None = None  # bozo description: the feed was used despite it
    declared_minutes: float | None = None  # <ttl> or sy:updatePeriod/Frequency: poll no sooner


def parse_feed(content: bytes, headers: Mapping[str, str], url: str) -> FeedParseResult:
    """Parse one feed document; raises :class:`RejectedInput` when there is nothing to use.

    ``headers`` are the HTTP response headers (any case); ``url`` is the final URL the
    document came from, used to resolve relative links.
    """
    if not content.strip():
        raise RejectedInput(RejectReason.EMPTY, "the feed document is empty")
    if content.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
        return _parse_json_feed(content, url)
    response_headers = {k.lower(): v for k, v in headers.items()}
    response_headers["content-location"] = url
    try:
        parsed = feedparser.parse(io.BytesIO(content), response_headers=response_headers)
    except Exception as exc:  # feedparser has crashed on odd inputs before; one feed only
        raise RejectedInput(
            RejectReason.FEED_ERROR, f"feedparser failed: {type(exc).__name__}: {exc}"
        ) from None
    problem = _bozo_problem(parsed) if parsed.get("bozo") else None
    entries = tuple(e for e in (_entry(raw) for raw in parsed.get("entries", [])) if e)
    version = parsed.get("version") or None
    if not entries:
        if version:
            raise RejectedInput(RejectReason.EMPTY, f"{version} feed without entries")
        raise RejectedInput(
            RejectReason.NOT_A_FEED,
            "no RSS, Atom or RDF feed found" + (f" ({problem})" if problem else ""),
        )
    feed = parsed.get("feed", {})
    return FeedParseResult(
        title=_text(feed.get("title")),
        language=_language(feed.get("language") or response_headers.get("content-language")),
        format=version,
        encoding=parsed.get("encoding") or None,
        entries=entries,
        problem=problem,
        declared_minutes=_declared_minutes(feed),
    )


# -- JSON Feed ---------------------------------------------------------------------------------

#: What a JSON Feed's ``version`` starts with (https://www.jsonfeed.org/version/1.1/).
JSON_FEED_VERSION = "https://jsonfeed.org/version/"


def _parse_json_feed(content: bytes, url: str) -> FeedParseResult:
    try:
        doc = json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise RejectedInput(RejectReason.NOT_A_FEED, f"not a JSON Feed: {exc}") from None
    version = doc.get("version") if isinstance(doc, dict) else None
    if not (isinstance(version, str) and version.startswith(JSON_FEED_VERSION)):
        raise RejectedInput(RejectReason.NOT_A_FEED,
                            f"JSON, but not a JSON Feed (no {JSON_FEED_VERSION} version)")
    items = doc.get("items")
    raw_items = [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []
    entries = tuple(e for e in (_json_entry(i, url) for i in raw_items) if e)
    name = "json" + version.removeprefix(JSON_FEED_VERSION).replace(".", "")
    if not entries:
        raise RejectedInput(RejectReason.EMPTY, f"{name} feed without entries")
    skipped = len(items) - len(raw_items) if isinstance(items, list) else 0
    return FeedParseResult(
        title=_text(doc.get("title")),
        language=_language(doc.get("language")),
        format=name,
        encoding="utf-8",
        entries=entries,
        problem=f"{skipped} items that are not JSON objects left out" if skipped else None,
    )


def _json_entry(item: dict[str, Any], base: str) -> FeedEntry | None:
    """One JSON Feed item; ``url`` is the item's page, ``external_url`` the page it is about
    (a link blog's), taken when there is no ``url``."""
    link = _text(item.get("url")) or _text(item.get("external_url"))
    entry_id = item.get("id")
    content = _text_or_none(item.get("content_html"))
    if content is None and isinstance(item.get("content_text"), str):
        content = "".join(f"<p>{html.escape(p.strip())}</p>"
                          for p in item["content_text"].split("\n\n") if p.strip()) or None
    title, summary = _text(item.get("title")), _text(item.get("summary"))
    entry_id = _text(str(entry_id)) if isinstance(entry_id, str | int) else None
    if not (link or content or summary or title or entry_id):
        return None
    authors = item.get("authors") or ([item["author"]] if item.get("author") else [])
    names = [_text(a.get("name")) for a in authors if isinstance(a, dict)] \
        if isinstance(authors, list) else []
    return FeedEntry(
        entry_id=entry_id,
        link=urljoin(base, link) if link else None,
        title=title,
        author="; ".join(n for n in names if n) or None,
        published=_json_date(item.get("date_published")) or _json_date(item.get("date_modified")),
        summary=summary,
        content_html=content,
    )


def _text_or_none(value: object) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _json_date(value: object) -> Dated | None:
    """An RFC 3339 date in naive UTC (a date without a time of day to the day)."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        at = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if at.tzinfo is not None:
        at = at.astimezone(UTC).replace(tzinfo=None)
    return Dated(at, DatePrecision.SECOND if _HAS_TIME.search(value) else DatePrecision.DAY)


# -- RSS, Atom, RDF -------------------------------------------------------------------------------

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


def _entry(raw: Any) -> FeedEntry | None:
    """Our record for one feedparser entry; ``None`` for an entry with nothing in it at all."""
    link = _link(raw)
    content = _content_html(raw)
    summary = _text(raw.get("summary"))
    title = _text(raw.get("title"))
    entry_id = _text(raw.get("id"))
    if not (link or content or summary or title or entry_id):
        return None
    return FeedEntry(
        entry_id=entry_id,
        link=link,
        title=title,
        author=_text(raw.get("author")),
        published=_published(raw),
        summary=summary,
        content_html=content,
    )


def _link(raw: Any) -> str | None:
    link = _text(raw.get("link"))
    if link:
        # feedparser turns file:///etc/passwd into file://etc/passwd; such links are
        # refused anyway, but the reject must name what the feed said
        return "file:///" + link[len("file://"):] if re.match(r"file://[^/]", link) else link
    for candidate in raw.get("links", []) or []:
        href = _text(candidate.get("href"))
        if href and candidate.get("rel", "alternate") == "alternate":
            return href
    guid = _text(raw.get("id"))
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
    """Publication time in naive UTC; DAY precision when the feed gave no time of day."""
    for key in ("published", "updated", "created"):
        # dict.get: FeedParserDict.get would map a missing "updated" to "published" (and warn)
        parsed = dict.get(raw, f"{key}_parsed")
        if not parsed:
            continue
        try:
            at = datetime(*parsed[:6])  # feedparser's *_parsed tuples are already UTC
        except (ValueError, TypeError):
            continue
        stated = dict.get(raw, key) or ""
        precision = DatePrecision.SECOND if _HAS_TIME.search(stated) else DatePrecision.DAY
        return Dated(at, precision)
    return None


def _language(value: object) -> str | None:
    return primary_code(_text(value))


def _text(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    return value or None
