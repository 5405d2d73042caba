"""Feed polling state and handled feed items (tables of migration 0003).

Kept in the warehouse, not in a side file, so ETags, back-off and the "already seen"
set survive restarts and travel with the data they describe. SQL here is portable
between a DuckDB file and a DuckLake (no ``ON CONFLICT``): updates are a delete of the
keys followed by an Arrow insert, inside the caller's one write transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

import duckdb

from warehouse.sessions import WriteSession
from warehouse.store import Warehouse, has_table

#: A page that failed transiently this many times is given up (its item marked done).
MAX_ITEM_ATTEMPTS = 3


@dataclass(frozen=True, slots=True)
class FeedState:
    """What newsmon remembers about one feed between polls."""

    url: str
    name: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    last_polled_at: datetime | None = None
    last_success_at: datetime | None = None
    last_status: str | None = None
    last_http_status: int | None = None
    last_error: str | None = None
    consecutive_failures: int = 0
    next_poll_after: datetime | None = None
    entries_last_poll: int | None = None
    interval_minutes: float | None = None  # the wait after a success (adaptive or configured)
    body_hash: str | None = None  # sha256 of the last body served
    parked_at: datetime | None = None  # failing too long: tried once per max interval
    last_new_at: datetime | None = None  # the last poll that brought a new item


@dataclass(frozen=True, slots=True)
class FeedItemRow:
    """The outcome of one feed item; ``done`` items are skipped on later polls."""

    item_key: str
    feed_url: str
    entry_id: str | None
    url: str | None
    outcome: str  # "article" or a RejectReason value
    article_id: int | None
    retryable: bool  # a transient failure: try again next poll (up to MAX_ITEM_ATTEMPTS)
    tried: bool = True  # its page was requested (one more attempt); not when its site was down
    entry_hash: str | None = None  # the hash of the text the entry brought (migration 0020)


_STATE_FIELDS = list(FeedState.__dataclass_fields__)


def _has_feed_tables(con: duckdb.DuckDBPyConnection) -> bool:
    return has_table(con, "feed_items")


def _feed_rows(warehouse: Warehouse, sql: str, values: Iterable[str],
               params: Sequence[str] = ()) -> list[tuple[Any, ...]]:
    """Rows of ``sql`` with the distinct ``values`` as its first parameter (a list); none
    when there are no values, no warehouse yet, or no feed tables in it."""
    wanted = list(dict.fromkeys(values))
    if not wanted or not warehouse.exists():
        return []
    with warehouse.reader() as con:
        if not _has_feed_tables(con):
            return []
        return con.execute(sql, [wanted, *params]).fetchall()


def load_feed_states(warehouse: Warehouse, urls: Iterable[str]) -> dict[str, FeedState]:
    """Stored state of the given feeds (feeds never polled are absent)."""
    rows = _feed_rows(warehouse, f"SELECT {', '.join(_STATE_FIELDS)} FROM feeds "
                      "WHERE url IN (SELECT unnest(?))", urls)
    return {r[0]: FeedState(*r) for r in rows}


def done_item_keys(warehouse: Warehouse, keys: Iterable[str]) -> set[str]:
    """The subset of ``keys`` already handled for good (one query for a whole cycle)."""
    return _done_keys(warehouse, keys, "", [])


def stored_or_tried_keys(warehouse: Warehouse, keys: Iterable[str], source_url: str) -> set[str]:
    """The subset of ``keys`` stored as articles, or already tried from ``source_url``.

    For a source that holds its pages (a web archive): a page a feed's link failed to
    bring (a 404, a timeout given up on) is still worth reading from the file."""
    return _done_keys(warehouse, keys, " AND (f.outcome = 'article' OR f.feed_url = ?)",
                      [source_url])


def _done_keys(warehouse: Warehouse, keys: Iterable[str], condition: str,
               params: list[str]) -> set[str]:
    rows = _feed_rows(warehouse, "SELECT k.item_key FROM (SELECT unnest(?) AS item_key) k "
                      f"JOIN feed_items f USING (item_key) WHERE f.done{condition}",
                      keys, params)
    return {str(r[0]) for r in rows}


@dataclass(frozen=True, slots=True)
class StoredEntry:
    """The entry a done item was stored from: which feed gave it, its id and the hash of
    the text it brought (None for one brought before migration 0020, or with no text)."""

    feed_url: str
    entry_id: str | None
    entry_hash: str | None


def stored_entries(warehouse: Warehouse, keys: Iterable[str]) -> dict[str, StoredEntry]:
    """The entries that done items of ``keys`` were stored from, by key."""
    rows = _feed_rows(warehouse, "SELECT f.item_key, f.feed_url, f.entry_id, f.entry_hash "
                      "FROM (SELECT unnest(?) AS item_key) k "
                      "JOIN feed_items f USING (item_key) WHERE f.done", keys)
    return {str(r[0]): StoredEntry(str(r[1]), r[2], r[3]) for r in rows}


def stored_texts(warehouse: Warehouse, hashes: Iterable[str]) -> set[tuple[str, str]]:
    """(feed, text hash) of the done items whose entries brought one of these texts."""
    rows = _feed_rows(warehouse, "SELECT DISTINCT feed_url, entry_hash FROM feed_items "
                      "WHERE done AND entry_hash IN (SELECT unnest(?))", hashes)
    return {(str(r[0]), str(r[1])) for r in rows}


def entry_articles(warehouse: Warehouse, entry_ids: Iterable[str]
                   ) -> dict[tuple[str, str], int]:
    """The article each (feed, entry id) among these ids was last stored as."""
    rows = _feed_rows(warehouse, "SELECT feed_url, entry_id, article_id FROM feed_items "
                      "WHERE done AND outcome = 'article' AND article_id IS NOT NULL "
                      "AND entry_id IN (SELECT unnest(?)) ORDER BY first_seen_at", entry_ids)
    return {(str(r[0]), str(r[1])): int(r[2]) for r in rows}


@dataclass(frozen=True, slots=True)
class PendingItem:
    """An item whose page failed transiently and is due another try."""

    item_key: str
    feed_url: str
    entry_id: str | None
    url: str  # the link as the feed gave it
    attempts: int


def pending_items(warehouse: Warehouse, feed_urls: Iterable[str]) -> list[PendingItem]:
    """Items of these feeds still to retry: tried on every poll, also when the feed
    answers 304 (its entries are not re-read then), until MAX_ITEM_ATTEMPTS."""
    rows = _feed_rows(warehouse, "SELECT item_key, feed_url, entry_id, url, attempts "
                      "FROM feed_items WHERE NOT done AND url IS NOT NULL "
                      "AND feed_url IN (SELECT unnest(?)) ORDER BY first_seen_at, item_key",
                      feed_urls)
    return [PendingItem(str(r[0]), str(r[1]), r[2], str(r[3]), int(r[4])) for r in rows]


def forget_failed_items(tx: WriteSession, feed_url: str) -> int:
    """Make a feed's failed items new again and its next poll a full one: the items are
    forgotten, and the feed's validators, back-off and parking cleared (a 304 would hide
    them).
    Returns how many items were forgotten."""
    counted = tx.execute(
        "SELECT count(*) FROM feed_items WHERE feed_url = ? AND outcome <> 'article'",
        [feed_url],
    )
    tx.execute("DELETE FROM feed_items WHERE feed_url = ? AND outcome <> 'article'", [feed_url])
    cols = ", ".join(_STATE_FIELDS)
    found = tx.execute(f"SELECT {cols} FROM feeds WHERE url = ?", [feed_url])
    if found:
        state = FeedState(*found[0])
        save_feed_states(tx, [replace(
            state, etag=None, last_modified=None, consecutive_failures=0, next_poll_after=None,
            body_hash=None, parked_at=None)])
    return int(counted[0][0]) if counted else 0


def forget_feed(tx: WriteSession, feed_url: str) -> None:
    """Drop a feed newsmon no longer follows from ``feeds`` (and the site addresses that
    led to it), so it leaves ``newsmon feeds`` and OPML exports. Its items stay: they are
    what makes its stories "already seen" should it come back, and its articles are the
    warehouse's."""
    tx.execute("DELETE FROM feeds WHERE url = ?", [feed_url])
    tx.execute("DELETE FROM feed_sites WHERE feed_url = ?", [feed_url])


