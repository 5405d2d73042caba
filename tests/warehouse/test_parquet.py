"""Parquet archives read as rows by DuckDB: plain values out, named rejects for what
cannot be read."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from newsmon.core.errors import RejectedInput
from newsmon.core.outcomes import RejectReason
from warehouse.parquet import parquet_rows


def test_rows_come_back_as_plain_values(tmp_path: Path) -> None:
    path = tmp_path / "articles.parquet"
    duckdb.sql(
        "COPY (SELECT * FROM (VALUES "
        "(1, 'https://a.example/1', TIMESTAMP '2023-09-12 08:05:00', ['A. Writer', 'B. Writer'], "
        " [{'topic': 'sanctions', 'score': 0.9}], {'id': 'courier', 'name': 'Courier'}, "
        " {'score': 0.9}), "
        "(2, NULL, NULL, [], [], NULL, NULL)) "
        "t(article_id, url, published_at, authors, topics, source, meta)) "
        f"TO '{path}' (FORMAT parquet)")
    assert parquet_rows(path, max_rows=10) == [  # an outlet as a struct of names, as in JSON
        {"article_id": 1, "url": "https://a.example/1", "published_at": "2023-09-12T08:05:00",
         "authors": ["A. Writer", "B. Writer"], "topics": None,
         "source": {"id": "courier", "name": "Courier"}, "meta": None},
        {"article_id": 2, "url": None, "published_at": None, "authors": [], "topics": [],
         "source": None, "meta": None},
    ]
    with pytest.raises(RejectedInput) as caught:
        parquet_rows(path, max_rows=1)
    assert (caught.value.reason, caught.value.detail) == (RejectReason.TOO_LARGE, "over 1 rows")


def test_a_broken_parquet_file_is_a_named_reject(tmp_path: Path) -> None:
    path = tmp_path / "cut.parquet"
    path.write_bytes(b"PAR1 and then nothing a reader can use")
    with pytest.raises(RejectedInput) as caught:
        parquet_rows(path, max_rows=10)
    assert caught.value.reason == RejectReason.UNREADABLE
    assert caught.value.detail.startswith("not a readable Parquet file: ")
