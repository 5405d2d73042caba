"""Each feed's next poll: its publishing rate and declarations, within bounds."""

from __future__ import annotations

from datetime import datetime, timedelta

from extractors.feed_parser import FeedEntry, parse_feed
from newsmon.core.records import Dated, DatePrecision
from newsmon.sources.schedule import (
    PollSchedule,
    cache_minutes,
    next_interval,
    publishing_gap_minutes,
)

BOUNDS = PollSchedule(min_minutes=10, max_minutes=1440, park_after_failures=5)
START = datetime(2026, 11, 1)


def dated(every: timedelta, n: int) -> tuple[FeedEntry, ...]:
    return tuple(FeedEntry(entry_id=str(k), link=f"https://x.example/{k}",
                           published=Dated(START + k * every, DatePrecision.SECOND))
                 for k in range(n))


def test_the_publishing_gap_is_the_mean_gap_between_dated_entries() -> None:
    assert publishing_gap_minutes(dated(timedelta(hours=1), 20)) == 60
    assert publishing_gap_minutes(dated(timedelta(days=1), 2)) is None  # one gap says little
    undated = (FeedEntry(entry_id="a", link="https://x.example/a"),) * 5
    assert publishing_gap_minutes(undated) is None


def test_intervals_follow_the_rate_within_the_bounds() -> None:
    def interval(every: timedelta) -> float:
        return next_interval(BOUNDS, None, changed=True, new_items=3,
                             entries=dated(every, 20))

    assert interval(timedelta(hours=1)) == 15  # four times per gap
    assert interval(timedelta(hours=10)) == 150
    assert interval(timedelta(minutes=2)) == 10  # never more often than min_minutes
    assert interval(timedelta(weeks=1)) == 1440  # at least once a day


def test_declarations_and_cache_headers_are_floors() -> None:
    hourly = dated(timedelta(hours=1), 20)
    assert next_interval(BOUNDS, None, changed=True, new_items=1, entries=hourly,
                         declared=180) == 180
    assert next_interval(BOUNDS, None, changed=True, new_items=1, entries=hourly,
                         cached=90) == 90
    assert next_interval(BOUNDS, None, changed=True, new_items=1, entries=hourly,
                         declared=1) == 15  # a floor, not a target


def test_without_dates_the_interval_grows_when_idle_and_shrinks_with_news() -> None:
    assert next_interval(BOUNDS, 100, changed=False, new_items=0) == 150  # a 304
    assert next_interval(BOUNDS, 100, changed=True, new_items=0) == 150
    assert next_interval(BOUNDS, 100, changed=True, new_items=4) == 25
    assert next_interval(BOUNDS, 1200, changed=False, new_items=0) == 1440
    assert next_interval(BOUNDS, None, changed=True, new_items=1) == 10  # a new feed


def test_cache_headers_are_read() -> None:
    assert cache_minutes({"cache-control": "public, max-age=600"}) == 10
    now = datetime(2026, 12, 1, 12, 0)
    assert cache_minutes({"expires": "Tue, 01 Dec 2026 12:30:00 GMT"}, now) == 30
    assert cache_minutes({"expires": "garbage"}) is None
    assert cache_minutes({}) is None


def test_feeds_declare_ttl_and_update_period() -> None:
    def declared(channel: str) -> float | None:
        doc = ('<?xml version="1.0"?><rss version="2.0" xmlns:sy="http://purl.org/rss/1.0/'
               f'modules/syndication/"><channel><title>t</title>{channel}<item><title>a'
               '</title><link>https://x.example/a</link></item></channel></rss>')
        return parse_feed(doc.encode(), {}, "https://x.example/feed").declared_minutes

    assert declared("<ttl>45</ttl>") == 45
    assert declared("<sy:updatePeriod>hourly</sy:updatePeriod>"
                    "<sy:updateFrequency>2</sy:updateFrequency>") == 30
    assert declared("<ttl>45</ttl><sy:updatePeriod>daily</sy:updatePeriod>") == 1440
    assert declared("<ttl>soon</ttl><sy:updatePeriod>often</sy:updatePeriod>") is None


def test_a_quiet_poll_keeps_the_interval_until_two_publishing_gaps_pass() -> None:
    # an hourly feed polled every 15 minutes: nothing new on most polls, by design
    assert next_interval(BOUNDS, 15, changed=False, new_items=0, quiet_minutes=45) == 15
    assert next_interval(BOUNDS, 15, changed=True, new_items=0, quiet_minutes=100,
                         entries=dated(timedelta(hours=1), 20)) == 15
    # two hours (two gaps of four polls) without an item: the feed went quiet
    assert next_interval(BOUNDS, 15, changed=False, new_items=0, quiet_minutes=120) == 22.5
    assert next_interval(BOUNDS, 15, changed=False, new_items=0) == 22.5  # never seen new


def test_a_feed_is_polled_at_the_cycle_nearest_its_due_time() -> None:
    from newsmon.sources.polling import is_due
    from warehouse.feed_state import FeedState

    cycles = PollSchedule(min_minutes=10, max_minutes=1440, cycle_minutes=15)
    state = FeedState(url="https://x.example/feed",
                      next_poll_after=START + timedelta(minutes=22))
    assert is_due(state, START + timedelta(minutes=15), cycles.slack)  # 7 min early: nearest
    assert not is_due(state, START + timedelta(minutes=14), cycles.slack)
    assert not is_due(state, START + timedelta(minutes=15))  # no cycle: on the minute
