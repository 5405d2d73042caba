"""`newsmon migrate-to`: a DuckDB-file warehouse moved into a shared lake, every row."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest

from evaluation import postgres
from newsmon import cycle
from newsmon.core.settings import Settings
from tests.conftest import SEEDS, read_cli, run_cli

TABLES = ("articles", "article_topics", "article_entities", "runs", "rejects")


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A DuckDB-file warehouse of the seeds (migrate-to leaves its source as it was)."""
    db = str(tmp_path_factory.mktemp("seeded") / "w.duckdb")
    assert cycle.run_cycle(Settings(db=Path(db)), [SEEDS], "ingest").added == 5
    return db


def counts(db: str, env: dict[str, str]) -> list[str]:
    query = " UNION ALL ".join(f"SELECT '{t}', count(*) FROM {t}" for t in TABLES)
    done = read_cli("--db", db, "sql", query, "--format", "csv", env=env)
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


@pytest.mark.slow
def test_a_warehouse_file_moves_into_a_postgres_lake_whole_and_once(
    pg_server: postgres.Server, seeded: str, tmp_path: Path,
) -> None:
    env = {"NEWSMON_PREFECT": "never", "NEWSMON_LAKE_DATA": str(tmp_path / "lake-data")}
    db = seeded
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

    # every command works on the lake as on the file (the readers side by side)
    retagged = run_cli("--db", url, "retag", env=env)
    assert retagged.returncode == 0, retagged.stderr
    newsmon = str(Path(sys.executable).parent / "newsmon")
    full_env = {**{k: v for k, v in os.environ.items() if not k.startswith("NEWSMON_")}, **env}
    readers = {tuple(command): subprocess.Popen(
        [newsmon, "--db", url, *command], env=full_env, stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE, text=True) for command in (
            ["trends", "--since", "30000d"], ["search", "Putin"],
            ["stories", "--since", "30000d"], ["alerts"], ["feeds"],
            ["backtest", "--since", "30000d"],
            ["export", "--format", "csv", "--out", str(tmp_path / "out.csv")])}
    for command, reader in readers.items():
        _out, err = reader.communicate(timeout=300)
        assert reader.returncode == 0, (command, err)
    assert counts(url, env)[1] == before[1]  # retag rewrote tags, not articles
    with (tmp_path / "out.csv").open(encoding="utf-8", newline="") as f:
        exported = list(csv.DictReader(f))
    assert len(exported) == int(before[1].split(",")[1])  # each article, once

    refused = run_cli("--db", db, "migrate-to", url, env=env)
    assert refused.returncode == 1
    assert "is not empty" in refused.stderr and refused.stderr.count("\n") == 1


def test_a_file_moves_into_a_ducklake_path_too(seeded: str, tmp_path: Path) -> None:
    env = {"NEWSMON_PREFECT": "never"}
    db = seeded
    lake = str(tmp_path / "w.ducklake")
    moved = run_cli("--db", db, "migrate-to", lake, env=env)
    assert moved.returncode == 0, moved.stderr
    assert counts(lake, env) == counts(db, env)
