"""``story_days`` (migration 0013): kept by the writer, equal to what the articles say."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from newsmon.analysis import trends
from newsmon.core.records import Article, DatePrecision
from warehouse import Warehouse

MIGRATIONS = Path(__file__).resolve().parents[2] / "warehouse" / "migrations"

PAIRS = "SELECT day, story_id FROM story_days ORDER BY ALL"
FROM_ARTICLES = ("SELECT DISTINCT date_trunc('day', event_at), story_id FROM article_times "
                 "ORDER BY ALL")


def _article(n: int, published: datetime | None, story: int,
             precision: DatePrecision = DatePrecision.SECOND) -> Article:
    return Article(article_id=n, url=f"https://s{n % 3}.example/{n}", text=f"text {n}",
                   content_hash=f"h{n}", minhash=b"", source=f"s{n % 3}.example",
                   published_at=published, published_precision=precision, cluster_id=n,
                   story_id=story)


def _store(warehouse: Warehouse, articles: list[Article], now: datetime) -> None:
    with warehouse.writer() as tx:
        tx.insert_articles(articles, "r", now)


def test_the_writer_adds_each_day_of_each_story_once(tmp_path: Path) -> None:
    warehouse = Warehouse(tmp_path / "w.duckdb")
    now = datetime(2026, 3, 5, 12)
    _store(warehouse, [
        _article(1, datetime(2026, 3, 5, 8), story=1),
        _article(2, datetime(2026, 3, 5, 9), story=1),   # same story, same day: one pair
        _article(3, datetime(2026, 3, 4, 23), story=1),  # same story, the day before
        _article(4, None, story=4),                      # no date: the day it was read
        _article(5, datetime(2025, 1, 2), story=5, precision=DatePrecision.DAY),  # an old one
    ], now)
    _store(warehouse, [
        _article(1, datetime(2026, 3, 5, 8), story=1),   # already stored: nothing added
        _article(6, datetime(2026, 3, 5, 10), story=4),  # a known pair from a new article
        _article(7, datetime(2026, 3, 6, 1), story=7),
    ], datetime(2026, 3, 6, 2))
    pairs = warehouse.query(PAIRS).rows
    assert pairs == warehouse.query(FROM_ARTICLES).rows
    assert pairs == [
        (datetime(2025, 1, 2), 5), (datetime(2026, 3, 4), 1), (datetime(2026, 3, 5), 1),
        (datetime(2026, 3, 5), 4), (datetime(2026, 3, 6), 7),
    ]


def test_a_rebuild_matches_the_articles_after_a_load_in_plain_sql(tmp_path: Path) -> None:
    warehouse = Warehouse(tmp_path / "w.duckdb")
    _store(warehouse, [_article(1, datetime(2026, 3, 5, 8), story=1)], datetime(2026, 3, 5, 9))
    with warehouse.writer() as tx:
        tx.execute("UPDATE articles SET story_id = 9")
        tx.rebuild_story_days()
    assert warehouse.query(PAIRS).rows == [(datetime(2026, 3, 5), 9)]


def test_a_daily_trend_counts_whole_days_and_their_share_of_all_stories(tmp_path: Path) -> None:
    warehouse = Warehouse(tmp_path / "w.duckdb")
    stored = [_article(n, datetime(2026, 3, 5, 1 + 2 * n), story=n) for n in range(1, 6)]
    _store(warehouse, [*stored, _article(9, datetime(2026, 3, 6, 1), story=9)],
           datetime(2026, 3, 6, 12))
    with warehouse.writer() as tx:  # stories 1 and 2 (03:00 and 05:00) are about "x"
        tx.execute("INSERT INTO article_topics (article_id, topic, tagged_at) "
                   "VALUES (1, 'x', TIMESTAMP '2026-03-06 12:00'), "
                   "(2, 'x', TIMESTAMP '2026-03-06 12:00')")
    # --since inside the day still counts the whole day, as the topic_daily view does
    (day,) = trends.trend(warehouse, by="day", names=["x"], since=datetime(2026, 3, 5, 4),
                          until=datetime(2026, 3, 5, 20))
    assert (day.bucket, day.articles, day.stories, day.all_stories) == (
        datetime(2026, 3, 5), 2, 2, 5)
    assert day.share == 0.4
    view = warehouse.query("SELECT stories, all_stories FROM topic_daily WHERE topic = 'x'").rows
    assert view == [(2, 5)]


def _view_as_of_0008() -> str:
    """``article_times`` as migration 0008 defined it (0015 redefined it)."""
    sql = (MIGRATIONS / "0008_stories.sql").read_text(encoding="utf-8")
    start = sql.index("CREATE OR REPLACE VIEW article_times")
    return sql[start:sql.index(";", start)]


def test_the_migration_fills_it_from_the_articles_already_stored(tmp_path: Path) -> None:
    warehouse = Warehouse(tmp_path / "w.duckdb")
    _store(warehouse, [_article(1, datetime(2026, 3, 5, 8), story=1),
                       _article(2, datetime(2026, 3, 6, 8), story=1)], datetime(2026, 3, 6, 9))
    with warehouse.writer() as tx:  # the warehouse as it was before migration 0013
        tx.execute("DROP TABLE story_days")
        tx.execute("DROP TABLE article_labels")  # 0014's and 0015's, which came after
        tx.execute(_view_as_of_0008())
        tx.execute("ALTER TABLE articles DROP COLUMN seen_at")
        tx.execute("DELETE FROM schema_migrations WHERE version >= 13")
    with warehouse.writer():
        pass
    assert warehouse.query(PAIRS).rows == [(datetime(2026, 3, 5), 1), (datetime(2026, 3, 6), 1)]
