"""The tagger on texts far longer than news: the same pairs as comparing every term with
every other, found without doing so."""

from __future__ import annotations

import random

from newsmon.tagging import load_tagger
from newsmon.tagging.features import Layout
from newsmon.tagging.hits import Hit, Pattern
from newsmon.tagging.tagger import Tagger, _outside, _resolve_overlaps

SENTENCES = [
    "Russland hat Nordkorea Waffen geliefert, sagen Beamte in Seoul.",
    "Die Raketen wurden im Sommer gekauft.",
    "Kim Jong Un traf Wladimir Putin in Wostotschny zu einem Gipfel.",
    "Die Munition kam per Zug.",
    "Analysten sprechen von einem Waffendeal, der Staatsbesuch dauerte zwei Tage.",
    "Am Abend regnete es in der Hauptstadt.",
]


def _all_against_all(tagger: Tagger, topic: int, hits: list[Hit], layout: Layout) -> list[Hit]:
    """Every a term against every b term: what the pairs were before they were windowed."""
    found = []
    for pair in tagger._pairs.get(topic, ()):
        side_a = [h for h in hits if h.pattern.owner == pair.side_a]
        side_b = [h for h in hits if h.pattern.owner == pair.side_b]
        for a in side_a:
            near = [b for b in side_b if not a.overlaps(b)
                    and max(b.start - a.end, a.start - b.end) <= pair.rule.within
                    and layout.paragraph(a.start) == layout.paragraph(b.start)]
            if near:
                b = min(near, key=lambda h: max(h.start - a.end, a.start - h.end))
                found.append(Hit(Pattern(f"{a.pattern.term} ~ {b.pattern.term}",
                                         f"~{pair.owner}", False, False, a.pattern.lang,
                                         pair.owner, pair.rule.weight),
                                 min(a.start, b.start), max(a.end, b.end),
                                 ((a.start, a.end), (b.start, b.end))))
    return found


def test_pairs_on_a_long_text_are_those_every_term_against_every_other_finds() -> None:
    """A 100 KB text held every pair's terms against each other, and every hit against
    every exclusion (4 s to tag it, 70 s at 400 KB, hours for a 9 MB file under the 10 MB
    limit); each term now looks at those within reach only and words are marked as they
    are taken: the same pairs, the same hits kept, the same evidence (a title's words, at
    offsets before the text's, too)."""
    rng = random.Random(3)
    paragraphs = [" ".join(rng.choice(SENTENCES) for _ in range(rng.randint(1, 6)))
                  for _ in range(400)]
    text = "\n\n".join(paragraphs)
    tagger = load_tagger()
    topic_hits, exclusions, _ = tagger._hits(text, "de", "Waffen an Russland geliefert")
    layout = Layout.of(text)
    compared = 0
    for topic, hits in topic_hits.items():
        windowed = tagger._pair_hits(topic, hits, layout)
        assert windowed == _all_against_all(tagger, topic, hits, layout)
        compared += len(windowed)
        assert _resolve_overlaps(hits + windowed) == _heaviest_first(hits + windowed)
        excluded = exclusions.get(topic, []) + hits[::7]
        assert _outside(hits, excluded) == [
            h for h in hits if not any(h.overlaps(x) for x in excluded)]
    assert compared > 500  # the text holds pairs of several topics
    assert any(h.start < 0 for hits in topic_hits.values() for h in hits)  # the title's


def _heaviest_first(hits: list[Hit]) -> list[Hit]:
    """Each hit against those kept before it: what resolving overlaps was before."""
    kept: list[Hit] = []
    for hit in sorted(hits, key=lambda h: (-abs(h.pattern.weight), h.start - h.end, h.start)):
        if not any(hit.overlaps(k) for k in kept):
            kept.append(hit)
    return sorted(kept, key=lambda h: h.start)
