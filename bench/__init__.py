"""Benchmarks: every speed or quality claim newsmon makes, as a number anyone can reproduce.

Run them all with ``python -m bench`` (writes ``docs/benchmarks.md``), or one with
``python -m bench.<name>``. Benchmarks never run in the test suite (the machine may be
busy and timings vary); fast quality *floors* do, in ``tests/``.

Convention for a benchmark module ``bench/<name>.py`` (so ``python -m bench`` can collect it):

* ``run() -> list[Row]`` (or a list of dicts with the same keys) measures and returns rows;
* speeds are reported as ratios measured in the same run (this machine is shared, so
  absolute seconds drift; a ratio against a baseline run back-to-back does much less).

A module without ``run()`` is run as ``python -m bench.<name>`` and its output is
quoted verbatim in the report.
"""

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
