"""Is a process still there? Shared by run bookkeeping and the local Prefect server."""

from __future__ import annotations

import os


def pid_alive(pid: int) -> bool:
    """True while a process with this PID exists on this host (even one we may not signal)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
