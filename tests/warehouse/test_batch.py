"""Typed batches into DuckDB through its JSON reader: every type round-trips unchanged."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from newsmon.core.errors import WarehouseError
from warehouse import Warehouse
from warehouse.batch import batch_relation, remove_orphans

TRICKY = 'quotes \' " back\\slash\nnew line\ttab {"json": [1]} ümlaut 日本語 😀'


def _feeds(url: str, **values: object) -> dict[str, tuple[str, list[object]]]:
    """A ``feeds`` row (a table with text, timestamp, integer and double columns)."""
    columns: dict[str, tuple[str, list[object]]] = {
        "url": ("VARCHAR", [url]), "consecutive_failures": ("INTEGER", [0])}
    kinds = {"name": "VARCHAR", "last_polled_at": "TIMESTAMP", "last_http_status": "INTEGER",
             "interval_minutes": "DOUBLE"}
    for name, value in values.items():
        columns[name] = (kinds[name], [value])
    return columns


def test_text_times_numbers_and_nulls_arrive_as_given(db_path: Path) -> None:
    wh = Warehouse(db_path)
    berlin = timezone(timedelta(hours=1))
    with wh.writer() as tx:
        assert tx.insert_rows("feeds", _feeds(
            "https://a.example/feed", name=TRICKY, last_polled_at=datetime(2026, 1, 5, 9, 30, 1, 5),
            last_http_status=304, interval_minutes=1 / 3)) == 1
        tx.insert_rows("feeds", _feeds(
            "https://b.example/feed", name=None,
            last_polled_at=datetime(2026, 1, 5, 0, 30, tzinfo=berlin),
            last_http_status=None, interval_minutes=None))
    rows = wh.query("SELECT url, name, last_polled_at, last_http_status, interval_minutes "
                    "FROM feeds ORDER BY url").rows
    assert rows == [
        ("https://a.example/feed", TRICKY, datetime(2026, 1, 5, 9, 30, 1, 5), 304, 1 / 3),
        # an aware time is stored as naive UTC, like every time in the warehouse
        ("https://b.example/feed", None, datetime(2026, 1, 4, 23, 30), None, None),
    ]


def test_bytes_and_lists_round_trip_and_keys_are_inserted_once(db_path: Path) -> None:
    wh = Warehouse(db_path)
    blob = bytes(range(256))
    columns = {
        "article_id": ("BIGINT", [7, 7, 8]),
        "minhash": ("BLOB", [blob, blob, b""]),
        "scheme": ("VARCHAR", ["s", "s", None]),
    }
    with wh.writer() as tx:
        assert tx.insert_rows("article_signatures", columns, or_ignore=True) == 2
        assert tx.insert_rows("article_signatures", columns, or_ignore=True) == 0
    assert wh.query("SELECT article_id, minhash, scheme FROM article_signatures "
                    "ORDER BY article_id").rows == [(7, blob, "s"), (8, b"", None)]


def test_a_text_beyond_the_readers_default_object_size_is_stored_whole(db_path: Path) -> None:
    wh = Warehouse(db_path)
    huge = "Wort " * 4_000_000  # 20 MB: DuckDB's JSON reader stops at 16 MB by default
    with wh.writer() as tx:
        tx.insert_rows("feeds", _feeds("https://big.example/feed", name=huge))
    assert wh.query("SELECT length(name) FROM feeds").rows == [(len(huge),)]


def test_an_empty_batch_inserts_nothing_and_uneven_columns_are_refused(db_path: Path) -> None:
    wh = Warehouse(db_path)
    with wh.writer() as tx:
        assert tx.insert_rows("feeds", {"url": ("VARCHAR", [])}) == 0
        with pytest.raises(WarehouseError, match="differ in length"):
            tx.insert_rows("feeds", {"url": ("VARCHAR", ["a"]), "name": ("VARCHAR", [])})
    assert wh.query("SELECT count(*) FROM feeds").rows == [(0,)]


def test_the_batch_file_is_gone_after_the_insert_even_when_it_fails(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # follow this thread's files only: the temp folder is shared with every process and
    # thread that writes batches meanwhile, so comparing its listings is a race
    made: list[str] = []
    mkstemp, here = tempfile.mkstemp, threading.get_ident()

    def recording(*args: Any, **kwargs: Any) -> tuple[int, str]:
        fd, path = mkstemp(*args, **kwargs)
        if threading.get_ident() == here:
            made.append(path)
        return fd, path

    monkeypatch.setattr(tempfile, "mkstemp", recording)
    with batch_relation({"a": ("VARCHAR", ["x"])}) as (_, params):
        assert Path(params[0]).read_text(encoding="utf-8") == '{"a": "x"}\n'
    with pytest.raises(ValueError), batch_relation({"a": ("DOUBLE", [float("nan")])}):
        pass  # NaN is no JSON: refused while writing, not stored as something else
    assert len(made) == 2 and made[0] == params[0]
    assert [p for p in made if Path(p).exists()] == []


def test_batch_files_of_processes_killed_outright_are_removed_by_the_next(
        tmp_path: Path) -> None:
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    dead = tmp_path / f"newsmon-batch-{gone.stdout.strip()}-k1ll3d.jsonl"
    running = tmp_path / f"newsmon-batch-{os.getpid()}-wr1t1ng.jsonl"
    unknown = tmp_path / "newsmon-batch-n0p1d.jsonl"  # no process id in the name
    for path in (dead, running, unknown):
        path.write_text("{}\n", encoding="utf-8")
    assert remove_orphans(tmp_path) == [dead]
    assert not dead.exists() and running.exists() and unknown.exists()
    with batch_relation({"a": ("VARCHAR", ["x"])}) as (_, params):
        assert Path(params[0]).name.startswith(f"newsmon-batch-{os.getpid()}-")


def test_undecodable_bytes_in_a_name_are_spelled_out_not_fatal(db_path: Path) -> None:
    wh = Warehouse(db_path)
    name = b"/in/bad\xff.txt".decode("utf-8", "surrogateescape")  # as os.listdir gives it
    with wh.writer() as tx:
        tx.insert_rows("rejects", {
            "run_id": ("VARCHAR", ["r", "r"]), "input": ("VARCHAR", [name, "/in/ok.txt"]),
            "reason": ("VARCHAR", ["not_article", "too_short"]), "detail": ("VARCHAR", ["x", "y"]),
            "rejected_at": ("TIMESTAMP", [datetime(2026, 1, 1)] * 2),
        })
    assert wh.query("SELECT input FROM rejects ORDER BY reason").rows == [
        ("/in/bad\\xff.txt",), ("/in/ok.txt",)]
