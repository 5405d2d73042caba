"""The warehouse on real DuckDB files: migrations, exactly-once appends, read-only queries."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from datetime import datetime
from pathlib import Path

import pytest

from newsmon.clustering import signature
from newsmon.core.errors import QueryError, WarehouseBusyError, WarehouseError
from newsmon.core.outcomes import RejectReason
from newsmon.core.records import Article, Reject
from warehouse import Warehouse, migrations


def _article(n: int) -> Article:
    text = f"Artikel Nummer {n} über Sanktionen und Diplomatie. " * 5
    return Article(
        article_id=n,
        url=f"file:///a{n}.txt",
        text=text,
        content_hash=f"h{n}",
        minhash=signature(text),
        cluster_id=n,
        title=f"T{n}",
    )


def test_migrations_are_numbered_and_recorded(db_path: Path) -> None:
    wh = Warehouse(db_path)
    with wh.writer():
        pass
    assert wh.schema_version() == len(migrations()) >= 1
    applied = wh.query("SELECT version FROM schema_migrations ORDER BY version").rows
    assert [r[0] for r in applied] == [m.version for m in migrations()]
    with wh.writer():  # a second open applies nothing more
        pass
    assert len(wh.query("SELECT * FROM schema_migrations").rows) == len(migrations())


def test_a_warehouse_an_older_newsmon_wrote_is_brought_up_to_date_before_it_is_read(
    db_path: Path
) -> None:
    """After an upgrade, the first command may be a read-only one (``newsmon trends``, the
    web): it failed on a view's new column ("Referenced column timed not found")."""
    wh = Warehouse(db_path)
    with wh.writer() as tx:
        tx.insert_articles([_article(1)], "r1", datetime(2026, 3, 1, 9))
    latest = migrations()[-1]
    views = [m for m in migrations() if "VIEW article_times" in m.sql]
    changed, earlier = views[-1], views[-2]  # the view's latest change, and the one before
    view = earlier.sql[earlier.sql.index("CREATE OR REPLACE VIEW article_times"):]
    with wh.writer() as tx:  # as the newsmon before that migration left it
        tx.execute(view.split(";")[0])
        tx.execute("DELETE FROM schema_migrations WHERE version >= ?", [changed.version])
    older = Warehouse(db_path)
    assert older.query("SELECT article_id, timed FROM article_times").rows == [(1, True)]
    assert older.schema_version() == latest.version


def test_articles_table_has_the_contract_columns(db_path: Path) -> None:
    wh = Warehouse(db_path)
    with wh.writer():
        pass
    columns = {
        r[0]: r[1]
        for r in wh.query(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_name = 'articles'"
        ).rows
    }
    for name in (
        "article_id",
        "url",
        "source",
        "title",
        "author",
        "published_at",
        "language",
        "text",
        "content_hash",
        "cluster_id",
        "ingested_at",
        "run_id",
    ):
        assert name in columns
    assert columns["published_at"] == "TIMESTAMP"
    assert columns["paywalled"] == "BOOLEAN"


def test_inserts_skip_existing_keys(db_path: Path) -> None:
    wh = Warehouse(db_path)
    now = datetime(2026, 1, 1)
    with wh.writer() as tx:
        assert tx.insert_articles([_article(1), _article(2)], "r1", now) == 2
    with wh.writer() as tx:
        assert tx.existing_article_ids([1, 2, 3]) == {1, 2}
        assert tx.insert_articles([_article(2), _article(3)], "r2", now) == 1
    assert wh.query("SELECT count(*), count(DISTINCT article_id) FROM articles").rows == [(3, 3)]


def test_integer_list_parameters_bind_as_one_literal(db_path: Path) -> None:
    wh = Warehouse(db_path)
    with wh.writer() as tx:
        tx.insert_articles([_article(i) for i in (1, 2, 3)], "r1", datetime(2026, 1, 1))
        many = [*range(-5000, 0), 2, 3]
        assert tx.execute("SELECT count(*) FROM articles WHERE article_id IN "
                          "(SELECT unnest(?::BIGINT[]))", [many]) == [(2,)]
    sql = "SELECT list_sort(list(article_id)) FROM articles WHERE article_id IN " \
          "(SELECT unnest(?::BIGINT[]))"
    assert wh.query(sql, [(1, 3)]).rows == [([1, 3],)]
    assert wh.query(sql, [[]]).rows == [(None,)]
    assert wh.query("SELECT ?::VARCHAR[]", [["a", "b"]]).rows == [(["a", "b"],)]
    assert wh.query("SELECT ?::BIGINT[]", [[True, 2]]).rows == [([1, 2],)]  # not all int


def test_a_held_connection_serves_every_read_and_its_siblings_in_threads(
    db_path: Path,
) -> None:
    from concurrent.futures import ThreadPoolExecutor

    wh = Warehouse(db_path)
    with wh.writer() as tx:
        tx.insert_articles([_article(i) for i in (1, 2, 3)], "r1", datetime(2026, 1, 1))
    with wh.sibling() as same:
        assert same is wh  # nothing held: reads open their own connection
    with wh.holding():
        with wh.reader() as first, wh.reader() as second:
            assert first is second  # one connection for the whole page

        def count(_: int) -> int:
            with wh.sibling() as twin:
                assert twin is not wh
                return int(twin.query("SELECT count(*) FROM articles").rows[0][0])

        with ThreadPoolExecutor(4) as pool:
            assert list(pool.map(count, range(8))) == [3] * 8
    with wh.writer() as tx:  # nothing is left holding the file
        tx.insert_articles([_article(4)], "r2", datetime(2026, 1, 1))


