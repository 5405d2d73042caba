"""Runs in the ``runs`` table: started, counted by each batch, finished.

A run left ``running`` by a process of this host that is gone (killed, power cut) is
marked ``interrupted`` when the next run starts, so ``runs`` never claims work that
nobody is doing.
"""

from __future__ import annotations

import os
import socket
import uuid

from newsmon.core.clock import utcnow
from newsmon.runtime.processes import pid_alive
from warehouse.sessions import RunRow
from warehouse.store import Warehouse


def start_run(warehouse: Warehouse, trigger: str) -> str:
    """Record a new run and return its id; stale runs of this host become interrupted."""
    run_id = uuid.uuid4().hex
    host = socket.gethostname()
    with warehouse.writer() as tx:
        stale = [
            rid
            for rid, run_host, pid in tx.running_runs()
            if run_host == host and (pid is None or not pid_alive(pid))
        ]
        tx.mark_interrupted(stale, utcnow())
        tx.start_run(RunRow(run_id, trigger, utcnow(), host, os.getpid()))
    return run_id


def finish_run(warehouse: Warehouse, run_id: str, status: str, error: str | None) -> None:
    with warehouse.writer() as tx:
        tx.finish_run(run_id, status, utcnow(), error)
