"""How well two careful readers agree on the topic labels: the scale a tagger is read on.

Every held-out figure compares the tagger with one reading of each document. When the
labels are judgement calls ("a paragraph's worth" of a summit in a roundup), a second
reader disagrees too, and no tagger can agree with the first reader much more often than
a second reader does. So a sample of the held-out half was read again, blind (by helpers
who saw only the text and ``../shared/spec/topics.md``, not the labels, the tagger or its
output): every held-out document with a topic and a seeded draw of the topic-free ones
(``bench/labels/topics-second-reading.jsonl``). The same file holds a second reading of the
L3S-GN1 pages and of the held-out halves of ISOT's Reuters articles and AG News's briefs,
all outside ``../shared`` (:mod:`evaluation.outside`), drawn the same way.

Scores over the sample count a false tag on a drawn topic-free document as many times as
the draw is smaller than the held-out half's topic-free documents, so that precision and
the false-tag rate are those of the whole held-out half.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from evaluation import LABELS
from newsmon.tagging.evaluate import LabelledDoc, TopicScore

SECOND = LABELS / "topics-second-reading.jsonl"


def read_second(path: Path = SECOND) -> dict[str, frozenset[str]]:
    """Document id -> the topics the second reading gave it."""
    with path.open(encoding="utf-8") as handle:
        return {row["id"]: frozenset(row["topics"])
                for row in map(json.loads, filter(str.strip, handle))}


@dataclass
class Agreement(TopicScore):
    """Micro counts against the labels, false tags weighted (see the module doc)."""

    fp: float = 0.0  # type: ignore[assignment]  # weighted
    documents: int = 0


def agreement(held: Sequence[LabelledDoc], read: Mapping[str, frozenset[str]],
              given: Mapping[str, frozenset[str]]) -> Agreement:
    """``given`` (a second reading, or a tagger's topics) against the labels, on the
    held-out documents ``read`` covers; every held-out document with a topic must be in
    it, as the sample's design assumes."""
    sample = [d for d in held if d.id in read]
    missing = [d.id for d in held if d.topics and d.id not in read]
    if missing:
        raise ValueError(f"{SECOND.name}: documents with a topic not read again "
                         f"({len(missing)}, first: {missing[0]})")
    free_total = sum(1 for d in held if not d.topics)
    free_drawn = sum(1 for d in sample if not d.topics)
    weight = free_total / free_drawn if free_drawn else 1.0
    tp = fn = 0
    fp = 0.0
    for doc in sample:
        found = given.get(doc.id, frozenset())
        tp += len(found & doc.topics)
        fn += len(doc.topics - found)
        fp += len(found - doc.topics) * (1.0 if doc.topics else weight)
    return Agreement(tp=tp, fp=fp, fn=fn, documents=len(sample))
