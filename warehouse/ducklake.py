"""DuckLake support: load the extensions from their PyPI wheels, once per process.

Nothing is installed or auto-loaded from the network: the ``duckdb-extension-*`` wheels
installed with newsmon carry the binaries, which are loaded from their files.
"""

from __future__ import annotations

import importlib.util
import os
import threading
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
        self.in_use = threading.RLock()
        self.attached: dict[str, int] = {}

    @classmethod
    def get(cls, *, postgres: bool = False) -> LakeInstance:
        """The process's instance; ``postgres``: with the PostgreSQL catalog extension."""
        with cls._lock:
            if cls._instance is None or cls._instance.pid != os.getpid():
                cls._instance = LakeInstance()
            instance = cls._instance
            if postgres and not instance.postgres:
                package, name = POSTGRES_EXTENSION
                instance.con.execute(f"LOAD '{extension_file(package, name)}'")
                instance.postgres = True
            return instance
