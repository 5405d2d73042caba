"""What every feed format is read into: entries and the feed around them (frozen records,
so no parser's own objects leak into the rest of newsmon), and the small readings of text,
languages and dates the format modules share."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from extractors.quality import word_count
from newsmon.core.errors import RejectedInput
from newsmon.core.language_codes import primary_code
from newsmon.core.outcomes import RejectReason
from newsmon.core.records import Dated, DatePrecision

HAS_TIME = re.compile(r"\d{1,2}:\d{2}")
_TAG = re.compile(r"<[^>]+>")
#: Half of a UTF-16 pair with no other half: JSON can state one ("\\ud800"), no UTF-8 text
#: can hold one, and the first write of it (a page built from the entry, the warehouse)
#: would fail.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


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
    source: str | None = None  # the outlet, when an entry names its own (archives)
    language: str | None = None  # likewise its language
    seen_at: datetime | None = None  # when an archive's text was fetched (naive UTC)
    #: the link the feed gave when ``link`` is the article's own address it stated beside
    #: it (FeedBurner's ``origLink`` behind its feedproxy click counter)
    via: str | None = None
    agencies: str | None = None  # news agencies an archive's record credits, apart
    paywalled: bool | None = None  # an archive's record says its article is not free to read

    def __post_init__(self) -> None:
        for name in ("entry_id", "link", "title", "author", "summary", "content_html",
                     "source", "language", "via", "agencies"):
            value = getattr(self, name)
            if isinstance(value, str):
                object.__setattr__(self, name, utf8_text(value))

    @property
    def content_words(self) -> int:
        """Words of visible text in :attr:`content_html` (0 without content), counted as
        the quality filters count them: Japanese or Thai by characters, not spaces."""
        if not self.content_html:
            return 0
        return word_count(_TAG.sub(" ", self.content_html))


@dataclass(frozen=True, slots=True)
class FeedParseResult:
    """A parsed feed: its metadata, its entries, and what was wrong with it, if anything."""

    title: str | None
    language: str | None
    format: str | None  # e.g. "rss20", "atom10" (feedparser's names), "json11", "news-sitemap"
    encoding: str | None
    entries: tuple[FeedEntry, ...]
    problem: str | None = None  # what was wrong but did not stop the feed being used
    declared_minutes: float | None = None  # <ttl> or sy:updatePeriod/Frequency: poll no sooner
    #: entries' content is each the whole article (an archive), not a feed's teaser
    whole_articles: bool = False

    def __post_init__(self) -> None:
        for name in ("title", "language", "problem"):
            value = getattr(self, name)
            if isinstance(value, str):
                object.__setattr__(self, name, utf8_text(value))


def without_entries(name: str, blank: int) -> RejectedInput:
    """The reject of a feed of format ``name`` with no entry to read, saying whether it
    listed ``blank`` entries that hold nothing (no link, title, text or id): a feed whose
    items are all empty is a publisher's fault, not a quiet day."""
    held = (f": its {blank} entr{'y holds' if blank == 1 else 'ies hold'} no link, title, "
            "text or id") if blank else ""
    return RejectedInput(RejectReason.EMPTY, f"{name} feed without entries{held}")


def utf8_text(value: str) -> str:
    """``value`` with each lone surrogate (JSON's "\\ud800") a replacement character, so
    that it can be written as UTF-8."""
    if value.isascii() or not _LONE_SURROGATE.search(value):
        return value
    return _LONE_SURROGATE.sub("\ufffd", value)


def clean_text(value: object) -> str | None:
    """A string with its runs of white space made one space; None for anything else or
    nothing left."""
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    return value or None


_MARKUP = re.compile(r"<[^>]*>")
#: A character reference with its semicolon: "&#8364;" in a title is the euro sign, while
#: "AT&T" or "R&D" hold no reference at all.
_REFERENCE = re.compile(r"&(?:#\d{1,7}|#x[0-9a-f]{1,6}|[a-z][a-z0-9]{1,31});", re.IGNORECASE)


def visible_text(value: object, *, markup: bool) -> str | None:
    """A title as a reader sees it: without its tags when it is ``markup`` (HTML), and
    each character reference its character in any title ("5 &#8364;", escaped twice by
    its publisher); None for anything but a string, or nothing left."""
    if not isinstance(value, str):
        return None
    if markup:
        value = _MARKUP.sub("", value)
    return clean_text(_REFERENCE.sub(lambda match: html.unescape(match.group()), value))


def language_of(value: object) -> str | None:
    return primary_code(clean_text(value))


def iso_date(value: object) -> Dated | None:
    """An ISO 8601 / RFC 3339 date (W3C datetime) in naive UTC, to the second, or to the day
    when it states no time of day, with the offset it states (the day where it was
    published); None when it is not one."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return _stated(datetime.fromisoformat(value.strip()), value)
    except ValueError:
        return None


def _stated(at: datetime, value: str) -> Dated:
    """``at``, read from ``value``, in naive UTC with the offset it states: to the second,
    or to the day when ``value`` states no time of day."""
    offset = at.utcoffset()
    if at.tzinfo is not None:
        at = at.astimezone(UTC).replace(tzinfo=None)
    return Dated(at, DatePrecision.SECOND if HAS_TIME.search(value) else DatePrecision.DAY,
                 int(offset.total_seconds() // 60) if offset is not None else None)


#: Month names and their abbreviations as feeds written by non-English systems state
#: them in RFC 822 dates ("Seg, 24 Set 2018 19:42:40 -0300", "mer, 16 nov 2022"), which
#: feedparser and the e-mail parser only read in English: German, French, Spanish,
#: Italian, Portuguese and Dutch.
_LOCAL_MONTHS = {
    name: number
    for number, names in enumerate((
        "jan januar janv janvier ene enero gen gennaio janeiro januari",
        "feb februar févr fevr février fevrier febrero febbraio fev fevereiro februari",
        "mar mär märz mrz mars marzo março maart mrt",
        "apr april avr avril abr abril aprile",
        "may mai mayo mag maggio maio mei",
        "jun juni juin junio giu giugno junho",
        "jul juli juil juillet julio lug luglio julho",
        "aug august août aout ago agosto augustus",
        "sep sept september septembre septiembre set setiembre settembre setembro",
        "oct okt oktober octobre octubre ott ottobre out outubro",
        "nov november novembre noviembre novembro",
        "dec dez dezember déc décembre dic diciembre dicembre dezembro december",
    ), start=1)
    for name in names.split()
}
_LOCAL_RFC822 = re.compile(
    r"(?:[^\W\d_]{2,12}\.?,?\s+)?(?P<day>\d{1,2})\.?\s+(?P<month>[^\W\d_]{3,12})\.?,?\s+"
    r"(?P<rest>\d{4}(?:\s.*)?)")
_ENGLISH = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def rfc822_date(value: str) -> Dated | None:
    """An RFC 822 date (as RSS writes them) in naive UTC, its month and weekday named in
    English or in one of the languages above; None when it is not one."""
    match = _LOCAL_RFC822.fullmatch(value.strip())
    month = _LOCAL_MONTHS.get(match["month"].casefold()) if match else None
    if match is None or month is None:
        return None
    if match["rest"].isdigit():  # the day alone
        try:
            return Dated(datetime(int(match["rest"]), month, int(match["day"])),
                         DatePrecision.DAY)
        except ValueError:
            return None
    try:
        at = parsedate_to_datetime(f"{match['day']} {_ENGLISH[month - 1]} {match['rest']}")
    except (TypeError, ValueError, IndexError):
        return None
    return _stated(at, value)
