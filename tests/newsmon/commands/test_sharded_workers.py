"""Several `newsmon run` workers on one PostgreSQL lake: sharded feeds, nothing lost or
doubled, a worker killed mid-run and started again, a reader counting throughout."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from werkzeug import Request, Response

from evaluation import postgres
from evaluation.feedserver import FeedSite, rss, start_site
from evaluation.pages import made_up_article
from newsmon.core.shard import Shard
from warehouse import Warehouse

pytestmark = pytest.mark.slow

PAGES = 30
FEEDS = 6


@pytest.fixture
def server(pg_server: postgres.Server) -> postgres.Server:
    return pg_server


@pytest.fixture
def site() -> Iterator[FeedSite]:
    yield from start_site()


def serve_world(site: FeedSite) -> list[str]:
    """30 pages, each linked by two of six feeds (so two workers may meet it), the feeds
    shared out three to each of two workers; every page answers slowly enough for a run
    to be killed midway."""
    rng = random.Random(3)
    for n in range(PAGES):
        html = made_up_article(rng, f"Report {n}", sentences=12)

        def slow(_r: Request, html: str = html) -> Response:
            time.sleep(0.15)
            return Response(html, 200, {"Content-Type": "text/html; charset=utf-8"})

        site.route(f"/story/{n}", slow)
    feeds = []
    for f in range(FEEDS):
        linked = [(5 * f + k) % PAGES for k in range(10)]
        items = [{"title": f"Report {n}", "link": site.url(f"/story/{n}"),
                  "guid": site.url(f"/story/{n}")} for n in linked]
        url = site.serve(f"/feed/{f}.xml", rss(items), "application/rss+xml")
        # feeds alternate between two workers: a query the site ignores moves a feed's
        # hash (the port is random, and six URLs could all land on one worker)
        variant = 0
        while not Shard(f % 2, 2).owns(url + (f"?v={variant}" if variant else "")):
            variant += 1
        feeds.append(url + (f"?v={variant}" if variant else ""))
    return feeds


def test_sharded_workers_store_every_article_once(server: postgres.Server, site: FeedSite,
                                                  tmp_path: Path) -> None:
    feeds = serve_world(site)
    shards = [Shard(0, 2), Shard(1, 2)]
    assert sorted(f for s in shards for f in feeds if s.owns(f)) == sorted(feeds)
    assert all(any(s.owns(f) for f in feeds) for s in shards)  # both have work
    config = tmp_path / "newsmon.toml"
    config.write_text("".join(f'[[feeds]]\nurl = "{u}"\n\n' for u in feeds) +
                      "[network]\nmin_host_gap_s = 0\nmax_per_host = 2\n", encoding="utf-8")
    url = server.create_database("workers")
    data = tmp_path / "lake-data"
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSMON_")}
    env.update({"NEWSMON_DB": url, "NEWSMON_LAKE_DATA": str(data),
                "NEWSMON_CONFIG": str(config), "NEWSMON_ALLOW_PRIVATE_NETWORKS": "1",
                "NEWSMON_PREFECT": "never", "NEWSMON_BATCH_SIZE": "4",
                "NEWSMON_SEARCH_INDEX": str(tmp_path / "search")})
    newsmon = str(Path(sys.executable).parent / "newsmon")

    def worker(shard: Shard) -> subprocess.Popen[str]:
        return subprocess.Popen([newsmon, "run"], env={**env, "NEWSMON_SHARD": str(shard)},
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    running = {s.index: worker(s) for s in shards}
    lake = Warehouse(url, data_path=data)
    counts = []
    killed = False
    while any(p.poll() is None for p in running.values()):
        if lake.exists():
            counts.append(lake.query("SELECT count(*) FROM articles").rows[0][0])
        if not killed and counts and counts[-1] >= 4:
            os.kill(running[1].pid, signal.SIGKILL)  # mid-run: some batches in, not all
            running[1].wait()
            running[1] = worker(shards[1])  # started again: its share once more
            killed = True
        time.sleep(0.1)
    for p in running.values():
        _out, err = p.communicate()
        assert p.returncode == 0, err
    assert killed
    assert counts == sorted(counts)  # whole batches, never a row taken back
    assert lake.query("SELECT count(*), count(DISTINCT article_id), count(DISTINCT url) "
                      "FROM articles").rows == [(PAGES, PAGES, PAGES)]
    # the day-story pairs the racing writers kept match their articles, each once
    assert lake.query("SELECT day, story_id FROM story_days ORDER BY ALL").rows == lake.query(
        "SELECT DISTINCT date_trunc('day', event_at), story_id FROM article_times "
        "ORDER BY ALL").rows
    # every feed was polled by its own worker alone: once, or twice for the restarted one
    polls = {f: len(site.requests(f"/feed/{k}.xml")) for k, f in enumerate(feeds)}
    assert all(n == 1 for f, n in polls.items() if shards[0].owns(f)), polls
    assert all(n in (1, 2) for f, n in polls.items() if shards[1].owns(f)), polls


def test_spike_detection_is_claimed_by_one_worker_per_cycle(server: postgres.Server,
                                                            tmp_path: Path) -> None:
    lake = Warehouse(server.create_database("claims"), data_path=tmp_path)
    assert lake.claim_once("alerts", "window-1")
    assert not lake.claim_once("alerts", "window-1")  # a second worker, same cycle
    assert lake.claim_once("alerts", "window-2")
    assert Warehouse(tmp_path / "w.duckdb").claim_once("alerts", "window-1")  # one process


def test_workers_claiming_at_once_on_a_fresh_lake_get_one_yes_and_no_error(
        server: postgres.Server, tmp_path: Path) -> None:
    """Two serve workers' first cycles claimed spike detection at the same moment, and
    both created the claims table: PostgreSQL's CREATE TABLE IF NOT EXISTS is no guard
    against a concurrent one (a unique violation on pg_type stopped one worker's run)."""
    for attempt in range(5):
        lake = Warehouse(server.create_database(f"claims_race_{attempt}"), data_path=tmp_path)
        start = threading.Barrier(8)

        def claim(lake: Warehouse = lake, start: threading.Barrier = start) -> bool:
            start.wait()
            return lake.claim_once("alerts", "window-1")

        with ThreadPoolExecutor(8) as pool:
            answers = [f.result() for f in [pool.submit(claim) for _ in range(8)]]
        assert answers.count(True) == 1
