"""Sessions on an open warehouse connection: what stages may do inside one transaction
(:class:`WriteSession`) or one read-only connection (:class:`ReadSession`).

:class:`warehouse.store.Warehouse` opens the connection, holds the file and commits;
these classes only run statements on it, so a stage sees typed inserts and queries and
never the connection or its locking.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import duckdb

from newsmon.core.errors import QueryError, WarehouseError
from newsmon.core.records import Article, Reject
from warehouse.batch import Columns, batch_relation, row_count
from warehouse.schema import primary_keys


def _bindable(params: Sequence[Any] | None) -> list[Any]:
    """``params`` with lists of integers given as DuckDB list literals (``'[1, 2]'``).

    DuckDB's Python client converts a list parameter element by element and looks for
    pandas at each one; without pandas installed every look searches sys.path again, so
    binding 5,000 article ids took 0.7 s. The literal, cast by ``?::BIGINT[]`` in one
    step, takes 0.02 s. SQL that binds integer lists must cast them that way.
    """
    out: list[Any] = []
    for p in params or []:
        if isinstance(p, list | tuple) and p and all(type(v) is int for v in p):
            out.append("[" + ", ".join(map(str, p)) + "]")
        else:
            out.append(p)
    return out


@dataclass(frozen=True, slots=True)
class QueryResult:
    columns: list[str]
    rows: list[tuple[Any, ...]]
    types: list[str] = field(default_factory=list)  # DuckDB type names, when known
    more: bool = False  # rows were cut at a limit: the result has more


class ReadSession:
    """Read-only queries on one open connection (:meth:`Warehouse.reading`)."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self._con = con

    def query(self, sql: str, params: Sequence[Any] | None = None) -> QueryResult:
        try:
            cur = self._con.execute(sql, _bindable(params))
            columns = [d[0] for d in cur.description] if cur.description else []
            rows = cur.fetchall() if columns else []
        except duckdb.Error as exc:
            message = str(exc).splitlines()[0]
            if "read-only" in message.lower():
                message = "the warehouse is opened read-only here; queries cannot change it"
            raise QueryError(message) from None
        return QueryResult(columns, rows)


@dataclass(frozen=True, slots=True)
class RunRow:
    run_id: str
    trigger: str
    started_at: datetime
    host: str
    pid: int


def _article_columns(articles: Sequence[Article], run_id: str, now: datetime) -> Columns:
    """Articles as typed columns, in ``articles`` column order."""
    return {
        "article_id": ("BIGINT", [a.article_id for a in articles]),
        "url": ("VARCHAR", [a.url for a in articles]),
        "source": ("VARCHAR", [a.source for a in articles]),
        "title": ("VARCHAR", [a.title for a in articles]),
        "author": ("VARCHAR", [a.author for a in articles]),
        "published_at": ("TIMESTAMP", [a.published_at for a in articles]),
        "published_precision": (
            "VARCHAR", [a.published_precision and str(a.published_precision) for a in articles]),
        "language": ("VARCHAR", [a.language for a in articles]),
        "text": ("VARCHAR", [a.text for a in articles]),
        "content_hash": ("VARCHAR", [a.content_hash for a in articles]),
        "cluster_id": ("BIGINT", [a.cluster_id for a in articles]),
        "ingested_at": ("TIMESTAMP", [now] * len(articles)),
        "run_id": ("VARCHAR", [run_id] * len(articles)),
        "agencies": ("VARCHAR", [a.agencies for a in articles]),
        "origin": ("VARCHAR", [a.origin or None for a in articles]),
        "feed_url": ("VARCHAR", [a.feed_url for a in articles]),
        "published_utc_offset": ("INTEGER", [a.published_utc_offset for a in articles]),
        "story_id": ("BIGINT", [a.story_id for a in articles]),
        "story_terms": ("VARCHAR[]", [list(a.story_terms) for a in articles]),
        # never after it was read: a clock that ran ahead would place it in the future
        "seen_at": ("TIMESTAMP", [a.seen_at and min(a.seen_at, now) for a in articles]),
        "paywalled": ("BOOLEAN", [a.paywalled for a in articles]),
    }


