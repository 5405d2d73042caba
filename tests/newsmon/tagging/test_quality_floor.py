"""A floor under the default taxonomy's quality on the labelled dev set.

The benchmark (``python -m bench.tagging``) reports the figures; this test only fails
when a rule change makes tagging clearly worse than what was measured (micro-F1 0.946,
every topic's precision >= 0.83, all five seeds exact when this floor was set).
"""

from __future__ import annotations

from pathlib import Path

from newsmon.tagging import load_tagger
from newsmon.tagging.evaluate import evaluate, read_labelled

MICRO_F1_FLOOR = 0.92
PRECISION_FLOOR = 0.80


def test_default_taxonomy_quality_floor(shared: Path) -> None:
    docs = read_labelled(shared / "eval" / "topics-dev.jsonl")
    assert len(docs) == 195
    result = evaluate(load_tagger(), docs)
    micro = result.micro
    assert micro.f1 >= MICRO_F1_FLOOR, f"micro-F1 {micro.f1:.3f}; misses: {result.misses}"
    low = {t: round(s.precision, 2) for t, s in result.per_topic.items()
           if s.precision < PRECISION_FLOOR}
    assert not low, f"topics under precision {PRECISION_FLOOR}: {low}"
    seeds = [d for d in docs if d.dataset == "seeds"]
    assert len(seeds) == 5
    wrong = {d.id: (sorted(result.predicted[d.id]), sorted(d.topics)) for d in seeds
             if result.predicted[d.id] != d.topics}
    assert not wrong, f"seeds tagged differently from their labels: {wrong}"