def test_failed_transaction_leaves_nothing(db_path: Path) -> None:
    wh = Warehouse(db_path)
    with pytest.raises(RuntimeError), wh.writer() as tx:
        tx.insert_articles([_article(1)], "r1", datetime(2026, 1, 1))
        tx.insert_rejects(
            [Reject("x.bin", RejectReason.BINARY, "binary")], "r1", datetime(2026, 1, 1)
        )
        raise RuntimeError("killed mid-batch")
    assert wh.query("SELECT count(*) FROM articles").rows == [(0,)]
    assert wh.query("SELECT count(*) FROM rejects").rows == [(0,)]


def test_query_is_read_only_and_errors_are_one_line(db_path: Path) -> None:
    wh = Warehouse(db_path)
    with wh.writer():
        pass
    with pytest.raises(QueryError, match="read-only"):
        wh.query("DELETE FROM articles")
    with pytest.raises(QueryError, match="nosuchtable"):
        wh.query("SELECT * FROM nosuchtable")
    with pytest.raises(WarehouseError, match="does not exist yet"):
        Warehouse(db_path.parent / "missing.duckdb").query("SELECT 1")


@pytest.mark.duckdb_file_only
def test_a_writer_in_another_process_makes_us_wait_then_fail_naming_its_pid(db_path: Path) -> None:
    wh = Warehouse(db_path, lock_timeout_s=0.5)
    with wh.writer():
        pass
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb, time; c = duckdb.connect({str(db_path)!r}); "
            "print('ready', flush=True); time.sleep(30)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        started = time.monotonic()
        with pytest.raises(WarehouseBusyError) as info:
            wh.query("SELECT 1")
        assert time.monotonic() - started >= 0.4  # it retried before giving up
        assert f"PID {holder.pid}" in str(info.value)
    finally:
        holder.kill()
        holder.wait()
    assert wh.query("SELECT 1").rows == [(1,)]  # and it works once the holder is gone


def test_a_file_still_being_created_is_waited_for_and_a_short_old_one_is_damaged(
    tmp_path: Path,
) -> None:
    """A reader can open the file in the instant after a first writer created it and
    before DuckDB wrote its headers: that is a writer at work, not a damaged warehouse."""
    made = tmp_path / "made.duckdb"
    with Warehouse(made).writer():  # first: on a loaded machine this can take seconds
        pass
    path = tmp_path / "w.duckdb"
    path.touch()  # created just now, its headers not written yet
    writer = threading.Timer(0.5, os.replace, (made, path))  # the headers arrive
    writer.start()
    try:
        assert Warehouse(path, lock_timeout_s=10).query(
            "SELECT count(*) FROM articles").rows == [(0,)]
    finally:
        writer.join()
    short = tmp_path / "short.duckdb"
    short.write_bytes(b"\0" * 100)
    with pytest.raises(WarehouseBusyError, match="a process creating it"):
        Warehouse(short, lock_timeout_s=0).query("SELECT 1")
    a_minute_ago = time.time() - 60
    os.utime(short, (a_minute_ago, a_minute_ago))  # nobody is writing it: it is damaged
    with pytest.raises(WarehouseError, match=f"warehouse {short} is damaged"):
        Warehouse(short, lock_timeout_s=0).query("SELECT 1")


def test_a_parquet_export_is_written_in_small_row_groups_in_order(db_path: Path,
                                                                    tmp_path: Path) -> None:
    """A reader holds a row group at a time: a large export must not be one group."""
    wh = Warehouse(db_path)
    with wh.writer():
        pass
    out = tmp_path / "rows.parquet"
    sql = "SELECT i, repeat('Wort ', 20) || i AS text FROM range(10000) t(i)"
    assert wh.copy_to(sql, [], out, "parquet") == 10_000
    groups = wh.query("SELECT row_group_id, max(row_group_num_rows) FROM parquet_metadata(?) "
                      "GROUP BY ALL ORDER BY 1", [str(out)]).rows
    assert len(groups) >= 4 and max(n for _, n in groups) <= 2 * 2048, groups
    assert [i for (i,) in wh.query("SELECT i FROM read_parquet(?)", [str(out)]).rows] == list(
        range(10_000))


def test_a_warehouse_names_the_files_it_keeps_here(tmp_path: Path) -> None:
    """What an ingest of the folder they sit in leaves out (see newsmon.cycle.run)."""
    plain = Warehouse(tmp_path / "w.duckdb")
    assert plain.local_files() == (tmp_path / "w.duckdb", tmp_path / "w.duckdb.wal")
    lake = Warehouse(tmp_path / "w.ducklake", data_path=tmp_path / "data")
    assert lake.local_files() == (tmp_path / "w.ducklake", tmp_path / "w.ducklake.wal",
                                  tmp_path / "data")