@dataclass(frozen=True, slots=True)
class FeedOverview:
    """One feed as ``newsmon feeds`` lists it."""

    state: FeedState
    articles: int  # items that became articles
    failed: int  # items that did not, for good
    pending: int  # items to be tried again
    items_per_day: float = 0.0  # items that became articles over the last 7 days, per day


def feed_overview(warehouse: Warehouse, now: datetime | None = None) -> list[FeedOverview]:
    """Every polled feed with its item counts, by URL (``now``: the end of the week that
    items per day are counted over; default the newest poll)."""
    if not warehouse.exists():
        return []
    cols = ", ".join(f"f.{c}" for c in _STATE_FIELDS)
    with warehouse.reader() as con:
        if not _has_feed_tables(con):
            return []
        rows = con.execute(
            f"SELECT {cols}, count(i.item_key) FILTER (WHERE i.outcome = 'article'), "
            "count(i.item_key) FILTER (WHERE i.outcome <> 'article' AND i.done), "
            "count(i.item_key) FILTER (WHERE NOT i.done), "
            "count(i.item_key) FILTER (WHERE i.outcome = 'article' AND i.first_seen_at >= "
            "coalesce(?, (SELECT max(last_polled_at) FROM feeds)) - INTERVAL 7 DAY) "
            "FROM feeds f LEFT JOIN feed_items i ON i.feed_url = f.url "
            f"GROUP BY ALL ORDER BY f.url", [now]
        ).fetchall()
    n = len(_STATE_FIELDS)
    return [FeedOverview(FeedState(*r[:n]), int(r[n]), int(r[n + 1]), int(r[n + 2]),
                         int(r[n + 3]) / 7) for r in rows]


