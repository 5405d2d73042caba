"""Feeds as a source: poll RSS/Atom feeds and turn their new items into articles.

Plain functions and :class:`FeedsSource`, tested without Prefect; the flow wraps the two
network steps (:func:`poll_feeds`, :func:`fetch_pages`) as tasks. One cycle:

1. **Plan**: feeds whose next poll has not come (their adaptive interval, see
   :mod:`newsmon.sources.schedule`, their ``poll_minutes``, a back-off after failures or
   a ``Retry-After``) are skipped and counted as ``backed_off``.
2. **Poll** each due feed with a conditional GET (stored ETag / Last-Modified). A 304
   is recorded and costs one small request; a failure becomes a named reject for that
   feed and lengthens its back-off (it comes back by itself once it answers again).
3. **Items**: each entry's link is canonicalised (``utm_*``, fragments dropped), so the
   same story in two feeds is one item; items already handled on an earlier poll are
   skipped with one warehouse query for the whole cycle.
4. **Pages**: an entry that carries its full text (``content:encoded``, Atom content)
   is extracted from that text; otherwise the linked page is fetched (links to private
   addresses refused) on the pipeline's producer thread while the workers extract the
   pages before it. Both go through the same pipeline as local files.
5. **State**: item outcomes after each batch, feed state (ETag, back-off) at the end of
   the cycle, so a cycle killed midway re-reads its feeds instead of losing items
   behind a 304.

Among the run's local inputs, saved feeds are feeds too (``file://`` feeds, read each
run, an unchanged file known by its hash), and the feeds an OPML list names join the
plan's (:func:`poll_saved_feed`, :func:`listed_feeds`).
"""

from __future__ import annotations

import hashlib
import html
import logging
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit
from urllib.request import url2pathname

from extractors.feed_parser import FeedEntry, parse_feed
from extractors.files import discover as discover_files
from extractors.files import feed_kind, read_bytes
from extractors.opml import ListedFeed, parse_opml
from newsmon.core.clock import utcnow
from newsmon.core.config import Config
from newsmon.core.errors import FetchPermanentError, FetchTransientError, RejectedInput
from newsmon.core.outcomes import RejectReason
from newsmon.core.records import Article, EntryHints, Outcome, RawInput, Reject
from newsmon.core.settings import Settings
from newsmon.core.shard import Shard
from newsmon.core.urls import canonical_url
from newsmon.fetch import FEED_ACCEPT, Fetcher, FetchPolicy, check_url, host_by_host
from newsmon.pipeline.forkserver import PAGE_MS
from newsmon.pipeline.source import Done, Job
from newsmon.sources.discovery import USUAL_PATHS, discover, is_web_page
from newsmon.sources.schedule import PollSchedule, cache_minutes, next_interval
from newsmon.sources.sitemap_index import read_feed
from warehouse import Warehouse, WriteSession
from warehouse.feed_state import (
    FeedItemRow,
    FeedState,
    PendingItem,
    done_item_keys,
    feed_overview,
    load_feed_sites,
    load_feed_states,
    pending_items,
    record_items,
    save_feed_sites,
    save_feed_states,
)

log = logging.getLogger(__name__)

#: Outcomes that may pass: the item is tried again on the next polls.
TRANSIENT_REASONS = frozenset(
    {RejectReason.TIMEOUT, RejectReason.CONNECTION, RejectReason.HTTP_5XX, RejectReason.HTTP_429}
)
#: An entry's content counts as the full article from this many words on; shorter
#: ``content:encoded`` blocks are usually teasers, and the linked page is fetched instead.
FULL_TEXT_MIN_WORDS = 120
#: First back-off after a failed poll; doubles per consecutive failure up to the cap.
BACKOFF_BASE = timedelta(minutes=2)
BACKOFF_CAP = timedelta(hours=6)
#: A server asking for more than this is polled again after this anyway.
RETRY_AFTER_CAP = timedelta(hours=24)


# -- what to poll ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FeedSource:
    """One feed to poll (from ``[[feeds]]`` in the configuration, or ``newsmon ingest URL``)."""

    url: str
    name: str | None = None
    language: str | None = None
    poll_minutes: float = 0.0

    @property
    def label(self) -> str:
        return self.name or self.url


