"""Re-tagging stored articles with the current taxonomy, in batches.

After a rule change, old articles still carry the tags of the old rules, and a trend
that mixes both is not a trend. ``newsmon retag`` walks the warehouse in article_id
order, re-tags each batch and replaces its tag rows in one transaction per batch, so an
interrupted re-tag keeps what it finished and the next one resumes: by default only
articles whose recorded taxonomy version differs from the current one are touched.
The work is recorded as a run (trigger ``retag``) like every other change.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from newsmon.core.clock import utcnow
from newsmon.tagging.persist import replace_tags
from newsmon.tagging.tagger import Tagger
from warehouse import Warehouse
from warehouse.runs import finish_run, start_run

log = logging.getLogger(__name__)

_MIN_ID = -(2**63)

_SELECT = """
SELECT a.article_id, a.text, a.language, a.title
FROM articles a LEFT JOIN article_tagging g USING (article_id)
WHERE a.article_id > ? AND (? OR g.taxonomy_version IS NULL OR g.taxonomy_version <> ?)
ORDER BY a.article_id
LIMIT ?
"""


@dataclass
class RetagSummary:
    taxonomy_version: str
    retagged: int = 0
    batches: int = 0
    up_to_date: int = 0
    topics: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0
    run_id: str = ""

    def describe(self) -> str:
        batches = f"{self.batches} batch{'' if self.batches == 1 else 'es'}"
        head = (f"retagged {self.retagged} articles with taxonomy {self.taxonomy_version} "
                f"in {batches} ({self.seconds:.1f} s); "
                f"{self.up_to_date} already up to date")
        if not self.topics:
            return head
        counts = ", ".join(f"{t} {n}" for t, n in sorted(self.topics.items()))
        return f"{head}\ntopics now: {counts}"


def retag(
    warehouse: Warehouse,
    tagger: Tagger,
    *,
    batch_size: int = 500,
    everything: bool = False,
    progress: Callable[[int], None] | None = None,
) -> RetagSummary:
    """Re-tag stored articles with ``tagger``; ``everything`` also redoes up-to-date ones."""
    started = time.perf_counter()
    result = RetagSummary(tagger.version)
    warehouse.schema_version()  # a clear error if there is no warehouse yet; creates nothing
    run_id = result.run_id = start_run(warehouse, "retag")
    contents = {tagger.version: tagger.taxonomy.content}
    try:
        last = _MIN_ID
        while True:
            rows = warehouse.query(_SELECT, [last, everything, tagger.version, batch_size]).rows
            if not rows:
                break
            tagged = [(int(aid), tagger.tag(text, language, title))
                      for aid, text, language, title in rows]
            with warehouse.writer() as tx:
                replace_tags(tx, tagged, utcnow(), contents)
                tx.add_run_counts(run_id, inputs=len(tagged), added=0, duplicates=0,
                                  rejected=0, reasons={})
            result.retagged += len(tagged)
            result.batches += 1
            last = int(rows[-1][0])
            if progress is not None:
                progress(result.retagged)
            log.debug("retag: batch %d done (%d articles)", result.batches, len(tagged))
    except BaseException as exc:
        result.seconds = time.perf_counter() - started
        status = "interrupted" if isinstance(exc, KeyboardInterrupt) else "failed"
        finish_run(warehouse, run_id, status, f"{type(exc).__name__}: {exc}")
        raise
    counts = warehouse.query(
        "SELECT topic, count(*) FROM article_topics WHERE taxonomy_version = ? GROUP BY topic",
        [tagger.version],
    ).rows
    total = warehouse.query("SELECT count(*) FROM articles").rows[0][0]
    result.up_to_date = int(total) - result.retagged
    result.topics = Counter({str(r[0]): int(r[1]) for r in counts})
    result.seconds = time.perf_counter() - started
    finish_run(warehouse, run_id, "ok", None)
    return result
