"""A thousand feeds over a simulated week: requests, delay to ingestion, politeness.

Loopback servers on 50 addresses (127.0.0.1 .. 127.0.0.50, one virtual host each) serve
1,000 RSS feeds whose items appear as a simulated clock advances: 10% publish about
hourly, 30% a few times a day (every 6 hours on average), 60% weekly, each as a Poisson
process from a fixed seed. Each feed lists its 20 newest items with dates and answers
conditional GETs with 304.

newsmon's own polling code runs every 15 simulated minutes (the cycle of `newsmon serve`):
which feeds are due (:func:`newsmon.sources.feeds.is_due`), the polls over real HTTP
through one :class:`newsmon.fetch.Fetcher` per cycle (pacing per host), and each feed's
next state (:func:`newsmon.sources.feeds.next_state` with the default ``[polling]``
bounds). Page fetching, extraction and loading are left out: they do not change when a
feed is polled, and a week of them would take hours. An item is ingested at the first
poll that lists it; its delay is that poll's time minus its publication.

Fixed 15-minute polling (every feed every cycle) is computed on the same publications:
its requests are feeds x cycles and an item's delay runs to the next cycle.

The gaps between two requests to one host are observed at the servers (their own
process), in real time, with the gap set to 0.2 s so the week fits in minutes (the
default is 2 s; the pacing code is the same). A request claims its start only once the
gap has passed, but a Python client may then take some milliseconds to put it on the
wire, so the smallest gap seen is a little under the configured one.

Run: ``python -m bench.polling`` (``--quick``: 200 feeds over two days).
"""

from __future__ import annotations

import hashlib
import logging
import math
import multiprocessing
import random
import re
import statistics
import sys
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from html import escape
from itertools import pairwise
from typing import Any

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
    """The simulated clock and the feeds' items; the servers read both."""

    now: datetime = START
    feeds: dict[str, SimFeed] = field(default_factory=dict)  # by (host, path)
    arrivals: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    requests: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def document(self, feed: SimFeed) -> tuple[str, str]:
        """The feed as it reads now: (RSS, ETag)."""
        listed = [(k, t) for k, t in enumerate(feed.published) if t <= self.now][-LISTED:]
        items = "".join(
            f"<item><title>Item {k}</title><link>{feed.url}/item/{k}</link>"
            f"<guid>{feed.url}/item/{k}</guid>"
            f"<pubDate>{format_datetime(t.replace(tzinfo=UTC), usegmt=True)}</pubDate></item>"
            for k, t in reversed(listed))
        doc = (f'<?xml version="1.0"?><rss version="2.0"><channel><title>{escape(feed.url)}'
               f"</title>{items}</channel></rss>")
        return doc, '"' + hashlib.sha256(doc.encode()).hexdigest()[:16] + '"'


def add_feeds(world: World, n_feeds: int, days: int, rng: random.Random,
              ports: list[int]) -> None:
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
        host = i % HOSTS
        url = f"http://127.0.0.{host + 1}:{ports[host]}/feeds/{i}"
        t = START - timedelta(hours=mean_h * LISTED)
        published = []
        while t < end:
            t += timedelta(hours=rng.expovariate(1 / mean_h))
            published.append(t.replace(microsecond=0))
        world.feeds[url] = SimFeed(url, kind, published)


def serve(world: World, host: str, clock: Any) -> tuple[Any, int]:
    """A threaded server on ``host`` answering its feeds as of the simulated ``clock``
    (seconds since START, shared with the polling process)."""
    from pytest_httpserver import HTTPServer
    from werkzeug import Request, Response

    server = HTTPServer(host=host, port=0, threaded=True)

    def handle(request: Request) -> Response:
        with world.lock:
            world.requests += 1
            world.arrivals[host].append(time.monotonic())
        feed = world.feeds.get(f"http://{request.host}{request.path}")
        if feed is None:
            return Response("not found", 404)
        world.now = START + timedelta(seconds=clock.value)
        doc, etag = world.document(feed)
        if request.headers.get("If-None-Match") == etag:
            return Response(status=304, headers={"ETag": etag})
        return Response(doc, 200, {"Content-Type": "application/rss+xml", "ETag": etag})

    server.expect_request(re.compile(".*")).respond_with_handler(handle)
    server.start()
    return server, int(server.port)


def server_process(n_feeds: int, days: int, clock: Any, ports: Any, stop: Any,
                   results: Any) -> None:
    """The feed servers, in their own process: in the polling process they would share
    its interpreter lock, and the time a request waits for it would blur the gaps seen."""
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # a line per request otherwise
    world = World()
    servers = [serve(world, f"127.0.0.{k + 1}", clock) for k in range(HOSTS)]
    port_list = [port for _server, port in servers]
    add_feeds(world, n_feeds, days, random.Random(SEED), port_list)
    ports.put(port_list)
    stop.wait()
    for server, _port in servers:
        server.stop()
    results.put((world.requests, dict(world.arrivals)))


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def run(quick: bool = False) -> list[Row]:
    from newsmon.core.config import Config
    from newsmon.fetch import Fetcher, FetchPolicy
    from newsmon.sources.feeds import FeedSource, is_due, next_state, poll_feeds
    from newsmon.sources.schedule import PollSchedule
    from warehouse.feed_state import FeedState

    n_feeds, days = (200, 2) if quick else (1000, 7)
    polling = Config().polling
    schedule = PollSchedule(polling.min_minutes, polling.max_minutes,
                            polling.park_after_failures)
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
    claimed: dict[str, list[float]] = defaultdict(list)

    class Recording(Fetcher):
        """Notes when each request got its turn (the pacing's own view of the gaps)."""

        def _pace(self, host: str) -> float:
            waited = super()._pace(host)
            claimed[host].append(time.monotonic())
            return waited

    fetcher = Recording(policy)
    try:
        now = START
        while now < end:
            clock.value = (now - START).total_seconds()
            due = [f for f in sources if is_due(states.get(f.url), now)]
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
            note=f"{len(ours):,} items"))
    every_gap = sorted(b - a for ts in (sorted(v) for v in arrivals.values())
                       for a, b in pairwise(ts))
    rows.append(Row(name, "gap between two requests to one host, as the servers saw them: "
                          "minimum / 1st percentile / median",
                    f"{min(gaps) * 1000:.0f} / {percentile(every_gap, 0.01) * 1000:.0f} / "
                    f"{statistics.median(every_gap) * 1000:.0f} ms",
                    note=f"configured {GAP_S * 1000:.0f} ms; {len(every_gap):,} gaps over "
                         f"{HOSTS} hosts; includes each server's own delay in taking a request "
                         "on two shared cores"))
    turns = [b - a for ts in claimed.values() for a, b in pairwise(sorted(ts))]
    rows.append(Row(name, "gap between two requests to one host, as paced (when each got "
                          "its turn): minimum", f"{min(turns) * 1000:.0f} ms",
                    goal=f">= {GAP_S * 1000:.0f} ms", met=min(turns) >= GAP_S - 0.001,
                    note=f"{len(turns):,} gaps"))
    return rows


def main() -> None:
    for row in run(quick="--quick" in sys.argv):
        print(row)


if __name__ == "__main__":
    main()
