"""A terminal progress bar for long commands (``ingest``, ``retag``, backfills).

It takes ``(done, total)`` calls, the shape of :attr:`newsmon.cycle.Steps.progress`,
and draws on stderr only when stderr is a terminal: piped output and logs stay clean.
No dependency: one line redrawn with a carriage return.
"""

from __future__ import annotations

import sys
import time
from types import TracebackType
from typing import TextIO


class TerminalProgress:
    """``with TerminalProgress("ingest") as bar: run(progress=bar.update)``."""

    def __init__(self, label: str, *, stream: TextIO | None = None, width: int = 30,
                 force: bool = False) -> None:
        self.label = label
        self.stream = stream or sys.stderr
        self.width = width
        self.enabled = force or self.stream.isatty()
        self.started = time.monotonic()
        self.drawn = False

    def update(self, done: int, total: int | None = None) -> None:
        """Redraw; ``total`` None when it is not known up front (then only a count)."""
        if not self.enabled:
            return
        elapsed = time.monotonic() - self.started
        rate = done / elapsed if elapsed > 0 else 0.0
        if total is None:
            line = f"\r{self.label}: {done} done ({rate:.0f}/s)"
        else:
            fraction = done / total if total else 1.0
            filled = int(self.width * fraction)
            line = (
                f"\r{self.label} [{'#' * filled}{'-' * (self.width - filled)}] "
                f"{done}/{total} ({fraction:.0%}, {rate:.0f}/s)"
            )
        self.stream.write(line)
        self.stream.flush()
        self.drawn = True

    def __enter__(self) -> TerminalProgress:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self.drawn:
            self.stream.write("\n")
            self.stream.flush()
