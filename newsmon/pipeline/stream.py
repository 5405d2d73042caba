"""The one pipeline every source goes through: jobs stream to the workers, batches to the writer.

Three things run at once, so both cores stay busy and memory stays flat:

* a producer thread walks the source's jobs (a feed source downloads pages there), a
  bounded queue ahead of the workers (in jobs, and in the bytes of the pages they carry);
* the extraction workers run a bounded number of jobs at once (read, extract, identify,
  tag), fed by this thread, which hands their outcomes on in order;
* a writer thread loads each full batch in one write transaction while the workers go
  on with the next jobs: one writer, one batch waiting at most.

Nothing grows with the size of a cycle: the queues, the jobs in flight and the batch are
bounded, and a loaded batch is dropped.
"""

from __future__ import annotations

import contextvars
import queue
import threading
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, wait
from dataclasses import dataclass, replace
from typing import TypeVar

from newsmon.core.records import Outcome, RawInput, Reject
from newsmon.pipeline.loader import Loader
from newsmon.pipeline.pool import Pool
from newsmon.pipeline.source import Done, Job, Source

LoadStep = Callable[[Loader, Sequence[Done], Source | None], None]
Progress = Callable[[int, int], None]
T = TypeVar("T")
_POLL_S = 0.2
#: Page bytes read ahead of the workers at most (see :class:`_ReadAhead`).
READ_AHEAD_BYTES = 16_000_000


def load(loader: Loader, done: Sequence[Done], source: Source | None = None) -> None:
    loader.load(done, source)


@dataclass
class Counts:
    """Jobs done across the cycle's sources, for progress reports."""

    done: int = 0
    total: int = 0


class _End:
    pass


@dataclass(frozen=True)
class _Failed:
    error: BaseException


def _thread(target: Callable[..., None], *args: object, name: str) -> threading.Thread:
    """A daemon thread in a copy of this thread's context: Prefect tasks it calls (page
    fetches, batch loads) belong to the flow run that started the pipeline."""
    context = contextvars.copy_context()
    thread = threading.Thread(target=context.run, args=(target, *args), name=name, daemon=True)
    thread.start()
    return thread


def _put(out: queue.Queue[T], item: T, check: Callable[[], bool]) -> bool:
    """Put ``item`` once there is room, looking at ``check`` while waiting; False (and
    nothing put) when ``check`` says stop."""
    while not check():
        try:
            out.put(item, timeout=_POLL_S)
            return True
        except queue.Full:
            continue
    return False


class _ReadAhead:
    """The bytes of the pages waiting in the queue, held to ``limit`` (a larger page
    waits alone): a feed's next batch is fetched while the workers extract this one, but
    a web archive of large pages is not read a whole queue ahead of them."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.waiting = 0
        self._changed = threading.Condition()

    def enter(self, job: Job, stop: threading.Event) -> bool:
        """Wait for room for ``job``'s page; False when ``stop`` is set meanwhile."""
        size = _page_bytes(job)
        with self._changed:
            while self.waiting and self.waiting + size > self.limit:
                if stop.is_set():
                    return False
                self._changed.wait(_POLL_S)
            self.waiting += size
        return True

    def leave(self, job: Job) -> None:
        if size := _page_bytes(job):
            with self._changed:
                self.waiting -= size
                self._changed.notify_all()


def _page_bytes(job: Job) -> int:
    return len(job.work.content) if isinstance(job.work, RawInput) else 0


def _produce(jobs: Iterator[Job], out: queue.Queue[Job | _End | _Failed],
             stop: threading.Event, ahead: _ReadAhead) -> None:
    try:
        for job in jobs:
            if not ahead.enter(job, stop) or not _put(out, job, stop.is_set):
                return
    except BaseException as exc:  # handed to the consumer, which raises it
        out.put(_Failed(exc))
        return
    out.put(_End())


