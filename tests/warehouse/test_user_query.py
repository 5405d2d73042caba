"""``newsmon sql`` reaches the warehouse and nothing else, on both targets."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsmon import cycle
from newsmon.core.errors import QueryError
from newsmon.core.settings import Settings
from tests.conftest import SEEDS, read_cli
from warehouse import QueryResult, Warehouse


@pytest.fixture(scope="module", params=["duckdb", "ducklake"])
def filled(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
           ) -> Warehouse:
    """The seeds in each kind of warehouse, filled once: every test here only reads (or
    proves that it cannot write)."""
    db_path = tmp_path_factory.mktemp("filled") / f"test.{request.param}"
    cycle.run_cycle(Settings(db=db_path), [SEEDS], "run")
    return Warehouse(db_path)


def test_every_statement_runs_and_reads_the_data(filled: Warehouse) -> None:
    results = filled.user_query("SELECT count(*) FROM articles; SELECT 2 AS two")
    assert [r.rows for r in results] == [[(5,)], [(2,)]]
    assert results[1].columns == ["two"]


@pytest.mark.parametrize(("rows", "max_rows", "more"), [
    (7, None, False), (6, None, False), (0, None, False),  # batches of 3: 3+3+1, 3+3, none
    (7, 6, True), (6, 6, False), (7, 3, True), (7, 4, True), (3, 5, False), (0, 2, False),
])
def test_a_result_comes_in_batches_and_stops_at_max_rows(
        filled: Warehouse, monkeypatch: pytest.MonkeyPatch, rows: int, max_rows: int | None,
        more: bool) -> None:
    """However many rows a result has, no more than a batch of them is ever fetched at
    once (``SELECT * FROM range(10^8)`` fetched whole was 8 GB); a cut result says so."""
    monkeypatch.setattr("warehouse.store.USER_QUERY_BATCH", 3)
    batches: list[tuple[int, bool, bool]] = []
    got: list[int] = []

    def sink(batch: QueryResult, first: bool) -> None:
        batches.append((len(batch.rows), first, batch.more))
        got.extend(r[0] for r in batch.rows)
        assert batch.columns == ["range"] and batch.types == ["BIGINT"]

    filled.user_query_batches(f"SELECT * FROM range({rows})", sink, max_rows=max_rows)
    expected = list(range(rows if max_rows is None else min(rows, max_rows)))
    assert got == expected
    assert all(size <= 3 for size, _, _ in batches)
    assert [first for _, first, _ in batches] == [True] + [False] * (len(batches) - 1)
    assert any(m for _, _, m in batches) is more and not any(m for _, _, m in batches[:-1])
    (whole,) = filled.user_query(f"SELECT * FROM range({rows})", max_rows=max_rows)
    assert [r[0] for r in whole.rows] == expected and whole.more is more


@pytest.mark.parametrize("sql", [
    "COPY articles TO '{out}/leak.csv'",
    "EXPORT DATABASE '{out}/dump'",
    "INSTALL httpfs",
    "LOAD httpfs",
    "ATTACH '{out}/other.duckdb' AS other",
    "SELECT * FROM read_csv('http://127.0.0.1:9/x.csv')",
    "SELECT * FROM read_text('/etc/hostname')",
    "SET enable_external_access = true",
    "SELECT 1; COPY articles TO '{out}/late.csv'",
])
def test_nothing_outside_the_warehouse_is_reachable(
    filled: Warehouse, tmp_path: Path, sql: str
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(QueryError) as caught:
        filled.user_query(sql.format(out=out))
    assert "\n" not in str(caught.value)
    assert list(out.iterdir()) == []


def test_a_refused_statement_is_named_as_written(filled: Warehouse) -> None:
    for sql, word in [("INSTALL httpfs", "INSTALL"), ("load httpfs", "LOAD"),
                      ("SELECT 1; attach 'x.duckdb' AS x", "ATTACH")]:
        with pytest.raises(QueryError, match=f"^{word} statements are refused: "):
            filled.user_query(sql)


def test_errors_keep_duckdbs_hint_on_one_line(filled: Warehouse) -> None:
    with pytest.raises(QueryError, match=r'does not exist! Did you mean "articles"\?$'):
        filled.user_query("SELECT * FROM artcles")
    with pytest.raises(QueryError, match="no SQL statement given"):
        filled.user_query("   ")


def test_sql_command_prints_each_result_and_one_line_errors(
    filled: Warehouse, tmp_path: Path
) -> None:
    db = str(filled.path)
    both = read_cli("--db", db, "sql", "SELECT 1 AS a; SELECT 2 AS b", cwd=tmp_path)
    assert both.returncode == 0, both.stderr
    assert both.stdout.split() == ["a", "-", "1", "(1", "row)", "b", "-", "2", "(1", "row)"]
    blank = read_cli("--db", db, "sql", "   ", cwd=tmp_path)
    assert blank.returncode == 1
    assert blank.stderr.strip() == "newsmon: error: no SQL statement given"
