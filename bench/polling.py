"""A thousand feeds over a simulated week: requests, delay to ingestion, politeness.

**The week.** Loopback servers on 50 addresses (127.0.0.1 .. 127.0.0.50, one virtual
host each, in their own process) serve 1,000 RSS feeds whose items appear as a simulated
clock advances: 10% publish about hourly, 30% a few times a day (every 6 hours on
average), 60% weekly, each as a Poisson process from a fixed seed. Each feed lists its 20
newest items with dates and answers conditional GETs with 304.

newsmon's own polling code runs every 15 simulated minutes (the cycle of `newsmon serve`):
which feeds are due (:func:`newsmon.sources.polling.is_due`, at the nearest cycle), the
polls over real HTTP through one :class:`newsmon.fetch.Fetcher` (pacing per host), and
each feed's next state (:func:`newsmon.sources.polling.next_state` with the default
``[polling]`` bounds). Page fetching, extraction and loading are left out here: they do
not change when a feed is polled, and a week of them would take hours. An item is
ingested at the first poll that lists it; its delay is that poll's time minus its
publication. Fixed 15-minute polling (every feed every cycle) is computed on the same
publications: its requests are feeds x cycles and an item's delay runs to the next cycle.

The gaps between two requests to one host are noted by the servers when each request
line arrives (:mod:`evaluation.hostserver`), in real time, with the gap set to 0.2 s so
the week fits in minutes (the default is 2 s; the pacing code is the same).

**Robots.txt and an idle cycle, with the default settings.** 1,000 feeds on 250 more
loopback hosts (four per host, listed host by host), each item linking one page the
host's robots.txt allows and one it disallows, go through the real cycle
(:func:`newsmon.cycle.run.run_cycle`: polls, robots.txt, page fetches, extraction,
loading into a DuckDB file) with the default 2 s gap. The servers count requests for
disallowed pages. Then an idle cycle: every feed due and unchanged (all 304).

Run: ``python -m bench.polling`` (``--quick``: 200 feeds over two days, then the rest).
"""

from __future__ import annotations

import hashlib
import logging
import math
import multiprocessing
import random
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from html import escape
from itertools import pairwise
from pathlib import Path
from typing import Any

from evaluation.hostserver import Hosts
from evaluation.pages import made_up_article
from evaluation.rows import Row

HOSTS = 50
CYCLE = timedelta(minutes=15)
START = datetime(2026, 11, 2)
GAP_S = 0.2
#: (class, share of feeds, mean hours between items)
CLASSES = (("hourly", 0.10, 1.0), ("daily", 0.30, 6.0), ("weekly", 0.60, 168.0))
LISTED = 20
SEED = 7


@dataclass
class SimFeed:
    url: str
    kind: str
    published: list[datetime]  # ascending, history before START included


@dataclass
class World:
    """The feeds and their items, by URL."""

    feeds: dict[str, SimFeed] = field(default_factory=dict)

    def document(self, feed: SimFeed, now: datetime) -> tuple[str, str]:
        """The feed as it reads at ``now``: (RSS, ETag)."""
        listed = [(k, t) for k, t in enumerate(feed.published) if t <= now][-LISTED:]
        items = "".join(
            f"<item><title>Item {k}</title><link>{feed.url}/item/{k}</link>"
            f"<guid>{feed.url}/item/{k}</guid>"
            f"<pubDate>{format_datetime(t.replace(tzinfo=UTC), usegmt=True)}</pubDate></item>"
            for k, t in reversed(listed))
        doc = (f'<?xml version="1.0"?><rss version="2.0"><channel><title>{escape(feed.url)}'
               f"</title>{items}</channel></rss>")
        return doc, '"' + hashlib.sha256(doc.encode()).hexdigest()[:16] + '"'


def add_feeds(world: World, n_feeds: int, days: int, rng: random.Random,
              hosts: list[str]) -> None:
    """``n_feeds`` feeds over the hosts, in the classes' shares, with their items."""
    end = START + timedelta(days=days)
    bounds = []
    total = 0.0
    for name, share, hours in CLASSES:
        total += share
        bounds.append((total, name, hours))
    for i in range(n_feeds):
        u = (i + 0.5) / n_feeds
        _bound, kind, mean_h = next(b for b in bounds if u < b[0])
        url = f"http://{hosts[i % len(hosts)]}/feeds/{i}"
        t = START - timedelta(hours=mean_h * LISTED)
        published = []
        while t < end:
            t += timedelta(hours=rng.expovariate(1 / mean_h))
            published.append(t.replace(microsecond=0))
        world.feeds[url] = SimFeed(url, kind, published)


