"""Every warehouse test runs on both targets: a DuckDB file and a DuckLake.

The DuckLake is the real thing: its SQLite catalog at ``*.ducklake`` and Parquet files
in ``*.ducklake.files/``, with the extensions loaded from the installed wheels. Tests
about DuckDB's file lock itself are marked ``duckdb_file_only`` (a DuckLake has no such
lock: that is the point of it).
"""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(params=["duckdb", "ducklake"])
def db_path(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    if request.param == "ducklake" and request.node.get_closest_marker("duckdb_file_only"):
        pytest.skip("about DuckDB's single-file lock, which a DuckLake does not have")
    suffix = ".duckdb" if request.param == "duckdb" else ".ducklake"
    return tmp_path / "warehouse" / f"test{suffix}"
