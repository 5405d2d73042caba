"""What the two warehouse targets promise beyond the shared tests in test_store.py.

DuckDB file: a reader that meets a writer waits and then answers, and the busy error
names the holder for both forms of DuckDB's lock message. DuckLake: the extensions come
from the installed wheels with network installs off, data land as Parquet files beside
the catalog, and two writer processes plus readers work at once without losing a row.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from newsmon.clustering import signature
from newsmon.core.records import Article
from warehouse import Warehouse
from warehouse.ducklake import LAKE_EXTENSIONS, extension_file
from warehouse.schema import lake_sql, primary_keys
from warehouse.store import _lock_holder

ROOT = Path(__file__).resolve().parents[2]


def _article(n: int) -> Article:
    text = f"Meldung {n}: Der Rat beschließt neue Regeln für Häfen und Zölle. " * 4
    return Article(article_id=n, url=f"file:///m{n}.txt", text=text, content_hash=f"c{n}",
                   minhash=signature(text), cluster_id=n)


def test_holder_is_named_in_both_forms_of_duckdbs_lock_message() -> None:
    write = duckdb.IOException(
        'IO Error: Could not set lock on file "/w.duckdb": Conflicting lock is held in '
        "/usr/bin/python3.11 (PID 7611) by user me. See also https://duckdb.org/docs"
    )
    read = duckdb.IOException(
        'IO Error: Could not set lock on file "/w.duckdb": Conflicting lock is held in '
        "/usr/bin/python3.11 (PID 42). However, you would be able to open this database in "
        "read-only mode, e.g. by using the -readonly parameter in the CLI. See also x"
    )
    assert _lock_holder(write) == "/usr/bin/python3.11 (PID 7611)"
    assert _lock_holder(read) == "/usr/bin/python3.11 (PID 42)"
    assert _lock_holder(duckdb.IOException("disk full")) is None


def test_a_reader_waits_for_a_short_writer_then_answers(tmp_path: Path) -> None:
    path = tmp_path / "w.duckdb"
    wh = Warehouse(path, lock_timeout_s=30)
    with wh.writer():
        pass
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import duckdb, time
            c = duckdb.connect({str(path)!r})
            print("ready", flush=True)
            time.sleep(1.0)
            c.close()
            time.sleep(30)
        """)],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        assert wh.query("SELECT count(*) FROM articles").rows == [(0,)]
        assert 0.3 < wh.last_wait_s < 30
    finally:
        holder.kill()
        holder.wait()


def test_lake_migrations_drop_only_what_ducklake_lacks() -> None:
    sql = (
        "CREATE TABLE a (id BIGINT PRIMARY KEY, u VARCHAR UNIQUE, n INT NOT NULL DEFAULT 0);\n"
        "CREATE TABLE b (x INT, y INT, PRIMARY KEY (x, y));\n"
        "CREATE INDEX b_y ON b (y);\n"
    )
    out = lake_sql(sql)
    assert "PRIMARY" not in out and "UNIQUE" not in out and "INDEX" not in out
    assert "n INT NOT NULL DEFAULT 0" in out and "CREATE TABLE b (x INT, y INT)" in out
    assert primary_keys()["articles"] == ("article_id",)


def test_lake_extensions_load_from_the_wheels_with_network_installs_off(tmp_path: Path) -> None:
    for package, name in LAKE_EXTENSIONS:
        assert extension_file(package, name).is_file()
    wh = Warehouse(tmp_path / "w.ducklake")
    with wh.writer() as tx:
        tx.insert_articles([_article(n) for n in range(50)], "r1", datetime(2026, 3, 1))
        settings = dict(tx.execute(
            "SELECT name, value FROM duckdb_settings() "
            "WHERE name IN ('autoinstall_known_extensions', 'autoload_known_extensions')"
        ))
    assert settings == {"autoinstall_known_extensions": "false",
                        "autoload_known_extensions": "false"}
    assert wh.query("SELECT count(*) FROM articles").rows == [(50,)]
    # 50 rows exceed DuckLake's inlining limit, so they are Parquet files in the data path.
    assert list(wh.data_path.rglob("*.parquet"))
    wh.maintain()
    assert wh.query("SELECT count(DISTINCT article_id) FROM articles").rows == [(50,)]


WRITER = """
import sys
from datetime import datetime
sys.path.insert(0, {root!r})
from tests.warehouse.test_targets import _article
from warehouse import Warehouse
wh = Warehouse({path!r}, lock_timeout_s=60)
base = int(sys.argv[1])
for i in range(6):
    with wh.writer() as tx:
        tx.insert_articles([_article(base + 10 * i + k) for k in range(10)], str(base),
                           datetime(2026, 3, 1))
        tx.insert_articles([_article(k) for k in range(3)], str(base), datetime(2026, 3, 1))
"""


@pytest.mark.parametrize("suffix", [".duckdb", ".ducklake"])
def test_two_writer_processes_and_a_reader_lose_nothing(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"w{suffix}"
    wh = Warehouse(path, lock_timeout_s=60)
    with wh.writer():
        pass
    code = WRITER.format(root=str(ROOT), path=str(path))
    writers = [subprocess.Popen([sys.executable, "-c", code, str(base)], stderr=subprocess.PIPE,
                                text=True) for base in (1000, 5000)]
    counts = []
    while any(w.poll() is None for w in writers):
        counts.append(wh.query("SELECT count(*) FROM articles").rows[0][0])
    for w in writers:
        assert w.wait() == 0, w.stderr.read() if w.stderr else ""
    assert counts == sorted(counts)  # readers only ever see whole, growing batches
    assert wh.query("SELECT count(*), count(DISTINCT article_id) FROM articles").rows == [
        (2 * 60 + 3, 2 * 60 + 3)
    ]


def test_newsmon_sql_waits_then_fails_in_one_line_naming_the_holder(tmp_path: Path) -> None:
    from tests.conftest import run_cli

    path = tmp_path / "w.duckdb"
    with Warehouse(path).writer():
        pass
    holder = subprocess.Popen(
        [sys.executable, "-c",
         f"import duckdb,time; c=duckdb.connect({str(path)!r}); print('ready', flush=True); "
         "time.sleep(60)"],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        result = run_cli("--db", str(path), "sql", "SELECT 1",
                         env={"NEWSMON_LOCK_TIMEOUT_S": "1"})
    finally:
        holder.kill()
        holder.wait()
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and f"(PID {holder.pid})" in result.stderr
    assert "is locked by another process" in result.stderr
