"""Spike alerts count coverage, not a backfill: undated texts ingested from a file happen,
for trends, when they were read, and a thousand of them in one hour are no spike.

A real warehouse with four weeks of history, real 10kGNAD texts through ``newsmon ingest``
and ``newsmon backtest``: once undated from a table (a backfill), once dated by their
records to this hour (coverage of this hour)."""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from newsmon.analysis import synthetic
from tests.conftest import read_cli
from warehouse import Warehouse

TEXTS = 250
ENV = {"NEWSMON_PREFECT": "never"}


def _texts(shared: Path) -> list[str]:
    with (shared / "corpora" / "10kGNAD" / "test.csv").open(encoding="utf-8", newline="") as f:
        rows = csv.reader(f, delimiter=";", quotechar="'")
        return [text for _desk, text in (next(rows) for _ in range(TEXTS))]


def _warehouse_with_history(path: Path) -> datetime:
    now = datetime.now(UTC).replace(tzinfo=None)
    synthetic.generate(now.replace(minute=0, second=0, microsecond=0)).write(Warehouse(path))
    return now


def _backtest(db: Path, now: datetime, config: Path) -> list[dict[str, object]]:
    """The alerts of the last hours, the window of this very hour included."""
    until = (now + timedelta(hours=2)).strftime("%Y-%m-%dT%H:00")
    done = read_cli("--db", str(db), "--config", str(config), "backtest", "--since", "8h",
                    "--until", until, "--format", "json", env=ENV)
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines() if line.strip()]


def test_undated_texts_ingested_at_once_fire_no_alert_and_dated_ones_do(
    shared: Path, tmp_path: Path
) -> None:
    texts = _texts(shared)
    config = tmp_path / "newsmon.toml"  # the texts name no outlet: one source, a few stories
    config.write_text("[alerts]\nmin_count = 2\nmin_sources = 1\n", encoding="utf-8")
    backfill, dated = tmp_path / "backfill", tmp_path / "dated"
    backfill.mkdir()
    dated.mkdir()
    (backfill / "desks.csv").write_text(
        "".join("Ausland;'{}'\n".format(t.replace("'", "''")) for t in texts), encoding="utf-8")
    undated_db = tmp_path / "undated.duckdb"
    now = _warehouse_with_history(undated_db)
    done = read_cli("--db", str(undated_db), "ingest", str(backfill), env=ENV)
    assert done.returncode == 0, done.stderr
    trend = read_cli("--db", str(undated_db), "trends", "--by", "hour", "--since", "3h",
                     "--format", "json", env=ENV)
    # trends show them where they were read (the rule for undated articles) ...
    assert sum(json.loads(line)["stories"] for line in trend.stdout.splitlines()
               if json.loads(line)["topic"] == "diplomacy") >= 5
    assert _backtest(undated_db, now, config) == []  # ... and no spike alert counts them

    stamp = now.strftime("%Y-%m-%dT%H:%M:%SZ")
    (dated / "stories.jsonl").write_text("".join(
        json.dumps({"text": t, "published": stamp}) + "\n" for t in texts), encoding="utf-8")
    dated_db = tmp_path / "dated.duckdb"
    _warehouse_with_history(dated_db)
    done = read_cli("--db", str(dated_db), "ingest", str(dated), env=ENV)
    assert done.returncode == 0, done.stderr
    fired = {row["topic"] for row in _backtest(dated_db, now, config)}
    assert "diplomacy" in fired  # the same texts, stated as published this hour: a spike
