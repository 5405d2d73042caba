"""The extraction pool: worker processes for the per-input work of a cycle.

Workers are forked from a forkserver (not from the parent, which may run Prefect's
threads) that has preloaded the extractors, the tagger's libraries and the language
model (:mod:`newsmon.pipeline.preload`), so they start in milliseconds and share that
memory. Each worker receives the cycle's :class:`Preparation` (with the compiled
tagger's rules) once, when it starts. A cycle too small to repay starting workers runs
its inputs in-process instead.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from multiprocessing import get_context
from pathlib import Path

from newsmon.core.records import Outcome, RawInput
from newsmon.pipeline.prepare import Preparation, process
from newsmon.runtime import lifeline

#: Below this many inputs a cycle extracts in-process: starting workers costs ~1 s.
POOL_MIN_INPUTS = 40

_PREPARATION: list[Preparation] = []  # set once in each worker by _worker_started


class InProcess:
    """Runs each input at once in this process: the pool of a small cycle."""

    def __init__(self, how: Preparation) -> None:
        self.how = how
        self.workers = 1

    def submit(self, work: Path | RawInput) -> Future[Outcome]:
        done: Future[Outcome] = Future()
        done.set_result(process(work, self.how))
        return done


class WorkerPool:
    """Worker processes that each hold the cycle's preparation."""

    def __init__(self, executor: ProcessPoolExecutor, workers: int) -> None:
        self.executor = executor
        self.workers = workers

    def submit(self, work: Path | RawInput) -> Future[Outcome]:
        return self.executor.submit(_in_worker, work)


Pool = InProcess | WorkerPool


def _in_worker(work: Path | RawInput) -> Outcome:
    return process(work, _PREPARATION[0])


@contextmanager
def extraction_pool(how: Preparation, workers: int, n_inputs: int) -> Iterator[Pool]:
    """Worker processes when the cycle is big enough to repay starting them."""
    if workers < 2 or n_inputs < POOL_MIN_INPUTS:
        yield InProcess(how)
        return
    context = get_context("forkserver")
    context.set_forkserver_preload(["newsmon.pipeline.preload"])
    _start_helpers_deaf_to_ctrl_c()
    executor = ProcessPoolExecutor(
        max_workers=workers, mp_context=context,
        initializer=_worker_started, initargs=(os.getpid(), how),
    )
    try:
        yield WorkerPool(executor, workers)
    except BaseException:
        # Interrupted (Ctrl-C, SIGTERM) or failed: do not wait for the inputs in flight.
        processes = list((getattr(executor, "_processes", None) or {}).values())  # no public API
        executor.shutdown(wait=False, cancel_futures=True)
        for proc in processes:
            proc.kill()
        raise
    executor.shutdown(wait=True)


def default_workers(configured: int | None) -> int:
    return configured or os.cpu_count() or 1


def _start_helpers_deaf_to_ctrl_c() -> None:
    """Start multiprocessing's forkserver and resource tracker ignoring SIGINT.

    A terminal's Ctrl-C reaches every process of the foreground job. The forkserver
    ignores it only once its preload (seconds of imports) is done, so an early Ctrl-C
    printed its traceback; an ignored signal is inherited at start, a handler is not.
    The resource tracker's complaint about the pool's semaphores after an interrupted
    run (newsmon exits at once then) is noise for the user, so it starts without it.
    """
    if threading.current_thread() is not threading.main_thread():
        return
    from multiprocessing import forkserver, resource_tracker

    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    saved = os.environ.get("PYTHONWARNINGS")
    os.environ["PYTHONWARNINGS"] = "ignore::UserWarning"
    try:
        resource_tracker.ensure_running()
        forkserver.ensure_running()
    finally:
        signal.signal(signal.SIGINT, previous)
        if saved is None:
            os.environ.pop("PYTHONWARNINGS", None)
        else:
            os.environ["PYTHONWARNINGS"] = saved


def _worker_started(main_pid: int, how: Preparation) -> None:
    """In each extraction worker: keep the cycle's preparation; leave a terminal's Ctrl-C
    to the parent (it stops the pool); end with the forkserver or with newsmon, even one
    killed with -9."""
    _PREPARATION[:] = [how]
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    lifeline.die_with_parent(signal.SIGKILL)
    lifeline.watch(main_pid, lifeline.exit_now)
