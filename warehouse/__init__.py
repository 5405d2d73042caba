"""The warehouse stage: the only package that opens DuckDB."""

from newsmon.core.settings import Settings
from warehouse.schema import migrations
from warehouse.store import QueryResult, ReadSession, RunRow, Warehouse, WriteSession

__all__ = [
    "QueryResult", "ReadSession", "RunRow", "Warehouse", "WriteSession", "migrations",
    "open_warehouse",
]


def open_warehouse(settings: Settings) -> Warehouse:
    """The warehouse the settings name, with their lock timeout (opens nothing yet)."""
    return Warehouse(settings.db, lock_timeout_s=settings.lock_timeout_s,
                     data_path=settings.lake_data)
