"""Feed state and handled items in the warehouse (migration 0003), on both targets."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from warehouse import Warehouse, migrations
from warehouse.feed_state import (
    MAX_ITEM_ATTEMPTS,
    FeedItemRow,
    FeedState,
    done_item_keys,
    load_feed_states,
    record_items,
    save_feed_states,
)

NOW = datetime(2025, 3, 1, 12, 0)


def test_migration_0003_is_numbered_without_gaps() -> None:
    names = {(m.version, m.name) for m in migrations()}
    assert (3, "feeds") in names


def test_feed_state_round_trips_and_is_replaced(db_path: Path) -> None:
    wh = Warehouse(db_path)
    assert load_feed_states(wh, ["http://a/feed"]) == {}  # no file yet: nothing known
    state = FeedState(
        url="http://a/feed", name="A", etag='"x"', last_modified="Wed, 21 Oct 2015 07:28:00 GMT",
        last_polled_at=NOW, last_success_at=NOW, last_status="ok", last_http_status=200,
        consecutive_failures=0, next_poll_after=None, entries_last_poll=12,
    )
    other = FeedState(url="http://b/feed", consecutive_failures=3,
                      next_poll_after=NOW + timedelta(hours=1), last_status="http_5xx")
    with wh.writer() as tx:
        save_feed_states(tx, [state, other])
    assert load_feed_states(Warehouse(db_path), ["http://a/feed", "http://b/feed"]) == {
        "http://a/feed": state, "http://b/feed": other
    }
    failed = FeedState(url="http://a/feed", consecutive_failures=1, last_status="timeout")
    with wh.writer() as tx:
        save_feed_states(tx, [failed])
    assert load_feed_states(wh, ["http://a/feed"]) == {"http://a/feed": failed}
    assert wh.query("SELECT count(*) FROM feeds").rows == [(2,)]


def test_items_are_done_unless_transient_and_give_up_after_max_attempts(db_path: Path) -> None:
    wh = Warehouse(db_path)
    article = FeedItemRow("http://x/1", "http://x/feed", "1", "http://x/1", "article", 42, False)
    gone = FeedItemRow("http://x/2", "http://x/feed", "2", "http://x/2", "http_404", None, False)
    flaky = FeedItemRow("http://x/3", "http://x/feed", "3", "http://x/3", "timeout", None, True)
    with wh.writer() as tx:
        record_items(tx, [article, gone, flaky], NOW)
    keys = ["http://x/1", "http://x/2", "http://x/3", "http://x/new"]
    assert done_item_keys(wh, keys) == {"http://x/1", "http://x/2"}
    for attempt in range(2, MAX_ITEM_ATTEMPTS + 1):
        with wh.writer() as tx:
            record_items(tx, [flaky], NOW + timedelta(minutes=attempt))
    assert done_item_keys(wh, keys) == {"http://x/1", "http://x/2", "http://x/3"}
    rows = wh.query(
        "SELECT attempts, first_seen_at, last_tried_at FROM feed_items WHERE item_key = 'http://x/3'"
    ).rows
    assert rows == [(MAX_ITEM_ATTEMPTS, NOW, NOW + timedelta(minutes=MAX_ITEM_ATTEMPTS))]