def save_feed_states(tx: WriteSession, states: Sequence[FeedState]) -> None:
    """Replace the stored state of these feeds."""
    if not states:
        return
    latest = {s.url: s for s in states}
    tx.execute("DELETE FROM feeds WHERE url IN (SELECT unnest(?))", [list(latest)])
    values = list(latest.values())
    tx.insert_rows("feeds", {
        "url": ("VARCHAR", [s.url for s in values]),
        "name": ("VARCHAR", [s.name for s in values]),
        "etag": ("VARCHAR", [s.etag for s in values]),
        "last_modified": ("VARCHAR", [s.last_modified for s in values]),
        "last_polled_at": ("TIMESTAMP", [s.last_polled_at for s in values]),
        "last_success_at": ("TIMESTAMP", [s.last_success_at for s in values]),
        "last_status": ("VARCHAR", [s.last_status for s in values]),
        "last_http_status": ("INTEGER", [s.last_http_status for s in values]),
        "last_error": ("VARCHAR", [s.last_error for s in values]),
        "consecutive_failures": ("INTEGER", [s.consecutive_failures for s in values]),
        "next_poll_after": ("TIMESTAMP", [s.next_poll_after for s in values]),
        "entries_last_poll": ("INTEGER", [s.entries_last_poll for s in values]),
        "interval_minutes": ("DOUBLE", [s.interval_minutes for s in values]),
        "body_hash": ("VARCHAR", [s.body_hash for s in values]),
        "parked_at": ("TIMESTAMP", [s.parked_at for s in values]),
        "last_new_at": ("TIMESTAMP", [s.last_new_at for s in values]),
    })


def record_items(tx: WriteSession, items: Sequence[FeedItemRow], now: datetime) -> None:
    """Store item outcomes; an item tried counts one more attempt."""
    latest = {i.item_key: i for i in items}
    if not latest:
        return
    keys = list(latest)
    previous = {
        str(r[0]): (int(r[1]), r[2])
        for r in tx.execute(
            "SELECT item_key, attempts, first_seen_at FROM feed_items "
            "WHERE item_key IN (SELECT unnest(?))",
            [keys],
        )
    }
    tx.execute("DELETE FROM feed_items WHERE item_key IN (SELECT unnest(?))", [keys])
    rows = list(latest.values())
    attempts = [previous.get(i.item_key, (0, None))[0] + i.tried for i in rows]
    tx.insert_rows("feed_items", {
        "item_key": ("VARCHAR", [i.item_key for i in rows]),
        "feed_url": ("VARCHAR", [i.feed_url for i in rows]),
        "entry_id": ("VARCHAR", [i.entry_id for i in rows]),
        "url": ("VARCHAR", [i.url for i in rows]),
        "first_seen_at": ("TIMESTAMP",
                          [previous.get(i.item_key, (0, None))[1] or now for i in rows]),
        "last_tried_at": ("TIMESTAMP", [now] * len(rows)),
        "attempts": ("INTEGER", attempts),
        "outcome": ("VARCHAR", [i.outcome for i in rows]),
        "article_id": ("BIGINT", [i.article_id for i in rows]),
        "done": ("BOOLEAN", [not i.retryable or n >= MAX_ITEM_ATTEMPTS
                             for i, n in zip(rows, attempts, strict=True)]),
        "entry_hash": ("VARCHAR", [i.entry_hash for i in rows]),
    })



def load_feed_sites(warehouse: Warehouse, urls: Iterable[str]) -> dict[str, str]:
    """The feed found earlier for each of these site addresses (see migration 0011)."""
    wanted = list(dict.fromkeys(urls))
    if not wanted or not warehouse.exists():
        return {}
    with warehouse.reader() as con:
        if not has_table(con, "feed_sites"):
            return {}
        rows = con.execute(
            "SELECT site_url, feed_url FROM feed_sites WHERE site_url IN (SELECT unnest(?))",
            [wanted]).fetchall()
    return {str(r[0]): str(r[1]) for r in rows}


def save_feed_sites(tx: WriteSession, found: Sequence[tuple[str, str, str]],
                    now: datetime) -> None:
    """Store (site_url, feed_url, how) discoveries, replacing earlier ones."""
    if not found:
        return
    latest = {site: (site, feed, how) for site, feed, how in found}
    tx.execute("DELETE FROM feed_sites WHERE site_url IN (SELECT unnest(?))", [list(latest)])
    rows = list(latest.values())
    tx.insert_rows("feed_sites", {
        "site_url": ("VARCHAR", [r[0] for r in rows]),
        "feed_url": ("VARCHAR", [r[1] for r in rows]),
        "how": ("VARCHAR", [r[2] for r in rows]),
        "found_at": ("TIMESTAMP", [now] * len(rows)),
    })
