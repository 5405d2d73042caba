"""Story pairs labelled by reading, their fixed split, and the pair precision and recall
of newsmon's story assignment.

``bench/labels/story-pairs.jsonl`` holds 474 pairs of documents of the shared corpora
(10kGNAD, the article-extraction benchmark, fundus), each read and labelled
``same_story`` (one real-world event, follow-ups within days included) or not, with a
one-line why. The pairs were drawn before any story rule was written, from every pair of
the 1,384 documents by the cosine of their rare words (document frequency 2..40): all 234
pairs above 0.2, 160 of the 1,072 between 0.1 and 0.2 and 80 between 0.05 and 0.1, so
the labelled set over-represents look-alike pairs (the hard ones) and its recall counts
only same-event pairs that share some wording. The split (``story-pairs-split.tsv``) is
stratified by stratum and label and fixed by a seed: the threshold and weights are chosen
on ``tune``; figures are reported on ``heldout``.

Documents newsmon would reject as ``too_short`` (fewer than 40 words: 23 of the pool, most
of them 10kGNAD rows whose text was withdrawn) are not articles, so pairs with one of
them are left out of the figures and counted. The measurement puts every other document
of the pool through the tagger and
:class:`newsmon.stories.StoryIndex` in one window, in a seeded order (the corpora carry
no common clock); a pair is predicted same-story when both end in one story. One window
of 1,370 documents from years apart is harder than a real one: the rarity weights see
more unrelated names, and more stories are open to join.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from evaluation import LABELS, SHARED, labelled
from evaluation.labelled import (
    _aeb_bodies,
    _fundus_pages,
    _gnad_rows,
    corpus_text,
)
from extractors.quality import word_count
from newsmon.core.settings import Settings
from newsmon.stories import StoryIndex, story_terms
from newsmon.tagging import Tagger

PAIRS = LABELS / "story-pairs.jsonl"
SPLIT = LABELS / "story-pairs-split.tsv"
SEED = 20261202
PARTS = ("tune", "heldout")


@dataclass(frozen=True, slots=True)
class Pair:
    pair: str
    a: str
    b: str
    stratum: str
    same_story: bool


@dataclass(frozen=True, slots=True)
class PairScores:
    pairs: int
    positives: int
    true_pos: int
    false_pos: int

    @property
    def precision(self) -> float:
        found = self.true_pos + self.false_pos
        return self.true_pos / found if found else 1.0

    @property
    def recall(self) -> float:
        return self.true_pos / self.positives if self.positives else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def read_pairs(path: Path = PAIRS) -> list[Pair]:
    with path.open(encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    return [Pair(r["pair"], r["a"], r["b"], r["stratum"], bool(r["same_story"])) for r in rows]


def _rank(key: str) -> str:
    return hashlib.sha256(f"{SEED}:{key}".encode()).hexdigest()


def make_split(pairs: Iterable[Pair]) -> dict[str, str]:
    """Deal pairs alternately to tuning and held-out inside each (stratum, label) group."""
    groups: dict[tuple[str, bool], list[Pair]] = defaultdict(list)
    for p in pairs:
        groups[(p.stratum, p.same_story)].append(p)
    parts: dict[str, str] = {}
    for key in sorted(groups):
        for i, p in enumerate(sorted(groups[key], key=lambda p: _rank(p.pair))):
            parts[p.pair] = PARTS[i % 2]
    return parts


def read_split(path: Path = SPLIT) -> dict[str, str]:
    return labelled.read_split(path)


def write_split(parts: dict[str, str], path: Path = SPLIT) -> None:
    labelled.write_split(parts, path)


#: newsmon's default ``min_words``: shorter documents are not articles.
MIN_WORDS: int = Settings.model_fields["min_words"].default


def pool_ids(shared: Path = SHARED) -> list[str]:
    """Every document the pairs were drawn from that newsmon would take as an article,
    in a seeded order."""
    ids = ([f"gnad-{i}" for i in range(len(_gnad_rows(shared)))]
           + sorted(_aeb_bodies(shared)) + sorted(_fundus_pages(shared)))
    return sorted((i for i in ids if word_count(corpus_text(i, shared)) >= MIN_WORDS),
                  key=_rank)


def pool_terms(tagger: Tagger, shared: Path = SHARED) -> dict[str, tuple[str, ...]]:
    """Each pool document's story terms, as the workers would compute them (the first
    line of the text stands in for the headline the corpora do not separate)."""
    terms = {}
    for doc_id in pool_ids(shared):
        text = corpus_text(doc_id, shared)
        title, _, body = text.partition("\n")
        if len(title) > 300 or not body:
            title, body = "", text
        language = "de" if doc_id.startswith("gnad-") else None
        tags = tagger.tag(text, language, title or None)
        terms[doc_id] = story_terms(body, title or None, tags)
    return terms


def assign(terms: dict[str, tuple[str, ...]], threshold: float) -> dict[str, int]:
    """Story of every pool document, all in one window, in the pool's order."""
    index = StoryIndex(threshold, window_hours=72)
    at = datetime(2026, 1, 1)
    ids = {doc_id: n for n, doc_id in enumerate(terms, 1)}
    return {doc_id: index.assign(ids[doc_id], ids[doc_id], at, doc_terms)
            for doc_id, doc_terms in terms.items()}


def score(pairs: Iterable[Pair], story: dict[str, int]) -> PairScores:
    """Pair figures over the pairs whose documents are both articles."""
    pairs = [p for p in pairs if p.a in story and p.b in story]
    same = [story[p.a] == story[p.b] for p in pairs]
    return PairScores(
        pairs=len(pairs),
        positives=sum(p.same_story for p in pairs),
        true_pos=sum(s and p.same_story for s, p in zip(same, pairs, strict=True)),
        false_pos=sum(s and not p.same_story for s, p in zip(same, pairs, strict=True)),
    )


def split_pairs() -> tuple[list[Pair], list[Pair]]:
    parts = read_split()
    pairs = read_pairs()
    missing = [p.pair for p in pairs if p.pair not in parts]
    if missing:
        raise ValueError(f"{SPLIT}: {len(missing)} labelled pairs are not split "
                         f"(first: {missing[0]})")
    return ([p for p in pairs if parts[p.pair] == "tune"],
            [p for p in pairs if parts[p.pair] == "heldout"])
