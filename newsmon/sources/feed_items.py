"""A feed's entries as items: one per story (canonical link), its full text or the page
to fetch, the newest first when a feed lists more than a poll takes, and the row each
outcome leaves in ``feed_items``.
"""

from __future__ import annotations

import html
import logging
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Literal
from urllib.parse import quote, urlsplit

from extractors.feed_parser import FeedEntry
from newsmon.core.errors import FetchPermanentError, FetchTransientError
from newsmon.core.identity import content_hash
from newsmon.core.outcomes import RejectReason
from newsmon.core.records import Article, EntryHints, Outcome, RawInput, Reject
from newsmon.core.urls import canonical_url, is_front_page, is_web_url, unwrapped
from newsmon.fetch import Fetcher, FetchResult
from newsmon.sources.feed_plan import FeedSource
from newsmon.sources.pagination import continued_pages
from newsmon.sources.polling import FeedPoll
from warehouse.feed_state import (
    FeedItemRow,
    PendingItem,
    StoredEntry,
)

log = logging.getLogger(__name__)

#: Outcomes that may pass: the item is tried again on the next polls.
TRANSIENT_REASONS = frozenset(
    {RejectReason.TIMEOUT, RejectReason.CONNECTION, RejectReason.HTTP_5XX, RejectReason.HTTP_429,
     RejectReason.HOST_DOWN, RejectReason.WALLED}
)
#: An entry's content counts as the full article from this many words on; shorter
#: ``content:encoded`` blocks are usually teasers, and the linked page is fetched instead.
FULL_TEXT_MIN_WORDS = 120


@dataclass(frozen=True, slots=True)
class FeedItem:
    """One new entry to turn into an article: its full text, or a page to fetch."""

    key: str  # canonical link, or '<feed url>#<entry id>' without a link (see keyed_apart)
    feed_url: str
    entry_id: str | None
    url: str | None  # canonical link: the story's identity
    hints: EntryHints
    content_html: str | None = None  # the entry's full text; None = fetch ``link``
    link: str | None = None  # the link as the feed gives it: what is fetched
    page: FetchResult | None = None  # ``link``'s page, fetched already (an article's address)
    seen_at: datetime | None = None  # when ``content_html`` was fetched, if long ago (archives)
    #: the key the feed's own link gives when that link redirects to ``url`` (a Google
    #: Alert's google.com/url, FeedBurner's feedproxy): what a newsmon that followed the
    #: redirect stored the item under, so the item is not read a second time
    alias: str | None = None
    #: the hash of the entry's own text, when it brought one
    text_hash: str | None = None
    #: the link of an entry that brings its own text, when the link is all its key says:
    #: a ticker's flashes all link one page, so such an entry may be keyed by its id
    #: instead (see :func:`keyed_apart`)
    link_key: str | None = None
    #: the article the feed's entry of this id was stored as before, under another key (a
    #: story whose address moved when its headline changed): see ``Job.same_as``
    earlier: int | None = None


def newest_items(items: Sequence[FeedItem], cap: int) -> tuple[list[FeedItem], Counter[str]]:
    """``items`` with at most ``cap`` pages to fetch per feed (0: all), its newest by the
    date its entry gives (undated ones after the dated, in the feed's order), in their
    order; and how many of each feed's were left for later polls. Entries that carry
    their text are all taken: they cost no request."""
    by_feed: dict[str, list[FeedItem]] = {}
    for item in items:
        if item.content_html is None:
            by_feed.setdefault(item.feed_url, []).append(item)
    left: Counter[str] = Counter()
    dropped: set[str] = set()
    for feed_url, pages in by_feed.items():
        if cap and len(pages) > cap:
            ranked = sorted(pages, key=_newest_first)
            dropped.update(i.key for i in ranked[cap:])
            left[feed_url] = len(pages) - cap
    return [i for i in items if i.key not in dropped], left


def _newest_first(item: FeedItem) -> tuple[bool, float]:
    published = item.hints.published
    return (published is None, -published.at.timestamp() if published else 0.0)


