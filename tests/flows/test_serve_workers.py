"""Two `newsmon serve` workers against one Prefect server whose database is PostgreSQL,
writing one PostgreSQL lake: each serves its shard's deployment, the feeds' pages are
stored once, and spike detection runs once per cycle."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from evaluation import postgres
from evaluation.feedserver import FeedSite, start_site
from newsmon.runtime import server
from tests.conftest import start_fast
from tests.newsmon.commands.test_sharded_workers import PAGES, serve_world
from warehouse import Warehouse

pytestmark = pytest.mark.slow


@pytest.fixture
def site() -> Iterator[FeedSite]:
    yield from start_site()


@pytest.fixture
def prefect_on_postgres(pg_server: postgres.Server, tmp_path_factory: pytest.TempPathFactory
                        ) -> Iterator[server.ServerState]:
    database = pg_server.create_database("prefect")
    home = tmp_path_factory.mktemp("prefect-pg-home")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("PREFECT_API_DATABASE_CONNECTION_URL",
                   database.replace("postgresql://", "postgresql+asyncpg://", 1))
        start_fast(env, migrated=False)
        state, started = server.start(home=home, port=server._free_port("127.0.0.1"))
    assert started
    yield state
    server.stop(home)


def test_two_serve_workers_share_one_prefect_server_and_one_lake(
    pg_server: postgres.Server, prefect_on_postgres: server.ServerState, site: FeedSite,
    tmp_path: Path,
) -> None:
    feeds = serve_world(site)
    config = tmp_path / "newsmon.toml"
    config.write_text("".join(f'[[feeds]]\nurl = "{u}"\n\n' for u in feeds)
                      + "[network]\nmin_host_gap_s = 0\n", encoding="utf-8")
    lake_url = pg_server.create_database("served_lake")
    data = tmp_path / "lake-data"
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSMON_")}
    env.update({"PREFECT_API_URL": prefect_on_postgres.url, "PREFECT_RUNNER_POLL_FREQUENCY": "2",
                "NEWSMON_DB": lake_url, "NEWSMON_LAKE_DATA": str(data),
                "NEWSMON_CONFIG": str(config), "NEWSMON_ALLOW_PRIVATE_NETWORKS": "1",
                "NEWSMON_SEARCH_INDEX": str(tmp_path / "search")})
    workers = [subprocess.Popen(
        [sys.executable, "-m", "newsmon", "serve", "--cycle-minutes", "0.1"], cwd=tmp_path,
        env={**env, "NEWSMON_SHARD": f"{k}/2",
             "NEWSMON_SEARCH_INDEX": str(tmp_path / f"search{k}")},
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) for k in range(2)]
    served = 0
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline and all(w.poll() is None for w in workers):
            # each worker's deployment has a completed run: both served, not one twice
            served = int(pg_server.psql(
                "SELECT count(DISTINCT deployment_id) FROM flow_run "
                "WHERE state_type = 'COMPLETED'", dbname="prefect"))
            if served == 2:
                break
            time.sleep(1)
    finally:
        for w in workers:
            if w.poll() is None:
                w.send_signal(signal.SIGINT)
        outputs = [w.communicate(timeout=60)[0] for w in workers]
    assert served == 2, outputs[0][-1500:] + outputs[1][-1500:]
    lake = Warehouse(lake_url, data_path=data)
    runs = lake.query("SELECT count(*) FROM runs WHERE trigger = 'serve' AND status = 'ok'"
                      ).rows[0][0]
    assert runs >= 2
    for k, (w, out) in enumerate(zip(workers, outputs, strict=True)):
        assert w.returncode == 0, out[-2000:]
        assert "Traceback" not in out, out[-3000:]  # Ctrl-C mid-run stops quietly
        assert f"scheduled-cycle-shard-{k}-of-2" in out  # each serves its own deployment
    assert lake.query("SELECT count(*), count(DISTINCT url) FROM articles").rows == [
        (PAGES, PAGES)]
    claims = pg_server.psql("SELECT count(*), count(DISTINCT window_key) FROM newsmon_claims "
                            "WHERE task = 'alerts'", dbname="served_lake")
    total, windows = map(int, claims.split("|"))
    assert total == windows >= 1  # spike detection: one worker per cycle
    # the Prefect server kept its runs in PostgreSQL, not in a SQLite file
    assert int(pg_server.psql("SELECT count(*) FROM flow_run", dbname="prefect")) >= runs
