"""What one cycle did: counted by the loader, printed by ``newsmon run``, kept in ``runs``."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from newsmon.core.outcomes import RejectReason
from newsmon.core.wording import plural


@dataclass
class RunSummary:
    run_id: str
    trigger: str
    status: str = "running"
    inputs: int = 0
    added: int = 0
    duplicates: int = 0
    rejected: int = 0
    reasons: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0
    search_seconds: float = 0.0  # of which keeping the search index current
    story_seconds: float = 0.0  # of which the writer spent choosing stories
    error: str | None = None
    feeds: Any = None  # the feeds source's report (newsmon.sources.feeds.FeedCycleStats)
    archives: Any = None  # web archives' and zips' (newsmon.sources.packed_files.PackedStats)
    unchanged_files: int = 0  # local files left unread: their articles stored, unchanged since

    def describe(self) -> str:
        head = f"run {self.run_id[:8]} {self.status} in {self.seconds:.1f} s:"
        parts = [f"{self.inputs} inputs", f"{self.added} added"]
        parts.append(f"{self.duplicates} already in the warehouse")
        rejected = {r: n for r, n in sorted(self.reasons.items()) if r != RejectReason.DUPLICATE}
        if rejected:
            why = ", ".join(f"{n} {r}" for r, n in rejected.items())
            parts.append(f"{self.rejected} skipped ({why})")
        else:
            parts.append("0 skipped")
        line = f"{head} {', '.join(parts)}"
        if self.status == "ok" and self.added == 0 and (self.inputs or self.unchanged_files):
            line += f"\n{self._nothing_new()}"
        if self.unchanged_files:
            line += (f"\nfiles: {plural(self.unchanged_files, 'file')} unchanged since "
                     "their articles were stored, not read again")
        if self.feeds is not None:
            line += f"\n{self.feeds.describe()}"
        if self.archives is not None:
            line += f"\n{self.archives.describe()}"
        if self.error:
            line += f"\nerror: {self.error}"
        return line

    def _nothing_new(self) -> str:
        """Why a cycle added nothing, in words that match its counts."""
        if self.rejected == 0:
            return "nothing new: every article was already in the warehouse"
        if self.duplicates == 0:
            return "nothing added: every input was skipped (see the reasons above)"
        return (f"nothing added: {self.duplicates} already in the warehouse, "
                f"{self.rejected} skipped")
