"""When to poll a feed next: from how often it publishes, within bounds.

Polling every feed every cycle wastes requests on feeds that publish weekly and is late
on those that publish hourly. Like Media Cloud's rss-fetcher and miniflux, each feed gets
its own interval:

* its **publishing rate**: the mean gap between the dated entries it lists (a feed of 20
  entries over ten days publishes about every 12 hours), polled four times per gap
  (every 3 hours), so an item waits an eighth of a gap on average and an hourly feed's
  items arrive within a 15-minute cycle; a new feed is scheduled well from its first
  poll. Without dates, the interval grows by half when a poll brings nothing new and
  shrinks with the number of new items when it does;
* what it **declares**: ``<ttl>``, ``sy:updatePeriod``/``sy:updateFrequency`` and the
  response's ``Cache-Control: max-age`` / ``Expires`` are floors: the publisher asks not
  to be asked sooner;
* a poll that brings nothing new (a 304, the same bytes again, or only items already
  seen) keeps the interval while the feed has been quiet for less than two publishing
  gaps (an hourly feed polled every 15 minutes has nothing new on most polls, by design),
  and lengthens it by half after that: a feed that stopped publishing is asked less and
  less often;
* all clamped to ``[polling] min_minutes .. max_minutes`` (10 minutes to a day). A
  ``poll_minutes`` on the feed replaces all of it.

Cycles come every ``[schedule] cycle_minutes``; a feed is polled at the cycle nearest its
due time (:meth:`PollSchedule.slack`), so a 16-minute interval under 15-minute cycles
means every cycle, not every other one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from extractors.feed_parser import FeedEntry
from newsmon.fetch import retry_after_seconds

#: Entries with dates a rate needs: two give one gap, which says little.
MIN_DATED_ENTRIES = 3
#: Growth of the interval after a poll that brought nothing new.
GROWTH = 1.5
#: Polls per publishing gap.
POLLS_PER_GAP = 4
#: Publishing gaps without a new item before a feed counts as quiet.
QUIET_GAPS = 2


@dataclass(frozen=True, slots=True)
class PollSchedule:
    """Bounds of adaptive intervals; ``max_minutes == 0`` polls every cycle (no adapting)."""

    min_minutes: float = 0.0
    max_minutes: float = 0.0
    park_after_failures: int = 0  # 0: never park
    cycle_minutes: float = 0.0  # the cycle's period; 0: polls are due on the minute

    @property
    def slack(self) -> timedelta:
        """How early a feed may be polled: half a cycle, so it goes at the nearest one."""
        return timedelta(minutes=self.cycle_minutes / 2)

    @property
    def adaptive(self) -> bool:
        return self.max_minutes > 0

    def clamp(self, minutes: float) -> float:
        return min(max(minutes, self.min_minutes), self.max_minutes)


def publishing_gap_minutes(entries: Sequence[FeedEntry]) -> float | None:
    """Mean minutes between the feed's dated entries (None with fewer than three)."""
    times = sorted(e.published.at for e in entries if e.published is not None)
    if len(times) < MIN_DATED_ENTRIES:
        return None
    span = (times[-1] - times[0]).total_seconds() / 60
    return span / (len(times) - 1) if span > 0 else None


def cache_minutes(headers: Mapping[str, str], now: datetime | None = None) -> float | None:
    """How long the response says it stays fresh: ``max-age``, else ``Expires``."""
    control = headers.get("cache-control", "")
    for part in control.split(","):
        name, _, value = part.strip().partition("=")
        if name.lower() in ("max-age", "s-maxage") and value.strip().isdigit():
            return int(value) / 60
    # an HTTP date, read as a Retry-After date is: seconds from now
    seconds = retry_after_seconds(headers.get("expires"),
                                  now.replace(tzinfo=UTC) if now is not None else None)
    return None if seconds is None else seconds / 60


def next_interval(
    schedule: PollSchedule,
    previous: float | None,
    *,
    changed: bool,
    new_items: int,
    entries: Sequence[FeedEntry] = (),
    declared: float | None = None,
    cached: float | None = None,
    quiet_minutes: float | None = None,
) -> float:
    """Minutes until the next poll of a feed that just answered (see module docstring).

    ``quiet_minutes`` is the time since the feed last brought a new item (None: unknown,
    which counts as quiet).
    """
    last = previous if previous is not None else schedule.min_minutes
    gap = publishing_gap_minutes(entries) if changed else None
    if gap is not None:
        estimate = gap / POLLS_PER_GAP
    elif changed and new_items:
        estimate = last / new_items
    else:
        estimate = last
    if new_items == 0:
        quiet = quiet_minutes is None or quiet_minutes >= QUIET_GAPS * POLLS_PER_GAP * estimate
        if quiet:
            estimate = max(estimate, last) * GROWTH
    floor = max(declared or 0.0, cached or 0.0)
    return schedule.clamp(max(estimate, floor))
