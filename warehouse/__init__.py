"""The warehouse stage: the only package that opens DuckDB."""

from newsmon.core.settings import Settings
from warehouse.batch import Column, Columns
from warehouse.ducklake import ObjectStore
from warehouse.schema import migrations
from warehouse.sessions import QueryResult, ReadSession, RunRow, WriteSession
from warehouse.store import Warehouse

__all__ = [
    "Column", "Columns", "QueryResult", "ReadSession", "RunRow", "Warehouse", "WriteSession",
    "migrations", "open_warehouse",
]


def open_warehouse(settings: Settings, target: str | None = None) -> Warehouse:
    """The warehouse the settings name (or ``target``), with their lock timeout, lake data
    and object-store credentials (opens nothing yet)."""
    store = None
    if settings.s3_key_id and settings.s3_secret is not None:
        store = ObjectStore(settings.s3_key_id, settings.s3_secret.get_secret_value(),
                            settings.s3_region, settings.s3_endpoint)
    return Warehouse(target if target is not None else settings.db,
                     lock_timeout_s=settings.lock_timeout_s, data_path=settings.lake_data,
                     store=store)
