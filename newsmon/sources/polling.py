"""One poll of one feed: a conditional GET and its parse, never an exception (a failure
is a named reject), and the feed's state after it: back-off, parking, next poll.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Literal

from extractors.feed_parser import FeedEntry
from newsmon.core.config import with_secrets, without_secrets
from newsmon.core.errors import (
    FetchPermanentError,
    FetchTransientError,
    InputError,
    RejectedInput,
)
from newsmon.core.outcomes import RejectReason
from newsmon.core.records import Reject
from newsmon.fetch import FEED_ACCEPT, Fetcher, FetchResult
from newsmon.sources.discovery import (
    USUAL_PATHS,
    declares_article,
    discover,
    is_web_page,
    story_address,
)
from newsmon.sources.feed_plan import FeedSource
from newsmon.sources.schedule import PollSchedule, cache_minutes, next_interval
from newsmon.sources.sitemap_index import read_feed
from warehouse.feed_state import FeedState

log = logging.getLogger(__name__)

#: First back-off after a failed poll; doubles per consecutive failure up to the cap.
BACKOFF_BASE = timedelta(minutes=2)
BACKOFF_CAP = timedelta(hours=6)
#: A server asking for more than this is polled again after this anyway.
RETRY_AFTER_CAP = timedelta(hours=24)


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
    whole_articles: bool = False  # an archive: each entry's text is the article, however short
    page: FetchResult | None = None  # the address given is an article's page: this one
    #: a JSON Lines archive over the file size limit: its entries are not held here but
    #: read from this file part by part (:mod:`newsmon.sources.streamed_archives`)
    archive: Path | None = None
    entry_count: int | None = None  # a streamed archive's entries, which it does not hold


def _article_poll(feed: FeedSource, result: FetchResult, body_hash: str) -> FeedPoll:
    """A poll of an address that is one article, not a feed: its page is the one entry."""
    return FeedPoll(feed, "ok", result.status, result.headers.get("etag"),
                    result.headers.get("last-modified"),
                    entries=(FeedEntry(entry_id=None, link=feed.url),),
                    body_hash=body_hash, cache_minutes=cache_minutes(result.headers),
                    page=result)


def poll_feed(fetcher: Fetcher, feed: FeedSource, state: FeedState | None) -> FeedPoll:
    """One conditional GET of ``feed`` and its parse. Never raises for a bad feed."""
    try:
        result = fetcher.get(
            with_secrets(feed.url),  # a key the feed needs goes with the request only
            accept=FEED_ACCEPT,
            etag=state.etag if state else None,
            last_modified=state.last_modified if state else None,
            trusted=True,
        )
        if result.not_modified:
            return FeedPoll(
                feed, "not_modified", 304, _header(result.headers, "etag", state, "etag"),
                _header(result.headers, "last-modified", state, "last_modified"),
                body_hash=state.body_hash if state else None,
                cache_minutes=cache_minutes(result.headers),
            )
        body_hash = hashlib.sha256(result.content).hexdigest()
        if state is not None and state.body_hash == body_hash:
            # the same bytes again (a server without validators, or one ignoring them)
            return FeedPoll(feed, "not_modified", result.status, result.headers.get("etag"),
                            result.headers.get("last-modified"), body_hash=body_hash,
                            cache_minutes=cache_minutes(result.headers))
        if state is not None and state.etag and result.headers.get("etag") == state.etag:
            log.info("feed %s changed its body but repeated its ETag %s", feed.label,
                     state.etag)
        site_url = found_how = None
        if result.document not in (None, "text"):  # a report, a press release
            log.info("%s is a %s document; storing it as an article", feed.url,
                     result.document.upper())
            return _article_poll(feed, result, body_hash)
        if is_web_page(result):
            if declares_article(result):  # never a front page: its address reads as none
                log.info("%s is an article's page; storing it as one", feed.url)
                return _article_poll(feed, result, body_hash)
            found = discover(fetcher, feed.url, result)
            if found is None and story_address(feed.url):
                # a story's page on a site with no feed anywhere: the article asked for
                # (extraction names it if it holds none)
                log.info("%s links no feed and reads like a story's address; storing it as "
                         "an article", feed.url)
                return _article_poll(feed, result, body_hash)
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
            feed, "failed",
            reject=Reject(feed.url, exc.reason, without_secrets(exc.detail, feed.url)),
            retry_after=retry_after,
        )
    except InputError as exc:  # a variable its address names is not set
        return FeedPoll(feed, "failed", reject=Reject(feed.url, RejectReason.BLOCKED_URL,
                                                      str(exc)))
    except Exception as exc:  # a bug on one feed must not stop the others
        log.debug("polling %s failed", feed.url, exc_info=True)
        return FeedPoll(
            feed, "failed",
            reject=Reject(feed.url, RejectReason.FEED_ERROR,
                          without_secrets(f"{type(exc).__name__}: {exc}", feed.url)),
        )
    parsed = read.parsed
    cached = cache_minutes(result.headers)  # the feed's response, also when found on a site
    # a sitemap index's validators do not stand for its parts: compared by their bytes
    etag, modified = ((result.headers.get("etag"), result.headers.get("last-modified"))
                      if read.conditional else (None, None))
    if not read.conditional and state is not None and state.body_hash == read.body_hash:
        return FeedPoll(feed, "not_modified", result.status, body_hash=read.body_hash,
                        cache_minutes=cached, site_url=site_url, found_how=found_how)
    if parsed.problem:
        log.info("feed %s is ill-formed but usable: %s", feed.label, parsed.problem)
    problem = parsed.problem
    if result.moved and site_url is None:  # newsmon follows; the configuration should too
        moved = without_secrets(f"moved permanently to {result.url}: put that address in "
                                "the feed's url", feed.url)
        log.warning("feed %s %s", feed.label, moved)
        problem = "; ".join(filter(None, (moved, problem)))
    return FeedPoll(
        feed, "ok", result.status, etag, modified,
        entries=parsed.entries, title=parsed.title, language=parsed.language,
        problem=problem, body_hash=read.body_hash,
        declared_minutes=parsed.declared_minutes, cache_minutes=cached,
        site_url=site_url, found_how=found_how, whole_articles=parsed.whole_articles,
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
            entries_last_poll=(len(poll.entries) if poll.entry_count is None else poll.entry_count)
            if poll.status == "ok" else base.entries_last_poll,
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
