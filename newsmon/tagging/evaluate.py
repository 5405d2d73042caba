"""Scoring a tagger against hand-labelled documents: precision, recall, F1, misses.

Lives in the package (not in ``bench/``) because two callers need the same numbers: the
benchmark that reports them and the fast test that pins a floor under them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from newsmon.tagging.tagger import Tagger


@dataclass(frozen=True, slots=True)
class LabelledDoc:
    id: str
    lang: str | None
    text: str
    topics: frozenset[str]
    dataset: str = ""


@dataclass(frozen=True, slots=True)
class Miss:
    doc_id: str
    topic: str
    kind: str  # "missed" (false negative) | "extra" (false positive)
    score: float  # the tagger's score for the topic (0 when no term matched)


@dataclass
class TopicScore:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Evaluation:
    per_topic: dict[str, TopicScore]
    misses: list[Miss] = field(default_factory=list)
    predicted: dict[str, frozenset[str]] = field(default_factory=dict)

    @property
    def micro(self) -> TopicScore:
        total = TopicScore()
        for s in self.per_topic.values():
            total.tp += s.tp
            total.fp += s.fp
            total.fn += s.fn
        return total


def read_labelled(path: Path) -> list[LabelledDoc]:
    """The dev set's JSON lines (``id, lang, text, topics, ...``)."""
    docs = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                docs.append(LabelledDoc(row["id"], row.get("lang"), row["text"],
                                        frozenset(row.get("topics") or ()),
                                        row.get("dataset", "")))
            except (ValueError, KeyError) as exc:
                raise ValueError(f"{path}:{number}: not a labelled document: {exc}") from None
    return docs


def evaluate(tagger: Tagger, docs: Iterable[LabelledDoc],
             topics: Sequence[str] | None = None) -> Evaluation:
    """Compare the tagger's topics with the labels, per topic and micro-averaged."""
    ids = list(topics or [t.id for t in tagger.taxonomy.topics.topics])
    result = Evaluation({t: TopicScore() for t in ids})
    for doc in docs:
        scores = tagger.scores(doc.text, doc.lang)
        predicted = frozenset(t.topic for t in tagger.tag(doc.text, doc.lang).topics) & set(ids)
        result.predicted[doc.id] = predicted
        for topic in ids:
            score = result.per_topic[topic]
            if topic in predicted and topic in doc.topics:
                score.tp += 1
            elif topic in predicted:
                score.fp += 1
                result.misses.append(Miss(doc.id, topic, "extra", scores.get(topic, 0.0)))
            elif topic in doc.topics:
                score.fn += 1
                result.misses.append(Miss(doc.id, topic, "missed", scores.get(topic, 0.0)))
    return result