@dataclass(frozen=True, slots=True)
class FeedPlan:
    """The feeds of a cycle and how to fetch them. ``force`` ignores back-off (ingest)."""

    feeds: tuple[FeedSource, ...]
    policy: FetchPolicy = field(default_factory=FetchPolicy)
    force: bool = False
    schedule: PollSchedule = field(default_factory=PollSchedule)  # default: every cycle
    #: saved feeds and OPML lists of feeds among the run's local inputs (``feed_kind``)
    saved: tuple[Path, ...] = ()
    lists: tuple[Path, ...] = ()
    #: the worker whose share of the listed feeds is polled (``feeds`` are shared already)
    shard: Shard = field(default_factory=Shard)
    #: new items taken from one feed per poll, the newest (0: all); the rest wait
    max_new_items: int = 0


def plan_from_config(config: Config, settings: Settings, *, force: bool = False) -> FeedPlan:
    """The configured feeds with the ``[network]`` policy: this worker's share of them
    (``NEWSMON_SHARD``, see :mod:`newsmon.core.shard`).

    Private networks are allowed when either the configuration key or the setting
    (``NEWSMON_ALLOW_PRIVATE_NETWORKS=1``) says so.
    """
    feeds = tuple(
        FeedSource(f.url, f.name, f.language, f.poll_minutes) for f in config.feeds
    )
    polling = config.polling
    schedule = PollSchedule(polling.min_minutes, polling.max_minutes,
                            polling.park_after_failures, config.schedule.cycle_minutes)
    mine = tuple(f for f in _unique(feeds) if settings.worker.owns(f.url))
    return FeedPlan(mine, policy_from_config(config, settings), force, schedule,
                    shard=settings.worker, max_new_items=polling.max_new_items)


def policy_from_config(config: Config, settings: Settings) -> FetchPolicy:
    net = config.network
    policy = FetchPolicy(
        timeout_s=net.timeout_s,
        max_bytes=min(net.max_response_bytes, settings.max_file_bytes),
        max_redirects=net.max_redirects,
        max_connections=net.max_connections,
        max_per_host=net.max_per_host,
        min_host_gap_s=net.min_host_gap_s,
        slow_down_s=net.slow_down_s,
        allow_private_networks=net.allow_private_networks or settings.allow_private_networks,
    )
    agent = net.user_agent or policy.user_agent
    if net.contact:
        agent = f"{agent} +{net.contact}"
    return replace(policy, user_agent=agent)


def _unique(feeds: Sequence[FeedSource]) -> tuple[FeedSource, ...]:
    seen: dict[str, FeedSource] = {}
    for feed in feeds:
        seen.setdefault(feed.url, feed)
    return tuple(seen.values())


# -- polling ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FeedPoll:
    """What one poll of one feed gave. Never an exception: failures are ``reject``."""

    feed: FeedSource
    status: Literal["ok", "not_modified", "failed"]
    http_status: int | None = None
    etag: str | None = None
    last_modified: str | None = None
    entries: tuple[FeedEntry, ...] = ()
    title: str | None = None
    language: str | None = None
    problem: str | None = None  # the feed was ill-formed but used (bozo)
    reject: Reject | None = None
    retry_after: float | None = None
    body_hash: str | None = None  # sha256 of the body (kept across a 304)
    declared_minutes: float | None = None  # what the feed says about its own updates
    cache_minutes: float | None = None  # how long the response says it stays fresh
    site_url: str | None = None  # the web page given as the feed, when ``feed`` was found
    found_how: str | None = None  # how it was found there


