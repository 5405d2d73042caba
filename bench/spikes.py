"""Trends and spike detection: query time on 10M article-topic rows, detection quality.

Two parts:

* **Speed.** A synthetic warehouse (a temp dir, removed after) with 5M articles over a
  year from 200 sources and 10M ``article_topics`` rows over 40 topics, built in SQL
  through :class:`warehouse.Warehouse` (~1-2 min on 2 cores). Timed, best of 5 after
  a warm-up, each as a user would run it (a fresh read-only connection per query):
  the *trend query* (``newsmon trends --topic T --by day`` over the whole year, and
  every topic by hour over the last 3 days), and the *spike query* (one live detection
  pass: hourly stories of every topic over the 28-day baseline, then exact counts of
  the candidate windows). Goals from issue 5: <= 0.3 s and <= 0.5 s. The ratio shown
  is goal / measured (>= 1 meets it) and, as a baseline measured in the same run, a
  bare ``count(*)`` scan of ``article_topics``.
* **Quality.** Detection replayed (``newsmon backtest``) over generated histories
  (:mod:`newsmon.analysis.synthetic`, 10 seeds x 42 days x 7 topics) with injected spikes,
  syndicated bursts and a quiet topic: recall, on-time share (fired at the first
  hourly cycle after the spike began), false alarms, burst alarms.

Run: ``python -m bench.spikes`` (``--quick`` builds 1M rows instead of 10M).
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from evaluation.rows import Row
from newsmon.analysis import alerts, spikes, synthetic, trends
from newsmon.core.config import AlertsConfig
from warehouse import Warehouse

TREND_GOAL_S = 0.3
SPIKE_GOAL_S = 0.5
TOPICS = 40
SOURCES = 200
DAYS = 365
START = datetime(2025, 3, 1)


#: Article ids are hashes in newsmon (of the URL or text), so they carry no time order:
#: joins cannot prune by id range. The synthetic ids are hashed the same way.
_ID = "CAST(hash({i}) // 2 AS BIGINT)"


def build(path: Path, articles: int) -> None:
    """``articles`` articles, two topics each, spread over a year with a daily rhythm."""
    span_s = DAYS * 86400
    with Warehouse(path, lock_timeout_s=600).writer() as tx:
        # Times: uniform over the year, then folded so mornings carry more (sqrt skews the
        # hour within the day towards its start); ~1 in 3 articles is a copy of the one before.
        tx.execute(
            f"""
            INSERT INTO articles (article_id, url, source, title, published_at,
                published_precision, text, content_hash, cluster_id, ingested_at, run_id)
            SELECT {_ID.format(i="i")}, 'https://s' || (hash(i) % {SOURCES}) || '.example/' || i,
                   's' || (hash(i) % {SOURCES}) || '.example', NULL, t, 'second', '', '',
                   CASE WHEN i % 3 = 2 THEN {_ID.format(i="i - 1")} ELSE {_ID.format(i="i")} END,
                   t + INTERVAL 5 MINUTE, 'bench'
            FROM (
                SELECT i, TIMESTAMP '{START:%Y-%m-%d}'
                    + to_seconds((i * {span_s} // {articles}) // 86400 * 86400
                                 + CAST(sqrt(random()) * 86400 AS BIGINT)) AS t
                FROM range({articles}) r(i)
            )
            """
        )
        tx.execute(
            f"""
            INSERT INTO article_topics (article_id, topic, score, evidence, taxonomy_version,
                                        tagged_at)
            SELECT a.article_id, 't' || ((r.i + k * (1 + hash(r.i) % {TOPICS - 1})) % {TOPICS}),
                   random(), NULL, 'bench', a.ingested_at
            FROM range({articles}) r(i)
            JOIN articles a ON a.article_id = {_ID.format(i="r.i")}, range(2) s(k)
            ORDER BY a.ingested_at
            """
        )
        tx.rebuild_story_days()  # articles written in SQL, not through the writer


def _best(fn: Callable[[], object], repeat: int = 5) -> float:
    fn()  # warm-up: file cache, DuckDB's first-query costs
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


def speed(articles: int) -> list[Row]:
    folder = Path(tempfile.mkdtemp(prefix="newsmon-bench-spikes-"))
    try:
        path = folder / "bench.duckdb"
        started = time.perf_counter()
        build(path, articles)
        warehouse = Warehouse(path)
        rows_n = warehouse.query("SELECT count(*) FROM article_topics").rows[0][0]
        print(f"built {rows_n:,} article-topic rows in {time.perf_counter() - started:.0f} s",
              file=sys.stderr)
        end = START + timedelta(days=DAYS)
        cfg = AlertsConfig()
        as_of = end - timedelta(hours=5, minutes=20)

        def trend_year() -> object:
            return trends.trend(warehouse, by="day", names=["t7"], since=START)

        def trend_hourly_all() -> object:
            return trends.trend(warehouse, by="hour", since=end - timedelta(days=3))

        def spike_pass() -> object:
            ends = spikes.window_ends(as_of, cfg.lookback_hours)
            return alerts.find_spikes(warehouse, cfg, ends)

        def scan() -> object:
            return warehouse.query("SELECT count(*), count(DISTINCT topic) FROM article_topics")

        scan_s = _best(scan)
        label = f"trends / {rows_n / 1e6:.0f}M article-topic rows"
        out = []
        for metric, fn, goal in [
            ("trend query: 1 topic by day, 1 year", trend_year, TREND_GOAL_S),
            ("trend query: 40 topics by hour, 3 days", trend_hourly_all, TREND_GOAL_S),
            ("spike query: 1 detection pass, 40 topics", spike_pass, SPIKE_GOAL_S),
        ]:
            took = _best(fn)
            out.append(Row(
                label, metric, f"{took:.3f} s (goal / measured = {goal / took:.1f})",
                f"{took / scan_s:.1f}x a bare count(*) scan ({scan_s:.3f} s)",
                goal=f"<= {goal} s", met=took <= goal,
            ))
        return out
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def quality(seeds: int = 10, days: int = 42) -> list[Row]:
    end = datetime(2026, 3, 2)
    totals = [0, 0, 0, 0, 0, 0]
    windows = 0
    folder = Path(tempfile.mkdtemp(prefix="newsmon-bench-detect-"))
    try:
        for seed in range(1, seeds + 1):
            history = synthetic.generate(end, seed=seed, days=days)
            warehouse = Warehouse(folder / f"h{seed}.duckdb")
            history.write(warehouse)
            found = alerts.backtest(warehouse, AlertsConfig(), history.start, end)
            score = synthetic.score_detection(
                history, [(s.topic, s.window_start, s.window_end) for s in found]
            )
            for i, value in enumerate([score.injected, score.detected, score.on_time,
                                       score.false_alarms, score.burst_alarms,
                                       len(history.bursts)]):
                totals[i] += value
            windows += days * 24 * len(history.rates)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    injected, detected, on_time, false_alarms, burst_alarms, bursts = totals
    label = f"spike detection / synthetic histories ({seeds} x {days} days, default thresholds)"
    topic_weeks = windows / 24 / 7
    return [
        Row(label, "recall", f"{detected / injected:.3f} ({detected}/{injected})"),
        Row(label, "fired at the first cycle", f"{on_time / injected:.3f} ({on_time}/{injected})"),
        Row(label, "false alarms", f"{false_alarms} in {windows:,} topic-hours "
            f"({false_alarms / topic_weeks:.3f} per topic-week)"),
        Row(label, "syndicated bursts alerted", f"{burst_alarms}/{bursts}", goal="0",
            met=burst_alarms == 0),
    ]


def run(quick: bool = False) -> list[Row]:
    return quality() + speed(500_000 if quick else 5_000_000)


def main() -> None:
    rows = run(quick="--quick" in sys.argv)
    for row in rows:
        flag = "" if row.met is None else (" ok" if row.met else " SHORT")
        print(f"{row.benchmark:<40} {row.metric:<42} {row.ours:<34} {row.baseline}{flag}")


if __name__ == "__main__":
    main()
