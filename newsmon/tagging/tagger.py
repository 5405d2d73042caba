"""Scoring topics and counting entities: weighted terms, exclusions, a threshold.

In the spirit of the Europe Media Monitor's category rules: each topic is a list of
weighted terms in several languages, and an article carries the topic when the terms it
contains add up to the topic's threshold. That is what keeps "a word in passing" from
tagging an article: one mention of "Sanktionen" scores its weight once, a paragraph
about sanctions scores it several times over, with help from related terms.

* Repeats count less and less (the k-th occurrence of one term adds weight/k), so a
  topic needs several occurrences or several different terms, not one word repeated.
* Terms in the lead (the first ``lead_chars`` characters) count ``lead_boost`` times:
  a clear statement at the top makes the subject.
* Exclusion terms cancel any hit of the topic that they overlap, e.g. a compound term
  that would otherwise fire inside "Silvesterrakete".
* Negative weights count against the topic (context that signals a different sense).
* A group's ``cap`` bounds what its terms add together, so supporting words (Ukraine,
  Kiew, Soldaten) back a topic up but cannot carry it without a defining term.
* A brief (fewer than ``brief_words`` words) is all lead: its topics need proportionally
  less of their threshold, so the one statement a three-sentence wire item makes is read
  as its subject (the scorer still decides).

A :class:`Tagger` pickles as its taxonomy content and is rebuilt (once per process,
cached by version) on the other side, so extraction workers can tag cheaply.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsmon.core.config import Config, load_config
from newsmon.core.errors import ConfigError
from newsmon.core.records import EntityTag, Evidence, Tags, TopicTag
from newsmon.core.settings import Settings
from newsmon.tagging.features import Counted, Layout, related_evidence, topic_features
from newsmon.tagging.hits import Hit, Pattern
from newsmon.tagging.matcher import Matcher, compile_term
from newsmon.tagging.taxonomy import Taxonomy, TermPair, load_taxonomy, version_of
from newsmon.tagging.words import feature_names, read_text, word_features

#: Evidence kept per topic tag (the score counts every hit).
MAX_EVIDENCE = 40
#: Words shown as the word model's evidence for a topic it added.
WORD_EVIDENCE = 5
#: Title hits sit at negative positions this far before the text: in the lead (boosted),
#: never overlapping the text, never paired with it.
_TITLE_GAP = 2000


def _floor(probability: float) -> float:
    """Rounded down: a probability just under a cutoff never prints as reaching it."""
    return math.floor(probability * 1e4) / 1e4


def _separate_title(title: str | None, text: str) -> str | None:
    """The title, unless the text already starts with it (plain-text files often do)."""
    if not title or not title.strip():
        return None
    head = " ".join(text[: len(title) + 300].split())
    return None if " ".join(title.split()) in head else title


@dataclass(frozen=True, slots=True)
class _Owner:
    kind: str  # "topic" | "exclude" | "entity" | "entity_exclude" | "pair_a" | "pair_b" | "pair"
    index: int  # the topic's (or entity's) index
    cap: float | None = None
    anchor: bool = False  # its terms define the topic (see TermGroup.role)


@dataclass(frozen=True, slots=True)
class _Pair:
    rule: TermPair
    side_a: int  # owner of the a terms
    side_b: int
    owner: int  # owner the pair's own hits count under (for its cap)


@dataclass(frozen=True, slots=True)
class _TopicEvidence:
    score: float
    distinct: int  # distinct positive terms
    hits: list[Hit]
    counted: tuple[Counted, ...]
    totals: dict[str, float]  # what each role adds after caps


_NO_EVIDENCE = _TopicEvidence(0.0, 0, [], (), {})


class _Marks:
    """Characters marked as taken, for spans within ``[low, high)`` (a title's words sit
    at negative offsets, before the text's): checking or marking a span costs what it is
    long, however many spans a long text has (spans kept in a sorted list cost a shift of
    the list per insert, and each against each is quadratic)."""

    def __init__(self, hits: Sequence[Hit]) -> None:
        spans = [span for h in hits for span in h.spans()]
        self.low = min((s for s, _ in spans), default=0)
        self.taken = bytearray(max((e for _, e in spans), default=0) - self.low)

    def any_taken(self, hit: Hit) -> bool:
        low = self.low
        return any(1 in self.taken[max(s - low, 0):max(e - low, 0)] for s, e in hit.spans())

    def take(self, hit: Hit) -> None:
        low = self.low
        for s, e in hit.spans():
            self.taken[s - low:e - low] = b"\x01" * (e - s)


def _outside(hits: list[Hit], excluded: list[Hit]) -> list[Hit]:
    """The hits that overlap none of ``excluded``."""
    marks = _Marks(excluded)
    for x in excluded:
        marks.take(x)
    return [h for h in hits if not marks.any_taken(h)]


def _resolve_overlaps(hits: Sequence[Hit]) -> list[Hit]:
    """Where hits overlap, keep the heaviest (then the longest): one word counts once."""
    ranked = sorted(hits, key=lambda h: (-abs(h.pattern.weight), h.start - h.end, h.start))
    kept: list[Hit] = []
    marks = _Marks(hits)
    for hit in ranked:
        if not marks.any_taken(hit):
            kept.append(hit)
            marks.take(hit)
    kept.sort(key=lambda h: h.start)
    return kept


@dataclass(frozen=True, slots=True)
class HeldBack:
    """A topic whose rules pass in an article but whose scorer probability is under the
    cutoff: not a tag, but the first place to look for what the tagger misses (the
    cutoff gives up recall to keep precision), with the evidence the rules found.

    ``by`` says which model declined: ``"scorer"`` (``probability`` is the scorer's,
    under its cutoff) or ``"words"`` (the word model's, under its ``drop``: the scorer
    would have tagged)."""

    topic: str
    probability: float
    evidence: tuple[Evidence, ...]
    by: str = "scorer"


class Tagger:
    """Tags texts with one taxonomy's topics and entities."""

    def __init__(self, taxonomy: Taxonomy) -> None:
        self.taxonomy = taxonomy
        self.version = taxonomy.version
        self.scorer = taxonomy.scorer
        self.words = taxonomy.words
        self._owners: list[_Owner] = []
        self._pairs: dict[int, list[_Pair]] = defaultdict(list)
        patterns: list[Pattern] = []
        languages: set[str] = set()

        def add(kind: str, index: int, by_language: dict[str, list[str]], weight: float,
                cap: float | None = None, anchor: bool = False, proper: bool = False) -> int:
            owner = len(self._owners)
            self._owners.append(_Owner(kind, index, cap, anchor))
            for lang, terms in by_language.items():
                languages.add(lang)
                for term in terms:
                    patterns.extend(compile_term(term, lang=lang, owner=owner, weight=weight,
                                                 proper=proper))
            return owner

        for i, topic in enumerate(taxonomy.topics.topics):
            for group in topic.terms:
                add("topic", i, group.by_language(), group.weight, group.cap,
                    group.anchors and group.weight > 0)
            add("exclude", i, topic.exclude.by_language(), 0.0)
            for rule in topic.pairs:
                side_a = add("pair_a", i, rule.a.by_language(), 0.0)
                side_b = add("pair_b", i, rule.b.by_language(), 0.0)
                own = add("pair", i, {}, rule.weight, rule.cap, anchor=True)
                self._pairs[i].append(_Pair(rule, side_a, side_b, own))
        for j, entity in enumerate(taxonomy.entities.entities):
            add("entity", j, {"any": entity.aliases}, 1.0, proper=True)
            if entity.exclude:
                add("entity_exclude", j, {"any": entity.exclude}, 0.0)
        languages.discard("any")
        self.languages = frozenset(languages)
        self.matcher = Matcher(patterns)

    def __reduce__(self) -> tuple[Any, ...]:
        return (tagger_from_content, (self.taxonomy.content,))

    def _hits(self, text: str, language: str | None, title: str | None = None,
              ) -> tuple[dict[int, list[Hit]], dict[int, list[Hit]], list[Hit]]:
        langs = [language] if language in self.languages else None
        topic_hits: dict[int, list[Hit]] = defaultdict(list)
        exclusions: dict[int, list[Hit]] = defaultdict(list)
        entity_hits: list[Hit] = []
        found = self.matcher.find(text, langs)
        if title:
            shift = len(title) + _TITLE_GAP
            found = [
                Hit(h.pattern, h.start - shift, h.end - shift,
                    tuple((s - shift, e - shift) for s, e in h.parts))
                for h in self.matcher.find(title, langs)
            ] + found
        for hit in found:
            owner = self._owners[hit.pattern.owner]
            if owner.kind in ("topic", "pair_a", "pair_b"):
                topic_hits[owner.index].append(hit)
            elif owner.kind == "exclude":
                exclusions[owner.index].append(hit)
            else:
                entity_hits.append(hit)
        return topic_hits, exclusions, self._without_excluded_names(entity_hits)

    def _without_excluded_names(self, hits: list[Hit]) -> list[Hit]:
        """Entity hits, less those inside a name the entity excludes (Washington Post)."""
        excluded = [h for h in hits if self._owners[h.pattern.owner].kind == "entity_exclude"]
        kept = [h for h in hits if self._owners[h.pattern.owner].kind == "entity"]
        if not excluded:
            return kept
        return [h for h in kept if not any(
            h.overlaps(x) and self._owners[x.pattern.owner].index
            == self._owners[h.pattern.owner].index for x in excluded)]

    def tag(self, text: str, language: str | None = None, title: str | None = None) -> Tags:
        """Topics and entities of ``text`` (and its ``title``, which counts as lead).

        ``language`` limits the terms tried. Evidence offsets point into the text, or
        into the title for evidence whose ``field`` is ``"title"``.
        """
        return self.tag_and_held_back(text, language, title)[0]

    def held_back(self, text: str, language: str | None = None, title: str | None = None,
                  ) -> tuple[HeldBack, ...]:
        """The topics :meth:`tag` would give but for the scorer, each with its probability
        (none without a scorer: then the rules alone decide)."""
        return self.tag_and_held_back(text, language, title)[1]

    def tag_and_held_back(self, text: str, language: str | None = None,
                          title: str | None = None) -> tuple[Tags, tuple[HeldBack, ...]]:
        """:meth:`tag` and :meth:`held_back` from one reading of the text.

        The decision: a topic needs a defining (anchor) term, since supporting words alone
        never tag, and its rules' threshold; then, when the taxonomy has a scorer, the
        scorer's probability. The threshold stays a condition so that a scorer fitted on
        long articles cannot read one mention in a short text as dense evidence.

        With a word model, in a language it knows: a topic the rules and scorer gave is
        held back when the article's words make it unlikely (under ``drop``), and a topic
        they did not give is added when its terms found something (a supporting word is
        enough) and the words make it likely (``add`` or more); such a tag's evidence is
        the terms found and the words that weighed most for it (term ``words:FEATURE``).
        """
        title, found, layout, entity_hits = self._read(text, language, title)
        # asked only where it can change something: a topic whose terms found anything
        # (many pages have none; reading their words is most of the model's cost)
        words = self.words
        likely = (words.probabilities(feature_names(read_text(text, title)), language)
                  if words is not None and language in words.languages
                  and any(evidence.score > 0 for evidence in found) else {})
        topics, held = [], []
        for i, topic in enumerate(self.taxonomy.topics.topics):
            p_words = likely.get(topic.id)  # None: the model was not asked
            words_add = (words is not None and p_words is not None
                         and p_words >= words.add and found[i].score > 0)
            passes = self._rules_pass(i, found, layout.words)
            if not passes and not words_add:
                continue
            evidence = tuple(self._evidence(h, text, title)
                             for h in found[i].hits[:MAX_EVIDENCE])
            declined = self._declined(i, found, layout) if passes else None
            if words_add and (not passes or declined is not None):
                # the words make it the subject where the rules or the scorer did not
                topics.append(TopicTag(topic.id, round(found[i].score, 3), evidence
                                       + self._word_evidence(topic.id, text, title)))
            elif declined is not None:
                held.append(HeldBack(topic.id, _floor(declined), evidence))
            elif words is not None and p_words is not None and p_words < words.drop:
                held.append(HeldBack(topic.id, _floor(p_words), evidence, "words"))
            else:
                topics.append(TopicTag(topic.id, round(found[i].score, 3), evidence))
        return (Tags(self.version, tuple(topics), self._entities(entity_hits, text, title)),
                tuple(held))

    def _declined(self, index: int, found: list[_TopicEvidence], layout: Layout
                  ) -> float | None:
        """The scorer's probability when it declines a topic the rules pass, else None."""
        if self.scorer is None:
            return None
        probability = self.scorer.probability(self.taxonomy.topics.topics[index].id,
                                              self._features(index, found, layout))
        return probability if probability < self.scorer.cutoff else None

    def _word_evidence(self, topic: str, text: str, title: str | None
                       ) -> tuple[Evidence, ...]:
        """The words that weighed most for ``topic``, as evidence in the text or title
        (``title`` as tagged: None when the text starts with it)."""
        assert self.words is not None
        shift = len(title) + 1 if title else 0
        words = word_features(read_text(text, title))
        result = []
        for feature, weight in self.words.strongest(topic, words, k=WORD_EVIDENCE):
            if feature.start >= shift:
                start, end = feature.start - shift, feature.end - shift
                result.append(Evidence(f"words:{feature.name}", text[start:end], start, end,
                                       round(weight, 3)))
            elif title and feature.end <= len(title):
                result.append(Evidence(f"words:{feature.name}",
                                       title[feature.start:feature.end], feature.start,
                                       feature.end, round(weight, 3), "title"))
        return tuple(result)

    def _read(self, text: str, language: str | None, title: str | None
              ) -> tuple[str | None, list[_TopicEvidence], Layout, list[Hit]]:
        """The title as tagged, every topic's evidence, the text's layout and the entity
        hits: what deciding, explaining and the scorer's features all start from."""
        title = _separate_title(title, text)
        topic_hits, exclusions, entity_hits = self._hits(text, language, title)
        layout = Layout.of(text)
        return title, self._score_all(topic_hits, exclusions, layout), layout, entity_hits

    def _score_all(self, topic_hits: dict[int, list[Hit]], exclusions: dict[int, list[Hit]],
                   layout: Layout) -> list[_TopicEvidence]:
        return [self._score(i, topic_hits.get(i, []), exclusions.get(i, []), layout)
                for i in range(len(self.taxonomy.topics.topics))]

    def _rules_pass(self, index: int, found: list[_TopicEvidence], words: int) -> bool:
        """An anchor, the threshold and ``min_terms``: what the scorer is then asked about."""
        topic, evidence = self.taxonomy.topics.topics[index], found[index]
        if not evidence.hits or not any(c.role == "anchor" for c in evidence.counted):
            return False
        threshold = topic.threshold * self._brevity(words)
        return evidence.score >= threshold and evidence.distinct >= topic.min_terms

    def _brevity(self, words: int) -> float:
        """The share of its threshold a topic needs in a text of ``words`` words."""
        brief = self.taxonomy.topics.brief_words
        return min(1.0, words / brief) if brief else 1.0

    def _features(self, index: int, found: list[_TopicEvidence], layout: Layout
                  ) -> dict[str, float]:
        topics = self.taxonomy.topics.topics
        related = related_evidence([evidence.score / topics[j].threshold
                                    for j, evidence in enumerate(found) if j != index])
        evidence = found[index]
        return topic_features(evidence.counted, evidence.totals, evidence.score,
                              topics[index].threshold, layout,
                              self.taxonomy.topics.lead_chars, related)

    def features(self, text: str, language: str | None = None, title: str | None = None,
                 *, decided: bool = False) -> dict[str, dict[str, float]]:
        """Feature vectors of the topics with an anchor in this text; with ``decided``,
        only of those that also pass their rules, the ones the scorer decides (and so
        the ones ``newsmon topics fit`` learns from)."""
        _, found, layout, _ = self._read(text, language, title)
        return {topic.id: self._features(i, found, layout)
                for i, topic in enumerate(self.taxonomy.topics.topics)
                if (self._rules_pass(i, found, layout.words) if decided
                    else any(c.role == "anchor" for c in found[i].counted))}

    @staticmethod
    def _evidence(hit: Hit, text: str, title: str | None) -> Evidence:
        if hit.start >= 0 or not title:
            return Evidence(hit.pattern.term, text[hit.start : hit.end], hit.start, hit.end,
                            hit.pattern.weight)
        shift = len(title) + _TITLE_GAP
        start, end = hit.start + shift, hit.end + shift
        return Evidence(hit.pattern.term, title[start:end], start, end, hit.pattern.weight,
                        "title")

    def scores(self, text: str, language: str | None = None,
               title: str | None = None) -> dict[str, float]:
        """Every topic's score, also below its threshold: for tuning and for the benchmark."""
        topic_hits, exclusions, _ = self._hits(text, language, _separate_title(title, text))
        found = self._score_all(topic_hits, exclusions, Layout.of(text))
        return {topic.id: round(found[i].score, 3)
                for i, topic in enumerate(self.taxonomy.topics.topics)}

    def _pair_hits(self, topic: int, hits: list[Hit], layout: Layout) -> list[Hit]:
        """Hits of the topic's pairs: an ``a`` term with a ``b`` term near it, in the same
        paragraph (a leader ending one paragraph and a visit starting the next are not
        one statement)."""
        found: list[Hit] = []
        for pair in self._pairs.get(topic, ()):
            side_a = [h for h in hits if h.pattern.owner == pair.side_a]
            side_b = [h for h in hits if h.pattern.owner == pair.side_b]
            if not side_a or not side_b:
                continue
            # b terms by where they start, so that each a term looks at those within
            # reach only: all against all took minutes on a long text (a 400 KB one, 70 s)
            order = sorted(range(len(side_b)), key=lambda i: side_b[i].start)
            starts = [side_b[i].start for i in order]
            longest = max(b.end - b.start for b in side_b)
            within = pair.rule.within
            for a in side_a:
                reach = order[bisect_left(starts, a.start - within - longest):
                              bisect_right(starts, a.end + within)]
                near = [
                    b for b in (side_b[i] for i in sorted(reach))  # in the hits' order
                    if not a.overlaps(b)
                    and max(b.start - a.end, a.start - b.end) <= within
                    and layout.paragraph(a.start) == layout.paragraph(b.start)
                ]
                if not near:
                    continue
                b = min(near, key=lambda h: max(h.start - a.end, a.start - h.end))
                term = f"{a.pattern.term} ~ {b.pattern.term}"
                pattern = Pattern(term, f"~{pair.owner}", False, False, a.pattern.lang,
                                  pair.owner, pair.rule.weight)
                found.append(Hit(pattern, min(a.start, b.start), max(a.end, b.end),
                                 ((a.start, a.end), (b.start, b.end))))
        return found

    def _role(self, owner: int, weight: float) -> str:
        if weight < 0:
            return "negative"
        return "anchor" if self._owners[owner].anchor else "support"

    def _score(self, topic: int, hits: list[Hit], excluded: list[Hit], layout: Layout
               ) -> _TopicEvidence:
        """The rule score of one topic and the counted hits behind it."""
        if not hits:
            return _NO_EVIDENCE
        if excluded:
            hits = _outside(hits, excluded)
        sides = {"pair_a", "pair_b"}
        paired = self._pair_hits(topic, hits, layout)
        hits = [h for h in hits if self._owners[h.pattern.owner].kind not in sides] + paired
        hits = _resolve_overlaps(hits)
        lead_chars = self.taxonomy.topics.lead_chars
        boost = self.taxonomy.topics.lead_boost
        seen: dict[str, int] = defaultdict(int)
        per_group: dict[int, float] = defaultdict(float)
        counted = []
        for hit in hits:
            seen[hit.pattern.core] += 1  # repeats of one word (or one pair rule) count less
            weight = hit.pattern.weight * (boost if hit.start < lead_chars else 1.0)
            weight /= seen[hit.pattern.core]
            per_group[hit.pattern.owner] += weight
            counted.append(Counted(hit, weight, self._role(hit.pattern.owner, weight)))
        score = 0.0
        totals: dict[str, float] = defaultdict(float)
        for owner, total in per_group.items():
            cap = self._owners[owner].cap
            added = total if cap is None else max(-cap, min(cap, total))
            score += added
            totals[self._role(owner, total)] += added
        distinct = len({h.pattern.term for h in hits if h.pattern.weight > 0})
        return _TopicEvidence(score, distinct, hits, tuple(counted), dict(totals))

    def entity_mentions(self, text: str, language: str | None = None
                        ) -> tuple[tuple[str, int, int], ...]:
        """Where each tracked entity is mentioned: ``(entity id, start, end)`` in ``text``,
        one per mention :meth:`tag` counts (so an analyst, or the entity-precision
        benchmark, can read the words behind an entity tag)."""
        _, _, entity_hits = self._hits(text, language)
        entities = self.taxonomy.entities.entities
        return tuple((entities[self._owners[h.pattern.owner].index].id, h.start, h.end)
                     for h in _resolve_overlaps(entity_hits))

    def _entities(self, hits: list[Hit], text: str, title: str | None
                  ) -> tuple[EntityTag, ...]:
        mentions: dict[int, list[Hit]] = defaultdict(list)
        for hit in _resolve_overlaps(hits):
            mentions[self._owners[hit.pattern.owner].index].append(hit)
        entities = self.taxonomy.entities.entities
        return tuple(
            EntityTag(entities[j].id, len(found), entities[j].kind,
                      tuple(self._evidence(h, text, title) for h in found[:MAX_EVIDENCE]))
            for j, found in sorted(mentions.items(),
                                   key=lambda item: (-len(item[1]), entities[item[0]].id))
        )


# -- loading, cached per process -------------------------------------------------------------

_CACHE: dict[str, Tagger] = {}


def _cached(taxonomy: Taxonomy) -> Tagger:
    tagger = _CACHE.get(taxonomy.version)
    if tagger is None:
        tagger = _CACHE[taxonomy.version] = Tagger(taxonomy)
    return tagger


def tagger_from_content(content: str) -> Tagger:
    """The tagger for a taxonomy's canonical content (how a pickled tagger comes back).

    Looked up by version before the content is parsed: an extraction worker forked with
    the shipped tagger already loaded then reads nothing (the word model alone is a
    megabyte of JSON, 0.1 s and 16 MB of peak memory to load, measured, in every worker
    that parsed it instead of sharing the forkserver's)."""
    cached = _CACHE.get(version_of(content))
    return cached if cached is not None else _cached(Taxonomy.from_content(content))


def load_tagger(topics: Path | None = None, entities: Path | None = None,
                scorer: Path | None = None, *, use_scorer: bool = True,
                multilingual: bool = False, words: Path | None = None,
                use_words: bool = True) -> Tagger:
    """The tagger for these files (``None``: shipped defaults); raises ConfigError.

    ``use_scorer=False``: each topic's threshold decides, as in a taxonomy without one.
    ``multilingual``: the shipped topics with terms in more languages (unless ``topics``).
    ``use_words=False``: no word model adds or holds back topics.
    """
    return _cached(load_taxonomy(topics, entities, scorer, use_scorer=use_scorer,
                                 multilingual=multilingual, words=words,
                                 use_words=use_words))


def content_of(version: str) -> str | None:
    """The canonical content of a taxonomy version loaded in this process, else None."""
    tagger = _CACHE.get(version)
    return tagger.taxonomy.content if tagger else None


def tagger_for_config(config: Config) -> Tagger:
    """The tagger for a configuration's ``[tagging]`` files (paths relative to the file)."""
    section = config.tagging
    return load_tagger(
        config.resolve(section.topics) if section.topics else None,
        config.resolve(section.entities) if section.entities else None,
        config.resolve(section.scorer) if section.scorer else None,
        use_scorer=section.use_scorer,
        multilingual=section.multilingual,
        words=config.resolve(section.words) if section.words else None,
        use_words=section.use_words,
    )


def check_config_references(config: Config) -> None:
    """Raise ConfigError for an ``[alerts.topics.NAME]`` that is not a topic of the
    configured taxonomy (a typo would silently never alert)."""
    topics = {t.id for t in tagger_for_config(config).taxonomy.topics.topics}
    for name in config.alerts.topics:
        if name not in topics:
            raise ConfigError(f"{config.path or 'configuration'}: alerts.topics.{name}: no such "
                              f"topic (known: {', '.join(sorted(topics))})")


def tagger_for_settings(settings: Settings) -> Tagger:
    """The tagger of the configuration these settings point at (``./newsmon.toml``, else
    the shipped defaults). Re-reads the files each call, so an edit takes effect on the
    next batch; compiling is cached by version."""
    return tagger_for_config(load_config(settings.config))
