"""What the pipeline asks of a source: jobs to run, and a place to record their outcomes.

A source (local files, feeds, any future one) plans its work when opened, then yields
:class:`Job` objects: a local file for a worker to read, bytes it already fetched, or a
named :class:`Reject` for an input that failed before extraction. The pipeline runs the
jobs, loads their outcomes in batches and, inside each batch's write transaction, hands
the source its (job, outcome) pairs so its own state (which feed items are done) commits
with the articles it produced, or not at all.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from newsmon.core.records import Outcome, RawInput, Reject
from warehouse import Warehouse, WriteSession


@dataclass(frozen=True, slots=True)
class Job:
    """One input. ``ticket`` is the source's own handle on it, given back with its outcome."""

    work: Path | RawInput | Reject
    ticket: Any = None
    #: an article the input was stored as before, under another address (a feed's entry
    #: whose link moved): the input is that article again when its text is near that one's
    same_as: int | None = None


Done = tuple[Job, Outcome]


class Source(Protocol):
    """A plug-in input of the pipeline."""

    name: str

    def open(self, warehouse: Warehouse) -> int:
        """Plan the cycle's work (read state, discover, poll); return how many jobs follow."""
        ...

    def work_ms(self) -> int:
        """The planned jobs' estimated in-process extraction work in milliseconds
        (:data:`newsmon.pipeline.forkserver.PAGE_MS` a page); called after ``open``, it
        decides whether the cycle repays starting worker processes."""
        ...

    def jobs(self) -> Iterator[Job]:
        """The jobs, in order; runs on the pipeline's producer thread (network is fine)."""
        ...

    def record(self, tx: WriteSession, done: Sequence[Done], now: datetime) -> None:
        """Store the source's state for a loaded batch, in that batch's transaction."""
        ...

    def finish(self, warehouse: Warehouse, run_id: str) -> None:
        """All jobs are loaded: store end-of-cycle state (its own transaction, if any)."""
        ...

    def close(self) -> None:
        """Release what ``open`` took (connections); called however the cycle ended."""
        ...
