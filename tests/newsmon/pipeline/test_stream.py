"""The one pipeline with an in-memory source: every job loaded once, in order, with the
source's state in the same transactions; failures stop it cleanly."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pytest

from newsmon.core.config import Config
from newsmon.core.outcomes import RejectReason
from newsmon.core.records import Article, RawInput, Reject
from newsmon.core.settings import Settings
from newsmon.pipeline import stream
from newsmon.pipeline.context import RunContext
from newsmon.pipeline.forkserver import POOL_MIN_MS
from newsmon.pipeline.loader import Loader
from newsmon.pipeline.run import run_sources
from newsmon.pipeline.source import Done, Job
from newsmon.pipeline.summary import RunSummary
from warehouse import Warehouse, WriteSession
from warehouse.runs import start_run

SENTENCES = [
    "The harbour authority reopened the northern quay on Tuesday after repairs.",
    "Ferries to the islands will run on the summer timetable from next week.",
    "Local traders said the closure had cost them a third of their usual sales.",
    "The council promised to publish the full cost of the works in the autumn.",
]


def text(i: int) -> bytes:
    body = " ".join(f"{s} Report number {i}, part {k}." for k, s in enumerate(SENTENCES * 2))
    return f"Harbour news {i}\n\n{body}\n".encode()


@dataclass
class MemorySource:
    """Jobs from memory; remembers what the pipeline told it, and in which transaction."""

    inputs: list[RawInput | Reject]
    fail_after: int | None = None
    name: str = "memory"
    recorded: list[tuple[int, list[str]]] = field(default_factory=list)
    untagged: int = 0
    finished: bool = False
    closed: bool = False
    #: what the source says its jobs will cost (decides whether workers start)
    declared_ms: int = 0

    def open(self, warehouse: Warehouse) -> int:
        return len(self.inputs)

    def work_ms(self) -> int:
        return self.declared_ms

    def jobs(self) -> Iterator[Job]:
        for i, work in enumerate(self.inputs):
            if self.fail_after is not None and i == self.fail_after:
                raise RuntimeError("the source broke")
            yield Job(work, ticket=i)

    def record(self, tx: WriteSession, done: Sequence[Done], now: datetime) -> None:
        # the batch's articles are visible in this transaction: same commit
        articles = [o for _, o in done if isinstance(o, Article)]
        self.untagged += sum(a.tags is None for a in articles)
        ids = [a.article_id for a in articles]
        stored = tx.existing_article_ids(ids)
        assert stored == set(ids)
        self.recorded.append((len(self.recorded), [str(j.ticket) for j, _ in done]))

    def finish(self, warehouse: Warehouse, run_id: str) -> None:
        self.finished = True

    def close(self) -> None:
        self.closed = True


def _context(db: Path, **settings: object) -> tuple[RunContext, RunSummary]:
    ctx = RunContext.resolve(Settings(db=db, **settings), Config())  # type: ignore[arg-type]
    return ctx, RunSummary(start_run(ctx.warehouse, "test"), "test")


def _inputs(n: int) -> list[RawInput | Reject]:
    inputs: list[RawInput | Reject] = [
        RawInput(f"mem:{i}", f"https://example.org/news/{i}", text(i), "text") for i in range(n)
    ]
    inputs.insert(3, Reject("mem:broken", RejectReason.TIMEOUT, "mem:broken: no answer"))
    return inputs


@pytest.mark.parametrize("workers", [1, 2])
def test_every_job_is_loaded_once_in_order_with_the_sources_state(
    db_path: Path, workers: int
) -> None:
    n = 45
    # with two workers: the worker pool, not in-process
    source = MemorySource(_inputs(n), declared_ms=POOL_MIN_MS)
    ctx, summary = _context(db_path, batch_size=7, workers=workers)
    run_sources([source], ctx, summary)
    assert (summary.inputs, summary.added, summary.rejected) == (n + 1, n, 1)
    tickets = [t for _, batch in source.recorded for t in batch]
    assert tickets == [str(i) for i in range(n + 1)]  # every job once, in order
    assert max(len(b) for _, b in source.recorded) == 7
    assert source.finished and source.closed
    rows = ctx.warehouse.query("SELECT count(*), count(DISTINCT article_id) FROM articles").rows
    assert rows == [(n, n)]
    assert source.untagged == 0  # the workers tagged every article before it was loaded


def test_a_source_that_fails_keeps_the_batches_before_and_is_closed(db_path: Path) -> None:
    source = MemorySource(_inputs(30), fail_after=20)
    ctx, summary = _context(db_path, batch_size=5)
    with pytest.raises(RuntimeError, match="the source broke"):
        run_sources([source], ctx, summary)
    stored = ctx.warehouse.query("SELECT count(*) FROM articles").rows[0][0]
    assert 0 < stored <= 20 and stored == summary.added
    assert source.closed and not source.finished


def test_a_failing_load_stops_the_pipeline_without_hanging(db_path: Path) -> None:
    source = MemorySource(_inputs(60))
    ctx, summary = _context(db_path, batch_size=10, workers=2)
    calls = []

    def load_twice_then_fail(loader: object, done: Sequence[Done], src: object) -> None:
        calls.append(len(done))
        if len(calls) == 3:
            raise OSError("disk full")
        loader.load(done, source)  # type: ignore[attr-defined]

    with pytest.raises(OSError, match="disk full"):
        run_sources([source], ctx, summary, load_step=load_twice_then_fail)
    assert ctx.warehouse.query("SELECT count(*) FROM articles").rows == [(19,)]
    assert source.closed


def test_pages_are_read_ahead_only_to_a_byte_limit_and_not_kept_once_handed_on(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A web archive's pages come as bytes: the producer may not read a whole queue of
    them ahead, and the jobs kept for the source's record (and a Prefect load task's
    parameters) no longer carry the page."""
    monkeypatch.setattr(stream, "READ_AHEAD_BYTES", 1)  # each page waits alone
    source = MemorySource(_inputs(12))
    ctx, summary = _context(db_path, batch_size=4)
    handed: list[bytes] = []

    def load(loader: Loader, done: Sequence[Done], src: object) -> None:
        handed.extend(j.work.content for j, _ in done if isinstance(j.work, RawInput))
        loader.load(done, source)

    run_sources([source], ctx, summary, load_step=load)
    assert (summary.inputs, summary.added) == (13, 12)
    assert [t for _, batch in source.recorded for t in batch] == [str(i) for i in range(13)]
    assert handed == [b""] * 12


def test_the_read_ahead_waits_for_room_and_lets_a_larger_page_through_alone() -> None:
    ahead = stream._ReadAhead(limit=10)
    stop = threading.Event()
    first = Job(RawInput("a", "https://example.org/a", b"x" * 6, "html"))
    second = Job(RawInput("b", "https://example.org/b", b"y" * 6, "html"))
    assert ahead.enter(first, stop) and ahead.waiting == 6
    entered = threading.Event()
    waiter = threading.Thread(target=lambda: ahead.enter(second, stop) and entered.set())
    waiter.start()
    assert not entered.wait(0.3)  # 12 bytes would be over the limit: it waits
    ahead.leave(first)
    waiter.join(timeout=10)
    assert entered.is_set() and ahead.waiting == 6
    ahead.leave(second)
    huge = Job(RawInput("c", "https://example.org/c", b"z" * 50, "html"))
    assert ahead.enter(huge, stop) and ahead.waiting == 50  # alone, however large
    stop.set()
    assert not ahead.enter(first, stop)  # a stopped pipeline waits no more