def item_key(feed_url: str, entry: FeedEntry, *, own_text: bool = False
             ) -> tuple[str, str | None]:
    """(key, canonical link): the link identifies the story across feeds; without one,
    the entry's id, link or title, else its text (a weblog's items of a paragraph each,
    with neither title nor id, are each an item of their own).

    A link to the site's front page names the site, not the story (feeds that link every
    entry there would make all their entries one): such an entry is known as one without
    a link. An entry that brings its ``own_text`` and links an anchor of a page (a live
    blog's posts, ``.../live#post-12``) is that post: the anchor stays in its identity,
    where it would otherwise be dropped and every post taken for the first."""
    front = False
    if entry.link and entry.link.lower().startswith(("http://", "https://")):
        link = canonical_url(entry.link)
        if not is_front_page(link):
            anchor = urlsplit(entry.link.strip()).fragment if own_text else ""
            if anchor:
                link = f"{link}#{anchor}"
            return link, link
        front = True
    ident = entry.entry_id or (None if front else entry.link) or entry.title
    if not ident:
        text = _text_alone(entry)
        ident = "text:" + content_hash(text) if text else ""
    return f"{feed_url}#{ident}", None


def _text_alone(entry: FeedEntry) -> str | None:
    """The text of an entry that links no page (a ticker's news flash, a weblog's
    paragraph): its content, else its summary, judged by the article checks as any text
    is (``too_short`` names one of a few words), not taken for a teaser."""
    text = entry.content_html or entry.summary
    return text if text and text.strip() else None


def items_of(
    poll: FeedPoll, *, min_words: int
) -> tuple[list[FeedItem], list[tuple[FeedItemRow, Reject]]]:
    """Candidate items of one poll, and entries rejected outright (no link, no text)."""
    items: list[FeedItem] = []
    rejected: list[tuple[FeedItemRow, Reject]] = []
    for entry in poll.entries:
        given = entry.via or entry.link
        if entry.link:  # a Google Alert's google.com/url?url=...: the article itself
            entry = replace(entry, link=unwrapped(entry.link))
        own_text = _own_text(poll, entry, min_words)
        key, link = item_key(poll.feed.url, entry, own_text=own_text)
        alias = _alias(poll.feed.url, entry, given, key, own_text)
        hints = EntryHints(
            title=entry.title,
            author=entry.author,
            published=entry.published,
            source=entry.source or poll.feed.name or poll.title,
            language=entry.language or poll.feed.language or poll.language,
            agencies=entry.agencies,
            paywalled=entry.paywalled,
            archived=poll.whole_articles,
        )
        full = own_text or (poll.whole_articles and entry.content_words > 0 and not link)
        full_text = entry.content_html if full else None
        if full_text is None and link is None:  # no page to fetch: its text is all there is
            full_text = _text_alone(entry)
        if full_text is None and link is None:
            if entry.link and is_web_url(entry.link):  # not taken for the story's page
                reason, detail = RejectReason.NO_CONTENT, (
                    f"{entry.link}: the site's front page, no article, and the entry has no "
                    "text of its own")
            elif entry.link:
                reason, detail = RejectReason.BLOCKED_URL, f"{entry.link}: not an http(s) link"
            else:
                reason, detail = RejectReason.NO_CONTENT, "entry has neither a link nor full text"
            row = FeedItemRow(key, poll.feed.url, entry.entry_id, entry.link, reason, None, False)
            rejected.append((row, Reject(entry.link or key, reason, detail)))
            continue
        shared = full_text is not None and link is not None and "#" not in link
        items.append(FeedItem(key, poll.feed.url, entry.entry_id, link, hints, full_text,
                              entry.link.strip() if link and entry.link else None,
                              poll.page, entry.seen_at if full_text is not None else None,
                              alias, content_hash(full_text) if full_text else None,
                              link if shared else None))
    return _apart(items), rejected


def _apart(items: list[FeedItem]) -> list[FeedItem]:
    """Entries that bring texts of their own under one key, each an item of its own: a
    ticker's flashes, all linking its page of the day (keyed by their ids at that page's
    address), or entries a publisher gave one id by mistake (a podcast's two episodes
    under one guid: keyed by their texts). Under the one key, the first would stand for
    all. The same text listed twice stays one item."""
    groups: dict[str, dict[str, FeedItem]] = {}
    for item in items:
        if item.text_hash is not None:
            groups.setdefault(item.key, {}).setdefault(item.text_hash, item)
    by_text: dict[str, bool] = {}  # key -> its texts keyed by their hashes, not their ids
    for key, texts in groups.items():
        if len(texts) > 1:
            ids = {(i.entry_id or "").strip() for i in texts.values()} - {""}
            by_text[key] = len(ids) < len(texts) or any(
                i.link_key is None for i in texts.values())
    if not by_text:
        return items
    first: dict[tuple[str, str | None], FeedItem] = {}
    apart = []
    for item in items:
        if item.key in by_text:
            item = first.setdefault((item.key, item.text_hash),
                                    keyed_apart(item, by_text=by_text[item.key]))
        apart.append(item)
    return apart


