"""A warehouse with something on every page: the seeds, an English report of seed 000
(one story in two languages), a rejected file, a polled feed and a stored alert."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from newsmon import cycle
from newsmon.analysis import trends
from newsmon.analysis.spikes import Spike
from newsmon.core.clock import utcnow
from newsmon.core.config import Config
from newsmon.core.settings import Settings
from newsmon.search.sync import index_path
from newsmon.web.pages import Site, build_site
from tests.conftest import ROOT
from warehouse import Warehouse
from warehouse.feed_state import FeedState, save_feed_states

SEEDS = ROOT / "seeds"
ENGLISH = ROOT / "tests" / "newsmon" / "stories_fixtures"
FEED = "https://feeds.example/world.rss"


@pytest.fixture(scope="session")
def web_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("web")
    db = folder / "w.duckdb"
    broken = folder / "inputs"
    broken.mkdir()
    (broken / "empty.txt").write_text("", encoding="utf-8")
    cycle.run_cycle(Settings(db=db), [SEEDS, broken], "run")
    cycle.run_cycle(Settings(db=db), [ENGLISH], "ingest")
    warehouse = Warehouse(db)
    now = utcnow()
    top = trends.top_articles(warehouse, "arms_trade", now - timedelta(days=30000),
                              now + timedelta(days=1), 3)
    assert top, "the seeds carry arms_trade"
    end = now.replace(minute=0, second=0, microsecond=0)
    spike = Spike("arms_trade", end - timedelta(hours=3), end, 6, 9, 4, 1.0, 1.0, 6.5)
    trends.store_alerts(warehouse, [(spike, top)], detected_at=end, now=now, status="failed")
    with warehouse.writer() as tx:
        save_feed_states(tx, [FeedState(
            url=FEED, name="World news", last_polled_at=now, last_status="http_503",
            last_http_status=503, last_error="HTTP 503 from feeds.example",
            consecutive_failures=2, next_poll_after=now + timedelta(minutes=20))])
    return db


@pytest.fixture(scope="session")
def site(web_db: Path) -> Site:
    return build_site(Config(), index_path(Settings(db=web_db)))

