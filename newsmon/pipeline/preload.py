"""What the extraction pool's forkserver loads once, so every worker starts with it.

Extraction workers are forked from a forkserver process (not from the parent, which
may run Prefect's threads). Whatever that server has imported and loaded before it
forks, each worker shares copy-on-write instead of loading it again: the extraction
modules with their libraries, and py3langid's ~100 MB model, which otherwise every
worker reads and unpacks on its first page. Workers then start in milliseconds, and
the model's memory is paid once per machine rather than once per core.

Used by :func:`newsmon.pipeline.pool.extraction_pool` through ``set_forkserver_preload``; a
failure here only costs the sharing (the forkserver ignores preload errors).
"""

from __future__ import annotations

import gc
import os
import sys
from multiprocessing import spawn

import newsmon.pipeline.pool  # the module the workers run
import newsmon.pipeline.prepare  # noqa: F401  (the per-input work: extractors, tagger, libraries)
from extractors.html import warm_up
from extractors.language import detect_language
from newsmon.runtime import lifeline
from newsmon.tagging import load_tagger

# Loads and caches the language model in this process, before any worker forks; and the
# shipped taxonomy's compiled tagger, which a worker then finds in the tagger cache instead
# of compiling it again (a cycle with its own taxonomy compiles that once per worker).
detect_language("Ein kurzer Satz, der das Sprachmodell einmal für alle Prozesse lädt.")
load_tagger()
warm_up()

# In the forkserver itself (started as ``python -c 'from multiprocessing.forkserver ...'``):
# end with the newsmon process that started it, even one killed with -9. Its workers end
# with it (newsmon.pipeline.pool sets their parent-death signal).
if sys.argv[:1] == ["-c"]:
    lifeline.watch_parent(lifeline.exit_now)
    _start_worker = spawn._main

    def _start_quietly(fd: int, parent_sentinel: int) -> int:
        """Start a worker. A pool stopped while the request waited (Ctrl-C during the
        preload) has already removed the semaphores and pipes the worker's start-up data
        names: then there is no one to work for, so end without a traceback."""
        try:
            return int(_start_worker(fd, parent_sentinel))
        except (FileNotFoundError, EOFError, BrokenPipeError, ConnectionResetError):
            os._exit(0)

    spawn._main = _start_quietly  # the forkserver calls spawn._main for each worker

# Everything loaded so far lives as long as the workers: keep the garbage collector from
# walking it (a walk writes to every object, which un-shares the pages it sits on).
gc.freeze()