def poll_feed(fetcher: Fetcher, feed: FeedSource, state: FeedState | None) -> FeedPoll:
    """One conditional GET of ``feed`` and its parse. Never raises for a bad feed."""
    try:
        result = fetcher.get(
            feed.url,
            accept=FEED_ACCEPT,
            etag=state.etag if state else None,
            last_modified=state.last_modified if state else None,
            trusted=True,
        )
        cached = cache_minutes(result.headers)
        if result.not_modified:
            return FeedPoll(
                feed, "not_modified", 304, _header(result.headers, "etag", state, "etag"),
                _header(result.headers, "last-modified", state, "last_modified"),
                body_hash=state.body_hash if state else None, cache_minutes=cached,
            )
        body_hash = hashlib.sha256(result.content).hexdigest()
        if state is not None and state.body_hash == body_hash:
            # the same bytes again (a server without validators, or one ignoring them)
            return FeedPoll(feed, "not_modified", result.status, result.headers.get("etag"),
                            result.headers.get("last-modified"), body_hash=body_hash,
                            cache_minutes=cached)
        if state is not None and state.etag and result.headers.get("etag") == state.etag:
            log.info("feed %s changed its body but repeated its ETag %s", feed.label,
                     state.etag)
        site_url = found_how = None
        if is_web_page(result):
            found = discover(fetcher, feed.url, result)
            if found is None:
                return FeedPoll(feed, "failed", reject=Reject(
                    feed.url, RejectReason.NOT_A_FEED,
                    f"{feed.url}: a web page that links no feed, and none at "
                    f"{', '.join(USUAL_PATHS)}"))
            log.info("%s is a web page; polling its feed %s (%s), from now on too",
                     feed.url, found.feed_url, found.how)
            site_url, found_how = feed.url, found.how
            feed = replace(feed, url=found.feed_url)
            result, read = found.result, found.read
        else:
            read = read_feed(fetcher, result)
    except (FetchPermanentError, FetchTransientError, RejectedInput) as exc:
        retry_after = exc.retry_after if isinstance(exc, FetchTransientError) else None
        return FeedPoll(
            feed, "failed", reject=Reject(feed.url, exc.reason, exc.detail),
            retry_after=retry_after,
        )
    except Exception as exc:  # a bug on one feed must not stop the others
        log.debug("polling %s failed", feed.url, exc_info=True)
        return FeedPoll(
            feed, "failed",
            reject=Reject(feed.url, RejectReason.FEED_ERROR, f"{type(exc).__name__}: {exc}"),
        )
    parsed = read.parsed
    # a sitemap index's validators do not stand for its parts: compared by their bytes
    etag, modified = ((result.headers.get("etag"), result.headers.get("last-modified"))
                      if read.conditional else (None, None))
    if not read.conditional and state is not None and state.body_hash == read.body_hash:
        return FeedPoll(feed, "not_modified", result.status, body_hash=read.body_hash,
                        cache_minutes=cached, site_url=site_url, found_how=found_how)
    if parsed.problem:
        log.info("feed %s is ill-formed but usable: %s", feed.label, parsed.problem)
    return FeedPoll(
        feed, "ok", result.status, etag, modified,
        entries=parsed.entries, title=parsed.title, language=parsed.language,
        problem=parsed.problem, body_hash=read.body_hash,
        declared_minutes=parsed.declared_minutes, cache_minutes=cache_minutes(result.headers),
        site_url=site_url, found_how=found_how,
    )


def _header(
    headers: Mapping[str, str], name: str, state: FeedState | None, attr: str
) -> str | None:
    """A validator from a 304, else the one we sent (a 304 need not repeat it)."""
    value = headers.get(name)
    return value or (getattr(state, attr) if state else None)


def poll_feeds(
    fetcher: Fetcher, feeds: Sequence[tuple[FeedSource, FeedState | None]]
) -> list[FeedPoll]:
    """Poll feeds concurrently (bounded by the fetcher's limits); results in order."""
    return fetcher.map(lambda pair: poll_feed(fetcher, pair[0], pair[1]), feeds,
                       url_of=lambda pair: pair[0].url)


# -- saved feeds and OPML lists ------------------------------------------------------------------


def saved_feed(path: Path) -> FeedSource:
    """A feed saved as a file: its ``file://`` URL is its identity, as for local articles."""
    return FeedSource(url=path.resolve().as_uri())


def is_saved_feed(url: str) -> bool:
    return url.startswith("file:")


def poll_saved_feed(feed: FeedSource, state: FeedState | None, *, max_bytes: int) -> FeedPoll:
    """A saved feed read from disk, like a poll: a file whose bytes have not changed since
    the last run is ``not_modified``. Never raises; a failure names the file."""
    path = Path(url2pathname(urlsplit(feed.url).path))
    try:
        content = read_bytes(path, max_bytes=max_bytes)
        body_hash = hashlib.sha256(content).hexdigest()
        if state is not None and state.body_hash == body_hash:
            return FeedPoll(feed, "not_modified", body_hash=body_hash)
        # a file has no Content-Type: without one feedparser calls every feed ill-formed;
        # application/xml leaves the encoding to the XML declaration, as for a download
        parsed = parse_feed(content, {"Content-Type": "application/xml"}, feed.url)
    except RejectedInput as exc:
        return FeedPoll(feed, "failed", reject=Reject(str(path), exc.reason, exc.detail))
    except Exception as exc:  # a bug on one file must not stop the others
        log.debug("reading %s failed", path, exc_info=True)
        return FeedPoll(feed, "failed", reject=Reject(
            str(path), RejectReason.FEED_ERROR, f"{type(exc).__name__}: {exc}"))
    if parsed.problem:
        log.info("feed %s is ill-formed but usable: %s", path, parsed.problem)
    return FeedPoll(feed, "ok", entries=parsed.entries, title=parsed.title,
                    language=parsed.language, problem=parsed.problem, body_hash=body_hash,
                    declared_minutes=parsed.declared_minutes)


