"""Trends views, detection and stored alerts on a generated history in a real DuckDB file."""

from __future__ import annotations

import json
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from newsmon.analysis import alerts, synthetic, trends
from newsmon.analysis.spikes import HOUR
from newsmon.core.config import AlertsConfig
from warehouse import Warehouse

END = datetime(2026, 3, 2)  # a Monday


@pytest.fixture(scope="module")
def history() -> synthetic.History:
    return synthetic.generate(END)


@pytest.fixture(scope="module")
def history_db(tmp_path_factory: pytest.TempPathFactory, history: synthetic.History) -> Path:
    """The generated history, written once through the warehouse (read-only in tests)."""
    path = tmp_path_factory.mktemp("history") / "history.duckdb"
    history.write(Warehouse(path))
    return path


@pytest.fixture
def fresh_db(tmp_path: Path, history_db: Path) -> Warehouse:
    """A private copy of the history for tests that store alerts."""
    copy = tmp_path / "copy.duckdb"
    copy.write_bytes(history_db.read_bytes())
    return Warehouse(copy)


def _event_time(article: dict[str, object]) -> datetime:
    published = article["published_at"]
    return published if isinstance(published, datetime) else article["ingested_at"]  # type: ignore[return-value]


def test_hourly_and_daily_views_count_articles_stories_and_sources(
    history: synthetic.History, history_db: Path
) -> None:
    warehouse = Warehouse(history_db)
    by_id = {a["article_id"]: a for a in history.articles}
    hour = datetime(2026, 2, 24, 15)  # inside the injected climate spike
    expected = [by_id[t["article_id"]] for t in history.topics
                if t["topic"] == "climate" and
                hour <= _event_time(by_id[t["article_id"]]) < hour + HOUR]
    (point,) = trends.trend(warehouse, by="hour", names=["climate"], since=hour,
                            until=hour + HOUR)
    assert point.articles == len(expected)
    assert point.stories == len({a["cluster_id"] for a in expected})
    assert point.sources == len({a["source"] for a in expected})
    assert point.stories >= 15  # the injected stories are there

    daily = trends.trend(warehouse, by="day", since=END - timedelta(days=7))
    per_day = Counter(p.bucket for p in daily)
    assert len(per_day) == 7 and max(per_day.values()) == len(history.rates)
    assert all(p.bucket == p.bucket.replace(hour=0) for p in daily)
    # weekends are thinner than weekdays (the generated weekly rhythm shows through)
    totals = Counter()
    for p in daily:
        totals[p.bucket.weekday() >= 5] += p.articles
    assert totals[True] / 2 < totals[False] / 5


def test_bucket_time_falls_back_to_ingestion_when_publication_time_is_vague(
    tmp_path: Path,
) -> None:
    warehouse = Warehouse(tmp_path / "w.duckdb")
    ingested = datetime(2026, 3, 5, 14, 30)
    rows = [  # (id, published_at, precision)
        (1, datetime(2026, 3, 5, 9, 15), "second"),   # exact: its own hour
        (2, None, None),                              # unknown: ingestion hour
        (3, datetime(2026, 3, 1), "month"),           # "March 2026": ingestion hour
        (4, datetime(2026, 3, 5), "day"),             # today, no time: ingestion hour
        (5, datetime(2026, 2, 20), "day"),            # an old date-only article: its day
        (6, datetime(2026, 3, 9, 8), "second"),       # "published" after we read it: ingestion
    ]
    with warehouse.writer() as tx:
        for aid, published, precision in rows:
            tx.execute(
                "INSERT INTO articles (article_id, url, source, published_at, "
                "published_precision, text, content_hash, cluster_id, ingested_at, run_id) "
                "VALUES (?, ?, NULL, ?, ?, 'x', 'h', ?, ?, 'r')",
                [aid, f"https://site{aid}.example/a", published, precision, aid, ingested],
            )
            tx.execute(
                "INSERT INTO article_topics (article_id, topic, tagged_at) VALUES (?, 'x', ?)",
                [aid, ingested],
            )
            tx.execute(
                "INSERT INTO article_entities (article_id, entity, mentions) "
                "VALUES (?, 'ada_lovelace', 2)", [aid],
            )
        tx.rebuild_story_days()  # articles written in SQL, not through insert_rows
    buckets = {p.bucket: p.articles for p in trends.trend(warehouse, by="hour")}
    assert buckets == {
        datetime(2026, 3, 5, 9): 1, datetime(2026, 3, 5, 14): 4, datetime(2026, 2, 20): 1,
    }
    # articles without a source count as one source, "unknown": never as several
    (day,) = trends.trend(warehouse, by="day", since=datetime(2026, 3, 5))
    assert (day.articles, day.sources) == (5, 1)
    # the views (for people's SQL) agree with the queries newsmon runs
    view = warehouse.query("SELECT bucket, articles FROM topic_hourly ORDER BY bucket").rows
    assert dict(view) == buckets
    entities = trends.trend(warehouse, by="day", kind="entity")
    assert {(p.name, p.articles) for p in entities} == {("ada_lovelace", 5), ("ada_lovelace", 1)}