def keyed_apart(item: FeedItem, *, by_text: bool = False) -> FeedItem:
    """``item`` keyed by its entry's id, or by its text's hash (``by_text``, or when it has
    no id). An entry that links a page is known at that page's address with the id as its
    anchor, ``/ticker#t-12``: a reader who follows it still reaches the page."""
    assert item.text_hash is not None
    ident = "" if by_text else (item.entry_id or "").strip()
    fragment = quote(ident, safe="") if ident else f"text-{item.text_hash[:16]}"
    if item.link_key is None:
        return replace(item, key=f"{item.key}#{fragment}")
    key = f"{item.link_key}#{fragment}"
    return replace(item, key=key, url=key)


def unseen(items: Iterable[FeedItem], done: set[str], stored: Mapping[str, StoredEntry],
           texts: set[tuple[str, str]]) -> list[FeedItem]:
    """The items not handled before: ``done`` holds the keys of :func:`item_keys`
    handled for good, ``stored`` the entries stored under the ``link_key`` of these items,
    ``texts`` the (feed, text hash) of entries handled before.

    An entry with its own text was handled before when its feed brought the same text
    (under another id: a feed that renews its ids), or when it is the entry stored under
    its link: the link came from another feed (one story, two feeds) or the id is the same.
    Another flash behind the same link is a new item, keyed by its id. An entry without an
    id that stands alone may be the stored one edited, and is taken for it; one of several
    texts behind its link in one poll is not."""
    fresh = []
    for item in items:
        if item.alias in done or (item.feed_url, item.text_hash) in texts:
            continue
        if item.link_key is None:
            if item.key not in done:
                fresh.append(item)
            continue
        own = keyed_apart(item)
        if own.key in done or (item.key in done and item.key != item.link_key):
            continue
        prior = stored.get(item.link_key)
        if prior is not None:
            if _same_entry(prior, item):
                continue
            if item.key == item.link_key:
                item = own  # the link is another flash's already
        fresh.append(item)
    return fresh


def with_earlier(items: Iterable[FeedItem], stored: Mapping[tuple[str, str], int]
                 ) -> list[FeedItem]:
    """``items``, each new one whose feed stored an entry of its id before (see
    :func:`warehouse.feed_state.entry_articles`) marked with that article."""
    return [replace(i, earlier=stored.get((i.feed_url, i.entry_id))) if i.entry_id else i
            for i in items]


def item_keys(items: Iterable[FeedItem]) -> list[str]:
    """Every key an item may have been handled under before (see :func:`unseen`)."""
    keys = []
    for item in items:
        keys.append(item.key)
        if item.alias:
            keys.append(item.alias)
        if item.link_key is not None:
            keys.append(keyed_apart(item).key)
    return keys


def _same_entry(prior: StoredEntry, item: FeedItem) -> bool:
    if prior.feed_url != item.feed_url or prior.entry_hash is None:
        return True
    if prior.entry_hash == item.text_hash:
        return True
    if item.entry_id is not None:
        return prior.entry_id == item.entry_id
    return item.key == item.link_key  # alone, without an id: maybe the stored one, edited


def _own_text(poll: FeedPoll, entry: FeedEntry, min_words: int) -> bool:
    """Whether the entry's content is the article, not a teaser of the page it links (an
    archive's entry: any text of an article's length; an archive's entry without a link
    is read whatever its length, see :func:`items_of`)."""
    if poll.whole_articles:  # an archive's text is the article; too short is judged so
        return entry.content_words >= max(min_words, 1)
    return entry.content_words >= max(min_words, FULL_TEXT_MIN_WORDS)


def _alias(feed_url: str, entry: FeedEntry, given: str | None, key: str,
           own_text: bool) -> str | None:
    """The key ``entry`` has by the link its feed gave (``given``), when that differs
    from ``key``; else None."""
    if not given or given == entry.link:
        return None
    alias, _ = item_key(feed_url, replace(entry, link=given), own_text=own_text)
    return alias if alias != key else None


