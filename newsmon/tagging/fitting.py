"""``newsmon topics fit``: learn scorer weights (and word weights) from labelled documents.

The shipped scorer was fitted on newsmon's labelled documents; their feature rows ship
beside it (``defaults/scorer-examples.jsonl``: numbers and labels, no
text), so a user's ten corrected articles are fitted *together with* them instead of
replacing them. A shipped row is used only while its topic's rules are unchanged (the
row carries a hash of them) and it has every feature the scorer weighs: features computed
with other terms, or by an older newsmon, would teach the wrong lesson. (``related``
also reads the other topics' rules; an edit there shifts it a little, which the rows
tolerate rather than all going stale at once.)
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from newsmon.tagging.evaluate import LabelledDoc, check_topics
from newsmon.tagging.features import FEATURES
from newsmon.tagging.scorer import CutoffQuality, Example, Scorer, fit_cut
from newsmon.tagging.tagger import Tagger
from newsmon.tagging.words import WordModel, example_of, fit_words

SHIPPED_EXAMPLES = "scorer-examples.jsonl"
#: A user's own example counts this many shipped ones: they are few and they are the
#: cases the user cares about.
USER_WEIGHT = 3.0


@dataclass(frozen=True, slots=True)
class Fitted:
    scorer: Scorer
    user_examples: int
    shipped_examples: int
    skipped_topics: tuple[str, ...]  # topics whose shipped rows no longer match the rules
    quality: CutoffQuality  # the cutoff on the examples, cross-validated
    out_of_reach: tuple[tuple[str, str], ...] = ()  # labels under their topic's threshold


def examples_of(tagger: Tagger, docs: Iterable[LabelledDoc], weight: float = 1.0
                ) -> list[Example]:
    """One example per (document, topic its rules let through): the cases the scorer
    decides. Topics under their rules' threshold are left out: no weight can tag them,
    and as negatives they would set the cutoff for a population it never sees (its
    precision target would then be overshot on the tags actually made)."""
    return _examples(_decided(tagger, docs), weight)


def out_of_reach(tagger: Tagger, docs: Iterable[LabelledDoc]) -> list[tuple[str, str]]:
    """(document id, topic) of the labels no scorer can give: the topic's terms do not
    reach its threshold in that text, so the fix is in the terms, not in a refit."""
    return _out_of_reach(_decided(tagger, docs))


Decided = list[tuple[LabelledDoc, dict[str, dict[str, float]]]]


def _decided(tagger: Tagger, docs: Iterable[LabelledDoc]) -> Decided:
    """Each document with the features of the topics its rules let through."""
    docs = list(docs)
    check_topics(tagger, docs)
    return [(doc, tagger.features(doc.text, doc.lang, doc.title, decided=True)) for doc in docs]


def _examples(decided: Decided, weight: float) -> list[Example]:
    return [Example(topic, features, topic in doc.topics, weight, doc.id)
            for doc, by_topic in decided for topic, features in by_topic.items()]


def _out_of_reach(decided: Decided) -> list[tuple[str, str]]:
    return [(doc.id, topic) for doc, by_topic in decided
            for topic in sorted(doc.topics - by_topic.keys())]


def example_rows(tagger: Tagger, examples: Sequence[Example]) -> list[str]:
    """JSON lines of examples, each with its topic's rules hash."""
    rules = {t.id: tagger.taxonomy.topic_rules(t.id) for t in tagger.taxonomy.topics.topics}
    return [json.dumps({"topic": e.topic, "rules": rules[e.topic], "label": e.label,
                        "doc": e.group,
                        "features": {k: round(v, 6) for k, v in e.features.items()}},
                       sort_keys=True) for e in examples]


def shipped_examples(tagger: Tagger) -> tuple[list[Example], tuple[str, ...]]:
    """The shipped rows still valid for this taxonomy, and the topics left out."""
    ref = resources.files("newsmon").joinpath("defaults", SHIPPED_EXAMPLES)
    if not ref.is_file():
        return [], ()
    rules = {t.id: tagger.taxonomy.topic_rules(t.id) for t in tagger.taxonomy.topics.topics}
    kept, skipped = [], set()
    for line in ref.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if rules.get(row["topic"]) == row["rules"] and set(row["features"]) == set(FEATURES):
            kept.append(Example(row["topic"], row["features"], bool(row["label"]),
                                group=str(row.get("doc", ""))))
        else:
            skipped.add(row["topic"])
    return kept, tuple(sorted(skipped))


def fit_scorer(tagger: Tagger, docs: Sequence[LabelledDoc], *, shipped: bool = True,
               min_precision: float = 0.85) -> Fitted:
    decided = _decided(tagger, docs)  # tagged once, for the examples and the misses
    user = _examples(decided, USER_WEIGHT if shipped else 1.0)
    base, skipped = shipped_examples(tagger) if shipped else ([], ())
    note = (f"fitted by newsmon topics fit on {len(docs)} labelled documents "
            f"({len(user)} examples) and {len(base)} shipped examples; "
            f"cutoff for precision >= {min_precision}")
    scorer, quality = fit_cut(base + user, min_precision=min_precision, note=note)
    return Fitted(scorer, len(user), len(base), skipped, quality,
                  tuple(_out_of_reach(decided)))


def disagreements(tagger: Tagger, docs: Sequence[LabelledDoc]
                  ) -> list[tuple[str, str, str]]:
    """(document id, topic, "missed" or "extra") wherever ``tagger`` still tags one of
    ``docs`` otherwise than its label says. A fitted scorer weighs a user's labels as
    evidence among the shipped examples, not as orders: they move the decision for
    every similar article, and may still not be enough for a marked one itself."""
    found = []
    for doc in docs:
        tagged = {t.topic for t in tagger.tag(doc.text, doc.lang, doc.title).topics}
        found += [(doc.id, topic, "missed") for topic in sorted(doc.topics - tagged)]
        found += [(doc.id, topic, "extra") for topic in sorted(tagged - doc.topics)]
    return found


def write_scorer(scorer: Scorer, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(scorer.to_toml(), encoding="utf-8")


def write_words(words: WordModel, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(words.to_json(), encoding="utf-8")


def fit_user_words(tagger: Tagger, docs: Sequence[LabelledDoc]) -> WordModel | None:
    """The tagger's word model adjusted to the user's documents: their words' weights
    move towards the labels, every other weight stays near the shipped one (None when
    the tagger has no word model)."""
    if tagger.words is None:
        return None
    topics = [t.id for t in tagger.taxonomy.topics.topics]
    return fit_words([example_of(d.text, d.title, d.topics, d.lang) for d in docs], topics,
                     prior=tagger.words,
                     note=f"fitted by newsmon topics fit: the word model in use, adjusted to "
                          f"{len(docs)} labelled documents")
