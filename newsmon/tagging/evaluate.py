"""Scoring a tagger against hand-labelled documents: precision, recall, F1, misses.

Lives in the package (not in ``bench/``) because two callers need the same numbers: the
benchmark that reports them and the fast test that pins a floor under them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from newsmon.core.wording import not_utf8
from newsmon.tagging.tagger import Tagger


@dataclass(frozen=True, slots=True)
class LabelledDoc:
    id: str
    lang: str | None
    text: str
    topics: frozenset[str]
    dataset: str = ""
    title: str | None = None  # counts as lead, as when a stored article was tagged


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
    """Labelled documents, one JSON object a line: the dev set's ``id, lang, text, topics``
    (topic ids), or the rows ``newsmon export --format json`` writes (``article_id,
    language, title, text, topics`` as objects with a ``topic``), so an analyst can export
    articles, correct their topics and fit on the file as it is."""
    docs = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError as exc:
        raise ValueError(not_utf8(path, exc)) from None
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            docs.append(_labelled(json.loads(line)))
        except (ValueError, TypeError, RecursionError) as exc:
            raise ValueError(f"{path}:{number}: not a labelled document: {exc}") from None
    if not docs:
        raise ValueError(f"{path}: no labelled documents (one JSON object a line: id, lang, "
                         "text, topics)")
    return docs


def _labelled(row: object) -> LabelledDoc:
    if not isinstance(row, dict):
        raise ValueError("not a JSON object")
    topics = row.get("topics") or []
    if not isinstance(topics, list) or any(
            isinstance(t, dict) and "topic" not in t for t in topics):
        raise ValueError("topics: a list of topic ids (or of objects with a topic)")
    ids = frozenset(str(t["topic"]) if isinstance(t, dict) else str(t) for t in topics)
    doc_id = row.get("id", row.get("article_id"))
    if doc_id is None:
        raise ValueError("no id (an id, or an export's article_id)")
    lang, title = row.get("lang", row.get("language")), row.get("title")
    text = row.get("text")
    if not isinstance(text, str):
        raise ValueError("no text (an export needs --text, its default)")
    return LabelledDoc(str(doc_id), str(lang) if lang else None, text, ids,
                       str(row.get("dataset", "")), str(title) if title else None)


def check_topics(tagger: Tagger, docs: Iterable[LabelledDoc]) -> None:
    """Raise ValueError naming the first document labelled with a topic the taxonomy does
    not have (a typo would otherwise count as a label no tagger can give)."""
    known = {t.id for t in tagger.taxonomy.topics.topics}
    for doc in docs:
        unknown = doc.topics - known
        if unknown:
            raise ValueError(f"{doc.id}: unknown topic {sorted(unknown)[0]!r} "
                             f"(known: {', '.join(sorted(known))})")


@dataclass(frozen=True, slots=True)
class TopicFree:
    """The documents labelled with no topic, and how many of them the tagger tagged."""

    documents: int
    tagged: int

    @property
    def per_1000(self) -> float:
        return 1000 * self.tagged / self.documents if self.documents else 0.0


def topic_free(result: Evaluation, docs: Iterable[LabelledDoc]) -> TopicFree:
    """How often a document without any topic got one: a false tag there is what a
    reader of an alert notices first, and micro-precision hides it behind the tags of
    on-topic documents."""
    free = [d for d in docs if not d.topics]
    return TopicFree(len(free), sum(1 for d in free if result.predicted.get(d.id)))


def evaluate(tagger: Tagger, docs: Iterable[LabelledDoc],
             topics: Sequence[str] | None = None) -> Evaluation:
    """Compare the tagger's topics with the labels, per topic and micro-averaged."""
    ids = list(topics or [t.id for t in tagger.taxonomy.topics.topics])
    result = Evaluation({t: TopicScore() for t in ids})
    for doc in docs:
        scores = tagger.scores(doc.text, doc.lang, doc.title)
        predicted = frozenset(t.topic for t in tagger.tag(doc.text, doc.lang, doc.title).topics
                              ) & set(ids)
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
