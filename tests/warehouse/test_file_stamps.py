"""Local files whose articles are stored (migration 0018), on both targets."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from warehouse import Warehouse, migrations
from warehouse.local_files import FileStamp, record_file_articles, stored_file_stamps

NOW = datetime(2026, 12, 7, 9, 0)


def test_migration_0018_is_numbered_without_gaps() -> None:
    assert (18, "local_files") in {(m.version, m.name) for m in migrations()}


def test_a_files_stamp_is_replaced_when_it_is_read_again(db_path: Path) -> None:
    wh = Warehouse(db_path)
    a, b = FileStamp("/in/a.html", 120, 1_700_000_000_000_000_001), FileStamp("/in/b.txt", 9, 5)
    assert stored_file_stamps(wh, [a.path]) == set()  # no warehouse yet: nothing known
    with wh.writer() as tx:
        record_file_articles(tx, [(a, 11), (b, 12)], NOW)
    assert stored_file_stamps(wh, [a.path, b.path, "/in/c.txt"]) == {a, b}
    edited = FileStamp(a.path, 130, a.mtime_ns + 1)
    with wh.writer() as tx:
        record_file_articles(tx, [(edited, 13)], NOW)
    assert stored_file_stamps(wh, [a.path]) == {edited}
    assert wh.query("SELECT path, size, mtime_ns, article_id FROM local_files ORDER BY path"
                    ).rows == [(a.path, 130, a.mtime_ns + 1, 13), (b.path, 9, 5, 12)]