def server_process(n_feeds: int, days: int, clock: Any, ports: Any, stop: Any,
                   results: Any) -> None:
    """The feed servers, in their own process: in the polling process they would share
    its interpreter lock, and the time a request waits for it would blur the gaps seen.
    ``clock`` is the simulated time (seconds since START), set by the polling process."""
    sys.setswitchinterval(0.0005)  # a woken server thread takes the interpreter soon
    world = World()
    hosts = Hosts(HOSTS, lambda host, path, headers: answer(world, clock, host, path, headers))
    add_feeds(world, n_feeds, days, random.Random(SEED), hosts.addresses)
    ports.put(hosts.addresses)
    stop.wait()
    results.put((hosts.requests(), dict(hosts.arrivals)))
    hosts.close()


def answer(world: World, clock: Any, host: str, path: str, headers: Mapping[str, str]
           ) -> tuple[int, dict[str, str], bytes]:
    feed = world.feeds.get(f"http://{host}{path}")
    if feed is None:
        return 404, {}, b"not found"
    doc, etag = world.document(feed, START + timedelta(seconds=clock.value))
    if headers.get("if-none-match") == etag:
        return 304, {"ETag": etag}, b""
    return 200, {"Content-Type": "application/rss+xml", "ETag": etag}, doc.encode()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def run(quick: bool = False) -> list[Row]:
    from newsmon.core.config import Config
    from newsmon.fetch import Fetcher, FetchPolicy
    from newsmon.sources.feed_plan import FeedSource
    from newsmon.sources.polling import is_due, next_state, poll_feeds
    from newsmon.sources.schedule import PollSchedule
    from warehouse.feed_state import FeedState

    n_feeds, days = (200, 2) if quick else (1000, 7)
    polling = Config().polling
    schedule = PollSchedule(polling.min_minutes, polling.max_minutes,
                            polling.park_after_failures, CYCLE.total_seconds() / 60)
    context = multiprocessing.get_context("spawn")
    clock = context.Value("d", 0.0, lock=False)
    ports, results, stop = context.Queue(), context.Queue(), context.Event()
    servers = context.Process(target=server_process,
                              args=(n_feeds, days, clock, ports, stop, results))
    servers.start()
    world = World()  # the same feeds and items as the servers' (same seed)
    add_feeds(world, n_feeds, days, random.Random(SEED), ports.get(timeout=60))
    policy = FetchPolicy(allow_private_networks=True, max_connections=32, max_per_host=4,
                         min_host_gap_s=GAP_S, timeout_s=10)
    sources = [FeedSource(url) for url in world.feeds]
    states: dict[str, FeedState] = {}
    seen: dict[str, set[str]] = defaultdict(set)
    delays: dict[str, list[float]] = defaultdict(list)
    fixed_delays: dict[str, list[float]] = defaultdict(list)
    end = START + timedelta(days=days)
    cycles = 0
    started = time.monotonic()
    # one fetcher for the week: its pacing spans the cycles, which real time separates
    # by 15 minutes in a real deployment and by milliseconds here
    fetcher = Fetcher(policy)
    try:
        now = START
        while now < end:
            clock.value = (now - START).total_seconds()
            due = [f for f in sources if is_due(states.get(f.url), now, schedule.slack)]
            polls = poll_feeds(fetcher, [(f, states.get(f.url)) for f in due])
            for poll in polls:
                url = poll.feed.url
                new = 0
                for entry in poll.entries:
                    key = entry.entry_id or ""
                    if key in seen[url]:
                        continue
                    seen[url].add(key)
                    new += 1
                    if entry.published and entry.published.at >= START:
                        delays[world.feeds[url].kind].append(
                            (now - entry.published.at).total_seconds() / 60)
                states[url] = next_state(poll.feed, states.get(url), poll, now, schedule, new)
            now += CYCLE
            cycles += 1
    finally:
        fetcher.close()
        stop.set()
    requests, arrivals = results.get(timeout=60)
    servers.join(timeout=60)
    elapsed = time.monotonic() - started
    # fixed 15-minute polling over the same publications: found at the next cycle
    for feed in world.feeds.values():
        for t in feed.published:
            if START <= t < end - CYCLE:
                detected = START + math.ceil((t - START) / CYCLE) * CYCLE
                fixed_delays[feed.kind].append((detected - t).total_seconds() / 60)
    fixed_requests = n_feeds * cycles
    gaps = [min((b - a for a, b in pairwise(ts)), default=float("inf"))
            for ts in (sorted(v) for v in arrivals.values())]
    name = f"polling / {n_feeds:,} feeds, {days} days"
    rows = [
        Row(name, "requests, adaptive intervals", f"{requests:,}",
            baseline=f"{fixed_requests:,} (every feed every 15 min)",
            goal="<= 30% of fixed polling", met=requests <= 0.3 * fixed_requests,
            note=f"{requests / fixed_requests:.1%} of fixed polling; {cycles} cycles "
                 f"of 15 simulated minutes in {elapsed:.0f} s"),
    ]
    for kind, _share, hours in CLASSES:
        ours, fixed = delays[kind], fixed_delays[kind]
        rows.append(Row(
            name, f"delay publication -> ingestion, {kind} feeds (one item every "
                  f"{hours:g} h): median / p95",
            f"{statistics.median(ours):.0f} / {percentile(ours, 0.95):.0f} min",
            baseline=f"{statistics.median(fixed):.0f} / {percentile(fixed, 0.95):.0f} min",
            goal="median <= one cycle (15 min)" if kind == "hourly" else "",
            met=statistics.median(ours) <= CYCLE.total_seconds() / 60 if kind == "hourly"
            else None,
            note=f"{len(ours):,} items"))
    every_gap = sorted(b - a for ts in (sorted(v) for v in arrivals.values())
                       for a, b in pairwise(ts))
    rows.append(Row(name, "gap between two requests to one host, as the servers saw them: "
                          "minimum / 1st percentile / median",
                    f"{min(gaps) * 1000:.0f} / {percentile(every_gap, 0.01) * 1000:.0f} / "
                    f"{statistics.median(every_gap) * 1000:.0f} ms",
                    goal=f"minimum >= {GAP_S * 1000:.0f} ms", met=min(gaps) >= GAP_S,
                    note=f"configured {GAP_S * 1000:.0f} ms; {sum(g < GAP_S for g in every_gap)} "
                         f"of {len(every_gap):,} gaps over {HOSTS} hosts shorter"))
    with tempfile.TemporaryDirectory(prefix="newsmon-bench-polling-") as tmp:
        rows += run_idle(Path(tmp))
    return rows


