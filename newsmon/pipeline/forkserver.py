"""Starting the extraction pool's forkserver early, before the cycle's own start-up.

The forkserver's preload (:mod:`newsmon.pipeline.preload`: the extraction libraries, the
language model, the compiled taxonomy; ~4 s of CPU) decides when the first worker can
start. Started from the command, before this process imports Prefect and the pipeline,
it runs on the second core while this one does its own imports. So this module is kept
light: the standard library and the file-kind check, importable in milliseconds.

Workers repay their start only on enough work. Measured here on a quiet machine
(``newsmon ingest``, no Prefect): 300 plain-text files took 3.5 s wall and 4.7 s of CPU
with two workers, 2.6 s and 2.8 s in-process; 40 HTML pages 3.2 s / 4.3 s against
2.8 s / 2.9 s; 100 HTML pages 3.8 s / 5.5 s against 4.0 s / 4.1 s. In-process a page
costs ~25 ms, a plain-text file ~5 ms; the pool ~1.8 s of CPU and ~1 s before its first
result. So a cycle is sized by its estimated in-process milliseconds, and a busy machine
loses nothing.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Sequence
from multiprocessing import get_context
from multiprocessing.context import BaseContext
from pathlib import Path

from extractors.files import kind_of

#: In-process extraction of one input, in milliseconds: an HTML page and a plain-text file
#: (no markup to parse), as measured above.
PAGE_MS = 25
TEXT_MS = 5
#: Below this much estimated work a cycle extracts in-process (about 100 pages).
POOL_MIN_MS = 2_500


def prestart() -> BaseContext:
    """Start the forkserver now: its preload (imports, language model, tagger: ~4 s) then
    runs while this process does its own start-up instead of delaying the first worker."""
    context = get_context("forkserver")
    context.set_forkserver_preload(["newsmon.pipeline.preload"])
    _start_helpers_deaf_to_ctrl_c()
    return context


def uses_workers(workers: int, work_ms: int) -> bool:
    """Whether a cycle of ``work_ms`` estimated milliseconds repays starting ``workers``."""
    return workers >= 2 and work_ms >= POOL_MIN_MS


def file_work(path: Path) -> int:
    """A local file's estimated in-process extraction work, in milliseconds."""
    return TEXT_MS if kind_of(path) == "text" else PAGE_MS


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

    # Blocked as well as ignored: Linux keeps a blocked signal pending even while it is
    # ignored, so a Ctrl-C that comes while the helpers start (seconds, on a busy machine)
    # reaches newsmon when it is unblocked below instead of being lost.
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
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
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def prestart_for(paths: Sequence[Path], workers: int | None) -> None:
    """Start the forkserver now when a cycle over ``paths`` will use workers."""
    if will_use_workers(paths, workers):
        prestart()


def will_use_workers(paths: Sequence[Path], workers: int | None) -> bool:
    """Whether a cycle over ``paths`` (files or folders) will extract in workers. Files are
    counted as :func:`extractors.files.discover` lists them (hidden ones skipped, linked
    folders followed once each), and only up to :data:`POOL_MIN_MS` of work: a big folder
    costs nothing."""
    work = 0
    walked: set[str] = set()
    for path in paths:
        if path.is_dir():
            for root, folders, names in os.walk(path, followlinks=True):
                if (real := os.path.realpath(root)) in walked:  # a loop, or a second link
                    folders[:] = []
                    continue
                walked.add(real)
                folders[:] = [f for f in folders if not f.startswith(".")]
                work += sum(file_work(Path(n)) for n in names if not n.startswith("."))
                if work >= POOL_MIN_MS:
                    break
        elif path.exists():
            work += file_work(path)
        if work >= POOL_MIN_MS:
            break
    return uses_workers(default_workers(workers), work)
