"""The DuckDB warehouse: the only module that opens DuckDB.

Why it looks the way it does:

* DuckDB lets one process write a file and, while it does, refuses every other
  process, readers included. So newsmon never keeps a connection open: writers open,
  run one short batch transaction and close; readers open read-only and close. Both
  retry with back-off while another process holds the file and give up after
  ``lock_timeout_s`` with a :class:`WarehouseBusyError` naming the holder.
* Loads are exactly-once: every article has a primary key derived from its content
  or canonical URL, batches are single transactions, and inserts skip keys that are
  already there. A run killed at any point and started again leaves no duplicates and
  loses nothing that was committed.
* Migrations are numbered SQL files in ``migrations/``, applied in order inside a
  transaction and recorded in ``schema_migrations``.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from newsmon.errors import QueryError, WarehouseBusyError, WarehouseError
from newsmon.records import Article, Reject

log = logging.getLogger(__name__)

_LOCK_MESSAGE = re.compile(r"Could not set lock on file|Conflicting lock is held", re.I)
_HOLDER = re.compile(r"Conflicting lock is held in (.+?)(?: by user .*)?\. See", re.S)
_MIGRATION_NAME = re.compile(r"^(\d{4})_(\w+)\.sql$")


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    sql: str


@dataclass(frozen=True, slots=True)
class QueryResult:
    columns: list[str]
    rows: list[tuple[Any, ...]]


@dataclass(frozen=True, slots=True)
class RunRow:
    run_id: str
    trigger: str
    started_at: datetime
    host: str
    pid: int


def migrations() -> list[Migration]:
    """The numbered migrations shipped with this package, in order."""
    found: list[Migration] = []
    for entry in resources.files("warehouse").joinpath("migrations").iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            found.append(Migration(int(match[1]), match[2], entry.read_text(encoding="utf-8")))
    found.sort(key=lambda m: m.version)
    versions = [m.version for m in found]
    if versions != list(range(1, len(found) + 1)):
        raise WarehouseError(f"migrations must be numbered 0001, 0002 ... without gaps: {versions}")
    return found


def _lock_holder(exc: Exception) -> str | None:
    """DuckDB's lock error names the holding process; return that part, or None."""
    text = str(exc)
    if not _LOCK_MESSAGE.search(text):
        return None
    match = _HOLDER.search(text)
    return match[1].strip() if match else "another process"


def _article_table(articles: Sequence[Article], run_id: str, now: datetime) -> pa.Table:
    """Articles as an Arrow table in ``articles`` column order (Arrow appends ~10x executemany)."""
    return pa.table(
        {
            "article_id": pa.array([a.article_id for a in articles], pa.int64()),
            "url": [a.url for a in articles],
            "source": pa.array([a.source for a in articles], pa.string()),
            "title": pa.array([a.title for a in articles], pa.string()),
            "author": pa.array([a.author for a in articles], pa.string()),
            "published_at": pa.array([a.published_at for a in articles], pa.timestamp("us")),
            "published_precision": pa.array(
                [a.published_precision and str(a.published_precision) for a in articles],
                pa.string(),
            ),
            "language": pa.array([a.language for a in articles], pa.string()),
            "text": [a.text for a in articles],
            "content_hash": [a.content_hash for a in articles],
            "cluster_id": pa.array([a.cluster_id for a in articles], pa.int64()),
            "ingested_at": pa.array([now] * len(articles), pa.timestamp("us")),
            "run_id": [run_id] * len(articles),
        }
    )


