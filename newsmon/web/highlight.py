"""Cut an article's text into plain and highlighted runs from its tags' evidence.

Evidence spans (``start``/``end`` character offsets into the stored title or text, see
``article_topics.evidence`` and ``article_entities.evidence``) may overlap when two topics
matched the same words, or a topic's term holds an entity's name; the text is cut at every
span edge, and each run carries the topics and terms, and the entities and aliases,
covering it, so the page can show which tag each highlighted word supports.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any


@dataclass(frozen=True, slots=True)
class Run:
    """A stretch of text; ``topics`` and ``entities`` are empty for plain text."""

    text: str
    topics: tuple[str, ...] = ()
    terms: tuple[str, ...] = ()
    entities: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()

    @property
    def plain(self) -> bool:
        return not self.topics and not self.entities


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    tag: str  # a topic's key, or an entity's
    term: str  # the taxonomy term, or the entity's alias, that matched
    entity: bool = False


def evidence_spans(
    evidence_by_tag: Mapping[str, Sequence[Mapping[str, Any]]], field: str, length: int,
    *, entity: bool = False,
) -> list[Span]:
    """The spans of one field (``text`` or ``title``) that fall inside it: offsets from an
    older text version, or malformed ones, are dropped rather than highlight the wrong words.
    ``entity`` says the tags are entities (their terms are aliases)."""
    spans: list[Span] = []
    for tag, matches in evidence_by_tag.items():
        for m in matches:
            if not isinstance(m, Mapping) or m.get("field", "text") != field:
                continue
            start, end = m.get("start"), m.get("end")
            if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= length:
                spans.append(Span(start, end, tag, str(m.get("term", "")), entity))
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
        run = Run(text[a:b], *_tags(s for s in covering if not s.entity),
                  *_tags(s for s in covering if s.entity))
        if out and run.plain and out[-1].plain:
            out[-1] = Run(out[-1].text + run.text)
        else:
            out.append(run)
    return out


def _tags(spans: Iterable[Span]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The distinct tags and terms of ``spans``, each sorted."""
    spans = list(spans)
    return tuple(sorted({s.tag for s in spans})), tuple(sorted({s.term for s in spans}))