IDLE_HOSTS = 250
IDLE_FEEDS = 1000
ROBOTS = "User-agent: *\nDisallow: /private/\n"
def site_process(addresses: Any, stop: Any, results: Any) -> None:
    """``IDLE_HOSTS`` sites, four feeds each, every item linking one page robots.txt
    allows and one it disallows; the feeds never change after the first poll."""
    sys.setswitchinterval(0.0005)
    rng = random.Random(SEED)
    paths: dict[str, int] = defaultdict(int)
    pages: dict[str, bytes] = {}

    def answer(host: str, path: str, headers: Mapping[str, str]
               ) -> tuple[int, dict[str, str], bytes]:
        kind = path.split("/")[1]
        paths[kind] += 1
        if path == "/robots.txt":
            return 200, {"Content-Type": "text/plain"}, ROBOTS.encode()
        if kind == "feeds":
            items = "".join(
                f"<item><title>{k}</title><link>http://{host}/{k}{path[6:]}</link>"
                f"<guid>http://{host}/{k}{path[6:]}</guid></item>" for k in ("news", "private"))
            doc = (f'<?xml version="1.0"?><rss version="2.0"><channel><title>{path}</title>'
                   f"{items}</channel></rss>").encode()
            etag = '"' + hashlib.sha256(doc).hexdigest()[:16] + '"'
            if headers.get("if-none-match") == etag:
                return 304, {"ETag": etag}, b""
            return 200, {"Content-Type": "application/rss+xml", "ETag": etag}, doc
        if kind in ("news", "private"):
            key = host + path
            if key not in pages:
                pages[key] = made_up_article(rng, f"Report {path}").encode()
            return 200, {"Content-Type": "text/html; charset=utf-8"}, pages[key]
        return 404, {}, b"not found"

    hosts = Hosts(IDLE_HOSTS, answer, block=1)
    addresses.put(hosts.addresses)
    stop.wait()
    results.put((dict(paths), dict(hosts.arrivals)))
    hosts.close()


