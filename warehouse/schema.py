"""The warehouse schema: numbered migrations, and the same schema rewritten for DuckLake.

Migrations are SQL files ``migrations/NNNN_name.sql``, numbered without gaps. DuckLake
has no primary keys, unique constraints or indexes, so on a DuckLake the same files run
with those clauses removed; :func:`primary_keys` keeps what they declared so inserts can
still skip existing keys (see :meth:`warehouse.sessions.WriteSession.insert_rows`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

import duckdb

from newsmon.core.errors import WarehouseError

_MIGRATION_NAME = re.compile(r"^(\d{4})_(\w+)\.sql$")
_UNSUPPORTED_IN_LAKE = re.compile(r"^\s*CREATE\s+(UNIQUE\s+)?INDEX\b", re.I)
_TABLE_CONSTRAINT = re.compile(r",\s*(PRIMARY\s+KEY|UNIQUE)\s*\([^)]*\)", re.I)
_COLUMN_CONSTRAINT = re.compile(r"\s+(PRIMARY\s+KEY|UNIQUE)\b", re.I)


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    sql: str


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


@cache
def latest_version() -> int:
    """The schema version this newsmon writes (its migrations are numbered without gaps):
    read once a process, not at every read that asks."""
    return len(migrations())


def sql_statements(sql: str) -> list[str]:
    """Migration files are plain DDL: split on ``;`` at line ends, dropping comments."""
    lines = [line.split("--", 1)[0] for line in sql.splitlines()]
    text = "\n".join(lines)
    return [s.strip() for s in re.split(r";\s*(?:\n|$)", text) if s.strip()]


def lake_sql(sql: str) -> str:
    """A migration rewritten for DuckLake: keys, unique constraints and indexes removed.

    The keys still hold: every insert that relies on them goes through
    :meth:`WriteSession.insert_rows` with ``or_ignore``, which checks them itself.
    """
    kept = []
    for statement in sql_statements(sql):
        if _UNSUPPORTED_IN_LAKE.match(statement):
            continue
        statement = _TABLE_CONSTRAINT.sub("", statement)
        kept.append(_COLUMN_CONSTRAINT.sub("", statement))
    return ";\n".join(kept) + (";" if kept else "")


@cache
def primary_keys() -> dict[str, tuple[str, ...]]:
    """Each table's key columns, read from the migrations applied to an in-memory DuckDB.

    Asking DuckDB rather than parsing the SQL keeps this right for every form of key
    (column or table constraint, later ``ALTER TABLE``).
    """
    con = duckdb.connect()
    try:
        for m in migrations():
            con.execute(m.sql)
        rows = con.execute(
            "SELECT table_name, constraint_column_names FROM duckdb_constraints() "
            "WHERE constraint_type IN ('PRIMARY KEY', 'UNIQUE') ORDER BY constraint_index"
        ).fetchall()
    finally:
        con.close()
    keys: dict[str, tuple[str, ...]] = {}
    for table, columns in rows:
        keys.setdefault(str(table), tuple(columns))
    return keys
