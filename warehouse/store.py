"""The DuckDB warehouse: the only module that opens DuckDB.

Why it looks the way it does:

* DuckDB lets one process write a file and, while it does, refuses every other
  process, readers included. So newsmon never keeps a connection open: writers open,
  run one short batch transaction and close; readers open read-only and close. Both
  retry with back-off while another process holds the file and give up after
  ``lock_timeout_s`` with a :class:`WarehouseBusyError` naming the holder.
* A process that waits for the file gets in line and a writer lets it go first before
  its next transaction (:mod:`warehouse.turns`): DuckDB queues no one, and a cycle
  reopens the file within milliseconds of closing it.
* Loads are exactly-once: every article has a primary key derived from its content
  or canonical URL, batches are single transactions, and inserts skip keys that are
  already there. A run killed at any point and started again leaves no duplicates and
  loses nothing that was committed.
* Migrations are numbered SQL files in ``migrations/``, applied in order inside a
  transaction and recorded in ``schema_migrations``.
* Two targets, chosen by the warehouse path (``NEWSMON_DB`` / ``--db``): a DuckDB file,
  or, when the path ends in ``.ducklake``, a DuckLake whose catalog is that SQLite file
  and whose data are Parquet files in ``<path>.files/``. DuckLake lets several processes
  write and read at once (the catalog is a SQLite database, the data immutable files),
  which is the first step towards the Postgres catalog + object storage of
  ``docs/scaling.md``. DuckLake has no primary keys, indexes or sequences, so its
  migrations are the same files with those clauses removed, and "insert unless the key is
  there" becomes an anti-join on the keys the DuckDB schema declares.
* Extensions come only from the ``duckdb-extension-*`` wheels installed with newsmon and
  are loaded from their files; installing or auto-loading from the network is off.
"""

from __future__ import annotations

import fcntl
import logging
import os
import re
import socket
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

import duckdb

from newsmon.core.errors import QueryError, WarehouseBusyError, WarehouseError
from warehouse.ducklake import (
    DUCKLAKE_SUFFIX,
    LAKE_EXTENSIONS,
    LakeInstance,
    ObjectStore,
    extension_file,
    prepare,
)
from warehouse.pg_catalog import CatalogUrl, is_catalog_url
from warehouse.schema import lake_sql, latest_version, migrations, sql_statements
from warehouse.sessions import QueryResult, ReadSession, WriteSession
from warehouse.turns import WAITING_RETRY_S, Turn, let_waiters_in, turn_path

log = logging.getLogger(__name__)
T = TypeVar("T")

#: Rows per row group of a Parquet export (DuckDB's least; its default is 122,880): a
#: reader holds a row group's columns while it reads it, and 2,048 articles are ~10 MB of
#: text, where a warehouse's whole export in one group is all of it. Measured: reading a
#: 92 MB file of 20,000 texts a batch at a time peaked at 183 MB against 264 MB; the file
#: is as large.
PARQUET_ROW_GROUP = 2048
#: Rows of a user's query fetched at a time: ``SELECT * FROM range(10^8)`` fetched whole
#: is 8 GB of Python tuples; a thousand articles with their texts are a few megabytes.
USER_QUERY_BATCH = 1000


_LOCK_MESSAGE = re.compile(
    r"Could not set lock on file|Conflicting lock is held|database is locked", re.I
)
# "Conflicting lock is held in /usr/bin/python3.11 (PID 7611) by user me. See also ..." or
# "... (PID 7611). However, you would be able to open this database in read-only mode ..."
_HOLDER = re.compile(r"Conflicting lock is held in (.+?\(PID \d+\))", re.S)
#: SQLite waits this long for a catalog lock before saying "database is locked".
_SQLITE_BUSY_MS = 5000


def _quote(text: str) -> str:
    return text.replace("'", "''")


def _lock_holder(exc: Exception) -> str | None:
    """DuckDB's lock error names the holding process; return that part, or None."""
    text = str(exc)
    if not _LOCK_MESSAGE.search(text):
        return None
    match = _HOLDER.search(text)
    return match[1].strip() if match else "another process"


