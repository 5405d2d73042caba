"""Local files as a source: the paths a user gives, read by the workers.

A file whose article is stored and whose size and modification time have not changed
since is not read again (``local_files``, migration 0018): a folder a schedule ingests
every few minutes would otherwise be extracted whole each time, only for every article
to be found stored. Rejected files are read again on every run.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from datetime import datetime
from pathlib import Path

from newsmon.core.records import Article
from newsmon.pipeline.forkserver import file_work
from newsmon.pipeline.source import Done, Job
from warehouse import Warehouse, WriteSession
from warehouse.local_files import FileStamp, record_file_articles, stored_file_stamps


class LocalFiles:
    """Files already discovered (``extractors.files.discover``)."""

    name = "files"

    def __init__(self, paths: Sequence[Path]) -> None:
        self.paths = list(paths)
        self.unchanged = 0  # files left unread: their article is stored, the file as it was
        self._stamps: dict[Path, FileStamp | None] = {}

    def open(self, warehouse: Warehouse) -> int:
        # stamped before they are read: a file written meanwhile is read again next run
        stamps = {path: _stamp(path) for path in self.paths}
        known = stored_file_stamps(warehouse, [s.path for s in stamps.values() if s])
        self.paths = [p for p in self.paths if stamps[p] is None or stamps[p] not in known]
        self._stamps = {p: stamps[p] for p in self.paths}
        self.unchanged = len(stamps) - len(self.paths)
        return len(self.paths)

    def work_ms(self) -> int:
        return sum(map(file_work, self.paths))

    def jobs(self) -> Iterator[Job]:
        for path in self.paths:
            yield Job(path, self._stamps.get(path))

    def record(self, tx: WriteSession, done: Sequence[Done], now: datetime) -> None:
        record_file_articles(tx, [(job.ticket, outcome.article_id) for job, outcome in done
                                  if isinstance(outcome, Article) and job.ticket is not None],
                             now)

    def finish(self, warehouse: Warehouse, run_id: str) -> None:
        return None

    def close(self) -> None:
        return None


def _stamp(path: Path) -> FileStamp | None:
    """The file's absolute path (links not resolved), size and modification time; None
    when it cannot be looked at (its reader names why) or its name is no UTF-8 (bytes a
    Latin-1 system wrote): the warehouse keeps text, so such a file is read every run."""
    name = os.path.abspath(path)  # noqa: PTH100
    try:
        name.encode("utf-8")
        stat = path.stat()
    except (OSError, ValueError):  # UnicodeEncodeError is a ValueError
        return None
    return FileStamp(name, stat.st_size, stat.st_mtime_ns)
