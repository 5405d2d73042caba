"""The warehouse stage: the only package that opens DuckDB."""

from warehouse.schema import migrations
from warehouse.store import QueryResult, RunRow, Warehouse, WriteSession

__all__ = ["QueryResult", "RunRow", "Warehouse", "WriteSession", "migrations"]
