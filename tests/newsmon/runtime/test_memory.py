"""Free heap pages go back to the system (what keeps extraction workers small)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from newsmon.runtime.memory import release_free_memory


def _resident_bytes() -> int:
    statm = Path("/proc/self/statm").read_text(encoding="ascii")
    return int(statm.split()[1]) * os.sysconf("SC_PAGE_SIZE")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc_trim")
def test_freed_fragmented_heap_is_returned() -> None:
    # 2 KB blocks come from malloc, not Python's small-object arenas; keeping every 64th
    # leaves the freed ones as holes inside the heap, which malloc does not give back alone
    blocks = [bytearray(2048) for _ in range(60_000)]
    kept = blocks[::64]
    del blocks
    before = _resident_bytes()
    assert release_free_memory()
    after = _resident_bytes()
    del kept  # alive until here, so the freed blocks stay holes, not the heap's top
    assert before - after > 50 * 2**20, (before >> 20, after >> 20)
