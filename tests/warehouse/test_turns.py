"""Fair turns on a DuckDB file: who waits gets in line, and a writer lets them go first."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

from warehouse import Warehouse
from warehouse.turns import YIELD_MAX_S, Turn, let_waiters_in, turn_path


def test_no_line_means_no_wait_and_no_file(tmp_path: Path) -> None:
    path = turn_path(tmp_path / "w.duckdb")
    assert path.name == "w.duckdb.turn"
    assert let_waiters_in(path, limit_s=5.0) == 0.0
    assert not path.exists()  # only a process that waits makes the file


def test_a_writer_waits_for_the_line_at_most_its_limit(tmp_path: Path) -> None:
    path = turn_path(tmp_path / "w.duckdb")
    turn = Turn(path)
    assert turn.wait_in_line() and turn.wait_in_line()  # once per session, idempotent
    assert let_waiters_in(path, limit_s=0.2) >= 0.2  # someone in line: the whole limit
    turn.release()
    assert let_waiters_in(path, limit_s=5.0) < 5.0  # line empty: straight through


def test_no_line_where_the_turn_file_cannot_be_made(tmp_path: Path) -> None:
    turn = Turn(tmp_path / "missing-folder" / "w.duckdb.turn")
    assert not turn.wait_in_line()
    turn.release()


def _hold(db: Path, seconds: float) -> subprocess.Popen[str]:
    holder = subprocess.Popen(
        [sys.executable, "-c",
         f"import duckdb, time; c = duckdb.connect({str(db)!r}); print('held', flush=True); "
         f"time.sleep({seconds}); c.close()"],
        stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    return holder


def test_a_reader_that_finds_the_file_taken_gets_in_line(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    with Warehouse(db).writer():
        pass
    holder = _hold(db, 1.5)
    answers: list[object] = []
    reader = threading.Thread(
        target=lambda: answers.append(Warehouse(db).query("SELECT count(*) FROM articles").rows))
    try:
        reader.start()
        in_line = False
        deadline = time.monotonic() + 10
        while not in_line and reader.is_alive() and time.monotonic() < deadline:
            in_line = let_waiters_in(turn_path(db), limit_s=0.05) >= 0.05
        assert in_line, "the waiting reader holds a place in line"
        reader.join(timeout=30)
        assert answers == [[(0,)]]
        assert let_waiters_in(turn_path(db), limit_s=5.0) < 5.0  # it left the line
    finally:
        holder.kill()
        holder.wait()


def test_a_writer_lets_the_process_in_line_go_first(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    with Warehouse(db).writer():
        pass
    waiting = Turn(turn_path(db))
    assert waiting.wait_in_line()
    wrote = threading.Event()

    def write() -> None:
        with Warehouse(db).writer():
            wrote.set()

    writer = threading.Thread(target=write)
    writer.start()
    try:
        # the writer yields up to YIELD_MAX_S while someone is in line; it cannot have
        # written yet, however slow the machine
        assert not wrote.wait(timeout=YIELD_MAX_S / 4)
    finally:
        waiting.release()
    writer.join(timeout=30)
    assert wrote.is_set()
