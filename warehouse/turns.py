"""Fair turns on a DuckDB file between the processes that want it.

DuckDB gives a file to one process at a time and queues no one: a process that finds it
taken can only try again later. A cycle loads batch after batch and reopens the file
within milliseconds of closing it, so a ``newsmon sql`` retrying with back-off can miss
every gap and wait for the whole cycle (1.5-2 s of a 3 s cycle of 300 files, measured;
on a long cycle, until its lock timeout).

So a process that finds the file taken gets in line: it holds a shared lock on a turn
file beside the warehouse (``<file>.turn``) until its session ends, and retries often
(the file frees within one transaction). A writer, before it opens the file for its next
transaction, waits until no one is in line (at most :data:`YIELD_MAX_S`): whoever waited
goes first, at the latest after the batch being written. Only the ``fcntl`` locks of
this host's processes take part, which is all a DuckDB file can have. The turn file is
opened read-only, so a user who may only read the warehouse still gets in line.

Nothing here is needed for correctness: where the turn file cannot be made (a read-only
folder), sessions open as before, only less fairly.
"""

from __future__ import annotations

import fcntl
import os
import time
from pathlib import Path

TURN_SUFFIX = ".turn"
#: The longest a writer lets others go first before one transaction. A waiter needs one
#: retry (WAITING_RETRY_S) and its own short session; a long query holds the file itself,
#: and the writer then waits in line like anyone else.
YIELD_MAX_S = 1.0
#: How often a process in line tries the file.
WAITING_RETRY_S = 0.02
_POLL_S = 0.005


def turn_path(database: Path) -> Path:
    return database.with_name(database.name + TURN_SUFFIX)


class Turn:
    """One session's place in line: taken when it first finds the file busy, given up
    when the session ends."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    def wait_in_line(self) -> bool:
        """Get in line (once per session); whether this session is in line now."""
        if self._fd is not None:
            return True
        try:
            fd = os.open(self.path, os.O_RDONLY | os.O_CREAT, 0o644)
        except OSError:
            return False  # a read-only folder: no line, plain back-off
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)  # a writer is checking the line this instant: next retry
            return False
        self._fd = fd
        return True

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the descriptor drops its lock
            self._fd = None


def let_waiters_in(path: Path, limit_s: float = YIELD_MAX_S) -> float:
    """Wait until no process is in line for the file, or ``limit_s`` passed; the wait."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return 0.0  # no turn file: no one has ever waited for this warehouse
    started = time.monotonic()
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return time.monotonic() - started
            except BlockingIOError:
                if time.monotonic() - started >= limit_s:
                    return time.monotonic() - started
                time.sleep(_POLL_S)
    finally:
        os.close(fd)
