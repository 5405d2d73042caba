"""One cycle, in-process: what it stores from inputs a user may really have."""

from __future__ import annotations

import os
from pathlib import Path

from newsmon import cycle
from newsmon.core.settings import Settings
from warehouse import Warehouse

TEXT = "Ein Artikel über Sanktionen gegen Russland und die Folgen für Europa, Satz {n}. " * 8


def test_a_file_name_that_is_not_utf8_is_stored_with_the_others(tmp_path: Path) -> None:
    """Linux allows any bytes in a name; Python hands them over as lone surrogates, which
    a UTF-8 warehouse cannot hold. The batch must not fail, losing the other articles."""
    folder = tmp_path / "in"
    folder.mkdir()
    bad = folder / os.fsdecode(b"bericht-\xff.txt")  # the name as os.listdir gives it
    bad.write_bytes(TEXT.format(n=1).encode())
    (folder / "gut.txt").write_text(TEXT.format(n=2), encoding="utf-8")
    db = tmp_path / "w.duckdb"
    summary = cycle.run_cycle(Settings(db=db), [folder], "ingest")
    assert summary.added == 2
    rows = Warehouse(db).query("SELECT url, origin FROM articles ORDER BY url").rows
    assert rows == [
        (f"file://{folder}/bericht-%FF.txt", f"{folder}/bericht-\\xff.txt"),
        (f"file://{folder}/gut.txt", f"{folder}/gut.txt"),
    ]
