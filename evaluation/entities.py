"""Tracked-entity precision: are the entity tags newsmon stores about the entity?

An entity tag is right when the words behind it name the tracked entity (Washington the
US capital or government, not Washington State or the Washington Post). Precision is
measured on samples of entity tags drawn at random from the shared corpora and judged by
reading each mention in context (``bench/labels/entity-tags.jsonl``: document id,
entity, the words matched, the verdict and a one-line ``why``; no corpus text).

* ``first``: 100 tags drawn before the alias exclusions existed. Its wrong tags are what
  the exclusions in ``newsmon/defaults/entities.toml`` were written from, so the current
  tagger's precision on it is a tuned figure.
* ``second``: 100 tags drawn with the tagger after those fixes, from documents the first
  sample did not touch, and judged after it was frozen: the out-of-sample figure.

:func:`draw` makes a sample (seeded; at most one tag per document, so one long article
does not fill it); :func:`precision` scores a judged sample against a tagger, counting
a judged tag the tagger no longer produces as dropped, not as right or wrong.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from evaluation import LABELS, SHARED
from evaluation.labelled import _aeb_bodies, _fundus_pages, _gnad_rows, fundus_text
from newsmon.tagging import Tagger

JUDGED = LABELS / "entity-tags.jsonl"
CONTEXT_CHARS = 160
MAX_CONTEXTS = 3


@dataclass(frozen=True, slots=True)
class Judged:
    doc: str
    entity: str
    correct: bool
    sample: str


@dataclass(frozen=True, slots=True)
class Precision:
    kept: int  # judged tags the tagger still produces
    correct: int  # of those kept, judged right
    dropped_right: int
    dropped_wrong: int

    @property
    def value(self) -> float:
        return self.correct / self.kept if self.kept else 0.0


def pool(shared: Path = SHARED) -> Iterator[tuple[str, str | None, str]]:
    """(document id, language, text) of every shared-corpus document entity tags are
    drawn from: all 10kGNAD rows, fundus's expected texts, the extraction benchmark's
    bodies."""
    for i, (_, text) in enumerate(_gnad_rows(shared)):
        yield f"gnad-{i}", "de", text
    for doc_id, page in sorted(_fundus_pages(shared).items()):
        yield doc_id, None, fundus_text(shared, page)
    for doc_id, body in sorted(_aeb_bodies(shared).items()):
        yield doc_id, "en", body


def draw(tagger: Tagger, n: int, seed: int, skip_docs: Iterable[str] = (),
         shared: Path = SHARED) -> list[dict[str, object]]:
    """``n`` entity tags at random, at most one per document, with the mentions behind
    each (matched words and their contexts) for a reader to judge."""
    skip = set(skip_docs)
    candidates = []
    for doc_id, lang, text in pool(shared):
        if doc_id in skip:
            continue
        mentions: dict[str, list[tuple[int, int]]] = {}
        for entity, start, end in tagger.entity_mentions(text, lang):
            mentions.setdefault(entity, []).append((start, end))
        if mentions:
            candidates.append((doc_id, text, mentions))
    rng = random.Random(seed)
    rng.shuffle(candidates)
    names = {e.id: e for e in tagger.taxonomy.entities.entities}
    rows: list[dict[str, object]] = []
    for doc_id, text, mentions in candidates[:n]:
        entity = rng.choice(sorted(mentions))
        spans = mentions[entity]
        rows.append({
            "doc": doc_id, "entity": entity, "entity_name": names[entity].name,
            "kind": names[entity].kind,
            "matched": sorted({text[s:e] for s, e in spans}),
            "contexts": [text[max(0, s - CONTEXT_CHARS):e + CONTEXT_CHARS]
                         for s, e in spans[:MAX_CONTEXTS]],
        })
    return rows


def read_judged(path: Path = JUDGED) -> list[Judged]:
    with path.open(encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    return [Judged(r["doc"], r["entity"], bool(r["correct"]), r["sample"]) for r in rows]


def precision(tagger: Tagger, judged: list[Judged], shared: Path = SHARED) -> Precision:
    """How many judged tags the tagger still produces, and how many of those are right."""
    wanted = {j.doc for j in judged}
    produced = {doc_id: {entity for entity, _, _ in tagger.entity_mentions(text, lang)}
                for doc_id, lang, text in pool(shared) if doc_id in wanted}
    kept = [j for j in judged if j.entity in produced.get(j.doc, set())]
    dropped = [j for j in judged if j.entity not in produced.get(j.doc, set())]
    return Precision(len(kept), sum(j.correct for j in kept),
                     sum(j.correct for j in dropped), sum(not j.correct for j in dropped))
