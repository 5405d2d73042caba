"""What a cycle polls: the feeds, from the configuration or the command line, with the
``[network]`` policy, the schedule's bounds and this worker's share of them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from newsmon.core.config import Config
from newsmon.core.settings import Settings
from newsmon.core.shard import Shard
from newsmon.fetch import FetchPolicy
from newsmon.sources.schedule import PollSchedule


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
    #: the largest saved feed, archive or OPML list read (``NEWSMON_MAX_FILE_BYTES``): a
    #: file, held to the file limit, not to ``[network] max_response_bytes``
    max_file_bytes: int = 10_000_000


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
    mine = tuple(f for f in unique_feeds(feeds) if settings.worker.owns(f.url))
    return FeedPlan(mine, policy_from_config(config, settings), force, schedule,
                    shard=settings.worker, max_new_items=polling.max_new_items,
                    max_file_bytes=settings.max_file_bytes)


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
        host_down_after=net.host_down_after,
        allow_private_networks=net.allow_private_networks or settings.allow_private_networks,
    )
    agent = net.user_agent or policy.user_agent
    if net.contact:
        agent = f"{agent} +{net.contact}"
    return replace(policy, user_agent=agent)


def unique_feeds(feeds: Sequence[FeedSource]) -> tuple[FeedSource, ...]:
    """Each feed once, by URL; the first mention keeps its settings."""
    seen: dict[str, FeedSource] = {}
    for feed in feeds:
        seen.setdefault(feed.url, feed)
    return tuple(seen.values())


def source_for_url(url: str, *, name: str | None = None) -> FeedSource:
    """A feed given on the command line (``newsmon ingest URL``)."""
    return FeedSource(url=url, name=name)