def _wrap(item: FeedItem) -> bytes:
    """An entry's full-text fragment as a page the HTML extractor reads like any other.

    The feed's name goes in as ``og:site_name``: the page has no other, and the
    extractor would otherwise fall back to the host name.
    """
    title = html.escape(item.hints.title or "")
    site = html.escape(item.hints.source or "", quote=True)
    meta = f"<meta property='og:site_name' content=\"{site}\">" if site else ""
    return (
        f"<html><head><meta charset='utf-8'>{meta}<title>{title}</title></head>"
        f"<body><article>{item.content_html}</article></body></html>"
    ).encode()


@dataclass(frozen=True, slots=True)
class PageResult:
    """A fetched (or inline) page ready for extraction, or why there is none."""

    item: FeedItem
    raw: RawInput | None
    reject: Reject | None = None
    fetched: FetchResult | None = None  # the response the page came in (none: inline text)


def fetch_page(fetcher: Fetcher, item: FeedItem) -> PageResult:
    """The item's page: its inline full text, or the linked page (retried if transient)."""
    if item.content_html is not None:
        url = item.url or f"feed-entry:{item.key}"  # no link: identity comes from the text
        raw = RawInput(url, url, _wrap(item), "entry", item.hints, item.feed_url,
                       seen_at=item.seen_at)
        return PageResult(item, raw)
    assert item.url is not None
    link = item.link or item.url  # fetch what the feed linked, not its canonical form
    if item.page is not None:  # an article's address given as a feed: it came by no feed
        page = item.page
        return PageResult(item, RawInput(link, page.url, page.content, _kind(page),
                                         item.hints, None, page.charset,
                                         continued=_rest(fetcher, page)), fetched=page)
    try:
        fetcher.check(link)
        result = fetcher.get_page(link)
    except (FetchPermanentError, FetchTransientError) as exc:
        return PageResult(item, None, Reject(link, exc.reason, exc.detail))
    except Exception as exc:  # one page must never stop the others
        log.debug("fetching %s failed", link, exc_info=True)
        detail = f"{type(exc).__name__}: {exc}"
        return PageResult(item, None, Reject(link, RejectReason.EXTRACTION_ERROR, detail))
    raw = RawInput(link, result.url, result.content, _kind(result), item.hints,
                   item.feed_url, result.charset, continued=_rest(fetcher, result))
    return PageResult(item, raw, fetched=result)


def _rest(fetcher: Fetcher, page: FetchResult) -> tuple[bytes, ...]:
    """The article's pages after ``page``, when its site splits it (a page, not a
    document; never raises: a page not read ends the article where it is)."""
    if page.document is not None:
        return ()
    try:
        return continued_pages(fetcher, page)
    except Exception:  # the first page is the article still
        log.warning("%s: its next pages not read", page.url, exc_info=True)
        return ()


def _kind(result: FetchResult) -> Literal["text", "html"]:
    """Plain text is read as a text file is; a page, a PDF, a Word or OpenDocument text or
    an RTF file as what its bytes are (:func:`extractors.article.extract` tells them
    apart)."""
    return "text" if result.document == "text" else "html"


def fetch_pages(fetcher: Fetcher, items: Sequence[FeedItem]) -> list[PageResult]:
    """Fetch a batch of items' pages concurrently; results in order."""
    return fetcher.map(lambda item: fetch_page(fetcher, item), items, url_of=page_url)


def page_url(item: FeedItem) -> str:
    return item.link or item.feed_url


def item_row(item: FeedItem, outcome: Outcome) -> FeedItemRow:
    """The stored outcome; ``url`` is the link as given, which a retry fetches again."""
    link = item.link or item.url
    if isinstance(outcome, Article):
        return FeedItemRow(
            item.key, item.feed_url, item.entry_id, link, "article", outcome.article_id, False,
            entry_hash=item.text_hash,
        )
    return FeedItemRow(
        item.key, item.feed_url, item.entry_id, link, str(outcome.reason), None,
        outcome.reason in TRANSIENT_REASONS,
        tried=outcome.reason is not RejectReason.HOST_DOWN,  # never requested: no attempt
        entry_hash=item.text_hash,
    )


def retry_items(pending: Sequence[PendingItem], feeds: dict[str, FeedSource]) -> list[FeedItem]:
    """Pending items as items to fetch again (the entry's own hints are not kept)."""
    return [
        FeedItem(p.item_key, p.feed_url, p.entry_id, canonical_url(p.url),
                 EntryHints(source=feeds[p.feed_url].name if p.feed_url in feeds else None),
                 None, p.url)
        for p in pending
    ]
