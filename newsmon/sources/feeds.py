"""Feeds as a source: poll RSS/Atom feeds and turn their new items into articles.

Plain functions and :class:`FeedsSource`, tested without Prefect; the flow wraps the two
network steps (:func:`~newsmon.sources.polling.poll_feeds`,
:func:`~newsmon.sources.feed_items.fetch_pages`) as tasks. One cycle:

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
plan's (:mod:`newsmon.sources.local_feeds`). The steps live in their own modules:
:mod:`~newsmon.sources.feed_plan`, :mod:`~newsmon.sources.polling`,
:mod:`~newsmon.sources.feed_items`; this one runs them as a pipeline source.
"""

from __future__ import annotations

import logging
import os
from collections import Counter, deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

from extractors.warc import PageArchive
from newsmon import __version__
from newsmon.core.clock import utcnow
from newsmon.core.outcomes import RejectReason
from newsmon.core.records import Reject
from newsmon.fetch import Fetcher, host_by_host
from newsmon.pipeline.forkserver import PAGE_MS
from newsmon.pipeline.source import Done, Job
from newsmon.sources.feed_items import (
    FeedItem,
    PageResult,
    fetch_pages,
    item_keys,
    item_row,
    items_of,
    newest_items,
    page_url,
    retry_items,
    unseen,
    with_earlier,
)
from newsmon.sources.feed_plan import FeedPlan, FeedSource, unique_feeds
from newsmon.sources.local_feeds import (
    is_saved_feed,
    listed_feeds,
    poll_saved_feed,
    saved_feed,
)
from newsmon.sources.polling import FeedPoll, is_due, next_state, poll_feeds
from newsmon.sources.streamed_archives import first_reading, wanted_items
from warehouse import Warehouse, WriteSession
from warehouse.feed_state import (
    FeedItemRow,
    FeedState,
    done_item_keys,
    entry_articles,
    load_feed_sites,
    load_feed_states,
    pending_items,
    record_items,
    save_feed_sites,
    save_feed_states,
    stored_entries,
    stored_texts,
)

