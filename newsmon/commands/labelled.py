"""Labelled documents at the command line: given the pipeline's language, scored against
the tagger in use (``newsmon topics evaluate``), and a tag's evidence as lines to read
(``newsmon topics tag``)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from extractors.language import detect_language
from newsmon.commands.render import render
from newsmon.core.records import Evidence
from newsmon.tagging.evaluate import Evaluation, LabelledDoc, TopicScore, topic_free


def scores_of(version: str, docs: list[LabelledDoc], result: Evaluation, *, misses: bool
              ) -> dict[str, Any]:
    """The figures of an evaluation as plain data (what ``--json`` prints). A topic's
    precision is null where it gave no tag, its recall where no document has it."""
    def figures(s: TopicScore) -> dict[str, Any]:
        return {"precision": round(s.precision, 4) if s.tp + s.fp else None,
                "recall": round(s.recall, 4) if s.tp + s.fn else None,
                "f1": round(s.f1, 4) if s.tp + s.fp and s.tp + s.fn else None,
                "tp": s.tp, "fp": s.fp, "fn": s.fn}

    free = topic_free(result, docs)
    data: dict[str, Any] = {
        "taxonomy": version, "documents": len(docs),
        "labels": sum(len(d.topics) for d in docs),
        "topics": {topic: figures(s) for topic, s in result.per_topic.items()},
        "micro": figures(result.micro),
        "topic_free": {"documents": free.documents, "tagged": free.tagged,
                       "per_1000": round(free.per_1000, 1)}}
    if misses:
        data["misses"] = [{"id": m.doc_id, "topic": m.topic, "kind": m.kind,
                           "score": round(m.score, 4)} for m in result.misses]
    return data


def scores_lines(figures: dict[str, Any]) -> list[str]:
    """The figures for a reader: a line of totals, a table per topic, the topic-free rate."""
    def shown(value: float | None) -> str:
        return "-" if value is None else f"{value:.3f}"

    rows = [(topic, shown(f["precision"]), shown(f["recall"]), shown(f["f1"]), f["tp"],
             f["fp"], f["fn"])
            for topic, f in [*figures["topics"].items(), ("all topics", figures["micro"])]]
    free = figures["topic_free"]
    lines = [f"taxonomy {figures['taxonomy']}: {figures['documents']} documents, "
             f"{figures['labels']} labels",
             render(["topic", "precision", "recall", "F1", "tp", "fp", "fn"], rows,
                    "table").rstrip("\n"),
             f"documents with no topic given one: {free['tagged']} of {free['documents']} "
             f"({free['per_1000']:.1f} per 1,000)"]
    lines += [f"{m['kind']:<6} {m['id']}  {m['topic']}  (score {m['score']:.2f})"
              for m in figures.get("misses", [])]
    return lines


def evidence_lines(evidence: tuple[Evidence, ...]) -> list[str]:
    return [f"  {e.term!r} matched {e.text!r} in the {e.field} at {e.start}-{e.end} "
            f"(weight {e.weight:g})" for e in evidence]


def language_of(text: str) -> str | None:
    """The language the pipeline would give an article with this text (it reads the
    text, not the title)."""
    return detect_language(text)


def with_languages(docs: list[LabelledDoc]) -> list[LabelledDoc]:
    """The documents, each without a language given the one the pipeline detects."""
    return [doc if doc.lang else replace(doc, lang=language_of(doc.text))
            for doc in docs]
