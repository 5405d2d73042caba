"""DuckLake support: load the extensions from their PyPI wheels, once per process.

Nothing is installed or auto-loaded from the network: the ``duckdb-extension-*`` wheels
installed with newsmon carry the binaries, which are loaded from their files.
"""

from __future__ import annotations

import importlib.util
import os
import threading
from dataclasses import dataclass
from pathlib import Path

import duckdb

from newsmon.core.errors import WarehouseError

#: A warehouse path with this suffix is a DuckLake catalog (SQLite), not a DuckDB file.
DUCKLAKE_SUFFIX = ".ducklake"

#: The extension wheels newsmon depends on (PyPI ``duckdb-extension-<name>``), in load order.
LAKE_EXTENSIONS = (
    ("duckdb_extension_sqlite_scanner", "sqlite_scanner"),
    ("duckdb_extension_ducklake", "ducklake"),
)

#: DuckLake's PostgreSQL catalog (a warehouse given as a postgresql:// URL).
POSTGRES_EXTENSION = ("duckdb_extension_postgres_scanner", "postgres_scanner")
#: Data files in object storage (NEWSMON_LAKE_DATA=s3://bucket/prefix).
HTTPFS_EXTENSION = ("duckdb_extension_httpfs", "httpfs")


@dataclass(frozen=True)
class ObjectStore:
    """Where and how to reach an S3-compatible store for a lake's data files."""

    key_id: str
    secret: str
    region: str = "us-east-1"
    endpoint: str | None = None  # http(s)://host:port of a store other than AWS

    def secret_sql(self) -> str:
        """A DuckDB secret for ``s3://`` URLs (path-style, plain HTTP for http://)."""
        options = [f"KEY_ID '{_q(self.key_id)}'", f"SECRET '{_q(self.secret)}'",
                   f"REGION '{_q(self.region)}'"]
        if self.endpoint:
            scheme, _, host = self.endpoint.partition("://")
            options += [f"ENDPOINT '{_q(host.rstrip('/'))}'", "URL_STYLE 'path'",
                        f"USE_SSL {'true' if scheme == 'https' else 'false'}"]
        return f"CREATE OR REPLACE SECRET newsmon_s3 (TYPE s3, {', '.join(options)})"


def _q(value: str) -> str:
    return value.replace("'", "''")


def prepare(con: duckdb.DuckDBPyConnection, *, postgres: bool, store: ObjectStore | None
            ) -> None:
    """Load the catalog's and the data's extensions on ``con`` (each from its wheel)."""
    if postgres:
        con.execute(f"LOAD '{extension_file(*POSTGRES_EXTENSION)}'")
    if store is not None:
        con.execute(f"LOAD '{extension_file(*HTTPFS_EXTENSION)}'")
        con.execute(store.secret_sql())


def extension_file(package: str, name: str) -> Path:
    """The extension binary shipped inside a ``duckdb-extension-*`` wheel.

    Those wheels carry ``<package>/extensions/v<duckdb version>/<name>.duckdb_extension``
    and no code; loading the file by path needs no network and no extension directory.
    """
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise WarehouseError(
            f"DuckLake needs the {package.replace('_', '-')} package "
            f"(pip install {package.replace('_', '-')}=={duckdb.__version__})"
        )
    path = (
        Path(next(iter(spec.submodule_search_locations)))
        / "extensions"
        / f"v{duckdb.__version__}"
        / f"{name}.duckdb_extension"
    )
    if not path.exists():
        raise WarehouseError(
            f"{path} is missing: the {package} wheel does not match DuckDB {duckdb.__version__}"
        )
    return path


class LakeInstance:
    """One in-memory DuckDB per process with the DuckLake extensions loaded.

    Loading the 35 MB SQLite extension costs ~0.2-0.4 s (DuckDB checks its signature),
    so it happens once per process; each warehouse operation then attaches the catalog
    (~2 ms), uses it on its own connection and detaches it, so nothing stays attached
    between operations, just like the DuckDB file target.
    """

    _lock = threading.Lock()
    _instance: LakeInstance | None = None

    def __init__(self) -> None:
        self.pid = os.getpid()
        self.con = duckdb.connect(
            config={"autoinstall_known_extensions": False, "autoload_known_extensions": False}
        )
        for package, name in LAKE_EXTENSIONS:
            self.con.execute(f"LOAD '{extension_file(package, name)}'")
        self.postgres = False
        self.store: ObjectStore | None = None
        self.in_use = threading.RLock()
        self.attached: dict[str, int] = {}

    @classmethod
    def get(cls, *, postgres: bool = False, store: ObjectStore | None = None) -> LakeInstance:
        """The process's instance, with the PostgreSQL catalog extension (``postgres``)
        and an object store's extension and secret (``store``) once asked for."""
        with cls._lock:
            if cls._instance is None or cls._instance.pid != os.getpid():
                cls._instance = LakeInstance()
            instance = cls._instance
            wants_pg = postgres and not instance.postgres
            wants_store = store is not None and store != instance.store
            if wants_pg or wants_store:
                prepare(instance.con, postgres=wants_pg, store=store if wants_store else None)
                instance.postgres = instance.postgres or postgres
                instance.store = store if wants_store else instance.store
            return instance
