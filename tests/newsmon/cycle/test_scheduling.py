"""Scheduled monitoring's plain parts, without Prefect: run summaries, maintenance, progress."""

from __future__ import annotations

import io
from collections import Counter
from datetime import timedelta
from pathlib import Path

from newsmon import cycle
from newsmon.analysis.alerts import AlertsSummary
from newsmon.commands.progress import TerminalProgress
from newsmon.core.clock import utcnow
from newsmon.core.config import Config, FeedConfig, ScheduleConfig
from newsmon.core.settings import Settings
from newsmon.cycle import scheduled as scheduling
from newsmon.pipeline.summary import RunSummary
from tests.conftest import SEEDS
from warehouse import Warehouse


def test_summary_names_added_rejects_by_reason_feeds_and_alerts() -> None:
    summary = RunSummary(
        run_id="abcdef0123", trigger="serve", status="ok", inputs=9, added=5, duplicates=2,
        rejected=2, reasons=Counter({"too_short": 1, "binary": 1, "duplicate": 2}),
    )
    text = scheduling.summary_markdown(
        summary, AlertsSummary(sent=1, failed=1, partly=1, targets_reached=3))
    assert "cycle abcdef01: ok" in text
    assert "| articles added | 5 |" in text
    assert "| too_short | 1 |" in text and "| binary | 1 |" in text
    assert "| duplicate |" not in text  # duplicates are counted above, not as rejects
    assert "| alerts sent | 1 to every target, 1 not yet (1 partly); 3 messages |" in text
    assert "| feeds failing | no feeds configured |" in text
    assert "spike detection not run" in scheduling.summary_markdown(summary, None)
    failed = scheduling.summary_markdown(summary, None, alerts_error="QueryError: boom")
    assert "spike detection failed (QueryError: boom)" in failed


def test_maintenance_forgets_old_feed_state_and_checkpoints(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    cycle.run_cycle(Settings(db=db), [SEEDS], "run")
    now = utcnow()
    old, recent = now - timedelta(days=200), now - timedelta(days=1)
    wh = Warehouse(db)
    with wh.writer() as tx:
        for key, tried, done in [("a", old, True), ("b", recent, True), ("c", old, False)]:
            tx.execute(
                "INSERT INTO feed_items (item_key, feed_url, first_seen_at, last_tried_at, "
                "attempts, outcome, done) VALUES (?, 'https://x/feed', ?, ?, 1, 'article', ?)",
                [key, tried, tried, done],
            )
        for url, polled in [("https://kept/feed", old), ("https://gone/feed", old),
                            ("https://new/feed", recent)]:
            tx.execute(
                "INSERT INTO feeds (url, last_polled_at, consecutive_failures) VALUES (?, ?, 0)",
                [url, polled],
            )
    config = Config(feeds=[FeedConfig(url="https://kept/feed")],
                    schedule=ScheduleConfig(feed_items_keep_days=90))

    report = scheduling.maintain(Settings(db=db), config)

    assert (report.feed_items_removed, report.feeds_removed) == (1, 1)
    assert {r[0] for r in wh.query("SELECT item_key FROM feed_items").rows} == {"b", "c"}
    assert {r[0] for r in wh.query("SELECT url FROM feeds").rows} == {
        "https://kept/feed", "https://new/feed"
    }
    assert not db.with_name(db.name + ".wal").exists(), "the checkpoint folded the WAL in"
    assert wh.query("SELECT count(*) FROM articles").rows == [(5,)]
    assert "| handled feed items removed | 1 |" in report.markdown()


def test_maintenance_of_a_missing_warehouse_does_nothing(tmp_path: Path) -> None:
    report = scheduling.maintain(Settings(db=tmp_path / "none.duckdb"), Config())
    assert report.notes == ["no warehouse yet: nothing to do"]
    assert not (tmp_path / "none.duckdb").exists()


def test_cycle_reports_progress_after_each_batch_and_the_bar_draws_it(tmp_path: Path) -> None:
    calls: list[tuple[int, int]] = []
    steps = cycle.Steps(progress=lambda done, total: calls.append((done, total)))
    cycle.run_cycle(Settings(db=tmp_path / "w.duckdb", batch_size=2), [SEEDS], "run", steps)
    assert calls == [(2, 5), (4, 5), (5, 5)]

    stream = io.StringIO()
    with TerminalProgress("ingest", stream=stream, width=10, force=True) as bar:
        for done, total in calls:
            bar.update(done, total)
    last_line = stream.getvalue().rsplit("\r", 1)[1]
    assert last_line.startswith("ingest [##########] 5/5 (100%") and last_line.endswith("\n")
    assert "[####------] 2/5 (40%" in stream.getvalue()
    counting = io.StringIO()  # retag: no total known up front
    with TerminalProgress("retag", stream=counting, force=True) as bar:
        bar.update(500)
    assert counting.getvalue().startswith("\rretag: 500 done (")
    quiet = io.StringIO()  # not a terminal: nothing drawn
    with TerminalProgress("ingest", stream=quiet) as bar:
        bar.update(1, 2)
    assert quiet.getvalue() == ""
