"""Cut an article's text into plain and highlighted runs from its tags' evidence.

Evidence spans (``start``/``end`` character offsets into the stored title or text, see
``article_topics.evidence``) may overlap when two topics matched the same words; the
text is cut at every span edge, and each run carries the topics and terms covering it,
so the page can show which tag each highlighted word supports.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any


@dataclass(frozen=True, slots=True)
class Run:
    """A stretch of text; ``topics`` is empty for plain text."""

    text: str
    topics: tuple[str, ...] = ()
    terms: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    topic: str
    term: str


def evidence_spans(
    evidence_by_topic: Mapping[str, Sequence[Mapping[str, Any]]], field: str, length: int
) -> list[Span]:
    """The spans of one field (``text`` or ``title``) that fall inside it: offsets from an
    older text version, or malformed ones, are dropped rather than highlight the wrong words."""
    spans: list[Span] = []
    for topic, matches in evidence_by_topic.items():
        for m in matches:
            if m.get("field", "text") != field:
                continue
            start, end = m.get("start"), m.get("end")
            if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= length:
                spans.append(Span(start, end, topic, str(m.get("term", ""))))
    return spans


def runs(text: str, spans: Iterable[Span]) -> list[Run]:
    """``text`` cut into runs at every span edge; adjacent plain text is one run."""
    spans = list(spans)
    if not spans:
        return [Run(text)] if text else []
    cuts = sorted({0, len(text), *(s.start for s in spans), *(s.end for s in spans)})
    out: list[Run] = []
    for a, b in pairwise(cuts):
        covering = [s for s in spans if s.start <= a and b <= s.end]
        topics = tuple(sorted({s.topic for s in covering}))
        terms = tuple(sorted({s.term for s in covering}))
        if out and not topics and not out[-1].topics:
            out[-1] = Run(out[-1].text + text[a:b])
        else:
            out.append(Run(text[a:b], topics, terms))
    return out