def test_backtest_finds_every_injected_spike_on_time_and_nothing_else(
    history: synthetic.History, history_db: Path
) -> None:
    found = alerts.backtest(Warehouse(history_db), AlertsConfig(), history.start, END)
    score = synthetic.score_detection(
        history, [(s.topic, s.window_start, s.window_end) for s in found]
    )
    assert score.detected == score.injected == 4
    assert score.on_time == 4  # each fired at the first hourly cycle after it began
    assert score.false_alarms == 0 and score.burst_alarms == 0
    assert "astronomy" not in {s.topic for s in found}  # the quiet topic stays quiet
    assert len(found) == 4  # one alert per spike: the cool-down holds


def test_a_backtest_over_decades_replays_only_the_stored_span_and_finds_the_same(
    history: synthetic.History, history_db: Path
) -> None:
    warehouse = Warehouse(history_db)
    exact = alerts.backtest(warehouse, AlertsConfig(), history.start, END)
    wide = alerts.backtest(warehouse, AlertsConfig(), history.start - timedelta(days=30_000),
                           END + timedelta(days=3_000))
    assert wide == exact and len(wide) == 4
    # a range wholly before or after the stored history cannot fire
    assert alerts.backtest(warehouse, AlertsConfig(), history.start - timedelta(days=900),
                           history.start - timedelta(days=800)) == []
    assert alerts.backtest(warehouse, AlertsConfig(), END + timedelta(days=30),
                           END + timedelta(days=60)) == []


def test_syndicated_burst_is_many_articles_but_one_story(
    history: synthetic.History, history_db: Path
) -> None:
    burst = history.bursts[0]
    window = trends.window_stats(Warehouse(history_db), burst.topic, burst.start,
                                 burst.start + HOUR)
    assert window.articles >= burst.copies and window.sources >= burst.copies
    assert window.count < window.articles - burst.copies + 2


def test_cycles_fire_each_spike_once_and_reruns_store_nothing_new(
    history: synthetic.History, fresh_db: Warehouse
) -> None:
    cfg = AlertsConfig()
    stored: list[trends.StoredAlert] = []
    spike = history.spikes[-1]  # technology, 2026-02-28 10:00
    # hourly cycles from well before the spike to long after it
    for k in range(-5, 12):
        as_of = spike.start + k * HOUR + timedelta(minutes=7)
        new = alerts.detect_and_store(fresh_db, cfg, as_of)
        if k < 0:
            assert new == []
        stored.extend(new)
    assert [a.topic for a in stored] == [spike.topic]
    alert = stored[0]
    # fired by the cycle 7 minutes into the spike's first hour... or at the latest the next
    assert alert.detected_at <= spike.start + HOUR + timedelta(minutes=7)
    assert alert.window_end in (spike.start + HOUR, spike.start + 2 * HOUR)
    assert alert.count >= 10 and alert.sources >= 3 and alert.status == "no_targets"
    # the same cycles again: nothing new
    again = [a for k in range(-5, 12)
             for a in alerts.detect_and_store(fresh_db, cfg, spike.start + k * HOUR)]
    assert again == []
    rows = trends.stored_alerts(fresh_db)
    assert len(rows) == 1
    top = rows[0].top_articles
    assert 1 <= len(top) <= cfg.top_articles
    assert all(t["url"].startswith("https://") and t["title"] for t in top)
    assert top[0]["evidence"][0]["term"] == "technology"


def test_store_alerts_never_stores_a_window_twice(
    history: synthetic.History, fresh_db: Warehouse
) -> None:
    found = alerts.backtest(fresh_db, AlertsConfig(), history.start, END)
    now = datetime(2026, 3, 2, 12)
    first = trends.store_alerts(fresh_db, [(s, []) for s in found], detected_at=now, now=now,
                                status="pending")
    second = trends.store_alerts(fresh_db, [(s, []) for s in found], detected_at=now, now=now,
                                 status="pending")
    assert len(first) == 4 and second == []
    assert fresh_db.query("SELECT count(*) FROM alerts").rows == [(4,)]
    (row,) = fresh_db.query("SELECT top_articles FROM alerts LIMIT 1").rows
    assert json.loads(row[0]) == []


def test_per_topic_thresholds_silence_or_loosen_a_topic(
    history: synthetic.History, history_db: Path
) -> None:
    cfg = AlertsConfig(topics={"politics": {"enabled": False},  # type: ignore[dict-item]
                               "climate": {"threshold": 50.0}})  # type: ignore[dict-item]
    found = alerts.backtest(Warehouse(history_db), cfg, history.start, END)
    assert {s.topic for s in found} == {"health", "technology"}


def test_an_alerts_top_article_without_an_outlet_shows_the_name_the_filters_take(
    history: synthetic.History, fresh_db: Warehouse
) -> None:
    spike = history.spikes[-1]
    window = (spike.start, spike.start + 2 * HOUR)
    named = trends.top_articles(fresh_db, spike.topic, *window, 3)
    assert named and all(t.source and t.source != "(no source)" for t in named)
    with fresh_db.writer() as tx:
        tx.execute("UPDATE articles SET source = '' WHERE article_id = ?",
                   [named[0].article_id])
    top = {t.article_id: t.source
           for t in trends.top_articles(fresh_db, spike.topic, *window, 3)}
    # the trend views call it 'unknown', which no filter of stories, search or export takes
    assert top[named[0].article_id] == "(no source)"
