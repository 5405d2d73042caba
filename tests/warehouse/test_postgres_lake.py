"""A DuckLake catalogued in a real PostgreSQL, shared by several writer processes.

The server is Debian's PostgreSQL on a loopback port and a temporary data folder
(:mod:`evaluation.postgres`); the data files go to a folder every process shares.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from evaluation import postgres
from newsmon.core.errors import WarehouseBusyError, WarehouseError
from tests.warehouse.test_targets import _article
from warehouse import Warehouse
from warehouse.ducklake import ObjectStore
from warehouse.feed_state import FeedState, load_feed_states, save_feed_states
from warehouse.pg_catalog import CatalogUrl

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def server(pg_server: postgres.Server) -> postgres.Server:
    return pg_server


@pytest.fixture
def lake(server: postgres.Server, tmp_path: Path, request: pytest.FixtureRequest
         ) -> tuple[str, Path]:
    """A fresh database for the test's lake, and its shared data folder."""
    name = "lake_" + request.node.name.lower().replace("[", "_").replace("]", "")[:40]
    return server.create_database(name), tmp_path / "lake-data"


def test_a_postgres_url_is_a_lake_with_migrations_reads_and_the_sql_sandbox(
    lake: tuple[str, Path],
) -> None:
    url, data = lake
    wh = Warehouse(url, data_path=data)
    assert wh.lake and not wh.exists()  # nothing written yet: readers say so
    with pytest.raises(WarehouseError, match="does not exist yet"):
        wh.query("SELECT 1")
    with wh.writer() as tx:
        tx.insert_articles([_article(n) for n in range(40)], "r1", datetime(2026, 3, 1))
        save_feed_states(tx, [FeedState(url="https://x.example/feed", etag='"e"')])
    assert wh.exists() and wh.schema_version() >= 12
    assert wh.query("SELECT count(*) FROM articles").rows == [(40,)]
    assert load_feed_states(wh, ["https://x.example/feed"])["https://x.example/feed"].etag == '"e"'
    (result,) = wh.user_query("SELECT count(DISTINCT article_id) FROM articles")
    assert result.rows == [(40,)]
    with pytest.raises(Exception, match="refused|disabled|read-only"):
        wh.user_query("COPY articles TO '/tmp/out.csv'")
    wh.maintain()
    assert wh.query("SELECT count(*) FROM articles").rows == [(40,)]


def test_the_password_never_appears_in_messages(server: postgres.Server, tmp_path: Path
                                                ) -> None:
    url = server.url("no_such_database")
    wh = Warehouse(url, data_path=tmp_path)
    assert server.password not in wh.shown and ":***@" in wh.shown
    with pytest.raises(WarehouseError) as caught:
        wh.exists()
    assert server.password not in str(caught.value) and "no_such_database" in str(caught.value)
    with pytest.raises(WarehouseError, match="NEWSMON_LAKE_DATA"):
        Warehouse(url)
    with pytest.raises(WarehouseError, match="needs a host and a database"):
        CatalogUrl.parse("postgresql://user@host")


def test_a_busy_writer_lock_names_its_holder(lake: tuple[str, Path]) -> None:
    url, data = lake
    with Warehouse(url, data_path=data).writer():
        pass
    held = Warehouse(url, data_path=data)
    impatient = Warehouse(url, data_path=data, lock_timeout_s=0.3)
    with (held.writer(), pytest.raises(WarehouseBusyError, match="newsmon PID"),
          impatient.writer()):
        pass


RACER = """
import sys, time
from datetime import datetime
sys.path.insert(0, {root!r})
from tests.warehouse.test_targets import _article
from warehouse import Warehouse
wh = Warehouse({url!r}, data_path={data!r}, lock_timeout_s=120)
worker = int(sys.argv[1])
# every worker loads articles 0..159 in the same batches of 20: the same stories from
# different feeds at the same moment; the pause stands for the rest of a write
# transaction (tags, entities, stories), which widens the window a race needs
ids = list(range(160))
for k in range(0, len(ids), 20):
    with wh.writer() as tx:
        tx.insert_articles([_article(n) for n in ids[k:k + 20]], f"w{{worker}}",
                           datetime(2026, 3, 1))
        time.sleep(0.05)
    print(k, flush=True)
"""