def listed_feeds(paths: Sequence[Path], *, max_bytes: int
                 ) -> tuple[list[FeedSource], list[Reject]]:
    """The http(s) feeds OPML lists name, with the list's title and language for each; a
    reject naming the file for a list that cannot be read or names no feed, and one for
    each outline left out."""
    feeds: list[FeedSource] = []
    rejects: list[Reject] = []
    for path in paths:
        try:
            found = parse_opml(read_bytes(path, max_bytes=max_bytes))
        except RejectedInput as exc:
            rejects.append(Reject(str(path), exc.reason, exc.detail))
            continue
        rejects += [Reject(str(path), RejectReason.BLOCKED_URL, line) for line in found.skipped]
        feeds += [FeedSource(f.url, f.title, f.language) for f in found.feeds]
    return feeds, rejects


def followed_feeds(warehouse: Warehouse, config: Config) -> list[ListedFeed]:
    """The http(s) feeds newsmon follows, each once, for a feed reader's OPML import: every
    configured one (a site's address as the feed found there; all of them, not one shard
    worker's share), then those polled after ``newsmon ingest URL`` or from an OPML list.
    Saved feeds (``file://``) are left out."""
    configured = config.feeds
    sites = load_feed_sites(warehouse, (f.url for f in configured))
    followed: dict[str, ListedFeed] = {}
    for feed in configured:
        url = sites.get(feed.url, feed.url)
        followed.setdefault(url, ListedFeed(url, feed.name, feed.language))
    for polled in feed_overview(warehouse):
        url = polled.state.url
        if not is_saved_feed(url):
            followed.setdefault(url, ListedFeed(url, polled.state.name))
    return list(followed.values())


def worker_inputs(paths: Sequence[Path], worker: Shard) -> list[Path]:
    """The local inputs of a cycle that ``worker`` reads: all of them for worker 0 (or
    the only worker); for the others, the OPML lists among them, whose feeds are shared
    out like configured ones (:attr:`FeedPlan.shard`). Files and saved feeds are worker
    0's: a file has no URL to share out by."""
    if worker.reads_folders:
        return list(paths)
    return [path for path in discover_files(paths) if feed_kind(path) == "list"]


def split_local_inputs(paths: Sequence[Path]) -> tuple[list[Path], list[Path], list[Path]]:
    """The run's local files as (articles, saved feeds, OPML lists)."""
    articles: list[Path] = []
    saved: list[Path] = []
    lists: list[Path] = []
    for path in paths:
        kind = feed_kind(path)
        (saved if kind == "feed" else lists if kind == "list" else articles).append(path)
    return articles, saved, lists


# -- items -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FeedItem:
    """One new entry to turn into an article: its full text, or a page to fetch."""

    key: str  # canonical link, or '<feed url>#<entry id>' without a link
    feed_url: str
    entry_id: str | None
    url: str | None  # canonical link: the story's identity
    hints: EntryHints
    content_html: str | None = None  # the entry's full text; None = fetch ``link``
    link: str | None = None  # the link as the feed gives it: what is fetched


def newest_items(items: Sequence[FeedItem], cap: int) -> tuple[list[FeedItem], Counter[str]]:
    """At most ``cap`` of each feed's ``items`` (0: all), its newest by the date its
    entry gives (undated ones after the dated, in the feed's order), in their order; and
    how many of each feed's were left for later polls."""
    by_feed: dict[str, list[FeedItem]] = {}
    for item in items:
        by_feed.setdefault(item.feed_url, []).append(item)
    left: Counter[str] = Counter()
    dropped: set[str] = set()
    for feed_url, group in by_feed.items():
        if cap and len(group) > cap:
            ranked = sorted(group, key=_newest_first)
            dropped.update(i.key for i in ranked[cap:])
            left[feed_url] = len(group) - cap
    return [i for i in items if i.key not in dropped], left


def _newest_first(item: FeedItem) -> tuple[bool, float]:
    published = item.hints.published
    return (published is None, -published.at.timestamp() if published else 0.0)


