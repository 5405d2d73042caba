"""Stories: pair precision and recall on labelled pairs, and what choosing stories costs.

* **Quality.** ``bench/labels/story-pairs.jsonl`` (474 pairs of shared-corpus documents
  read and labelled same event or not; see :mod:`evaluation.stories`), split before any
  rule was tuned. The threshold and weights were chosen on the tuning half; the held-out
  half is what is reported. A pair counts as "same story" when newsmon puts both
  documents in one story after the whole pool went through one window.
* **Cost.** A real cycle (``newsmon ingest``) over every real page of the extraction
  benchmark and trafilatura-eval (:func:`bench.throughput.real_pages`). The writer's
  time choosing stories is timed inside the cycle; the workers' time computing story
  terms is re-measured on the stored articles in one process and divided by the number
  of workers (it runs beside the extraction in each of them). Goal: both together
  <= 10% of the cycle.

Run: ``python -m bench.stories`` (``--quick``: 200 pages for the cost).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from evaluation.rows import Row

GOAL_SHARE = 0.10


def quality() -> list[Row]:
    from evaluation import stories
    from newsmon.core.settings import Settings
    from newsmon.tagging import load_tagger

    threshold = Settings().story_threshold
    terms = stories.pool_terms(load_tagger(None))
    assigned = stories.assign(terms, threshold)
    tune, held = stories.split_pairs()
    rows = []
    for part, pairs in (("held-out", held), ("tuning", tune)):
        s = stories.score(pairs, assigned)
        left_out = len(pairs) - s.pairs
        rows.append(Row(
            f"stories / labelled pairs, {part}", "pair precision / recall / F1",
            f"{s.precision:.3f} / {s.recall:.3f} / {s.f1:.3f}",
            note=f"{s.pairs} pairs ({s.positives} same-event), {s.true_pos} joined rightly, "
                 f"{s.false_pos} wrongly; {left_out} pairs with a document newsmon rejects "
                 f"as too short left out; threshold {threshold}, {len(terms)} documents in "
                 f"one window, {len(set(assigned.values()))} stories",
        ))
    return rows


def cost(quick: bool = False) -> list[Row]:
    from bench.throughput import real_pages
    from newsmon.core.records import EntityTag, Tags, TopicTag
    from newsmon.core.settings import Settings
    from newsmon.cycle import run_cycle
    from newsmon.pipeline.forkserver import default_workers
    from newsmon.stories import story_terms
    from warehouse import Warehouse

    pages = real_pages()[: 200 if quick else None]
    with tempfile.TemporaryDirectory(prefix="newsmon-bench-stories-") as tmp:
        pagedir = Path(tmp) / "pages"
        pagedir.mkdir()
        for n, page in enumerate(pages):
            (pagedir / f"{n:05d}-{page.name}").symlink_to(page)
        settings = Settings(db=Path(tmp) / "w.duckdb")
        summary = run_cycle(settings, [pagedir], "ingest")
        rows = Warehouse(settings.db).query(
            "SELECT a.text, a.title, list(e.entity), list(t.topic) FROM articles a "
            "LEFT JOIN article_entities e USING (article_id) "
            "LEFT JOIN article_topics t USING (article_id) GROUP BY ALL").rows
    started = time.perf_counter()
    for text, title, entities, topics in rows:
        tags = Tags("bench", tuple(TopicTag(t, 1.0, ()) for t in set(topics) if t),
                    tuple(EntityTag(e, 1) for e in set(entities) if e))
        story_terms(text, title, tags)
    terms_s = time.perf_counter() - started
    workers = default_workers(settings.workers)
    share = (summary.story_seconds + terms_s / workers) / summary.seconds
    return [Row(
        f"stories / {len(pages):,} real pages", "choosing stories: share of a cycle",
        f"{share:.1%}", goal=f"<= {GOAL_SHARE:.0%}", met=share <= GOAL_SHARE,
        note=f"cycle {summary.seconds:.1f} s ({summary.added} added); writer "
             f"{summary.story_seconds:.2f} s, story terms {terms_s:.2f} s in one process "
             f"/ {workers} workers",
    )]


def run(quick: bool = False) -> list[Row]:
    return quality() + cost(quick)


def main() -> None:
    for row in run(quick="--quick" in sys.argv):
        print(row)


if __name__ == "__main__":
    main()