def run_idle(tmp: Path) -> list[Row]:
    """Robots.txt and an idle cycle, through ``run_cycle`` with the default settings."""
    from newsmon.core.config import Config
    from newsmon.core.settings import Settings
    from newsmon.cycle.run import run_cycle
    from newsmon.sources.feed_plan import FeedPlan, FeedSource, plan_from_config

    context = multiprocessing.get_context("spawn")
    addresses, results, stop = context.Queue(), context.Queue(), context.Event()
    servers = context.Process(target=site_process, args=(addresses, stop, results))
    servers.start()
    hosts = addresses.get(timeout=60)
    # listed site by site, as a configuration grouped by publisher would be
    urls = [f"http://{hosts[i // 4]}/feeds/{i}" for i in range(IDLE_FEEDS)]
    (tmp / "newsmon.toml").write_text("", encoding="utf-8")
    settings = Settings(db=tmp / "idle.duckdb", config=tmp / "newsmon.toml",
                        allow_private_networks=True)
    defaults = plan_from_config(Config(), settings)
    plan = FeedPlan(tuple(FeedSource(u) for u in urls), defaults.policy, False,
                    defaults.schedule)
    gap = plan.policy.min_host_gap_s
    quiet = logging.getLogger("newsmon")
    level = quiet.level
    quiet.setLevel(logging.ERROR)  # a line per disallowed page otherwise
    try:
        first = run_cycle(settings, [], "bench", feeds=plan)
        time.sleep(gap)  # cycles are minutes apart in use
        idle = run_cycle(settings, [], "bench", feeds=FeedPlan(plan.feeds, plan.policy, True,
                                                               plan.schedule))
        time.sleep(gap)
        none_due = run_cycle(settings, [], "bench", feeds=plan)
    finally:
        quiet.setLevel(level)
        stop.set()
    paths, arrivals = results.get(timeout=60)
    servers.join(timeout=60)
    gaps = [b - a for ts in arrivals.values() for a, b in pairwise(sorted(ts))]
    name = f"polling / {IDLE_FEEDS:,} feeds on {IDLE_HOSTS} hosts, default settings"
    assert idle.feeds is not None and none_due.feeds is not None
    return [
        Row(name, "linked pages robots.txt disallows: requested / rejected as "
                  "robots_disallowed", f"{paths.get('private', 0)} / "
                                      f"{first.reasons.get('robots_disallowed', 0):,}",
            goal="0 requested", met=paths.get("private", 0) == 0,
            note=f"{paths.get('news', 0):,} allowed pages fetched, {first.added:,} stored; "
                 f"robots.txt read {paths.get('robots.txt', 0)} times (once per host and "
                 f"cycle); first cycle {first.seconds:.0f} s"),
        Row(name, "idle cycle: every feed due and unchanged (304), through run_cycle",
            f"{idle.seconds:.1f} s", goal="<= 10 s", met=idle.seconds <= 10,
            note=f"{idle.feeds.not_modified:,} of {idle.feeds.polled:,} polls unchanged; "
                 f"four feeds per host at the default {gap:g} s gap take at least "
                 f"{3 * gap:g} s"),
        Row(name, "cycle with no feed due", f"{none_due.seconds:.1f} s",
            note=f"{none_due.feeds.backed_off:,} feeds not due"),
        Row(name, "gap between two requests to one host, as the servers saw them: minimum",
            f"{min(gaps) * 1000:,.0f} ms", goal=f">= {gap * 1000:,.0f} ms",
            met=min(gaps) >= gap, note=f"{len(gaps):,} gaps"),
    ]


def main() -> None:
    for row in run(quick="--quick" in sys.argv):
        print(row)


if __name__ == "__main__":
    main()