log = logging.getLogger(__name__)


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
        keep_pages: Path | None = None,
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
        self._fresh: deque[FeedItem] = deque()
        #: archives read part by part (each poll, and the keys of the items to read of it)
        self._streams: list[tuple[FeedPoll, set[str]]] = []
        self._pages = 0  # pages planned: fetched or read from the entries' texts
        self._new_items: Counter[str] = Counter()
        self._left: Counter[str] = Counter()  # new items of each feed left for later polls
        self._started: datetime | None = None
        self.keep_pages = keep_pages  # a folder: fetched pages kept there as a web archive
        self._kept: PageArchive | None = None

    def open(self, warehouse: Warehouse) -> int:
        stats = self.stats
        plan = self.plan
        started = self.clock()
        listed, list_rejects = listed_feeds(plan.lists, max_bytes=plan.max_file_bytes)
        listed = [f for f in listed if plan.shard.owns(f.url)]
        wanted = unique_feeds((*plan.feeds, *listed))  # a configured feed keeps its settings
        # a site's address given as a feed: the feed found there on an earlier poll
        sites = load_feed_sites(warehouse, (f.url for f in wanted))
        feeds = [replace(f, url=sites[f.url]) if f.url in sites else f for f in wanted]
        saved = unique_feeds([saved_feed(path) for path in plan.saved])
        self._states = states = load_feed_states(warehouse, (f.url for f in (*feeds, *saved)))
        due = [f for f in feeds
               if plan.force or is_due(states.get(f.url), started, plan.schedule.slack)]
        self._started = started
        stats.feeds = len(feeds) + len(saved)
        stats.backed_off = len(feeds) - len(due)
        self._fetcher = fetcher = Fetcher(plan.policy)
        polls = self.poll_step(fetcher, [(f, states.get(f.url)) for f in due]) if due else []
        # saved feeds are read on every run: a file costs no server anything
        polls += [poll_saved_feed(f, states.get(f.url), max_bytes=plan.max_file_bytes)
                  for f in saved]
        stats.polled = len(polls)
        feed_rejects = [Job(reject) for reject in list_rejects]
        items: dict[str, FeedItem] = {}
        entry_rejects: list[tuple[FeedItemRow, Reject]] = []
        streamed: dict[str, FeedPoll] = {}
        for number, poll in enumerate(polls):
            read = None
            if poll.archive is not None:  # over the size limit: read part by part
                read = first_reading(poll, min_words=self.min_words,
                                     max_bytes=plan.max_file_bytes)
                polls[number] = poll = read.poll
            if poll.status == "failed":
                assert poll.reject is not None
                stats.failed += 1
                feed_rejects.append(Job(poll.reject))
                continue
            if poll.status == "not_modified":
                stats.not_modified += 1
                continue
            stats.ill_formed += bool(poll.problem)
            if read is not None:
                streamed[poll.feed.url] = poll
                found, rejected = read.items, read.rejected
                stats.entries += read.entries
            else:
                found, rejected = items_of(poll, min_words=self.min_words)
                stats.entries += len(poll.entries)
            entry_rejects.extend(rejected)
            for item in found:
                items.setdefault(item.key, item)
        # the polls are kept for the feeds' states, which need their entries' dates, not
        # their texts: an archive's texts are held once, by the items, until they are read
        self._polls = [_without_texts(poll) for poll in polls]
        done = done_item_keys(
            warehouse, item_keys(items.values()) + [r.item_key for r, _ in entry_rejects])
        stored = stored_entries(warehouse, (i.link_key for i in items.values() if i.link_key))
        known = stored_texts(warehouse, (i.text_hash for i in items.values() if i.text_hash))
        entry_rejects = [(r, j) for r, j in entry_rejects if r.item_key not in done]
        fresh = unseen(items.values(), done, stored, known)
        fresh = with_earlier(fresh, entry_articles(
            warehouse, (i.entry_id for i in fresh if i.entry_id)))
        self._new_items = Counter(i.feed_url for i in fresh)
        stats.already_seen = stats.entries - len(fresh) - len(entry_rejects)
        stats.new_items = len(fresh)
        fresh, self._left = newest_items(fresh, plan.max_new_items)
        stats.left_for_later = sum(self._left.values())
        for feed_url, left in self._left.items():
            log.info("feed %s: the newest %d new pages fetched now, %d more on the next "
                     "polls ([polling] max_new_items)", feed_url, plan.max_new_items, left)
        # pages that failed transiently on earlier polls, also of feeds that answered 304
        answered = {p.feed.url: p.feed for p in polls if p.status != "failed"}
        retries = [i for i in retry_items(pending_items(warehouse, answered), answered)
                   if i.key not in items]
        stats.retried = len(retries)
        fresh += retries
        stats.full_text_entries = sum(i.content_html is not None for i in fresh)
        self._first = feed_rejects + [Job(reject, row) for row, reject in entry_rejects]
        # a streamed archive's items are read again, with their texts, when their turn comes
        self._streams = [(poll, {i.key for i in fresh if i.feed_url == url})
                         for url, poll in streamed.items()]
        # each batch of pages spread over many sites: one site's items in a row would
        # leave the batch waiting out that site's gap between requests
        self._fresh = deque(host_by_host([i for i in fresh if i.feed_url not in streamed],
                                         page_url))
        self._pages = len(fresh)
        return len(self._first) + len(fresh)

    def work_ms(self) -> int:
        return PAGE_MS * self._pages  # each a page (feed rejects cost nothing)

    def jobs(self) -> Iterator[Job]:
        yield from self._first
        while self._fresh:  # each batch let go of once read: a large archive is not held
            batch = [self._fresh.popleft() for _ in range(min(self.batch_size, len(self._fresh)))]
            yield from self._read(batch)
        for poll, keys in self._streams:
            batch = []
            for item in wanted_items(poll, keys, min_words=self.min_words,
                                     max_bytes=self.plan.max_file_bytes):
                batch.append(item)
                if len(batch) == self.batch_size:
                    yield from self._read(batch)
                    batch = []
            yield from self._read(batch)

    def _read(self, batch: list[FeedItem]) -> Iterator[Job]:
        """A batch of items as jobs: their pages fetched, or their entries' texts."""
        assert self._fetcher is not None
        if not batch:
            return
        pages = self.fetch_step(self._fetcher, batch)
        self._keep(pages)
        linked = [p for p in pages if p.item.content_html is None]
        self.stats.pages_fetched += sum(p.raw is not None for p in linked)
        self.stats.pages_failed += sum(p.raw is None for p in linked)
        for page in pages:
            work = page.raw if page.raw is not None else page.reject
            assert work is not None
            # the ticket is what recording the outcome needs, not the page or its text
            yield Job(work, replace(page.item, content_html=None, page=None),
                      page.item.earlier)

    def _keep(self, pages: Sequence[PageResult]) -> None:
        """The batch's fetched pages into the run's web archive (``keep_pages``), so the
        run can be replayed offline (``newsmon ingest`` of the file). A folder that cannot
        be written is reported once and the run goes on without it: the articles matter
        more than their copy."""
        fetched = [p.fetched for p in pages if p.fetched is not None]
        if self.keep_pages is None or not fetched:
            return
        try:
            if self._kept is None:
                started = self._started or self.clock()
                name = f"pages-{started:%Y%m%d-%H%M%S}-{os.getpid()}.warc.gz"
                self._kept = PageArchive(self.keep_pages / name,
                                         software=f"newsmon {__version__}")
            for page in fetched:
                self._kept.add(page.url, page.status, page.headers, page.content, self.clock())
        except OSError as exc:
            log.warning("fetched pages not kept in %s (NEWSMON_KEEP_PAGES): %s", self.keep_pages,
                        exc.strerror or exc)
            self.keep_pages = None

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
        # an article's address is no feed to follow: not listed, exported or scheduled (its
        # item in feed_items keeps it from being stored twice)
        new_states = [self._next_state(p, polled) for p in self._polls if p.page is None]
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
        if self._kept is not None:
            self._kept.close()
            self._kept = None
        if self._fetcher is not None:
            self._fetcher.close()
            self._fetcher = None


def _without_texts(poll: FeedPoll) -> FeedPoll:
    """``poll`` without its entries' texts (an archive's can be gigabytes)."""
    if not any(entry.content_html for entry in poll.entries):
        return poll
    return replace(poll, entries=tuple(replace(entry, content_html=None)
                                       for entry in poll.entries))