def item_key(feed_url: str, entry: FeedEntry) -> tuple[str, str | None]:
    """(key, canonical link): the link identifies the story across feeds."""
    if entry.link and entry.link.lower().startswith(("http://", "https://")):
        link = canonical_url(entry.link)
        return link, link
    ident = entry.entry_id or entry.link or entry.title or ""
    return f"{feed_url}#{ident}", None


def items_of(
    poll: FeedPoll, *, min_words: int
) -> tuple[list[FeedItem], list[tuple[FeedItemRow, Reject]]]:
    """Candidate items of one poll, and entries rejected outright (no link, no text)."""
    items: list[FeedItem] = []
    rejected: list[tuple[FeedItemRow, Reject]] = []
    for entry in poll.entries:
        key, link = item_key(poll.feed.url, entry)
        hints = EntryHints(
            title=entry.title,
            author=entry.author,
            published=entry.published,
            source=poll.feed.name or poll.title,
            language=poll.feed.language or poll.language,
        )
        full = entry.content_words >= max(min_words, FULL_TEXT_MIN_WORDS)
        full_text = entry.content_html if full else None
        if full_text is None and link is None:
            if entry.link:
                reason, detail = RejectReason.BLOCKED_URL, f"{entry.link}: not an http(s) link"
            else:
                reason, detail = RejectReason.NO_CONTENT, "entry has neither a link nor full text"
            row = FeedItemRow(key, poll.feed.url, entry.entry_id, entry.link, reason, None, False)
            rejected.append((row, Reject(entry.link or key, reason, detail)))
            continue
        items.append(FeedItem(key, poll.feed.url, entry.entry_id, link, hints, full_text,
                              entry.link.strip() if link and entry.link else None))
    return items, rejected


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


def fetch_page(fetcher: Fetcher, item: FeedItem) -> PageResult:
    """The item's page: its inline full text, or the linked page (retried if transient)."""
    if item.content_html is not None:
        url = item.url or f"feed-entry:{item.key}"  # no link: identity comes from the text
        raw = RawInput(url, url, _wrap(item), "html", item.hints, item.feed_url)
        return PageResult(item, raw)
    assert item.url is not None
    link = item.link or item.url  # fetch what the feed linked, not its canonical form
    try:
        check_url(link, allow_private=fetcher.policy.allow_private_networks)
        result = fetcher.get_page(link)
    except (FetchPermanentError, FetchTransientError) as exc:
        return PageResult(item, None, Reject(link, exc.reason, exc.detail))
    except Exception as exc:  # one page must never stop the others
        log.debug("fetching %s failed", link, exc_info=True)
        detail = f"{type(exc).__name__}: {exc}"
        return PageResult(item, None, Reject(link, RejectReason.EXTRACTION_ERROR, detail))
    raw = RawInput(link, result.url, result.content, "html", item.hints, item.feed_url,
                   result.charset)
    return PageResult(item, raw)


def fetch_pages(fetcher: Fetcher, items: Sequence[FeedItem]) -> list[PageResult]:
    """Fetch a batch of items' pages concurrently; results in order."""
    return fetcher.map(lambda item: fetch_page(fetcher, item), items, url_of=_page_url)


def _page_url(item: FeedItem) -> str:
    return item.link or item.feed_url


def item_row(item: FeedItem, outcome: Outcome) -> FeedItemRow:
    """The stored outcome; ``url`` is the link as given, which a retry fetches again."""
    link = item.link or item.url
    if isinstance(outcome, Article):
        return FeedItemRow(
            item.key, item.feed_url, item.entry_id, link, "article", outcome.article_id, False
        )
    return FeedItemRow(
        item.key, item.feed_url, item.entry_id, link, str(outcome.reason), None,
        outcome.reason in TRANSIENT_REASONS,
    )


def retry_items(pending: Sequence[PendingItem], feeds: dict[str, FeedSource]) -> list[FeedItem]:
    """Pending items as items to fetch again (the entry's own hints are not kept)."""
    return [
        FeedItem(p.item_key, p.feed_url, p.entry_id, canonical_url(p.url),
                 EntryHints(source=feeds[p.feed_url].name if p.feed_url in feeds else None),
                 None, p.url)
        for p in pending
    ]


# -- feed state ----------------------------------------------------------------------------------


