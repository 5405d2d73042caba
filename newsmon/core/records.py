"""Typed records passed between stages.

Each stage returns these, never library objects: the feed module does not leak
feedparser dicts, the extractor does not leak trafilatura documents, and only the
warehouse knows about DuckDB rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Literal

from newsmon.core.outcomes import RejectReason


class DatePrecision(StrEnum):
    """How much of ``published_at`` the input actually stated."""

    MONTH = "month"
    DAY = "day"
    SECOND = "second"


@dataclass(frozen=True, slots=True)
class Dated:
    """A publication time (UTC, naive), how precise it is, and the offset the input stated.

    The offset (minutes east of UTC) tells the day where the article was published: an
    article of 00:30 in Berlin is of the previous day in UTC. ``None`` when the input did
    not say.
    """

    at: datetime
    precision: DatePrecision
    utc_offset_minutes: int | None = None

    def more_precise_than(self, other: Dated | None) -> bool:
        order = list(DatePrecision)
        return other is None or order.index(self.precision) > order.index(other.precision)


@dataclass(frozen=True, slots=True)
class EntryHints:
    """Metadata a feed entry gives about the page it links to; fills extraction gaps."""

    title: str | None = None
    author: str | None = None
    published: Dated | None = None
    source: str | None = None
    language: str | None = None
    agencies: str | None = None  # news agencies an archive's record credits ("dpa; AFP")
    paywalled: bool | None = None  # an archive's record says the article is not free to read
    #: the entry is an archive's record of an article (an export, a media database's): its
    #: writers are what whoever read the article found, not a blog's posting account
    archived: bool = False


@dataclass(frozen=True, slots=True)
class RawInput:
    """Bytes of one candidate article and where they came from."""

    origin: str  # what the user recognises: a path or a URL
    url: str  # file:// URI or http(s) URL
    content: bytes
    #: "entry": the text a feed's or an archive's entry carried, wrapped as a page; no
    #: publisher wrote that page, so no date is guessed from its words
    kind: Literal["text", "html", "entry"]
    hints: EntryHints | None = None
    feed_url: str | None = None  # the feed that linked it
    charset: str | None = None  # the encoding the server declared for ``content``
    seen_at: datetime | None = None  # when it was fetched, if long before now (naive UTC)
    #: the pages after the first of an article its site splits over pages, as sent
    continued: tuple[bytes, ...] = ()


@dataclass(frozen=True, slots=True)
class Extracted:
    """What an extractor found in one input, before identity and clustering."""

    url: str
    text: str
    canonical_url: str | None = None
    title: str | None = None
    author: str | None = None
    source: str | None = None
    published: Dated | None = None
    language: str | None = None
    agencies: str | None = None  # news agencies credited, "; "-separated
    paywalled: bool | None = None  # the publisher marks it not free to read (None: unsaid)


@dataclass(frozen=True, slots=True)
class Evidence:
    """Why a tag was given: a taxonomy term and the words it matched at [start, end)."""

    term: str
    text: str
    start: int
    end: int
    weight: float
    field: str = "text"  # offsets are into the article's text, or its title


@dataclass(frozen=True, slots=True)
class TopicTag:
    topic: str
    score: float
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True, slots=True)
class EntityTag:
    entity: str
    mentions: int
    kind: str = "other"
    #: the alias behind each mention and the words it matched (weight 1 each)
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True, slots=True)
class Tags:
    """Topics and entities of one article, and the taxonomy version that produced them."""

    taxonomy_version: str
    topics: tuple[TopicTag, ...] = ()
    entities: tuple[EntityTag, ...] = ()


@dataclass(frozen=True, slots=True)
class Article:
    """One article ready for the warehouse. ``cluster_id`` and ``story_id`` are set at
    load time."""

    article_id: int
    url: str
    text: str
    content_hash: str
    minhash: bytes = field(repr=False)
    origin: str = ""  # the path or URL it was read from, as given
    feed_url: str | None = None  # the feed that linked it
    title: str | None = None
    author: str | None = None  # people, "; "-separated; else the organisation credited
    agencies: str | None = None  # news agencies credited, "; "-separated
    source: str | None = None
    published_at: datetime | None = None
    published_precision: DatePrecision | None = None
    published_utc_offset: int | None = None  # minutes east of UTC the input stated
    language: str | None = None
    seen_at: datetime | None = None  # fetched long before it was read (a web archive's page)
    paywalled: bool | None = None  # the publisher marks it not free to read (None: unsaid)
    cluster_id: int | None = None
    tags: Tags | None = None  # None: not tagged yet (``newsmon retag`` catches up)
    story_terms: tuple[str, ...] = ()  # what the story vote compares (newsmon.stories)
    story_id: int | None = None
    #: the address the article was read at, when its identity comes from another (its
    #: canonical link): what it is known by if that link turns out to name another text
    own_url: str | None = None


@dataclass(frozen=True, slots=True)
class Reject:
    """An input that did not become an article, and why."""

    input: str
    reason: RejectReason
    detail: str = ""


Outcome = Article | Reject
