"""A DuckLake catalog in PostgreSQL: where it is, and the lock that makes loads exactly-once.

DuckLake has no primary keys, so "insert unless the article is there" is an anti-join
against the rows the writer's snapshot sees. Two workers loading the same story from two
feeds at the same moment would each see it missing and both insert it: DuckLake commits
appends to one table side by side without a conflict. So every newsmon write transaction
on a shared lake runs under one PostgreSQL advisory lock, taken before the transaction
reads anything: the anti-join then sees every earlier commit, and the story is stored
once. The lock is held by a session of its own, so a worker that dies mid-write drops it
with its connection (PostgreSQL ends the session) and nothing waits for a dead process.
Write transactions are short batches (extraction, the slow part, runs outside them in
each worker's processes); readers never take the lock.

This module (psycopg) is the only one that talks to PostgreSQL directly; DuckDB reaches
the same database through its postgres extension for the catalog itself.
"""

from __future__ import annotations

import logging
import os
import socket
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from newsmon.core.errors import WarehouseBusyError, WarehouseError

if TYPE_CHECKING:  # imported where a connection is made: ~23 MB every DuckDB-file run
    import psycopg  # would otherwise carry, since the warehouse imports this module

log = logging.getLogger(__name__)

SCHEMES = ("postgresql://", "postgres://")
#: pg_advisory_lock key of newsmon's writers ('newsmon' as a number).
WRITER_LOCK = 0x6E6577736D6F6E
#: Transaction lock around creating the claims table (the writers' key, plus one).
CLAIMS_LOCK = WRITER_LOCK + 1


def is_catalog_url(target: object) -> bool:
    return isinstance(target, str) and target.startswith(SCHEMES)


@dataclass(frozen=True)
class CatalogUrl:
    """``postgresql://user:password@host:port/dbname``, taken apart."""

    url: str
    host: str
    port: int
    user: str
    password: str
    dbname: str

    @classmethod
    def parse(cls, url: str) -> CatalogUrl:
        parts = urlsplit(url)
        dbname = unquote(parts.path.lstrip("/"))
        if not parts.hostname or not dbname:
            raise WarehouseError(f"{cls.redact(url)}: a PostgreSQL warehouse URL needs a host "
                                 "and a database: postgresql://user:password@host:port/dbname")
        try:
            port = parts.port or 5432
        except ValueError:
            raise WarehouseError(f"{cls.redact(url)}: the port is not a number") from None
        return cls(url, parts.hostname, port, unquote(parts.username or ""),
                   unquote(parts.password or ""), dbname)

    @staticmethod
    def redact(url: str) -> str:
        """The URL without its password, for messages and logs."""
        parts = urlsplit(url)
        if parts.password is None:
            return url
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
        return parts._replace(netloc=netloc).geturl()

    @property
    def shown(self) -> str:
        return self.redact(self.url)

    def libpq(self) -> str:
        """The connection string DuckDB's postgres extension and psycopg both take."""
        fields = {"dbname": self.dbname, "host": self.host, "port": str(self.port),
                  "user": self.user, "password": self.password}
        return " ".join(f"{k}={_libpq_quote(v)}" for k, v in fields.items() if v)

    def connect(self, timeout_s: float = 10.0) -> psycopg.Connection:
        import psycopg

        try:
            return psycopg.connect(self.libpq(), autocommit=True,
                                   connect_timeout=max(1, int(timeout_s)),
                                   application_name=_application_name())
        except psycopg.OperationalError as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise WarehouseError(f"warehouse {self.shown}: cannot connect: {first}") from None

    def initialised(self) -> bool:
        """Whether newsmon's schema is in the lake (the first write creates the catalog,
        then commits the migrations: a reader in between finds no tables yet)."""
        with self.connect() as con:
            row = con.execute("SELECT to_regclass('ducklake_table') IS NOT NULL").fetchone()
            if not (row and row[0]):
                return False
            row = con.execute("SELECT count(*) FROM ducklake_table WHERE table_name = "
                              "'schema_migrations' AND end_snapshot IS NULL").fetchone()
        return bool(row and row[0])

    def claim(self, task: str, window: str, by: str) -> bool:
        """Whether this caller is the first to claim ``task`` for ``window`` (a primary key
        in the catalog database decides, so two workers asking at once get one yes)."""
        with self.connect() as con:
            # CREATE TABLE IF NOT EXISTS does not guard against a concurrent one (two
            # workers' first claims raised a unique violation on pg_type): one at a time
            with con.transaction():
                con.execute("SELECT pg_advisory_xact_lock(%s)", [CLAIMS_LOCK])
                con.execute(
                    "CREATE TABLE IF NOT EXISTS newsmon_claims (task text, window_key text, "
                    "claimed_by text NOT NULL, claimed_at timestamptz NOT NULL DEFAULT now(), "
                    "PRIMARY KEY (task, window_key))")
            row = con.execute(
                "INSERT INTO newsmon_claims (task, window_key, claimed_by) VALUES (%s, %s, %s) "
                "ON CONFLICT DO NOTHING RETURNING 1", [task, window, by]).fetchone()
        return row is not None

    @contextmanager
    def writer_lock(self, timeout_s: float) -> Iterator[float]:
        """Hold newsmon's writer lock; yields the seconds waited for it.

        Bounded like the DuckDB file lock: after ``timeout_s`` a
        :class:`WarehouseBusyError` names the session holding it.
        """
        con = self.connect()
        try:
            started = time.monotonic()
            delay = 0.02
            while True:
                row = con.execute("SELECT pg_try_advisory_lock(%s)", [WRITER_LOCK]).fetchone()
                if row and row[0]:
                    break
                if time.monotonic() - started > timeout_s:
                    raise WarehouseBusyError(self.shown, self._holder(con))
                time.sleep(delay)
                delay = min(delay * 1.6, 0.25)
            waited = time.monotonic() - started
            try:
                yield waited
            finally:
                # closing the session would release it too; saying so keeps the log honest
                con.execute("SELECT pg_advisory_unlock(%s)", [WRITER_LOCK])
        finally:
            con.close()

    @staticmethod
    def _holder(con: psycopg.Connection) -> str:
        row = con.execute(
            "SELECT a.application_name, a.client_addr::text, a.pid FROM pg_locks l "
            "JOIN pg_stat_activity a USING (pid) WHERE l.locktype = 'advisory' AND l.granted "
            "AND (l.classid::bigint << 32 | l.objid::bigint) = %s LIMIT 1",
            [WRITER_LOCK]).fetchone()
        if row is None:
            return "another session"
        return f"{row[0] or 'a session'} (PostgreSQL backend {row[2]})"


def _libpq_quote(value: str) -> str:
    if value and all(c.isalnum() or c in "._-/@:" for c in value):
        return value
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _application_name() -> str:
    name = f"newsmon PID {os.getpid()} on {socket.gethostname()} ({Path(sys.executable).name})"
    return name[:63]  # PostgreSQL's NAMEDATALEN