#: What DuckDB says when the file is not a whole database (truncated, overwritten).
_DAMAGE_SIGNS = ("could not read enough bytes", "not a valid duckdb", "corrupt", "checksum",
                 "failed to rollback", "invalid database", "unexpected end")


#: Where a DuckDB file's three 4 KiB headers end: a new file is shorter until its creator
#: has written them, and reads as "not a valid DuckDB database file" meanwhile.
_HEADERS_END = 3 * 4096
#: How recently such a short file must have changed to be one still being created.
_CREATING_S = 10.0


def _file_id(path: Path) -> tuple[int, int, int] | None:
    """What tells one state of a file from the next: inode, size, modification time."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_ino, stat.st_size, stat.st_mtime_ns


def _being_created(path: Path, exc: Exception, before: tuple[int, int, int] | None) -> bool:
    """Whether ``exc`` is a reader meeting a file another process has only just created:
    it is waited for like a lock, not reported as damage. Either the file is still short
    and changed in the last :data:`_CREATING_S` (a short file left alone longer is
    damaged), or it changed while it was being opened (``before``: its state then), so
    what failed to read may already be whole."""
    if not any(sign in str(exc).lower() for sign in _DAMAGE_SIGNS):
        return False
    try:
        stat = path.stat()
    except OSError:
        return False
    if before is not None and _file_id(path) != before:
        return True
    return stat.st_size < _HEADERS_END and time.time() - stat.st_mtime < _CREATING_S


def _open_error(path: object, exc: Exception, secret: str | None = None) -> WarehouseError:
    """One line for a warehouse that cannot be opened; a damaged file says how to recover.
    ``secret`` (a catalog password) is blanked out of the database's message."""
    detail = _one_line(exc)
    if secret:
        detail = detail.replace(secret, "***")
    if any(sign in detail.lower() for sign in _DAMAGE_SIGNS):
        return WarehouseError(
            f"warehouse {path} is damaged ({detail}); restore it from a backup, or move it "
            f"aside and run newsmon again to start a new one (feeds and folders are read again)")
    return WarehouseError(f"cannot open warehouse {path}: {detail}")


#: Statements that reach outside the warehouse (files, other databases, extensions).
_REFUSED_STATEMENTS = frozenset({
    duckdb.StatementType.COPY, duckdb.StatementType.COPY_DATABASE,
    duckdb.StatementType.EXPORT, duckdb.StatementType.ATTACH, duckdb.StatementType.DETACH,
    duckdb.StatementType.LOAD, duckdb.StatementType.EXTENSION,
})


def _statement_word(statement: Any) -> str:
    """The statement's first word as written (DuckDB parses INSTALL as a LOAD statement),
    else its type's name."""
    words = statement.query.split(None, 1)
    if words and words[0].isalpha():
        return str(words[0].upper())
    return str(statement.type.name.replace("_", " "))


def _one_line(exc: Exception) -> str:
    """DuckDB's message on one line, hints included ("Did you mean ...?"), without the
    echo of the query and its caret."""
    lines = []
    for line in str(exc).splitlines():
        if line.startswith("LINE "):
            break
        if line.strip():
            lines.append(line.strip())
    return " ".join(lines) or type(exc).__name__


#: PostgreSQL lakes this process has seen made (see Warehouse.exists).
_MADE_LAKES: set[str] = set()
#: Warehouses this process has seen at this newsmon's schema (see Warehouse.reader): no
#: newsmon migrates one back, so each is asked once, not at every web request.
_CURRENT: set[str] = set()