class WriteSession:
    """One open write transaction. Obtain it from :meth:`Warehouse.writer`."""

    def __init__(self, con: duckdb.DuckDBPyConnection, *, lake: bool = False) -> None:
        self._con = con
        self.lake = lake

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> list[tuple[Any, ...]]:
        """Run one statement in this transaction; for stages that own their own tables.

        Portable SQL only: DuckLake has no ``INSERT OR IGNORE`` / ``ON CONFLICT`` (no keys);
        use :meth:`insert_rows` with ``or_ignore`` for exactly-once inserts.
        """
        return self._con.execute(sql, _bindable(params)).fetchall()

    def insert_rows(self, table: str, columns: Columns, *, or_ignore: bool = False) -> int:
        """Append typed columns (:mod:`warehouse.batch`) to ``table``, matched by name;
        return rows added.

        ``or_ignore`` skips rows whose primary key is already in the table (or earlier in
        the batch): DuckDB's ``INSERT OR IGNORE`` on a file, an anti-join on a DuckLake.
        """
        if not row_count(columns):
            return 0
        cols = ", ".join(f'"{c}"' for c in columns)
        with batch_relation(columns) as (batch, params):
            if not or_ignore:
                sql = f"INSERT INTO {table} ({cols}) SELECT {cols} FROM {batch}"
            elif not self.lake:
                sql = f"INSERT OR IGNORE INTO {table} ({cols}) SELECT {cols} FROM {batch}"
            else:
                keys = primary_keys().get(table)
                if not keys:
                    raise WarehouseError(f"or_ignore insert into {table}, which has no key")
                on = " AND ".join(f't."{k}" IS NOT DISTINCT FROM b."{k}"' for k in keys)
                key_list = ", ".join(f'"{k}"' for k in keys)
                sql = (
                    f"INSERT INTO {table} ({cols}) SELECT {cols} FROM ("
                    f"SELECT DISTINCT ON ({key_list}) * FROM {batch}) b "
                    f"WHERE NOT EXISTS (SELECT 1 FROM {table} t WHERE {on})"
                )
            row = self._con.execute(sql, params).fetchone()  # an INSERT answers its count
        added = int(row[0]) if row else 0
        if table == "articles" and added:
            self._add_story_days(columns)
        return added

    def _add_story_days(self, articles: Columns) -> None:
        """Add the (day, story) pairs of articles just stored that ``story_days`` lacks
        (migration 0013). Both scans are narrowed for DuckDB to skip row groups: articles
        by the batch's ``ingested_at``, the pairs by the batch's days."""
        ids = list(articles["article_id"][1])
        stamps = articles["ingested_at"][1] if "ingested_at" in articles else []
        ingested = [t for t in stamps if t is not None]
        narrow, params = ("ingested_at >= ? AND ", [min(ingested)]) if ingested else ("", [])
        batch = (
            "SELECT DISTINCT date_trunc('day', event_at) AS day, story_id FROM article_times "
            f"WHERE {narrow}article_id IN (SELECT unnest(?::BIGINT[]))"
        )
        params = _bindable([*params, ids])
        bounds = self._con.execute(f"SELECT min(day), max(day) FROM ({batch})", params).fetchone()
        if not bounds or bounds[0] is None:
            return
        self._con.execute(
            f"INSERT INTO story_days SELECT n.day, n.story_id FROM ({batch}) n "
            "WHERE NOT EXISTS (SELECT 1 FROM story_days s WHERE s.day BETWEEN ? AND ? "
            "AND s.day = n.day AND s.story_id = n.story_id)",
            [*params, bounds[0], bounds[1]],
        )

    def rebuild_story_days(self) -> None:
        """``story_days`` again from every article: for bulk loads that write ``articles``
        in SQL of their own rather than through :meth:`insert_rows`."""
        self._con.execute("DELETE FROM story_days")
        self._con.execute(
            "INSERT INTO story_days SELECT DISTINCT date_trunc('day', event_at) AS day, "
            "story_id FROM article_times ORDER BY day"
        )

    def existing_article_ids(self, ids: Iterable[int]) -> set[int]:
        wanted = list(ids)
        if not wanted:
            return set()
        rows = self._con.execute(
            "SELECT a.article_id FROM articles a "
            "JOIN (SELECT unnest(?::BIGINT[]) AS article_id) w USING (article_id)",
            _bindable([wanted]),
        ).fetchall()
        return {r[0] for r in rows}

    def insert_articles(
        self, articles: Sequence[Article], run_id: str, now: datetime, scheme: str | None = None
    ) -> int:
        """Insert articles and their signatures (made by ``scheme``); keys already present
        are skipped."""
        if not articles:
            return 0
        added = self.insert_rows("articles", _article_columns(articles, run_id, now),
                                 or_ignore=True)
        self.insert_rows("article_signatures", {
            "article_id": ("BIGINT", [a.article_id for a in articles]),
            "minhash": ("BLOB", [a.minhash for a in articles]),
            "scheme": ("VARCHAR", [scheme] * len(articles)),
        }, or_ignore=True)
        return added

    def insert_rejects(self, rejects: Sequence[Reject], run_id: str, now: datetime) -> None:
        if not rejects:
            return
        self.insert_rows("rejects", {
            "run_id": ("VARCHAR", [run_id] * len(rejects)),
            "input": ("VARCHAR", [r.input for r in rejects]),
            "reason": ("VARCHAR", [str(r.reason) for r in rejects]),
            "detail": ("VARCHAR", [r.detail for r in rejects]),
            "rejected_at": ("TIMESTAMP", [now] * len(rejects)),
        })

    def start_run(self, run: RunRow) -> None:
        self._con.execute(
            "INSERT INTO runs (run_id, trigger, started_at, status, host, pid) "
            "VALUES (?, ?, ?, 'running', ?, ?)",
            [run.run_id, run.trigger, run.started_at, run.host, run.pid],
        )

    def add_run_counts(
        self,
        run_id: str,
        *,
        inputs: int,
        added: int,
        duplicates: int,
        rejected: int,
        reasons: dict[str, int],
    ) -> None:
        """Add one batch's counts to its run, in the batch's own transaction."""
        row = self._con.execute("SELECT reasons FROM runs WHERE run_id = ?", [run_id]).fetchone()
        merged: dict[str, int] = json.loads(row[0]) if row and row[0] else {}
        for reason, n in reasons.items():
            merged[reason] = merged.get(reason, 0) + n
        self._con.execute(
            "UPDATE runs SET inputs = inputs + ?, added = added + ?, duplicates = duplicates + ?, "
            "rejected = rejected + ?, reasons = ? WHERE run_id = ?",
            [inputs, added, duplicates, rejected, json.dumps(merged, sort_keys=True), run_id],
        )

    def finish_run(
        self, run_id: str, status: str, finished_at: datetime, error: str | None
    ) -> None:
        self._con.execute(
            "UPDATE runs SET status = ?, finished_at = ?, error = ? WHERE run_id = ?",
            [status, finished_at, error, run_id],
        )

    def running_runs(self) -> list[tuple[str, str | None, int | None]]:
        """(run_id, host, pid) of runs still marked running."""
        rows = self._con.execute(
            "SELECT run_id, host, pid FROM runs WHERE status = 'running'"
        ).fetchall()
        return [(r[0], r[1], r[2]) for r in rows]

    def mark_interrupted(self, run_ids: Sequence[str], now: datetime) -> None:
        for run_id in run_ids:
            self._con.execute(
                "UPDATE runs SET status = 'interrupted', finished_at = ?, "
                "error = 'the process running it ended before it finished' WHERE run_id = ?",
                [now, run_id],
            )
