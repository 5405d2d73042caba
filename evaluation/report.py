"""Re-running some benchmarks updates their sections of ``docs/benchmarks.md``, no more.

``python -m bench --only tagging`` used to write a report holding only the tagging
section, so every other section's figures vanished from the file. A partial run now
replaces the sections it ran, each stamped with its own date, and keeps the header, the
other sections and the hand-written notes as they were.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

#: Where the generated tables end: the published anchors come last.
ANCHORS_HEADING = "## Anchors: published figures we compare with"


def _section_start(name: str) -> re.Pattern[str]:
    return re.compile(rf"^## {re.escape(name)} \(", re.MULTILINE)


def merge_sections(report: str, sections: Sequence[tuple[str, str]]) -> str:
    """``report`` with each ``(name, block)`` replacing the section ``## name (...)``;
    a section the report does not have yet goes before the anchors (or at the end).
    A block is the section's whole text, heading included, ending with a blank line."""
    for name, block in sections:
        block = block.rstrip("\n") + "\n\n"
        found = _section_start(name).search(report)
        if found:
            following = re.compile(r"^## ", re.MULTILINE).search(report, found.end())
            end = following.start() if following else len(report)
            report = report[: found.start()] + block + report[end:]
            continue
        anchors = report.find(ANCHORS_HEADING)
        at = anchors if anchors >= 0 else len(report)
        report = report[:at] + block + report[at:]
    return report
