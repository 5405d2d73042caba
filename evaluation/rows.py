"""One line of the benchmark table (``python -m bench`` writes them to docs/benchmarks.md)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Row:
    """One line of the benchmark table."""

    benchmark: str  # e.g. "extraction / article-extraction-benchmark"
    metric: str  # e.g. "F1", "speed-up vs bare trafilatura loop"
    ours: str  # newsmon's figure, formatted
    baseline: str = ""  # the same measure for the bare library, same run
    anchor: str = ""  # the published figure we compare with, and where it comes from
    goal: str = ""  # the goal, e.g. ">= 0.965"
    met: bool | None = None  # None when there is no goal
    note: str = ""
