"""Local files as a source: the paths a user gives, read by the workers."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from pathlib import Path

from newsmon.pipeline.forkserver import file_work
from newsmon.pipeline.source import Done, Job
from warehouse import Warehouse, WriteSession


class LocalFiles:
    """Files already discovered (``extractors.files.discover``); no state to keep: a file
    read again is recognised by its article id."""

    name = "files"

    def __init__(self, paths: Sequence[Path]) -> None:
        self.paths = list(paths)

    def open(self, warehouse: Warehouse) -> int:
        return len(self.paths)

    def work_ms(self) -> int:
        return sum(map(file_work, self.paths))

    def jobs(self) -> Iterator[Job]:
        for path in self.paths:
            yield Job(path)

    def record(self, tx: WriteSession, done: Sequence[Done], now: datetime) -> None:
        return None

    def finish(self, warehouse: Warehouse, run_id: str) -> None:
        return None

    def close(self) -> None:
        return None
