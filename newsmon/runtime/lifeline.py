"""Helper processes that never outlive the newsmon process that started them.

A ``newsmon run`` starts a temporary Prefect server and extraction workers. Killed
outright (``kill -9``, the OOM killer) it runs no clean-up, and those helpers would live
on holding hundreds of MB each. Two mechanisms, both cheap:

* :func:`die_with_parent` asks Linux to signal this process when the thread that
  created it ends (``PR_SET_PDEATHSIG``, kept across ``exec``);
* :func:`watch` polls for a given PID and calls back when it is gone, for a helper whose
  direct parent is not newsmon itself (a worker forked by the forkserver).

``python -m newsmon.runtime.lifeline PID -- COMMAND...`` runs COMMAND in its own process group
and ends that whole group when PID goes away or when it is told to stop; the temporary
Prefect server runs under it, so its own children go too.
"""

from __future__ import annotations

import ctypes
import faulthandler
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path

from newsmon.runtime.processes import pid_alive

_PR_SET_PDEATHSIG = 1
POLL_S = 0.2
GRACE_S = 5.0


def die_with_parent(sig: int = signal.SIGKILL) -> bool:
    """Have the kernel send ``sig`` to this process when its parent thread ends (Linux)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return bool(libc.prctl(_PR_SET_PDEATHSIG, int(sig), 0, 0, 0) == 0)
    except (OSError, AttributeError):
        return False


def running(pid: int) -> bool:
    """The process exists and has not exited. A zombie (exited, not yet reaped by its
    parent) is not running: its parent may be waiting for our pipes to close first."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    except OSError:
        return pid_alive(pid)
    return stat.rsplit(")", 1)[1].split()[0] not in ("Z", "X")


def watch(pid: int, on_gone: Callable[[], None], interval_s: float = POLL_S) -> threading.Thread:
    """Call ``on_gone`` (from a daemon thread) once process ``pid`` has exited."""

    def loop() -> None:
        while running(pid):
            time.sleep(interval_s)
        on_gone()

    thread = threading.Thread(target=loop, name=f"newsmon-lifeline-{pid}", daemon=True)
    thread.start()
    return thread


def watch_parent(on_gone: Callable[[], None], interval_s: float = POLL_S) -> threading.Thread:
    """Call ``on_gone`` once this process's parent has exited (we are re-parented then,
    at its exit, even before anyone reaps it)."""
    parent = os.getppid()

    def loop() -> None:
        while os.getppid() == parent:
            time.sleep(interval_s)
        on_gone()

    thread = threading.Thread(target=loop, name="newsmon-lifeline-parent", daemon=True)
    thread.start()
    return thread


def exit_now() -> None:
    os._exit(0)


def watch_pipe(fd: int, on_gone: Callable[[], None]) -> threading.Thread:
    """Call ``on_gone`` once the write end of pipe ``fd`` is closed everywhere: the kernel
    closes it when the process holding it exits, however it exits."""

    def loop() -> None:
        with suppress(OSError):
            while os.read(fd, 1):
                pass
        on_gone()

    thread = threading.Thread(target=loop, name="newsmon-lifeline-pipe", daemon=True)
    thread.start()
    return thread


def supervise(parent: int, command: list[str], pipe_fd: int | None = None) -> int:
    """Run ``command`` until it exits, or until ``parent`` is gone or we are told to stop;
    then end its whole process group (TERM, then KILL after GRACE_S)."""
    if os.getpgid(0) != os.getpid():
        os.setpgid(0, 0)  # our own group, which the command joins: one killpg ends all of it
    child = subprocess.Popen(command, stdin=subprocess.DEVNULL)
    # A plain flag, not a threading.Event: a signal handler runs on the main thread, and
    # Event.set() there deadlocks when the signal lands while that thread holds the
    # Event's own lock inside Event.wait().
    stopped: list[bool] = []

    def stop(*_: object) -> None:
        stopped.append(True)

    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, stop)
    watch(parent, stop)
    if pipe_fd is not None:
        watch_pipe(pipe_fd, stop)
    if os.getppid() == parent:  # re-parented the moment it exits, reaped or not
        watch_parent(stop)
    while child.poll() is None and not stopped:
        time.sleep(POLL_S)
    if child.poll() is None:
        print(f"newsmon.runtime.lifeline: process {parent} is gone; stopping {command[:4]}",
              file=sys.stderr, flush=True)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # the group signal reaches us too
        os.killpg(0, signal.SIGTERM)
        try:
            child.wait(GRACE_S)
        except subprocess.TimeoutExpired:
            os.killpg(0, signal.SIGKILL)
        os.killpg(0, signal.SIGKILL)  # what the command itself started, and us
    return child.wait()


def main(argv: list[str]) -> int:
    """``PARENT_PID [--pipe FD] -- COMMAND...``; FD is the read end of a pipe whose write
    end only the parent holds."""
    pipe_fd = None
    if len(argv) > 2 and argv[1] == "--pipe":
        pipe_fd, argv = int(argv[2]), [argv[0], *argv[3:]]
    if len(argv) < 3 or argv[1] != "--":
        print("usage: python -m newsmon.runtime.lifeline PARENT_PID [--pipe FD] -- COMMAND...",
              file=sys.stderr)
        return 2
    die_with_parent(signal.SIGTERM)
    faulthandler.register(signal.SIGUSR1, all_threads=True)  # `kill -USR1` shows where it is
    return supervise(int(argv[0]), argv[2:], pipe_fd)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