def next_state(
    feed: FeedSource, previous: FeedState | None, poll: FeedPoll, now: datetime,
    schedule: PollSchedule | None = None, new_items: int = 0,
) -> FeedState:
    """The feed's state after ``poll``: validators kept, interval adapted (see
    :mod:`newsmon.sources.schedule`), back-off grown or reset, parked or unparked."""
    schedule = schedule or PollSchedule()
    base = previous or FeedState(url=feed.url)
    fixed = timedelta(minutes=feed.poll_minutes) if feed.poll_minutes else None
    if poll.status in ("ok", "not_modified"):
        if fixed:
            minutes: float | None = feed.poll_minutes
        elif schedule.adaptive:
            quiet = base.last_new_at or base.last_success_at
            minutes = next_interval(
                schedule, base.interval_minutes, changed=poll.status == "ok",
                new_items=new_items, entries=poll.entries,
                declared=poll.declared_minutes, cached=poll.cache_minutes,
                quiet_minutes=(now - quiet).total_seconds() / 60 if quiet else None)
        else:
            minutes = None
        return replace(
            base,
            # the configured name, else the feed's own title: what `newsmon feeds`, the web
            # and an OPML export show for it
            name=feed.name or poll.title or base.name,
            etag=poll.etag,
            last_modified=poll.last_modified,
            last_polled_at=now,
            last_success_at=now,
            last_status="ok" if poll.status == "ok" else str(RejectReason.HTTP_304),
            last_http_status=poll.http_status,
            last_error=poll.problem,
            consecutive_failures=0,
            next_poll_after=now + timedelta(minutes=minutes) if minutes else None,
            entries_last_poll=len(poll.entries) if poll.status == "ok" else base.entries_last_poll,
            interval_minutes=minutes,
            body_hash=poll.body_hash,
            parked_at=None,
            last_new_at=now if new_items else base.last_new_at,
        )
    assert poll.reject is not None
    failures = base.consecutive_failures + 1
    wait = min(BACKOFF_BASE * 2 ** min(failures - 1, 20), BACKOFF_CAP)
    if poll.retry_after is not None:
        wait = max(wait, min(timedelta(seconds=poll.retry_after), RETRY_AFTER_CAP))
    if fixed:
        wait = max(wait, fixed)
    parked = base.parked_at
    if schedule.park_after_failures and failures >= schedule.park_after_failures:
        parked = parked or now
        park_minutes = schedule.max_minutes or 24 * 60  # a schedule without bounds: daily
        if parked == now:
            log.warning("feed %s failed %d times in a row: parked, tried once every %g "
                        "minutes until it answers (newsmon feeds --retry %s)", feed.label,
                        failures, park_minutes, feed.url)
        wait = max(wait, timedelta(minutes=park_minutes))
    return replace(
        base,
        name=feed.name or base.name,
        last_polled_at=now,
        last_status=str(poll.reject.reason),
        last_error=poll.reject.detail,
        consecutive_failures=failures,
        next_poll_after=now + wait,
        parked_at=parked,
    )


def is_due(state: FeedState | None, now: datetime,
           slack: timedelta = timedelta(0)) -> bool:
    """Whether a feed is to be polled at ``now``; ``slack``: how early it may be."""
    return state is None or state.next_poll_after is None or state.next_poll_after <= now + slack


# -- a whole feeds pass of one cycle ------------------------------------------------------------


@dataclass
class FeedCycleStats:
    """What the feeds part of a cycle did; shown after the run summary."""

    feeds: int = 0
    polled: int = 0
    not_modified: int = 0
    failed: int = 0
    backed_off: int = 0
    ill_formed: int = 0
    entries: int = 0
    already_seen: int = 0
    new_items: int = 0
    pages_fetched: int = 0  # pages that came back (not those asked for)
    pages_failed: int = 0
    retried: int = 0  # pages of earlier polls tried again
    full_text_entries: int = 0
    left_for_later: int = 0  # new items over a feed's max_new_items: taken on later polls
    reasons: Counter[str] = field(default_factory=Counter)

    def describe(self) -> str:
        return (
            f"feeds: {self.polled} of {self.feeds} polled ({self.not_modified} unchanged, "
            f"{self.failed} failed, {self.backed_off} backing off); {self.entries} entries, "
            f"{self.already_seen} already seen, {self.new_items} new "
            f"({self.full_text_entries} with full text, {_count(self.pages_fetched, 'page')} "
            f"fetched, {self.pages_failed} failed"
            + (f", {self.retried} of them retried from earlier polls)" if self.retried else ")")
            + (f"; {self.left_for_later} new left for the next polls ([polling] "
               "max_new_items)" if self.left_for_later else "")
        )


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


