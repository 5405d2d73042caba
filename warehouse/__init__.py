"""The warehouse stage: the only package that opens DuckDB."""

from warehouse.store import QueryResult, RunRow, Warehouse, WriteSession, migrations

__all__ = ["QueryResult", "RunRow", "Warehouse", "WriteSession", "migrations"]
