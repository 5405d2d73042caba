"""Local files whose articles are stored (the table of migration 0018).

A run over a folder leaves unread every file whose path, size and modification time are
those recorded when its article was stored: reading and extracting it again would only
find the article stored. Portable SQL, as in :mod:`warehouse.feed_state`: an update is a
delete of the keys and an insert, inside the caller's write transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from warehouse.sessions import WriteSession
from warehouse.store import Warehouse, has_table


@dataclass(frozen=True, slots=True)
class FileStamp:
    """A file as it was when read: where, how long, when last written."""

    path: str
    size: int
    mtime_ns: int


def stored_file_stamps(warehouse: Warehouse, paths: Sequence[str]) -> set[FileStamp]:
    """The stamps recorded for these paths (files whose article is stored)."""
    if not paths or not warehouse.exists():
        return set()
    with warehouse.reader() as con:
        if not has_table(con, "local_files"):
            return set()
        rows = con.execute(
            "SELECT path, size, mtime_ns FROM local_files WHERE path IN (SELECT unnest(?))",
            [list(paths)],
        ).fetchall()
    return {FileStamp(str(r[0]), int(r[1]), int(r[2])) for r in rows}


def record_file_articles(tx: WriteSession, read: Sequence[tuple[FileStamp, int]],
                         now: datetime) -> None:
    """Record each file read (as stamped before reading) with the article it gave."""
    latest = {stamp.path: (stamp, article_id) for stamp, article_id in read}
    if not latest:
        return
    tx.execute("DELETE FROM local_files WHERE path IN (SELECT unnest(?))", [list(latest)])
    rows = list(latest.values())
    tx.insert_rows("local_files", {
        "path": ("VARCHAR", [s.path for s, _ in rows]),
        "size": ("BIGINT", [s.size for s, _ in rows]),
        "mtime_ns": ("BIGINT", [s.mtime_ns for s, _ in rows]),
        "article_id": ("BIGINT", [a for _, a in rows]),
        "read_at": ("TIMESTAMP", [now] * len(rows)),
    })