class WriteSession:
    """One open write transaction. Obtain it from :meth:`Warehouse.writer`."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self._con = con

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> list[tuple[Any, ...]]:
        """Run one statement in this transaction; for stages that own their own tables."""
        return self._con.execute(sql, params or []).fetchall()

    def insert_arrow(self, table: str, data: pa.Table, *, or_ignore: bool = False) -> None:
        """Append an Arrow table to ``table`` (columns matched by name)."""
        self._con.register("_newsmon_batch", data)
        try:
            cols = ", ".join(f'"{c}"' for c in data.column_names)
            verb = "INSERT OR IGNORE INTO" if or_ignore else "INSERT INTO"
            self._con.execute(f"{verb} {table} ({cols}) SELECT {cols} FROM _newsmon_batch")
        finally:
            self._con.unregister("_newsmon_batch")

    def existing_article_ids(self, ids: Iterable[int]) -> set[int]:
        wanted = pa.table({"article_id": pa.array(list(ids), pa.int64())})
        self._con.register("_newsmon_ids", wanted)
        try:
            rows = self._con.execute(
                "SELECT a.article_id FROM articles a JOIN _newsmon_ids w USING (article_id)"
            ).fetchall()
        finally:
            self._con.unregister("_newsmon_ids")
        return {r[0] for r in rows}

    def insert_articles(self, articles: Sequence[Article], run_id: str, now: datetime) -> int:
        """Insert articles and their signatures; keys already present are skipped."""
        if not articles:
            return 0
        before = self._count("articles")
        self.insert_arrow("articles", _article_table(articles, run_id, now), or_ignore=True)
        signatures = pa.table(
            {
                "article_id": pa.array([a.article_id for a in articles], pa.int64()),
                "minhash": pa.array([a.minhash for a in articles], pa.binary()),
            }
        )
        self.insert_arrow("article_signatures", signatures, or_ignore=True)
        return self._count("articles") - before

    def insert_rejects(self, rejects: Sequence[Reject], run_id: str, now: datetime) -> None:
        if not rejects:
            return
        table = pa.table(
            {
                "run_id": [run_id] * len(rejects),
                "input": [r.input for r in rejects],
                "reason": [str(r.reason) for r in rejects],
                "detail": [r.detail for r in rejects],
                "rejected_at": pa.array([now] * len(rejects), pa.timestamp("us")),
            }
        )
        self.insert_arrow("rejects", table)

    def start_run(self, run: RunRow) -> None:
        self._con.execute(
            "INSERT INTO runs (run_id, trigger, started_at, status, host, pid) "
            "VALUES (?, ?, ?, 'running', ?, ?)",
            [run.run_id, run.trigger, run.started_at, run.host, run.pid],
        )

    def add_run_counts(
        self, run_id: str, *, inputs: int, added: int, duplicates: int, rejected: int,
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

    def finish_run(self, run_id: str, status: str, finished_at: datetime, error: str | None) -> None:
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

    def _count(self, table: str) -> int:
        row = self._con.execute(f"SELECT count(*) FROM {table}").fetchone()
        return int(row[0]) if row else 0


class Warehouse:
    """A DuckDB warehouse file. Cheap to create; connections are opened per operation."""

    def __init__(self, path: Path, *, lock_timeout_s: float = 60.0) -> None:
        self.path = Path(path)
        self.lock_timeout_s = lock_timeout_s

    # -- connections -------------------------------------------------------------------

    def _connect(self, *, read_only: bool) -> duckdb.DuckDBPyConnection:
        """Open the file, waiting with back-off while another process holds it."""
        deadline = time.monotonic() + self.lock_timeout_s
        delay = 0.05
        while True:
            try:
                return duckdb.connect(str(self.path), read_only=read_only)
            except (duckdb.IOException, duckdb.ConnectionException) as exc:
                holder = _lock_holder(exc)
                if holder is None:
                    raise WarehouseError(f"cannot open warehouse {self.path}: {exc}") from None
                if time.monotonic() + delay > deadline:
                    raise WarehouseBusyError(str(self.path), holder) from None
                log.debug("warehouse %s busy (%s); retrying in %.2fs", self.path, holder, delay)
                time.sleep(delay)
                delay = min(delay * 2, 1.0)

    @contextmanager
    def writer(self) -> Iterator[WriteSession]:
        """One short write transaction: migrate if needed, yield, commit (or roll back)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        con = self._connect(read_only=False)
        try:
            self._migrate(con)
            con.execute("BEGIN TRANSACTION")
            try:
                yield WriteSession(con)
            except BaseException:
                con.execute("ROLLBACK")
                raise
            con.execute("COMMIT")
        finally:
            con.close()

    @contextmanager
    def reader(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A read-only connection, closed on exit so writers are never blocked for long."""
        if not self.path.exists():
            raise WarehouseError(
                f"warehouse {self.path} does not exist yet: run `newsmon run` or "
                "`newsmon ingest PATH` first"
            )
        con = self._connect(read_only=True)
        try:
            yield con
        finally:
            con.close()

    def query(self, sql: str, params: Sequence[Any] | None = None) -> QueryResult:
        """Run user SQL read-only. Writes fail with :class:`QueryError`."""
        with self.reader() as con:
            try:
                cur = con.execute(sql, params or [])
                columns = [d[0] for d in cur.description] if cur.description else []
                rows = cur.fetchall() if columns else []
            except duckdb.Error as exc:
                message = str(exc).splitlines()[0]
                if "read-only" in message.lower():
                    message = "the warehouse is opened read-only here; queries cannot change it"
                raise QueryError(message) from None
        return QueryResult(columns, rows)

    # -- schema ---------------------------------------------------------------------------

    def schema_version(self) -> int:
        with self.reader() as con:
            return self._applied_version(con)

    @staticmethod
    def _applied_version(con: duckdb.DuckDBPyConnection) -> int:
        exists = con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_migrations'"
        ).fetchone()
        if not exists or not exists[0]:
            return 0
        row = con.execute("SELECT coalesce(max(version), 0) FROM schema_migrations").fetchone()
        return int(row[0]) if row else 0

    def _migrate(self, con: duckdb.DuckDBPyConnection) -> None:
        current = self._applied_version(con)
        pending = [m for m in migrations() if m.version > current]
        if not pending:
            return
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations ("
                "version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)"
            )
            for m in pending:
                con.execute(m.sql)
                con.execute(
                    "INSERT INTO schema_migrations VALUES (?, ?, now()::TIMESTAMP)",
                    [m.version, m.name],
                )
                log.info("warehouse %s: applied migration %04d_%s", self.path, m.version, m.name)
        except duckdb.Error as exc:
            con.execute("ROLLBACK")
            raise WarehouseError(f"migration failed on {self.path}: {exc}") from None
        con.execute("COMMIT")

    # -- reads used by the pipeline --------------------------------------------------------

    def recent_signatures(self, since: datetime) -> list[tuple[int, int, bytes]]:
        """(article_id, cluster_id, minhash) of articles ingested since ``since``."""
        if not self.path.exists():
            return []
        with self.reader() as con:
            if self._applied_version(con) == 0:
                return []
            rows = con.execute(
                "SELECT a.article_id, a.cluster_id, s.minhash FROM articles a "
                "JOIN article_signatures s USING (article_id) WHERE a.ingested_at >= ? "
                "ORDER BY a.ingested_at, a.article_id",
                [since],
            ).fetchall()
        return [(int(r[0]), int(r[1]), bytes(r[2])) for r in rows]
