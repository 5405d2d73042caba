"""The command line as a user runs it: subprocesses, real files, real Prefect."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from newsmon import pipeline
from newsmon.settings import Settings
from tests.conftest import SEEDS, run_cli


@pytest.fixture
def filled_db(db_path: Path) -> Path:
    pipeline.run_cycle(Settings(db=db_path), [SEEDS], "run")
    return db_path


def test_every_command_has_help() -> None:
    top = run_cli("--help")
    assert top.returncode == 0
    commands = [
        line.split()[0] for line in top.stdout.split("Commands:")[1].splitlines() if line.strip()
    ]
    assert {"run", "ingest", "sql"} <= set(commands)
    for command in commands:
        result = run_cli(command, "--help")
        assert result.returncode == 0, (command, result.stderr)
        assert "Usage: newsmon" in result.stdout


def test_sql_prints_table_csv_and_json(filled_db: Path) -> None:
    query = "SELECT title, language FROM articles ORDER BY title"
    table = run_cli("--db", str(filled_db), "sql", query)
    assert table.returncode == 0, table.stderr
    assert table.stdout.splitlines()[0].split() == ["title", "language"]
    assert "Putin und Kim am Mittwoch in Wostotschny" in table.stdout
    assert table.stdout.rstrip().endswith("(5 rows)")
    csv_out = run_cli("--db", str(filled_db), "sql", "--format", "csv", query)
    assert csv_out.stdout.splitlines()[0] == "title,language"
    assert len(csv_out.stdout.splitlines()) == 6
    json_out = run_cli(
        "sql",
        "--format",
        "json",
        "SELECT published_at FROM articles",
        env={"NEWSMON_DB": str(filled_db)},
    )
    records = [json.loads(line) for line in json_out.stdout.splitlines()]
    assert len(records) == 5 and "2023-09-12T00:00:00" in {r["published_at"] for r in records}


def test_errors_are_one_line_without_traceback_unless_debug(
    filled_db: Path, tmp_path: Path
) -> None:
    write = run_cli("--db", str(filled_db), "sql", "DELETE FROM articles")
    assert write.returncode == 1
    assert write.stderr.strip().splitlines() == [
        "newsmon: error: the warehouse is opened read-only here; queries cannot change it"
    ]
    debug = run_cli("--db", str(filled_db), "--debug", "sql", "SELECT * FROM nope")
    assert debug.returncode == 1 and "Traceback" in debug.stderr
    missing = run_cli("--db", str(filled_db), "ingest", str(tmp_path / "gone.txt"))
    assert missing.returncode == 1
    assert (
        missing.stderr.strip() == f"newsmon: error: {tmp_path / 'gone.txt'}: no such file or folder"
    )
    typo = run_cli("sql", "SELECT 1", env={"NEWSMON_DBB": "x"})
    assert typo.returncode == 1 and "NEWSMON_DBB" in typo.stderr and "Traceback" not in typo.stderr
    nodb = run_cli("--db", str(tmp_path / "none.duckdb"), "sql", "SELECT 1")
    assert nodb.returncode == 1 and "does not exist yet" in nodb.stderr


@pytest.mark.prefect
def test_run_twice_on_the_default_seeds_with_a_prefect_server(
    prefect_api: str, tmp_path: Path
) -> None:
    shutil.copytree(SEEDS, tmp_path / "seeds")
    env = {"PREFECT_API_URL": prefect_api}
    first = run_cli("run", cwd=tmp_path, env=env)
    assert first.returncode == 0, first.stderr
    assert "5 inputs, 5 added, 0 already in the warehouse, 0 skipped" in first.stdout
    assert "alerts: no new spikes" in first.stdout  # detection ran after the cycle
    assert (tmp_path / "warehouse" / "newsmon.duckdb").exists()
    second = run_cli("run", cwd=tmp_path, env=env)
    assert second.returncode == 0, second.stderr
    assert "0 added, 5 already in the warehouse" in second.stdout
    assert "nothing new" in second.stdout


@pytest.mark.prefect
def test_first_run_on_a_fresh_machine_starts_its_own_temporary_prefect(tmp_path: Path) -> None:
    """No server configured and an empty Prefect home: the slow first start must not time out."""
    shutil.copytree(SEEDS, tmp_path / "seeds")
    env = {"PREFECT_HOME": str(tmp_path / "prefect-home"), "PREFECT_API_URL": ""}
    result = run_cli("ingest", "seeds", cwd=tmp_path, env=env, timeout=400)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "5 added" in result.stdout