class _Writer:
    """The one thread that loads batches; holds at most one batch waiting."""

    def __init__(self, load_step: LoadStep, loader: Loader, source: Source, counts: Counts,
                 progress: Progress | None) -> None:
        self.load_step, self.loader, self.source = load_step, loader, source
        self.counts, self.progress = counts, progress
        self.batches: queue.Queue[list[Done] | None] = queue.Queue(maxsize=1)
        self.error: BaseException | None = None
        self.thread = _thread(self._run, name=f"newsmon-{source.name}-writer")

    def _run(self) -> None:
        while (batch := self.batches.get()) is not None:
            if self.error is not None:
                continue  # drain: nothing more is written after a failure
            try:
                self.load_step(self.loader, batch, self.source)
            except BaseException as exc:
                self.error = exc
                continue
            self.counts.done += len(batch)
            if self.progress is not None:
                self.progress(self.counts.done, max(self.counts.total, self.counts.done))

    def put(self, batch: list[Done] | None) -> None:
        _put(self.batches, batch, self._failed)

    def _failed(self) -> bool:
        self.raise_failure()
        return False

    def raise_failure(self) -> None:
        if self.error is not None:
            raise self.error

    def finish(self) -> None:
        """Load what is queued and stop; raise what a load raised."""
        self.put(None)
        while self.thread.is_alive():
            self.thread.join(_POLL_S)
        self.raise_failure()

    def abandon(self) -> None:
        """Stop after the batch being written (never two writers at once): wait for it."""
        while True:
            try:
                self.batches.get_nowait()
            except queue.Empty:
                break
        _put(self.batches, None, lambda: False)
        self.thread.join()


def stream_source(
    source: Source,
    pool: Pool,
    loader: Loader,
    *,
    batch_size: int,
    counts: Counts,
    load_step: LoadStep = load,
    progress: Progress | None = None,
) -> None:
    """Run every job of an opened source through ``pool`` and load the outcomes in order."""
    jobs: queue.Queue[Job | _End | _Failed] = queue.Queue(maxsize=batch_size)
    stop = threading.Event()
    ahead = _ReadAhead(READ_AHEAD_BYTES)
    _thread(_produce, source.jobs(), jobs, stop, ahead, name=f"newsmon-{source.name}-jobs")
    writer = _Writer(load_step, loader, source, counts, progress)
    # Submission order, finished or not: outcomes leave it in order. Only ``in_flight`` of
    # them run at once; finished ones wait here (up to a batch) behind a slow page, so
    # one long page never leaves the other workers idle.
    pending: deque[tuple[Job, Future[Outcome]]] = deque()
    window = batch_size + pool.in_flight
    batch: list[Done] = []
    ended = False
    try:
        while True:
            running = sum(not future.done() for _, future in pending)
            while not ended and running < pool.in_flight and len(pending) < window:
                try:
                    # With work in flight, take only what is ready; else wait a little
                    # (and come back to see whether the writer failed).
                    item = jobs.get_nowait() if pending else jobs.get(timeout=_POLL_S)
                except queue.Empty:
                    break
                if isinstance(item, _End):
                    ended = True
                elif isinstance(item, _Failed):
                    raise item.error
                else:
                    ahead.leave(item)
                    pending.append((_spent(item), _start(pool, item)))
                    running += 1
            if not pending:
                if ended:
                    break
                writer.raise_failure()
                continue
            if not pending[0][1].done():
                wait([f for _, f in pending if not f.done()], timeout=_POLL_S,
                     return_when=FIRST_COMPLETED)
                writer.raise_failure()
                continue
            while pending and pending[0][1].done():
                job, future = pending.popleft()
                batch.append((job, future.result()))
                if len(batch) >= batch_size:
                    writer.put(batch)
                    batch = []
        if batch:
            writer.put(batch)
        writer.finish()
    except BaseException:
        stop.set()
        for _, future in pending:
            future.cancel()
        writer.abandon()
        raise
    finally:
        stop.set()


def _spent(job: Job) -> Job:
    """``job`` once handed to the pool: its ticket, without the page's bytes. The pool has
    them; kept here too, every page of the window and the batch being loaded would stay
    in memory until its batch is written."""
    if isinstance(job.work, RawInput):
        return replace(job, work=replace(job.work, content=b""))
    return job


def _start(pool: Pool, job: Job) -> Future[Outcome]:
    if isinstance(job.work, Reject):
        ready: Future[Outcome] = Future()
        ready.set_result(job.work)
        return ready
    return pool.submit(job.work)
