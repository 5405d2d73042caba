"""What a topic's evidence looks like in one article, as numbers a scorer can weigh.

A word count alone cannot tell "an article about sanctions" from "an article that
mentions sanctions": the spec's test is where and how much ("a paragraph's worth, or a
clear statement in the lead"). So the features describe the evidence, per topic:

* ``rule``: the taxonomy's own weighted score over its threshold (what the rules say);
* ``anchor``: how much topic-defining evidence there is. *Anchors* are the groups without
  a ``cap`` and the pairs (a term that names the subject: Sanktionen, arms deal);
  *support* is a capped group (Ukraine, Soldaten, UN resolution): context that can back a
  topic up but never carry it, so an article without an anchor never gets the topic;
* ``support`` and ``negative``: the capped context, and the sense-guards that count
  against (sport for "sanctions", hunting for "weapons");
* ``anchor_lead``: an anchor in the title or the lead;
* ``anchor_paragraphs`` and ``anchor_share``: in how many of the article's paragraphs
  anchors sit, absolute and as a share (a subject spans paragraphs; a passing mention
  sits in one);
* ``anchor_terms``: distinct anchor terms (one word repeated is weaker than several);
* ``density``: anchor hits per hundred words (a long article with one mention is not
  about it);
* ``related``: how much evidence the taxonomy's *other* topics find in the same article
  (each one's rule score over its threshold, capped at 4, summed, then log1p). The
  default topics are neighbours: a story about an arms deal usually also speaks of
  sanctions or diplomacy, while "Summit" in a product review or "food" on a health page
  stands alone. Cross-validated on the tuning documents it cut false tags on topic-free
  documents by a third at the same precision target. A user topic far from the others
  gets ~0 here and leans on its own evidence and bias (``newsmon topics fit``).
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from newsmon.tagging.hits import Hit

FEATURES: tuple[str, ...] = (
    "rule", "anchor", "support", "negative", "anchor_lead", "anchor_paragraphs",
    "anchor_share", "anchor_terms", "density", "related",
)
#: A neighbouring topic adds at most this many thresholds' worth to ``related`` (one
#: topic's long article should not count as many neighbours).
RELATED_CAP = 4.0
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n|\n(?=\s*\S)")


#: A text without paragraph breaks (a wire story on one line) is read in windows of
#: about this many words, cut at sentence ends, so "in how many paragraphs" still means
#: something.
WINDOW_WORDS = 80
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”“»«]?\s+")


@dataclass(frozen=True, slots=True)
class Layout:
    """Where the paragraphs of a text start, and how many words it has."""

    starts: tuple[int, ...]
    words: int

    @classmethod
    def of(cls, text: str) -> Layout:
        starts = [0] + [m.end() for m in _PARAGRAPH_BREAK.finditer(text)]
        words = max(1, len(text.split()))
        if len(starts) == 1 and words > 2 * WINDOW_WORDS:
            starts = _windows(text)
        return cls(tuple(starts), words)

    def paragraph(self, offset: int) -> int:
        """The paragraph an offset falls in; title hits (negative offsets) are ``-1``."""
        return -1 if offset < 0 else bisect_right(self.starts, offset) - 1


def _windows(text: str) -> list[int]:
    """Starts of windows of about WINDOW_WORDS words, each starting at a sentence."""
    starts, words = [0], 0
    position = 0
    for match in _SENTENCE_END.finditer(text):
        words += len(text[position : match.start()].split())
        position = match.end()
        if words >= WINDOW_WORDS:
            starts.append(position)
            words = 0
    return starts


@dataclass(frozen=True, slots=True)
class Counted:
    """One counted hit: its decayed weight and the role of the group it belongs to."""

    hit: Hit
    weight: float  # after lead boost and repeat decay
    role: str  # "anchor" | "support" | "negative"


def related_evidence(rule_ratios: Sequence[float]) -> float:
    """What the other topics' rule scores (each over its threshold) add to ``related``."""
    return sum(min(max(ratio, 0.0), RELATED_CAP) for ratio in rule_ratios)


def topic_features(counted: Sequence[Counted], totals: dict[str, float], rule_score: float,
                   threshold: float, layout: Layout, lead_chars: int,
                   related: float) -> dict[str, float]:
    """The feature vector of one topic in one article (see the module doc).

    ``totals`` is what each role adds to the rule score after caps; ``related`` is
    :func:`related_evidence` over the article's other topics.
    """
    anchors = [c for c in counted if c.role == "anchor"]
    anchor = totals.get("anchor", 0.0)
    support = totals.get("support", 0.0)
    negative = totals.get("negative", 0.0)
    paragraphs = {layout.paragraph(c.hit.start) for c in anchors} - {-1}
    return {
        "rule": min(rule_score / threshold, 4.0),
        "anchor": math.log1p(max(anchor, 0.0) / threshold),
        "support": max(support, 0.0) / threshold,
        "negative": min(negative, 0.0) / threshold,
        "anchor_lead": float(any(c.hit.start < lead_chars for c in anchors)),
        "anchor_paragraphs": math.log1p(len(paragraphs)),
        "anchor_share": len(paragraphs) / len(layout.starts),
        "anchor_terms": math.log1p(len({c.hit.pattern.core for c in anchors})),
        "density": min(100.0 * len(anchors) / layout.words, 5.0),
        "related": math.log1p(related),
    }
