"""``newsmon feeds`` as a cron job watching the feeds reads it: the failing ones only, as
JSON or CSV, over feeds really polled (loopback HTTP, real DuckDB)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from werkzeug import Response

from evaluation.feedserver import FeedSite, rss, start_site
from newsmon.core.settings import Settings
from newsmon.cycle import run_cycle
from newsmon.fetch import FetchPolicy
from newsmon.sources.feed_plan import FeedPlan, FeedSource
from newsmon.sources.schedule import PollSchedule
from tests.conftest import read_cli

FAST = FetchPolicy(allow_private_networks=True, timeout_s=10.0, attempts=1, min_host_gap_s=0)


@pytest.fixture
def site() -> Iterator[FeedSite]:
    yield from start_site()


def test_failing_feeds_are_listed_alone_as_json_or_csv(
    site: FeedSite, db_path: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    healthy = site.serve("/ok.xml", rss([{"title": "Budget", "guid": "b1",
                                          "description": "A teaser."}]), "application/rss+xml")
    down = site.route("/down.xml", lambda _r: Response("down", 503))
    plan = FeedPlan((FeedSource(healthy, "Healthy"), FeedSource(down, "Down")), FAST, True,
                    PollSchedule(park_after_failures=2))
    for _ in range(2):
        run_cycle(Settings(db=db_path), [], "run", feeds=plan)
    assert "tried once every 1440 minutes until it answers" in caplog.text

    def feeds(*args: str) -> str:
        done = read_cli("--db", str(db_path), "feeds", *args, cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        return done.stdout

    assert [line.split()[0] for line in feeds().splitlines()] == sorted([healthy, down])
    [line] = feeds("--failing").splitlines()
    assert line.startswith(f"{down}  http_5xx, PARKED since ")
    assert "2 failures in a row" in line and line.endswith(f"last error: {down}: HTTP 503")

    [record] = [json.loads(row) for row in feeds("--failing", "--format", "json").splitlines()]
    assert {k: record[k] for k in ("url", "name", "status", "http_status",
                                   "failures_in_a_row", "articles", "last_error")} == {
        "url": down, "name": "Down", "status": "http_5xx", "http_status": None,
        "failures_in_a_row": 2, "articles": 0, "last_error": f"{down}: HTTP 503"}
    assert record["parked_at"] is not None and record["last_success_at"] is None

    table = list(csv.DictReader(io.StringIO(feeds("--format", "csv"))))
    assert [(r["url"], r["status"], r["failures_in_a_row"]) for r in table] == sorted(
        [(healthy, "http_304", "0"), (down, "http_5xx", "2")])  # the same bytes again

    assert read_cli("--db", str(db_path), "feeds", "--retry", down, cwd=tmp_path).returncode == 0
    assert feeds("--failing") == "no feed failing (of 2 feeds polled)\n"
    assert feeds("--failing", "--format", "json") == ""
    assert feeds("--failing", "--format", "csv").startswith("url,name,status,http_status,")
