"""The extraction pool: worker processes for the per-input work of a cycle.

Workers are forked from a forkserver (not from the parent, which may run Prefect's
threads) that has preloaded the extractors, the tagger's libraries and the language
model (:mod:`newsmon.pipeline.preload`), so they start in milliseconds and share that
memory. Each worker receives the cycle's :class:`Preparation` (with the compiled
tagger's rules) once, when it starts. A cycle too small to repay starting workers runs
its inputs in-process instead; only then does this process import the extraction
libraries (with workers, ~40 MB it would never use).
"""

from __future__ import annotations

import logging
import os
import signal
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from newsmon.core.records import Outcome, RawInput
from newsmon.pipeline.forkserver import prestart, uses_workers
from newsmon.pipeline.preparation import Preparation
from newsmon.runtime import lifeline
from newsmon.runtime.memory import release_free_memory

#: Workers are replaced after about this many inputs each. A worker's private memory grows
#: with every page it parses (parser and date-library caches, heap fragmentation: +120 MB
#: over 600 pages here); a fresh one forks from the preloaded server in ~20 ms.
#: (Not ProcessPoolExecutor's max_tasks_per_child: it deadlocks on Python 3.11, gh-115634.)
JOBS_PER_WORKER = 400
#: Inputs in flight per worker: enough to keep it busy, few enough that replacing the
#: workers waits for little.
IN_FLIGHT_PER_WORKER = 4

_PREPARATION: list[Preparation] = []  # set once in each worker by _worker_started


class InProcess:
    """Runs each input at once in this process: the pool of a small cycle."""

    def __init__(self, how: Preparation) -> None:
        self.how = how
        self.workers = 1
        self.in_flight = 1

    def submit(self, work: Path | RawInput) -> Future[Outcome]:
        from newsmon.pipeline.prepare import process  # loaded only when this process extracts

        done: Future[Outcome] = Future()
        done.set_result(process(work, self.how))
        return done


class WorkerPool:
    """Worker processes that each hold the cycle's preparation, replaced in generations."""

    def __init__(self, start: Callable[[], ProcessPoolExecutor], workers: int,
                 jobs_per_generation: int) -> None:
        self._start = start
        self.workers = workers
        self.in_flight = IN_FLIGHT_PER_WORKER * workers
        self.jobs_per_generation = jobs_per_generation
        self.executor = start()
        self.generations = [self.executor]
        self._submitted = 0

    def submit(self, work: Path | RawInput) -> Future[Outcome]:
        if self._submitted >= self.jobs_per_generation:
            # The old workers finish what they hold (at most ``in_flight``) and exit before
            # the new ones start: two generations side by side were the cycle's memory peak
            # (four workers' private heaps at once), for a pause of a few pages' work.
            self.executor.shutdown(wait=True)
            self.executor = self._start()
            self.generations.append(self.executor)
            self._submitted = 0
        self._submitted += 1
        return self.executor.submit(_in_worker, work)

    def kill(self) -> None:
        """Stop at once: no waiting for the inputs in flight (interrupt or failure)."""
        for executor in self.generations:
            processes = list((getattr(executor, "_processes", None) or {}).values())
            executor.shutdown(wait=False, cancel_futures=True)
            for proc in processes:  # no public API for the processes
                proc.kill()

    def close(self) -> None:
        for executor in self.generations:
            executor.shutdown(wait=True)


Pool = InProcess | WorkerPool


def _in_worker(work: Path | RawInput) -> Outcome:
    from newsmon.pipeline.prepare import process  # preloaded in the forkserver

    outcome = process(work, _PREPARATION[0])
    release_free_memory()  # what parsing the page freed, so the worker does not grow
    return outcome


@contextmanager
def extraction_pool(how: Preparation, workers: int, work_ms: int) -> Iterator[Pool]:
    """Worker processes when the cycle's estimated work repays starting them."""
    if not uses_workers(workers, work_ms):
        yield InProcess(how)
        return
    context = prestart()

    def start() -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=workers, mp_context=context,
            initializer=_worker_started, initargs=(os.getpid(), how),
        )

    pool = WorkerPool(start, workers, JOBS_PER_WORKER * workers)
    try:
        yield pool
    except BaseException:
        pool.kill()  # interrupted (Ctrl-C, SIGTERM) or failed
        raise
    pool.close()


def _worker_started(main_pid: int, how: Preparation) -> None:
    """In each extraction worker: keep the cycle's preparation; leave a terminal's Ctrl-C
    to the parent (it stops the pool); end with the forkserver or with newsmon, even one
    killed with -9."""
    _PREPARATION[:] = [how]
    # a library's warning about a damaged input (pypdf's "EOF marker not found") would go to
    # standard error bare, beside the run's own lines: the input's reject already names it
    logging.getLogger().addHandler(logging.NullHandler())
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    lifeline.die_with_parent(signal.SIGKILL)
    lifeline.watch(main_pid, lifeline.exit_now)
