"""The web page at 100,000 articles: how fast each page answers, at the 95th percentile.

The articles of ``bench.search`` (100,000 distinct German articles), appended as a
monitored warehouse grows (in time order, 1,000 at a time, over the 30 days up to now),
are given what such a warehouse has: topics with evidence on 30% of the articles,
tracked entities on 40%, stories of three articles, 200 feeds with their items, 5,000
rejects and 30 stored alerts; the search index is built. Then the real ``newsmon web``
runs in its own process, with one watched entity and one saved search configured, and
every route is requested over loopback, one request at a time: one warm-up, then
``REQUESTS`` timed. Goal: p95 <= 0.3 s on every page.

Run: ``python -m bench.web`` (``--quick``: 10,000 articles).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from evaluation.rows import Row

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = 100_000
REQUESTS = 40
GOAL_P95_S = 0.3
TOPICS = ("arms_trade", "sanctions", "diplomacy", "military_cooperation", "missiles_space",
          "nuclear", "war_ukraine", "humanitarian_aid")
ENTITIES = ("russia", "north_korea", "ukraine", "vladimir_putin", "kim_jong_un", "china")
CONFIG = """
[alerts.entities.russia]
[alerts.searches.sanktionen]
query = "Sanktionen OR Embargo"
"""


def enrich(db: Path, now: datetime) -> None:
    """Tags, entities, stories, feeds, rejects and alerts over the articles."""
    from warehouse import Warehouse

    topics = "[" + ", ".join(f"'{t}'" for t in TOPICS) + "]"
    entities = "[" + ", ".join(f"'{e}'" for e in ENTITIES) + "]"
    evidence = ("json_array(json_object('term', 'bench*', 'text', substr(a.text, 11, 12), "
                "'start', 10, 'end', 22, 'weight', 3.0, 'field', 'text'), "
                "json_object('term', 'zwei', 'text', substr(a.text, 41, 8), 'start', 40, "
                "'end', 48, 'weight', 1.0, 'field', 'text'))")
    with Warehouse(db).writer() as tx:
        tx.execute(
            "CREATE TEMP TABLE grouped AS SELECT article_id, (row_number() OVER "
            "(ORDER BY published_at, article_id) - 1) // 3 AS grp FROM articles")
        tx.execute(
            "UPDATE articles SET story_id = s.story_id FROM (SELECT article_id, "
            "min(article_id) OVER (PARTITION BY grp) AS story_id FROM grouped) s "
            "WHERE articles.article_id = s.article_id")
        tx.rebuild_story_days()  # stories changed in SQL, not through the writer
        tx.execute(
            f"INSERT INTO article_topics SELECT a.article_id, {topics}[(1 + hash(a.article_id) "
            f"// 10 % 8)::BIGINT], 8.0, {evidence}, 'bench', a.ingested_at FROM articles a "
            "WHERE hash(a.article_id) % 10 < 3")
        tx.execute(
            f"INSERT INTO article_entities SELECT article_id, {entities}[(1 + hash(article_id) "
            "// 100 % 6)::BIGINT], 3, 'place', 'bench' FROM articles "
            "WHERE hash(article_id) % 10 < 4")
        tx.execute(
            "INSERT INTO feeds (url, name, etag, last_modified, last_polled_at, "
            "last_success_at, last_status, last_http_status, last_error, "
            "consecutive_failures, next_poll_after, entries_last_poll, interval_minutes) "
            "SELECT 'https://feeds' || i || '.example/rss', 'Feed ' || i, "
            "NULL, NULL, ?, ?, CASE WHEN i % 20 = 0 THEN 'http_503' ELSE 'ok' END, "
            "CASE WHEN i % 20 = 0 THEN 503 ELSE 200 END, CASE WHEN i % 20 = 0 THEN "
            "'HTTP 503 Service Unavailable' END, CASE WHEN i % 20 = 0 THEN 3 ELSE 0 END, "
            "NULL, 20, 60 + i FROM range(200) t(i)", [now, now])
        tx.execute(
            "UPDATE articles SET feed_url = 'https://feeds' || (hash(article_id) % 200) "
            "|| '.example/rss' WHERE hash(article_id) % 5 = 0")
        tx.execute(
            "INSERT INTO feed_items SELECT url, feed_url, NULL, url, ingested_at, ingested_at, "
            "1, 'article', article_id, TRUE FROM articles WHERE feed_url IS NOT NULL")
        tx.execute(
            "INSERT INTO rejects SELECT 'bench', 'https://rejected.example/' || i, "
            "['too_short', 'not_article', 'http_404', 'timeout', 'robots_disallowed'][1 + i % 5], "
            "'bench reject', ? - INTERVAL (i) MINUTE FROM range(5000) t(i)", [now])
        picked = tx.execute(
            "SELECT article_id, title, url, source, published_at FROM articles "
            "ORDER BY published_at DESC LIMIT 150")
        for k in range(30):
            top = [{"article_id": r[0], "title": r[1], "url": r[2], "source": r[3],
                    "published_at": r[4].isoformat(), "copies": 3, "score": 8.0,
                    "evidence": [{"term": "bench*", "text": "bench", "start": 0, "end": 5}]}
                   for r in picked[k * 5:(k + 1) * 5]]
            end = now - timedelta(hours=5 * k)
            tx.execute(
                "INSERT INTO alerts (topic, window_start, window_end, count, articles, sources, "
                "baseline, spread, score, top_articles, detected_at, created_at, status, "
                "attempts, delivered_to, last_error, last_attempt_at) "
                "VALUES (?, ?, ?, 12, 30, 9, 2.5, 1.2, 7.9, ?, ?, ?, ?, 1, '[]', NULL, ?)",
                [TOPICS[k % 8] if k % 3 else "entity:russia", end - timedelta(hours=3), end,
                 json.dumps(top), end, end, "sent" if k % 4 else "failed", end])


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_until_up(base: str, server: subprocess.Popen[bytes], timeout: float = 60) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"newsmon web exited with {server.returncode}")
        try:
            httpx.get(base + "/static/style.css", timeout=1).raise_for_status()
            return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise RuntimeError(f"newsmon web did not answer at {base} within {timeout:.0f} s")


def routes(db: Path) -> list[tuple[str, str]]:
    """(name, path) of every page, with ids taken from the warehouse."""
    from warehouse import Warehouse

    wh = Warehouse(db)
    story = wh.query("SELECT story_id FROM articles GROUP BY 1 ORDER BY count(*) DESC, 1 "
                     "LIMIT 1").rows[0][0]
    article = wh.query("SELECT article_id FROM article_topics ORDER BY article_id "
                       "LIMIT 1").rows[0][0]
    return [
        ("Now", "/"), ("Now as JSON", "/api/now"),
        ("Stories, last 24 h", "/stories"), ("Stories, 30 days", "/stories?since=30d"),
        ("Stories, topic and language filter", "/stories?since=7d&topic=sanctions&lang=de"),
        ("Story", f"/stories/{story}"),
        ("Search", "/search?q=Sanktionen"),
        ("Search with filters", "/search?q=Regierung+Wahl&topic=diplomacy&since=7d"),
        ("Article", f"/articles/{article}"),
        ("Alerts", "/alerts"), ("Sources", "/sources"),
    ]


def run(quick: bool = False) -> list[Row]:
    import httpx

    from bench.search import fill
    from newsmon.core.clock import utcnow
    from newsmon.core.settings import Settings
    from newsmon.search.sync import index_path, sync_index
    from warehouse import Warehouse

    n = 10_000 if quick else ARTICLES
    name = f"web / {n:,} articles"
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="newsmon-bench-web-") as tmp:
        db = Path(tmp) / "w.duckdb"
        # the 30 days end now, so "the last 24 hours" holds articles whatever the date
        now = utcnow().replace(minute=0, second=0, microsecond=0)
        fill(db, n, start=now - timedelta(days=30), in_order=True)
        enrich(db, now)
        # enrichment rewrote story_id and feed_url of stored rows, which loads never do;
        # compacting (what the daily maintenance of `newsmon serve` does) drops the
        # old row versions those updates left
        Warehouse(db).maintain()
        sync_index(Warehouse(db), index_path(Settings(db=db)))
        config = Path(tmp) / "newsmon.toml"
        config.write_text(CONFIG, encoding="utf-8")
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSMON_")}
        server = subprocess.Popen(
            [str(Path(sys.executable).with_name("newsmon")), "--db", str(db), "--config",
             str(config), "web", "--port", str(port)], env=env, cwd=tmp)
        try:
            _wait_until_up(base, server)
            with httpx.Client(base_url=base, timeout=30) as client:
                for label, path in routes(db):
                    client.get(path).raise_for_status()  # warm-up
                    times = []
                    for _ in range(REQUESTS):
                        t0 = time.perf_counter()
                        response = client.get(path)
                        times.append(time.perf_counter() - t0)
                        response.raise_for_status()
                    times.sort()
                    p95 = times[int(0.95 * len(times)) - 1]
                    rows.append(Row(name, f"{label} ({path.split('?')[0]}): p95", f"{p95:.3f} s",
                                    goal=f"<= {GOAL_P95_S} s", met=p95 <= GOAL_P95_S,
                                    note=f"median {times[len(times) // 2]:.3f} s over "
                                         f"{REQUESTS} requests, {len(response.content):,} bytes"))
        finally:
            server.terminate()
            server.wait(timeout=30)
    return rows


def main() -> None:
    for row in run(quick="--quick" in sys.argv):
        print(row)


if __name__ == "__main__":
    main()