PollStep = Callable[[Fetcher, Sequence[tuple[FeedSource, "FeedState | None"]]], list[FeedPoll]]
FetchStep = Callable[[Fetcher, Sequence[FeedItem]], list[PageResult]]


class FeedsSource:
    """The plan's feeds as a pipeline source.

    ``open`` polls the due feeds (``poll_step``, a network step) and works out the new
    items; ``jobs`` then yields the feeds' failures and link-less entries as rejects,
    and each new item's page, fetched batch by batch (``fetch_step``) on the pipeline's
    producer thread while the workers extract the pages before them. Item outcomes are
    recorded with each loaded batch; feed state (validators, back-off) only when the
    cycle finishes, so a cycle killed midway re-reads its feeds instead of losing items
    behind a 304.
    """

    name = "feeds"

    def __init__(
        self,
        plan: FeedPlan,
        *,
        min_words: int,
        batch_size: int,
        poll_step: PollStep | None = None,
        fetch_step: FetchStep | None = None,
        now: Callable[[], datetime] | None = None,
    ) -> None:
        self.plan = plan
        self.min_words = min_words
        self.batch_size = batch_size
        self.poll_step = poll_step or poll_feeds
        self.fetch_step = fetch_step or fetch_pages
        self.clock = now or utcnow
        self.stats = FeedCycleStats(feeds=len(plan.feeds))
        self._fetcher: Fetcher | None = None
        self._states: dict[str, FeedState] = {}
        self._polls: list[FeedPoll] = []
        self._first: list[Job] = []
        self._fresh: list[FeedItem] = []
        self._new_items: Counter[str] = Counter()
        self._left: Counter[str] = Counter()  # new items of each feed left for later polls
        self._started: datetime | None = None

    def open(self, warehouse: Warehouse) -> int:
        stats = self.stats
        plan = self.plan
        started = self.clock()
        listed, list_rejects = listed_feeds(plan.lists, max_bytes=plan.policy.max_bytes)
        listed = [f for f in listed if plan.shard.owns(f.url)]
        wanted = _unique((*plan.feeds, *listed))  # a configured feed keeps its settings
        # a site's address given as a feed: the feed found there on an earlier poll
        sites = load_feed_sites(warehouse, (f.url for f in wanted))
        feeds = [replace(f, url=sites[f.url]) if f.url in sites else f for f in wanted]
        saved = _unique([saved_feed(path) for path in plan.saved])
        self._states = states = load_feed_states(warehouse, (f.url for f in (*feeds, *saved)))
        due = [f for f in feeds
               if plan.force or is_due(states.get(f.url), started, plan.schedule.slack)]
        self._started = started
        stats.feeds = len(feeds) + len(saved)
        stats.backed_off = len(feeds) - len(due)
        self._fetcher = fetcher = Fetcher(plan.policy)
        polls = self.poll_step(fetcher, [(f, states.get(f.url)) for f in due]) if due else []
        # saved feeds are read on every run: a file costs no server anything
        polls += [poll_saved_feed(f, states.get(f.url), max_bytes=plan.policy.max_bytes)
                  for f in saved]
        self._polls = polls
        stats.polled = len(polls)
        feed_rejects = [Job(reject) for reject in list_rejects]
        items: dict[str, FeedItem] = {}
        entry_rejects: list[tuple[FeedItemRow, Reject]] = []
        for poll in polls:
            if poll.status == "failed":
                assert poll.reject is not None
                stats.failed += 1
                feed_rejects.append(Job(poll.reject))
                continue
            if poll.status == "not_modified":
                stats.not_modified += 1
                continue
            stats.ill_formed += bool(poll.problem)
            stats.entries += len(poll.entries)
            found, rejected = items_of(poll, min_words=self.min_words)
            entry_rejects.extend(rejected)
            for item in found:
                items.setdefault(item.key, item)
        done = done_item_keys(warehouse, list(items) + [r.item_key for r, _ in entry_rejects])
        entry_rejects = [(r, j) for r, j in entry_rejects if r.item_key not in done]
        fresh = [i for k, i in items.items() if k not in done]
        self._new_items = Counter(i.feed_url for i in fresh)
        stats.already_seen = stats.entries - len(fresh) - len(entry_rejects)
        stats.new_items = len(fresh)
        fresh, self._left = newest_items(fresh, plan.max_new_items)
        stats.left_for_later = sum(self._left.values())
        for feed_url, left in self._left.items():
            log.info("feed %s: %d new items, the newest %d taken now and the rest on the "
                     "next polls ([polling] max_new_items)", feed_url,
                     self._new_items[feed_url], self._new_items[feed_url] - left)
        # pages that failed transiently on earlier polls, also of feeds that answered 304
        answered = {p.feed.url: p.feed for p in polls if p.status != "failed"}
        retries = [i for i in retry_items(pending_items(warehouse, answered), answered)
                   if i.key not in items]
        stats.retried = len(retries)
        fresh += retries
        stats.full_text_entries = sum(i.content_html is not None for i in fresh)
        self._first = feed_rejects + [Job(reject, row) for row, reject in entry_rejects]
        # each batch of pages spread over many sites: one site's items in a row would
        # leave the batch waiting out that site's gap between requests
        self._fresh = host_by_host(fresh, _page_url)
        return len(self._first) + len(fresh)

    def work_ms(self) -> int:
        return PAGE_MS * len(self._fresh)  # each a page (feed rejects cost nothing)

    def jobs(self) -> Iterator[Job]:
        yield from self._first
        assert self._fetcher is not None
        for start in range(0, len(self._fresh), self.batch_size):
            pages = self.fetch_step(self._fetcher, self._fresh[start : start + self.batch_size])
            linked = [p for p in pages if p.item.content_html is None]
            self.stats.pages_fetched += sum(p.raw is not None for p in linked)
            self.stats.pages_failed += sum(p.raw is None for p in linked)
            for page in pages:
                work = page.raw if page.raw is not None else page.reject
                assert work is not None
                yield Job(work, page.item)

    def record(self, tx: WriteSession, done: Sequence[Done], now: datetime) -> None:
        rows = []
        for job, outcome in done:
            if isinstance(job.ticket, FeedItem):
                rows.append(item_row(job.ticket, outcome))
            elif isinstance(job.ticket, FeedItemRow):
                rows.append(job.ticket)
        if rows:
            record_items(tx, rows, now)

    def finish(self, warehouse: Warehouse, run_id: str) -> None:
        finished = self.clock()
        # intervals count from the polls, at the cycle's start, not from the end of a
        # cycle that spent minutes on pages: an interval of one cycle is then one cycle
        polled = self._started or finished
        new_states = [self._next_state(p, polled) for p in self._polls]
        counts: Counter[str] = Counter()
        counts[str(RejectReason.HTTP_304)] = sum(
            p.status == "not_modified" and not is_saved_feed(p.feed.url) for p in self._polls)
        counts[str(RejectReason.BACKED_OFF)] = self.stats.backed_off
        counts = +counts
        found = [(p.site_url, p.feed.url, p.found_how or "") for p in self._polls
                 if p.site_url is not None]
        if new_states or counts:
            with warehouse.writer() as tx:
                save_feed_states(tx, new_states)
                save_feed_sites(tx, found, finished)
                if counts:
                    # Not rejects of an input, so no rows in ``rejects``: counted on the run.
                    tx.add_run_counts(run_id, inputs=0, added=0, duplicates=0, rejected=0,
                                      reasons=dict(counts))
        self.stats.reasons = counts
        log.debug("%s", self.stats.describe())  # the run summary prints it

    def _next_state(self, poll: FeedPoll, at: datetime) -> FeedState:
        previous = self._states.get(poll.feed.url)
        if not is_saved_feed(poll.feed.url):
            state = next_state(poll.feed, previous, poll, at, self.plan.schedule,
                               self._new_items[poll.feed.url])
        else:
            # read on every run: no interval, back-off or parking; unchanged, not HTTP's 304
            state = next_state(poll.feed, previous, poll, at)
            status = "unchanged" if poll.status == "not_modified" else state.last_status
            state = replace(state, next_poll_after=None, parked_at=None, last_status=status)
        if self._left[poll.feed.url]:
            # items wait: the feed is read whole again (no 304, no "unchanged") next cycle
            state = replace(state, etag=None, last_modified=None, body_hash=None,
                            next_poll_after=None)
        return state

    def close(self) -> None:
        if self._fetcher is not None:
            self._fetcher.close()
            self._fetcher = None


def source_for_url(url: str, *, name: str | None = None) -> FeedSource:
    """A feed given on the command line (``newsmon ingest URL``)."""
    return FeedSource(url=url, name=name)
