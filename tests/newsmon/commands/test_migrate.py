"""`newsmon migrate-to`: a DuckDB-file warehouse moved into a shared lake, every row."""

from __future__ import annotations

from pathlib import Path

from evaluation import postgres
from tests.conftest import SEEDS, run_cli

TABLES = ("articles", "article_topics", "article_entities", "runs", "rejects")


def counts(db: str, env: dict[str, str]) -> list[str]:
    query = " UNION ALL ".join(f"SELECT '{t}', count(*) FROM {t}" for t in TABLES)
    done = run_cli("--db", db, "sql", query, "--format", "csv", env=env)
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


def test_a_warehouse_file_moves_into_a_postgres_lake_whole_and_once(
    pg_server: postgres.Server, tmp_path: Path,
) -> None:
    env = {"NEWSMON_PREFECT": "never", "NEWSMON_LAKE_DATA": str(tmp_path / "lake-data")}
    db = str(tmp_path / "w.duckdb")
    ingested = run_cli("--db", db, "ingest", str(SEEDS), env=env)
    assert ingested.returncode == 0, ingested.stderr
    before = counts(db, env)
    assert int(before[1].split(",")[1]) > 0  # articles to move

    url = pg_server.create_database("moved")
    moved = run_cli("--db", db, "migrate-to", url, env=env)
    assert moved.returncode == 0, moved.stderr
    assert "copied" in moved.stdout and pg_server.password not in moved.stdout
    assert counts(url, env) == before
    # the lake is a warehouse like the file: a later run against it adds nothing twice
    again = run_cli("--db", url, "ingest", str(SEEDS), env=env)
    assert again.returncode == 0, again.stderr
    assert counts(url, env)[1] == before[1]

    refused = run_cli("--db", db, "migrate-to", url, env=env)
    assert refused.returncode == 1
    assert "is not empty" in refused.stderr and refused.stderr.count("\n") == 1


def test_a_file_moves_into_a_ducklake_path_too(tmp_path: Path) -> None:
    env = {"NEWSMON_PREFECT": "never"}
    db = str(tmp_path / "w.duckdb")
    assert run_cli("--db", db, "ingest", str(SEEDS), env=env).returncode == 0
    lake = str(tmp_path / "w.ducklake")
    moved = run_cli("--db", db, "migrate-to", lake, env=env)
    assert moved.returncode == 0, moved.stderr
    assert counts(lake, env) == counts(db, env)