@pytest.mark.slow
def test_racing_writers_on_overlapping_inputs_store_each_article_once(
    lake: tuple[str, Path],
) -> None:
    """Four workers, each loading the same 160 articles in the same batches, one killed
    midway and started again, while a reader counts: 160 rows, no row twice."""
    url, data = lake
    wh = Warehouse(url, data_path=data, lock_timeout_s=120)
    with wh.writer():
        pass  # migrated once, before the race
    code = RACER.format(root=str(ROOT), url=url, data=str(data))

    def start(worker: int) -> subprocess.Popen[str]:
        return subprocess.Popen([sys.executable, "-c", code, str(worker)],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    workers = {w: start(w) for w in range(4)}
    victim = workers[1]
    assert victim.stdout is not None
    for _ in range(3):
        victim.stdout.readline()  # three batches in: mid-run
    os.kill(victim.pid, signal.SIGKILL)
    victim.wait()
    workers[1] = start(1)  # restarted: its whole input again
    counts = []
    while any(w.poll() is None for w in workers.values()):
        counts.append(wh.query("SELECT count(*) FROM articles").rows[0][0])
        time.sleep(0.25)  # a few looks per batch; a busier reader only takes the racers' CPU
    for w in workers.values():
        out, err = w.communicate()
        assert w.returncode == 0, err
        assert len(out.split()) == 8  # every worker committed all its batches
    assert counts == sorted(counts) and counts[-1] <= 160  # whole, growing batches
    assert wh.query("SELECT count(*), count(DISTINCT article_id) FROM articles").rows == [
        (160, 160)]
    # the day-story pairs the racing writers kept match their articles, each once
    assert wh.query("SELECT day, story_id FROM story_days ORDER BY ALL").rows == wh.query(
        "SELECT DISTINCT date_trunc('day', event_at), story_id FROM article_times "
        "ORDER BY ALL").rows


@pytest.fixture(scope="module")
def object_store() -> Iterator[tuple[ObjectStore, Any]]:
    """moto's S3-compatible server on loopback, with one bucket: (credentials, client)."""
    import boto3
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # a line per request otherwise
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    store = ObjectStore("test-key", "test-secret", "us-east-1", f"http://{host}:{port}")
    client = boto3.client("s3", endpoint_url=store.endpoint, region_name=store.region,
                          aws_access_key_id=store.key_id,
                          aws_secret_access_key=store.secret)
    client.create_bucket(Bucket="newsmon-lake")
    try:
        yield store, client
    finally:
        server.stop()


def test_a_lake_keeps_its_data_files_in_object_storage(
    server: postgres.Server, object_store: tuple[ObjectStore, Any],
) -> None:
    store, client = object_store
    url = server.create_database("lake_s3")
    data = "s3://newsmon-lake/newsroom"
    with pytest.raises(WarehouseError, match="NEWSMON_S3_KEY_ID"):
        Warehouse(url, data_path=data)  # no credentials: said before anything is opened
    wh = Warehouse(url, data_path=data, store=store)
    with wh.writer() as tx:
        tx.insert_articles([_article(n) for n in range(400)], "r1", datetime(2026, 3, 1))
    assert wh.query("SELECT count(*), count(DISTINCT article_id) FROM articles").rows == [
        (400, 400)]
    listed = client.list_objects_v2(Bucket="newsmon-lake", Prefix="newsroom/")
    assert any(o["Key"].endswith(".parquet") for o in listed.get("Contents", []))
    (result,) = Warehouse(url, data_path=data, store=store).user_query(
        "SELECT count(*) FROM articles")
    assert result.rows == [(400,)]