class Warehouse:
    """A DuckDB file or a DuckLake (path ending ``.ducklake``). Connections are per operation.

    ``last_wait_s`` is how long the most recent open waited for another process: the
    concurrency test reports its worst value, and ``--debug`` logs every wait.
    """

    def __init__(
        self, path: Path | str, *, lock_timeout_s: float = 60.0,
        data_path: Path | str | None = None, store: ObjectStore | None = None,
    ) -> None:
        self.target = str(path)
        self.store = store
        self.lock_timeout_s = lock_timeout_s
        self.last_wait_s = 0.0
        self._held: duckdb.DuckDBPyConnection | None = None  # see holding()
        self.pg: CatalogUrl | None = None
        if is_catalog_url(path):
            # a DuckLake whose catalog is a PostgreSQL database shared by many workers
            self.pg = CatalogUrl.parse(str(path))
            if not data_path:
                raise WarehouseError(
                    f"warehouse {self.pg.shown}: a PostgreSQL lake needs NEWSMON_LAKE_DATA, "
                    "the folder (or s3:// URL) where every worker finds its data files")
            self.path = Path(self.pg.dbname)  # a name for the catalog alias only
            self.lake = True
            self.data_url = str(data_path).rstrip("/")
            self.data_path = Path(self.data_url)
            if self.data_url.startswith("s3://") and store is None:
                raise WarehouseError(
                    f"{self.data_url}: data in object storage needs its credentials: "
                    "NEWSMON_S3_KEY_ID and NEWSMON_S3_SECRET (and NEWSMON_S3_ENDPOINT for a "
                    "store other than AWS)")
            return
        self.path = Path(path)
        self.lake = self.path.suffix == DUCKLAKE_SUFFIX
        self.data_path = (
            Path(data_path) if data_path else self.path.with_name(self.path.name + ".files")
        )
        self.data_url = str(self.data_path)

    @property
    def catalog(self) -> str:
        """The database name queries see (``SELECT * FROM <catalog>.articles`` works too)."""
        return re.sub(r"\W", "_", self.path.stem) or "newsmon"

    @property
    def shown(self) -> str:
        """The warehouse as messages name it (a URL without its password)."""
        return self.pg.shown if self.pg is not None else str(self.path)

    def local_files(self) -> tuple[Path, ...]:
        """The files and folders this warehouse keeps on this machine (the database, its
        write-ahead log, a lake's data folder): what an ingest of the folder they sit in
        must not take for articles."""
        if self.pg is not None:
            return (self.data_path,)  # an s3:// one names no local file
        found = [self.path, self.path.with_name(self.path.name + ".wal")]
        if self.lake:
            found.append(self.data_path)
        return tuple(found)

    def exists(self) -> bool:
        """Whether anything was ever written (a fresh target has nothing to read). A
        PostgreSQL lake is asked once per process: a lake, once made, stays."""
        if self.pg is None:
            return self.path.exists()
        if self.target not in _MADE_LAKES and self.pg.initialised():
            _MADE_LAKES.add(self.target)
        return self.target in _MADE_LAKES

    def claim_once(self, task: str, window: str) -> bool:
        """Whether this process is the one to run ``task`` for ``window`` (e.g. spike
        detection for one cycle). A local warehouse has one writer process, so always; a
        PostgreSQL lake shared by workers answers yes to the first that asks."""
        if self.pg is None:
            return True
        return self.pg.claim(task, window, f"PID {os.getpid()} on {socket.gethostname()}")

    @property
    def _secret(self) -> str | None:
        return self.pg.password if self.pg is not None else None

    @property
    def remote_data(self) -> bool:
        return "://" in self.data_url

    # -- connections -------------------------------------------------------------------

    def _retrying(self, open_once: Callable[[], T], turn: Turn | None = None) -> T:
        """Call ``open_once`` until no other process holds the warehouse, with back-off.

        The wait is bounded by ``lock_timeout_s``; then :class:`WarehouseBusyError` names
        the holder (DuckDB's message carries its executable and PID). With a ``turn``, a
        wait gets in line (:mod:`warehouse.turns`) and retries often instead.
        """
        started = time.monotonic()
        deadline = started + self.lock_timeout_s
        delay = 0.02
        while True:
            before = None if self.lake else _file_id(self.path)
            try:
                result = open_once()
            except (
                duckdb.IOException,
                duckdb.ConnectionException,
                duckdb.CatalogException,
                duckdb.InvalidInputException,
            ) as exc:
                holder = _lock_holder(exc)
                if holder is None and not self.lake and _being_created(self.path, exc, before):
                    holder = "a process creating it"
                if holder is None:
                    raise _open_error(self.shown, exc, self._secret) from None
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    self.last_wait_s = time.monotonic() - started
                    raise WarehouseBusyError(self.shown, holder) from None
                if turn is not None and turn.wait_in_line():
                    time.sleep(min(WAITING_RETRY_S, remaining))
                    continue
                log.debug("warehouse %s busy (%s); retrying in %.2fs", self.shown, holder, delay)
                time.sleep(min(delay, remaining))
                # Short first steps: a batch transaction or a query takes ~10-300 ms.
                delay = min(delay * 1.6, 0.5)
                continue
            self.last_wait_s = time.monotonic() - started
            if self.last_wait_s > 0.05:
                log.debug("waited %.2f s for warehouse %s", self.last_wait_s, self.shown)
            return result

    def _connect(self, *, read_only: bool, turn: Turn) -> duckdb.DuckDBPyConnection:
        """Open the DuckDB file, waiting in line while another process holds it."""
        return self._retrying(lambda: duckdb.connect(str(self.path), read_only=read_only),
                              turn)

    @contextmanager
    def _file_turn(self, *, read_only: bool) -> Iterator[Turn]:
        """A DuckDB file session's place in line (:mod:`warehouse.turns`); a writer first
        lets the processes waiting for the file go."""
        turn = Turn(turn_path(self.path))
        try:
            if not read_only:
                let_in = let_waiters_in(turn.path)
                if let_in > 0.05:
                    log.debug("let waiting processes use %s first for %.2f s",
                              self.shown, let_in)
            yield turn
        finally:
            turn.release()

    @contextmanager
    def _session(self, *, read_only: bool) -> Iterator[duckdb.DuckDBPyConnection]:
        """A connection to the warehouse for one operation, closed (or detached) after it."""
        if not self.lake:
            with self._file_turn(read_only=read_only) as turn:
                con = self._connect(read_only=read_only, turn=turn)
                try:
                    yield con
                finally:
                    con.close()
            return
        instance = LakeInstance.get(postgres=self.pg is not None, store=self.store)
        with instance.in_use, self._lake_write_lock(enabled=not read_only):
            alias = self.catalog
            nested = alias in instance.attached
            if not nested:
                attach = self._attach_sql(read_only=read_only)
                self._retrying(lambda: instance.con.execute(attach))
            instance.attached[alias] = instance.attached.get(alias, 0) + 1
            con = instance.con.cursor()
            try:
                con.execute(f'USE "{alias}"')
                yield con
            finally:
                con.close()
                instance.attached[alias] -= 1
                if not instance.attached[alias]:
                    del instance.attached[alias]
                    instance.con.execute(f'DETACH "{alias}"')

    def _attach_sql(self, *, read_only: bool) -> str:
        """The ATTACH of this DuckLake's catalog (a writer names its data folder)."""
        if self.pg is not None:
            options = ["READ_ONLY" if read_only else
                       f"DATA_PATH '{_quote(self.data_url)}/'"]
            return (f"ATTACH 'ducklake:postgres:{_quote(self.pg.libpq())}' AS "
                    f"\"{self.catalog}\" ({', '.join(options)})")
        # WAL: readers never wait for a committing writer, nor it for them.
        options = ["META_JOURNAL_MODE 'WAL'", f"META_BUSY_TIMEOUT {_SQLITE_BUSY_MS}"]
        options.append(
            "READ_ONLY" if read_only else f"DATA_PATH '{_quote(str(self.data_path))}/'"
        )
        return (f"ATTACH 'ducklake:sqlite:{_quote(str(self.path))}' AS \"{self.catalog}\""
                f" ({', '.join(options)})")

    @contextmanager
    def _lake_write_lock(self, *, enabled: bool) -> Iterator[None]:
        """One writer at a time on a SQLite catalog, across the processes of this host.

        SQLite lets one connection commit at a time, and a DuckLake commit that must
        upgrade its read transaction fails at once with "database is locked" when another
        writer is pending (SQLite skips its busy handler to avoid a deadlock; DuckLake's
        own retries do not cover it). An OS file lock beside the catalog queues writers
        instead, with the same bounded back-off as the DuckDB file lock; readers never take
        it. On a PostgreSQL catalog the same role falls to an advisory lock, which also
        keeps concurrent loads of one story exactly-once (:mod:`warehouse.pg_catalog`).
        """
        if not enabled:
            yield
            return
        if self.pg is not None:  # see warehouse.pg_catalog: the lock that keeps loads once
            with self.pg.writer_lock(self.lock_timeout_s) as waited:
                self.last_wait_s = waited
                if waited > 0.05:
                    log.debug("waited %.2f s for the writer lock of %s", waited, self.shown)
                yield
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        lock_path = self.path.with_name(self.path.name + ".writer.lock")
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        try:

            def take() -> None:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    holder = lock_path.read_text(encoding="utf-8").strip() or "another process"
                    raise duckdb.IOException(
                        f"Could not set lock on file {lock_path}: "
                        f"Conflicting lock is held in {holder}. See"
                    ) from None

            self._retrying(take)
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{sys.executable} (PID {os.getpid()})".encode(), 0)
            try:
                yield
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)

    @contextmanager
    def writer(self) -> Iterator[WriteSession]:
        """One short write transaction: migrate if needed, yield, commit (or roll back).

        How long it held the warehouse is logged at debug level: every other process waits
        that long at most, so it is the number to watch (``--debug``).
        """
        if self.pg is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._session(read_only=False) as con:
            opened = time.monotonic()
            try:
                self._migrate(con)
                con.execute("BEGIN TRANSACTION")
                try:
                    yield WriteSession(con, lake=self.lake)
                except BaseException:
                    # a failed rollback (a damaged file) must not hide why the write failed
                    with suppress(duckdb.Error):
                        con.execute("ROLLBACK")
                    raise
                con.execute("COMMIT")
            except duckdb.Error as exc:
                if any(sign in str(exc).lower() for sign in _DAMAGE_SIGNS):
                    raise _open_error(self.shown, exc, self._secret) from None
                raise
            finally:
                log.debug("held warehouse %s for %.3f s", self.shown, time.monotonic() - opened)

    @contextmanager
    def reader(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A read-only connection, closed on exit so writers are never blocked for long.

        A warehouse an older newsmon wrote is migrated first (one short write, once): read
        as it is, a query of this version would fail on a view's new column, and every
        read-only command after an upgrade with it."""
        if not self.exists():
            raise WarehouseError(
                f"warehouse {self.shown} does not exist yet: run `newsmon run` or "
                "`newsmon ingest PATH` first"
            )
        if self._held is not None:
            yield self._held
            return
        with self._session(read_only=True) as con:
            if self.target in _CURRENT or self._applied_version(con) >= latest_version():
                _CURRENT.add(self.target)
                yield con
                return
        self._catch_up()
        with self._session(read_only=True) as con:
            yield con

    def _catch_up(self) -> None:
        """Apply the migrations an older newsmon did not, before reading."""
        try:
            with self.writer():
                pass
        except WarehouseError as exc:
            raise WarehouseError(f"warehouse {self.shown} was written by an older newsmon and "
                                 f"could not be brought up to date to be read: {exc}") from None
        _CURRENT.add(self.target)

    @contextmanager
    def holding(self) -> Iterator[None]:
        """Every read inside shares one read-only connection and so one snapshot.

        A web page asks a dozen questions; opening the file for each costs ~20 ms and
        could mix two states of a warehouse that a cycle is writing. Not for threads: a
        :class:`Warehouse` that holds a connection belongs to one request.
        """
        if self._held is not None:
            yield
            return
        with self.reader() as con:
            self._held = con
            try:
                yield
            finally:
                self._held = None

    @contextmanager
    def sibling(self) -> Iterator[Warehouse]:
        """A handle for another thread, reading through its own cursor of the held
        connection (see :meth:`holding`): a page's independent questions run at once
        instead of one after another. Without a held connection, this handle itself."""
        if self._held is None:
            yield self
            return
        twin = Warehouse(self.target, lock_timeout_s=self.lock_timeout_s,
                         data_path=self.data_url, store=self.store)
        twin._held = self._held.cursor()
        if self.lake:  # a cursor starts in the default database, not the attached lake
            twin._held.execute(f'USE "{self.catalog}"')
        try:
            yield twin
        finally:
            twin._held.close()

    def import_from(self, source: Warehouse) -> dict[str, int]:
        """Copy every table of the DuckDB file ``source`` into this empty lake, in one
        write transaction (all or nothing); returns rows per table.

        The source is migrated to the current schema first (any newsmon command would do
        the same), so both sides have the same tables; columns are matched by name.
        """
        if source.lake or source.pg is not None:
            raise WarehouseError(f"{source.shown}: migrate-to copies a DuckDB file; this is "
                                 "already a lake")
        if not self.lake:
            raise WarehouseError(f"{self.shown}: migrate-to writes to a lake (a postgresql:// "
                                 "URL or a .ducklake path)")
        if not source.exists():
            raise WarehouseError(f"warehouse {source.shown} does not exist")
        with source.writer():
            pass  # migrated to the current schema
        with source.reader() as con:
            tables = [str(r[0]) for r in con.execute(
                "SELECT table_name FROM duckdb_tables() WHERE database_name = "
                "current_database() AND schema_name = 'main' AND table_name <> "
                "'schema_migrations' ORDER BY table_name").fetchall()]
        copied: dict[str, int] = {}
        with self._session(read_only=False) as con:
            self._migrate(con)
            filled = [t for t in tables
                      if (row := con.execute(f'SELECT count(*) FROM "{t}"').fetchone())
                      and row[0]]
            if filled:
                raise WarehouseError(
                    f"{self.shown} is not empty ({', '.join(filled[:3])} have rows): "
                    "migrate-to fills a new lake only")
            con.execute(f"ATTACH '{_quote(str(source.path))}' AS newsmon_source (READ_ONLY)")
            try:
                con.execute("BEGIN TRANSACTION")
                for table in tables:
                    con.execute(f'INSERT INTO "{table}" BY NAME '
                                f'SELECT * FROM newsmon_source.main."{table}"')
                    row = con.execute(f'SELECT count(*) FROM "{table}"').fetchone()
                    copied[table] = int(row[0]) if row else 0
                con.execute("COMMIT")
            except duckdb.Error as exc:
                with suppress(duckdb.Error):
                    con.execute("ROLLBACK")
                raise WarehouseError(f"migrate-to {self.shown}: {_one_line(exc)}; nothing was "
                                     "copied") from None
            finally:
                con.execute("DETACH newsmon_source")
        return copied

    def maintain(self) -> None:
        """Compact the warehouse: DuckDB folds its WAL and frees blocks, DuckLake merges
        small Parquet files and drops expired snapshots (both via ``CHECKPOINT``)."""
        with self._session(read_only=False) as con:
            self._migrate(con)
            con.execute("CHECKPOINT")

    def query(self, sql: str, params: Sequence[Any] | None = None) -> QueryResult:
        """Run user SQL read-only. Writes fail with :class:`QueryError`."""
        with self.reader() as con:
            return ReadSession(con).query(sql, params)

    @contextmanager
    def reading(self) -> Iterator[ReadSession]:
        """One read-only connection for several queries: opening one costs ~20 ms, which a
        search that asks three questions should pay once."""
        with self.reader() as con:
            yield ReadSession(con)

    def copy_to(self, sql: str, params: Sequence[Any], path: Path, fmt: str) -> int:
        """Write the rows of a read-only ``sql`` to ``path`` as ``fmt`` (parquet, csv or
        json lines); return how many. DuckDB streams them: a large export is never held in
        memory whole. Written to a temporary file beside ``path`` and renamed into place,
        so a failed export never leaves half a file under the name asked for."""
        options = {"parquet": f"FORMAT parquet, ROW_GROUP_SIZE {PARQUET_ROW_GROUP}",
                   "csv": "FORMAT csv, HEADER", "json": "FORMAT json"}[fmt]
        partial = path.with_name(f".{path.name}.partial")
        with self.reader() as con:
            try:
                row = con.execute(
                    f"COPY ({sql}) TO '{_quote(str(partial))}' ({options})", list(params)
                ).fetchone()
            except duckdb.Error as exc:
                partial.unlink(missing_ok=True)
                raise QueryError(f"{path}: export failed: {str(exc).splitlines()[0]}") from None
        partial.replace(path)
        return int(row[0]) if row else 0

    def user_query(self, sql: str, *, max_rows: int | None = None) -> list[QueryResult]:
        """Run a user's SQL (``newsmon sql``): every statement, in a sandbox (see
        :meth:`user_query_batches`). One result per statement, of at most ``max_rows``
        rows (``more`` says it had more)."""
        results: list[QueryResult] = []

        def keep(batch: QueryResult, first: bool) -> None:
            if first:
                results.append(QueryResult(batch.columns, [], batch.types))
            results[-1].rows.extend(batch.rows)
            if batch.more:
                results[-1] = replace(results[-1], more=True)

        self.user_query_batches(sql, keep, max_rows=max_rows)
        return results

    def user_query_batches(self, sql: str, sink: Callable[[QueryResult, bool], None], *,
                           max_rows: int | None = None) -> None:
        """Run a user's SQL and hand each statement's rows to ``sink`` a batch of
        :data:`USER_QUERY_BATCH` at a time, ``first`` true for a statement's first batch
        (which a statement without a result gets too, with no columns): a result is never
        held whole, however many rows it has. ``max_rows`` cuts each result (the batch
        that reaches it has ``more`` when there were more).

        The connection is read-only and shut off from everything outside the warehouse:
        no extension installs or auto-loads, no files read or written (``COPY ... TO``,
        ``EXPORT DATABASE``, ``read_csv``), no network, no ``ATTACH``, and the settings
        are locked so a query cannot turn that back on.
        """
        if not self.exists():
            raise WarehouseError(
                f"warehouse {self.shown} does not exist yet: run `newsmon run` or "
                "`newsmon ingest PATH` first"
            )
        with self._sandbox() as con:
            try:
                statements = con.extract_statements(sql)
            except duckdb.Error as exc:
                raise QueryError(_one_line(exc)) from None
            if not statements:
                raise QueryError("no SQL statement given")
            refused = [s for s in statements if s.type in _REFUSED_STATEMENTS]
            if refused:
                kind = _statement_word(refused[0])
                raise QueryError(f"{kind} statements are refused: newsmon sql reads the "
                                 "warehouse only (no files, network or extensions)")
            for statement in statements:
                try:
                    cur = con.execute(statement.query)
                    columns = [d[0] for d in cur.description] if cur.description else []
                    types = [str(d[1]) for d in cur.description] if cur.description else []
                    if not columns:
                        sink(QueryResult([], []), True)
                        continue
                    _fetch_batches(cur, QueryResult(columns, [], types), sink, max_rows)
                except duckdb.Error as exc:
                    message = _one_line(exc)
                    if "read-only" in message.lower():
                        message = ("the warehouse is opened read-only here; queries cannot "
                                   "change it")
                    elif "disabled by configuration" in message or "disabled through" in message:
                        message = (f"{message} (newsmon sql reads the warehouse only: no "
                                   "files, network or extensions)")
                    raise QueryError(message) from None

    @contextmanager
    def _sandbox(self) -> Iterator[duckdb.DuckDBPyConnection]:
        locked: dict[str, str | bool | int | float | list[str]] = {
            "autoinstall_known_extensions": False, "autoload_known_extensions": False}
        if not self.lake:
            with self._file_turn(read_only=True) as turn:
                con = self._retrying(lambda: duckdb.connect(
                    str(self.path), read_only=True,
                    config={**locked, "enable_external_access": False,
                            "lock_configuration": True}), turn)
                try:
                    yield con
                finally:
                    con.close()
            return
        # A DuckLake reads its Parquet files, so the sandbox allows exactly its catalog and
        # data folder before it shuts external access off.
        con = duckdb.connect(config=locked)
        try:
            for package, name in LAKE_EXTENSIONS:
                con.execute(f"LOAD '{extension_file(package, name)}'")
            prepare(con, postgres=self.pg is not None, store=self.store)
            attach = self._attach_sql(read_only=True)
            self._retrying(lambda: con.execute(attach))
            con.execute(f'USE "{self.catalog}"')
            con.execute("SET allowed_directories = ?", [[f"{self.data_url}/"]])
            con.execute("SET enable_external_access = false")
            con.execute("SET lock_configuration = true")
            yield con
        finally:
            con.close()

    # -- schema ---------------------------------------------------------------------------

    def schema_version(self) -> int:
        with self.reader() as con:
            return self._applied_version(con)

    @staticmethod
    def _applied_version(con: duckdb.DuckDBPyConnection) -> int:
        if not has_table(con, "schema_migrations"):
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
            key = "" if self.lake else " PRIMARY KEY"
            con.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations ("
                f"version INTEGER{key}, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)"
            )
            for m in pending:
                sql = lake_sql(m.sql) if self.lake else m.sql
                if sql_statements(sql):  # a file of comments only is a valid placeholder
                    con.execute(sql)
                con.execute(
                    "INSERT INTO schema_migrations VALUES (?, ?, now()::TIMESTAMP)",
                    [m.version, m.name],
                )
                log.info("warehouse %s: applied migration %04d_%s", self.shown, m.version, m.name)
        except duckdb.Error as exc:
            con.execute("ROLLBACK")
            raise WarehouseError(f"migration failed on {self.shown}: {exc}") from None
        con.execute("COMMIT")

    # -- reads used by the pipeline --------------------------------------------------------

    def recent_story_members(
        self, since: datetime
    ) -> list[tuple[int, int, datetime | None, str | None, datetime, list[str]]]:
        """(article_id, story_id, published_at, published_precision, when it was read
        (fetched, for a web archive's page: ``seen_at``), story_terms) of the articles
        ingested since ``since`` that carry story terms, in the order they were loaded."""
        if not self.exists():
            return []
        with self.reader() as con:
            version = self._applied_version(con)
            if version < 8:
                return []
            read_at = "coalesce(seen_at, ingested_at)" if version >= 15 else "ingested_at"
            rows = con.execute(
                "SELECT article_id, coalesce(story_id, cluster_id), published_at, "
                f"published_precision, {read_at}, story_terms FROM articles "
                "WHERE ingested_at >= ? AND story_terms IS NOT NULL "
                "ORDER BY ingested_at, article_id",
                [since],
            ).fetchall()
        return [(int(r[0]), int(r[1]), r[2], r[3], r[4], list(r[5])) for r in rows]

    def recent_signatures(
        self, since: datetime, scheme: str
    ) -> list[tuple[int, int, bytes | None, str | None]]:
        """(article_id, cluster_id, minhash, text) of articles ingested since ``since``:
        the minhash when ``scheme`` made it, else None and the article's text."""
        if not self.exists():
            return []
        with self.reader() as con:
            if self._applied_version(con) == 0:
                return []
            rows = con.execute(
                "SELECT a.article_id, a.cluster_id, "
                "CASE WHEN s.scheme IS NOT DISTINCT FROM ? THEN s.minhash END, "
                "CASE WHEN s.scheme IS DISTINCT FROM ? THEN a.text END "
                "FROM articles a JOIN article_signatures s USING (article_id) "
                "WHERE a.ingested_at >= ? ORDER BY a.ingested_at, a.article_id",
                [scheme, scheme, since],
            ).fetchall()
        return [(int(r[0]), int(r[1]), None if r[2] is None else bytes(r[2]), r[3])
                for r in rows]


def has_table(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    """Whether the connection's current database and schema hold table ``name`` (a
    warehouse an older newsmon wrote, or none yet, lacks later migrations' tables)."""
    row = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = ? "
        "AND database_name = current_database() AND schema_name = current_schema()", [name]
    ).fetchone()
    return bool(row and row[0])


def _fetch_batches(cur: duckdb.DuckDBPyConnection, shape: QueryResult,
                   sink: Callable[[QueryResult, bool], None], max_rows: int | None) -> None:
    """The rows of ``cur``'s result to ``sink`` in batches shaped like ``shape`` (see
    :meth:`Warehouse.user_query_batches`); one row past ``max_rows`` is fetched to tell
    whether there were more."""
    left, first = max_rows, True
    while True:
        want = USER_QUERY_BATCH if left is None else min(USER_QUERY_BATCH, left + 1)
        rows = cur.fetchmany(want)
        more = left is not None and len(rows) > left
        if more:
            rows = rows[:left]
        if rows or first or more:
            sink(replace(shape, rows=rows, more=more), first)
        first = False
        if more or len(rows) < want:
            return
        if left is not None:
            left -= len(rows)
