"""Parquet files read as rows, for an archive of articles (``newsmon export --out
FILE.parquet`` read back by ``newsmon ingest``): DuckDB reads Parquet, and only this
package opens DuckDB.

The rows come back as plain Python values (timestamps as ISO 8601 text, nested values
left out), so the archive reader treats them as it treats JSON Lines.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb

from newsmon.core.errors import RejectedInput
from newsmon.core.outcomes import RejectReason


def _connect() -> duckdb.DuckDBPyConnection:
    # Parquet is built into DuckDB: nothing is installed or loaded (nor downloaded)
    return duckdb.connect(":memory:", config={"autoinstall_known_extensions": False,
                                              "autoload_known_extensions": False})


def parquet_rows(path: Path, *, max_rows: int) -> list[dict[str, Any]]:
    """The rows of the Parquet file at ``path`` (at most ``max_rows``: more is a
    ``too_large`` reject, told from the file's footer before a row is read);
    :class:`RejectedInput` naming what is wrong with it."""
    con = _connect()
    try:
        (count,) = con.execute("SELECT sum(num_rows) FROM parquet_file_metadata(?)",
                               [str(path)]).fetchone() or (0,)
    except duckdb.Error as exc:
        raise _unreadable(exc) from None
    finally:
        con.close()
    if (count or 0) > max_rows:
        raise RejectedInput(RejectReason.TOO_LARGE, f"over {max_rows:,} rows")
    return [row for batch in parquet_batches(path, rows=max_rows) for row in batch]


def parquet_batches(path: Path, *, rows: int) -> Iterator[list[dict[str, Any]]]:
    """The rows of the Parquet file at ``path``, ``rows`` at a time, in the file's order:
    a file of any size or number of rows, fetched from DuckDB as they are read (about
    half the memory of all its rows at once; the rest is the file's row group, which
    DuckDB unpacks column by column). :class:`RejectedInput` naming what is wrong with
    the file, where it stops being readable (the batches before it were whole)."""
    con = _connect()
    try:
        result = con.execute("SELECT * FROM read_parquet(?)", [str(path)])
        columns = [d[0] for d in result.description or ()]
        while batch := result.fetchmany(rows):
            yield [{c: _plain(v) for c, v in zip(columns, row, strict=True)} for row in batch]
    except duckdb.Error as exc:
        raise _unreadable(exc) from None
    finally:
        con.close()


def _unreadable(exc: duckdb.Error) -> RejectedInput:
    return RejectedInput(RejectReason.UNREADABLE,
                         f"not a readable Parquet file: {str(exc).splitlines()[0]}")


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return value  # a list of authors
    if isinstance(value, dict) and all(isinstance(v, str | None) for v in value.values()):
        return value  # an outlet as news APIs give it ({"id": ..., "name": ...}), as in JSON
    if isinstance(value, list | dict | tuple):
        return None  # topics, entities with their evidence: nothing the archive reads
    return value


__all__ = ["parquet_batches", "parquet_rows"]
