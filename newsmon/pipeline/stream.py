"""The one pipeline every source goes through: jobs stream to the workers, batches to the writer.

Three things run at once, so both cores stay busy and memory stays flat:

* a producer thread walks the source's jobs (a feed source downloads pages there), a
  bounded queue ahead of the workers;
* the extraction workers run a bounded window of jobs (read, extract, identify, tag);
* this thread takes outcomes in order and, every ``batch_size`` of them, loads a batch in
  one write transaction while the workers go on with the next jobs.

Nothing grows with the size of a cycle: the queue, the window and the batch are bounded,
and a loaded batch is dropped.
"""

from __future__ import annotations

import contextvars
import queue
import threading
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future
from dataclasses import dataclass

from newsmon.core.records import Outcome, Reject
from newsmon.pipeline.loader import Loader
from newsmon.pipeline.pool import Pool
from newsmon.pipeline.source import Done, Job, Source

#: Jobs in flight per worker, besides a whole batch: keeps workers busy while a batch loads.
AHEAD_PER_WORKER = 8

LoadStep = Callable[[Loader, Sequence[Done], Source | None], None]
Progress = Callable[[int, int], None]


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


def _produce(jobs: Iterator[Job], out: queue.Queue[Job | _End | _Failed],
             stop: threading.Event) -> None:
    try:
        for job in jobs:
            while not stop.is_set():
                try:
                    out.put(job, timeout=0.2)
                    break
                except queue.Full:
                    continue
            if stop.is_set():
                return
    except BaseException as exc:  # handed to the consumer, which raises it
        out.put(_Failed(exc))
        return
    out.put(_End())


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
    window = batch_size + AHEAD_PER_WORKER * pool.workers
    jobs: queue.Queue[Job | _End | _Failed] = queue.Queue(maxsize=window)
    stop = threading.Event()
    # A copy of this thread's context: Prefect tasks called by the source (page fetches)
    # then belong to the flow run that called us.
    context = contextvars.copy_context()
    producer = threading.Thread(
        target=context.run, args=(_produce, source.jobs(), jobs, stop),
        name=f"newsmon-{source.name}-jobs", daemon=True,
    )
    producer.start()
    pending: deque[tuple[Job, Future[Outcome]]] = deque()
    batch: list[Done] = []
    ended = False
    try:
        while True:
            while not ended and len(pending) < window:
                try:
                    item = jobs.get(block=not pending)
                except queue.Empty:
                    break
                if isinstance(item, _End):
                    ended = True
                elif isinstance(item, _Failed):
                    raise item.error
                else:
                    pending.append((item, _start(pool, item)))
            if not pending:
                break
            job, future = pending.popleft()
            batch.append((job, future.result()))
            if len(batch) >= batch_size:
                _load(batch, loader, source, load_step, counts, progress)
                batch = []
        if batch:
            _load(batch, loader, source, load_step, counts, progress)
    finally:
        stop.set()
        for _, future in pending:
            future.cancel()


def _start(pool: Pool, job: Job) -> Future[Outcome]:
    if isinstance(job.work, Reject):
        ready: Future[Outcome] = Future()
        ready.set_result(job.work)
        return ready
    return pool.submit(job.work)


def _load(batch: list[Done], loader: Loader, source: Source, load_step: LoadStep,
          counts: Counts, progress: Progress | None) -> None:
    load_step(loader, batch, source)
    counts.done += len(batch)
    if progress is not None:
        progress(counts.done, max(counts.total, counts.done))
