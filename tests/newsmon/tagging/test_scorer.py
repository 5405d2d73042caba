"""The scorer over evidence features, anchors vs support, and learning from user examples."""

from __future__ import annotations

import json
import math
import random
import re
from dataclasses import replace
from pathlib import Path

import pytest

from newsmon import cycle
from newsmon.core.errors import ConfigError
from newsmon.core.settings import Settings
from newsmon.tagging import Tagger, Taxonomy, load_tagger
from newsmon.tagging.evaluate import LabelledDoc, read_labelled
from newsmon.tagging.features import FEATURES
from newsmon.tagging.fitting import (
    disagreements,
    examples_of,
    fit_scorer,
    fit_user_words,
    out_of_reach,
    shipped_examples,
)
from newsmon.tagging.scorer import Example, Scorer, fit, fit_cut
from newsmon.tagging.taxonomy import load_scorer
from tests.conftest import SEEDS, read_cli

RULES = """
[[topics]]
id = "sanctions"
name = "Sanctions"
threshold = 4
[[topics.terms]]
weight = 3
de = ["sanktion*"]
[[topics.terms]]
weight = 2
cap = 4
de = ["embargo*", "strafzoll*"]
[[topics.pairs]]
weight = 4
within = 40
[topics.pairs.a]
de = ["präsident"]
[topics.pairs.b]
de = ["besuch"]
"""

SUMMIT_REVIEW = (
    "Outdoor-Test: Der Schlafsack im Vergleich.\n\n"
    "Wir haben den Schlafsack auf dem Gipfel getestet. Der Gipfel lag auf 3000 Metern.\n\n"
    "Das Gipfeltreffen der Bergsteiger war ein Erfolg, der Schlafsack hielt warm."
)


def _rules(tmp_path: Path, rules: str = RULES, use_scorer: bool = False) -> Tagger:
    topics = tmp_path / "topics.toml"
    topics.write_text(rules, encoding="utf-8")
    entities = tmp_path / "entities.toml"
    entities.write_text("", encoding="utf-8")
    return load_tagger(topics, entities, use_scorer=use_scorer)


def test_supporting_words_alone_never_tag(tmp_path: Path) -> None:
    tagger = _rules(tmp_path)
    text = "Embargo hier, Strafzoll dort, Embargos überall und ein Strafzoll mehr."
    assert tagger.scores(text, "de")["sanctions"] >= 4  # the capped group reaches the threshold
    assert tagger.tag(text, "de").topics == ()
    assert [t.topic for t in tagger.tag("Sanktionen und ein Embargo.", "de").topics] == [
        "sanctions"]


def test_a_pair_is_one_statement_only_within_a_paragraph(tmp_path: Path) -> None:
    tagger = _rules(tmp_path)
    same = "Der Präsident beim Besuch in Rom. Sanktionen."
    split = "Es sprach der Präsident.\n\nBesuch in Rom. Sanktionen."
    assert tagger.scores(same, "de")["sanctions"] > tagger.scores(split, "de")["sanctions"]


def test_features_describe_where_the_evidence_sits(tmp_path: Path) -> None:
    tagger = _rules(tmp_path)
    lead = "Sanktionen gegen Russland.\n\nNeue Sanktionen.\n\nMehr Sanktionen.\n\nEnde."
    passing = "Ein langer Text.\n\n" + "Wetter und Sport. " * 60 + "\n\nAuch Sanktionen."
    spread, once = tagger.features(lead, "de")["sanctions"], tagger.features(passing, "de")[
        "sanctions"]
    assert set(spread) == set(FEATURES)
    assert spread["anchor_lead"] == 1.0 and once["anchor_lead"] == 0.0
    assert spread["anchor_share"] == 0.75 and once["anchor_share"] == pytest.approx(1 / 3)
    assert spread["density"] > once["density"]
    assert "sanctions" not in tagger.features("Embargo und Strafzoll.", "de")  # no anchor


NEIGHBOUR = """
[[topics]]
id = "diplomacy"
name = "Diplomacy"
threshold = 2
[[topics.terms]]
weight = 2
de = ["gipfeltreffen"]
"""


def test_related_counts_the_other_topics_evidence_capped(tmp_path: Path) -> None:
    tagger = _rules(tmp_path, RULES + NEIGHBOUR)
    alone = tagger.features("Sanktionen gegen Russland.", "de")
    assert alone["sanctions"]["related"] == 0.0 and "diplomacy" not in alone
    both = tagger.features("Sanktionen gegen Russland. Ein Gipfeltreffen.", "de")
    # each topic sees the other topic's rule score over that topic's threshold
    scores = tagger.scores("Sanktionen gegen Russland. Ein Gipfeltreffen.", "de")
    assert both["sanctions"]["related"] == pytest.approx(math.log1p(scores["diplomacy"] / 2))
    assert both["diplomacy"]["related"] == pytest.approx(math.log1p(scores["sanctions"] / 4))
    many = tagger.features("Sanktionen. " + "Gipfeltreffen, " * 40, "de")
    assert many["sanctions"]["related"] == pytest.approx(math.log1p(4.0))  # one neighbour


CLIMATE = """
[[topics]]
id = "climate"
name = "Climate"
threshold = 4
[[topics.terms]]
weight = 2
de = ["klimawandel*", "klimaschutz*", "erderwärmung", "co2-emission*", "treibhausgas*"]
[[topics.terms]]
weight = 1
cap = 3
de = ["hitze*", "dürre*"]
"""


def test_a_user_topic_under_its_threshold_is_not_tagged_however_short_the_text(
        tmp_path: Path) -> None:
    tagger = _rules(tmp_path, CLIMATE, use_scorer=True)  # the shipped scorer's weights
    assert tagger.scorer is not None
    article = ("Klimawandel: Die Regierung verschärft den Klimaschutz.\n\n"
               "Die CO2-Emissionen sollen bis 2030 halbiert werden. Treibhausgase aus "
               "Verkehr und Industrie stehen im Fokus.\n\nExperten warnen, die Erderwärmung "
               "schreite schneller voran. Der Klimawandel bringt Hitze und Dürre.")
    match = ("Der FC Bayern gewann am Samstag 3:1 gegen Dortmund.\n\nTrainer Müller lobte "
             "die Abwehr. Am Rande wurde auch über den Klimawandel gesprochen.")
    assert [t.topic for t in tagger.tag(article, "de").topics] == ["climate"]
    # one mention in sixty words is dense by the numbers, but under the rules' threshold
    assert tagger.scores(match, "de")["climate"] < 4
    assert tagger.tag(match, "de").topics == ()


def _examples() -> list[Example]:
    found = []
    for i in range(40):
        about = i % 2 == 0
        features = dict.fromkeys(FEATURES, 0.0)
        features.update(anchor_paragraphs=2.0 if about else 0.7, anchor_share=0.5 if about
                        else 0.05, rule=1.5 if about else 0.6 + (i % 5) / 10)
        found.append(Example("sanctions" if i % 4 < 2 else "nuclear", features, about))
    return found


def test_fit_separates_subjects_from_passing_mentions_and_round_trips(tmp_path: Path) -> None:
    scorer = fit(_examples())
    assert scorer.weights["anchor_share"] > 0
    subject = {**dict.fromkeys(FEATURES, 0.0), "anchor_paragraphs": 2.0, "anchor_share": 0.5,
               "rule": 1.5}
    passing = {**dict.fromkeys(FEATURES, 0.0), "anchor_paragraphs": 0.7, "anchor_share": 0.05,
               "rule": 0.7}
    assert scorer.probability("sanctions", subject) >= scorer.cutoff
    assert scorer.probability("sanctions", passing) < scorer.cutoff
    path = tmp_path / "scorer.toml"
    path.write_text(scorer.to_toml(), encoding="utf-8")
    again = load_scorer(path)
    assert again is not None
    assert again.probability("nuclear", subject) == pytest.approx(
        scorer.probability("nuclear", subject), abs=1e-5)


def test_the_order_of_the_examples_changes_nothing() -> None:
    """A user's corrections file in another order gives the same scorer: the folds that
    choose the cutoff go by document, not by position."""
    rng = random.Random(3)
    examples = []
    for i in range(80):  # overlapping subjects and passing mentions: the cutoff is a choice
        about = rng.random() < 0.5
        features = dict.fromkeys(FEATURES, 0.0)
        features.update(anchor_share=rng.gauss(0.35 if about else 0.15, 0.15),
                        rule=rng.gauss(1.4 if about else 1.0, 0.4))
        examples.append(Example("sanctions" if i % 3 else "nuclear", features, about,
                                group=f"doc{i // 2}"))
    shuffled = examples[:]
    random.Random(7).shuffle(shuffled)
    one, other = fit(shuffled), fit(examples)
    assert one.cutoff == other.cutoff
    assert one.weights == pytest.approx(other.weights, abs=1e-9)  # sums in another order
    # examples with no document fold by position, and there the order does matter
    anonymous = [replace(e, group="") for e in examples]
    assert fit(anonymous).cutoff != fit([replace(e, group="") for e in shuffled]).cutoff


def test_fit_says_what_its_cutoff_gives_and_when_no_cutoff_reaches_the_target() -> None:
    scorer, quality = fit_cut(_examples())
    assert quality.reached and quality.precision >= 0.85 and quality.recall > 0.5
    assert scorer == fit(_examples())
    # the same features either way: nothing separates the tagged from the untagged
    coin = [replace(e, label=i % 3 == 0, features=_examples()[0].features)
            for i, e in enumerate(_examples())]
    scorer, quality = fit_cut(coin)
    assert not quality.reached and quality.recall == 0.0 and scorer.cutoff == 0.5


def test_shipped_example_rows_name_their_document() -> None:
    kept, _ = shipped_examples(load_tagger())
    documents = {e.group for e in kept}
    assert "" not in documents and len(documents) < len(kept)  # some carry two topics


def test_a_bad_scorer_file_names_file_and_key(tmp_path: Path) -> None:
    path = tmp_path / "scorer.toml"
    path.write_text("cutoff = 0.5\n[weights]\nbias = 1\nanchr = 2\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"scorer.toml: .*unknown feature 'anchr'"):
        load_scorer(path)
    path.write_text("cutoff = 1.5\n[weights]\nbias = 1\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"scorer.toml: cutoff"):
        load_scorer(path)
    with pytest.raises(ValueError, match="both tagged and untagged"):
        fit([e for e in _examples() if e.label])


def test_shipped_scorer_and_examples_match_the_shipped_rules() -> None:
    tagger = load_tagger()
    assert isinstance(tagger.scorer, Scorer)
    kept, skipped = shipped_examples(tagger)
    assert len(kept) >= 100 and skipped == ()
    assert tagger.version != load_tagger(use_scorer=False).version  # weights are versioned


def test_ten_marked_tags_teach_the_tagger() -> None:
    tagger = load_tagger()
    assert [t.topic for t in tagger.tag(SUMMIT_REVIEW, "de").topics] == ["diplomacy"]
    marked = [LabelledDoc(f"u{i}", "de", SUMMIT_REVIEW.replace("3000", str(2000 + 100 * i)),
                          frozenset()) for i in range(10)]
    fitted = fit_scorer(tagger, marked)
    assert fitted.user_examples == 10 and fitted.shipped_examples >= 100
    taught = Tagger(Taxonomy(tagger.taxonomy.topics, tagger.taxonomy.entities,
                             tagger.taxonomy.sources, fitted.scorer))
    # as `newsmon topics fit` writes them: the scorer and the word model, both taught
    words = fit_user_words(tagger, marked)
    both = Tagger(replace(tagger.taxonomy, scorer=fitted.scorer, words=words))
    assert words is not None and both.words is words
    assert disagreements(tagger, marked) == [(d.id, "diplomacy", "extra") for d in marked]
    for learned in (taught, both):
        assert learned.tag(SUMMIT_REVIEW, "de").topics == ()
        assert disagreements(learned, marked) == []
        for seed in sorted(SEEDS.glob("*.txt")):  # the real summit reports keep their topic
            text = seed.read_text(encoding="utf-8")
            assert "diplomacy" in {t.topic for t in learned.tag(text, "de").topics}, seed.name


def test_fitting_learns_from_the_topics_the_rules_let_through(tmp_path: Path) -> None:
    tagger = _rules(tmp_path)
    subject = LabelledDoc("subject", "de", "Neue Sanktionen. Die Sanktionen wirken.",
                          frozenset({"sanctions"}))
    filler = "Der Tag begann ruhig in der Stadt. " * 15  # past the boosted lead
    passing = LabelledDoc("passing", "de", filler + "Er sprach auch über Sanktionen.",
                          frozenset())
    short = LabelledDoc("short", "de", filler + "Ein Wort: Sanktion.", frozenset({"sanctions"}))
    assert set(tagger.features(passing.text, "de")) == {"sanctions"}  # anchored ...
    assert tagger.features(passing.text, "de", decided=True) == {}  # ... under threshold
    # the untaggable ones would set the cutoff for tags never made, so they stay out
    examples = examples_of(tagger, [subject, passing, short])
    assert [(e.topic, e.label) for e in examples] == [("sanctions", True)]
    assert out_of_reach(tagger, [subject, passing, short]) == [("short", "sanctions")]


def test_topics_fit_command_writes_a_scorer_the_config_can_use(tmp_path: Path) -> None:
    labelled = tmp_path / "mine.jsonl"
    lines = [
        json.dumps({"id": "a", "lang": "de", "text": SUMMIT_REVIEW, "topics": []}),
        json.dumps({"id": "b", "lang": "de", "text": "Neue Sanktionen.", "topics": ["sanktion"]}),
    ]
    labelled.write_text(lines[0] + "\n" + lines[1] + "\n", encoding="utf-8")
    bad = read_cli("topics", "fit", str(labelled), "--out", str(tmp_path / "s.toml"),
                  cwd=tmp_path)
    assert bad.returncode == 1
    assert bad.stderr.strip().startswith(f"newsmon: error: {labelled}: b: unknown topic")
    passing = "Der Tag begann ruhig in der Stadt. " * 15 + "Ein Gipfel."  # no brief: 107 words
    missed = json.dumps({"id": "c", "lang": "de", "text": passing, "topics": ["diplomacy"]})
    labelled.write_text(lines[0] + "\n" + missed + "\n", encoding="utf-8")
    good = read_cli("topics", "fit", str(labelled), cwd=tmp_path)
    assert good.returncode == 0, good.stderr
    assert "1 examples from 2 documents" in good.stdout
    assert re.search(r"cross-validated on those examples, the cutoff gives precision "
                     r"[01]\.\d\d and recall [01]\.\d\d", good.stdout)
    assert ("labels under their topic's threshold, which no scorer can give (add terms "
            "for them): 1, c diplomacy") in good.stdout
    # what was fitted, tried on the user's own documents (the adjusted word model reaches
    # the label the scorer cannot)
    assert ("tagged with what was just fitted, all 2 of your documents get the topics "
            "their labels say") in good.stdout
    unreachable = json.dumps({"id": "d", "lang": "de", "text": passing.replace("Gipfel", "Tag"),
                              "topics": ["sanctions"]})  # not a word of sanctions in it
    labelled.write_text(lines[0] + "\n" + unreachable + "\n", encoding="utf-8")
    told = read_cli("topics", "fit", str(labelled), "--out", str(tmp_path / "t.toml"),
                    cwd=tmp_path)
    assert told.returncode == 0, told.stderr
    assert ("tagged with what was just fitted, your documents still differ from their labels "
            "1 time: d sanctions missed (your labels weigh as evidence") in told.stdout
    (tmp_path / "newsmon.toml").write_text('[tagging]\nscorer = "scorer.toml"\n',
                                           encoding="utf-8")
    listed = read_cli("topics", cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    assert "scorer.toml" in listed.stdout and "decided by a scorer" in listed.stdout


def test_an_export_with_corrected_topics_is_what_topics_fit_reads(tmp_path: Path) -> None:
    db = tmp_path / "seeds.duckdb"
    cycle.run_cycle(Settings(db=db), [SEEDS], "run")
    exported = tmp_path / "articles.jsonl"
    done = read_cli("--db", str(db), "export", "--out", str(exported))
    assert done.returncode == 0, done.stderr
    rows = [json.loads(line) for line in exported.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 5 and all(r["topics"] and r["title"] for r in rows)
    # the analyst's correction: not diplomacy, on the first article
    rows[0]["topics"] = [t for t in rows[0]["topics"] if t["topic"] != "diplomacy"]
    marked = tmp_path / "marked.jsonl"
    marked.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    docs = read_labelled(marked)
    assert [d.id for d in docs] == [str(r["article_id"]) for r in rows]
    assert "diplomacy" not in docs[0].topics and "diplomacy" in docs[1].topics
    assert docs[0].lang == "de" and docs[0].title == rows[0]["title"]
    fitted = read_cli("topics", "fit", str(marked), "--out", str(tmp_path / "s.toml"),
                      cwd=tmp_path)
    assert fitted.returncode == 0, fitted.stderr
    assert "from 5 documents" in fitted.stdout and (tmp_path / "s.toml").exists()
    # an export without text cannot teach anything, and says so in one line
    bare = tmp_path / "bare.jsonl"
    assert read_cli("--db", str(db), "export", "--no-text", "--out", str(bare)).returncode == 0
    failed = read_cli("topics", "fit", str(bare), cwd=tmp_path)
    assert failed.returncode == 1
    assert failed.stderr.strip() == (f"newsmon: error: {bare}:1: not a labelled document: "
                                     "no text (an export needs --text, its default)")
    # a file saved in another encoding, or one nested without end, is named as well
    ansi = tmp_path / "ansi.jsonl"
    ansi.write_bytes('{"id": "a", "text": "Maßnahmen", "topics": []}\n'.encode("latin-1"))
    deep = tmp_path / "deep.jsonl"
    deep.write_text("[" * 100_000 + "\n", encoding="utf-8")
    assert [read_cli("topics", "fit", str(path), cwd=tmp_path).stderr.strip()
            for path in (ansi, deep)] == [
        f"newsmon: error: {ansi}: not UTF-8 text (byte 23: invalid continuation byte); save "
        "it as UTF-8",
        f"newsmon: error: {deep}:1: not a labelled document: maximum recursion depth exceeded "
        "while decoding a JSON array from a unicode string"]
    # an empty file, a row without an id, a row that is no object: named, nothing written
    empty, unnamed, listed, odd = (tmp_path / f"{n}.jsonl" for n in ("e", "u", "l", "o"))
    empty.write_text("\n", encoding="utf-8")
    unnamed.write_text('{"text": "Sanktionen", "topics": ["sanctions"]}\n', encoding="utf-8")
    listed.write_text("[1, 2]\n", encoding="utf-8")
    odd.write_text('{"id": 1, "text": "x", "topics": [{"name": "sanctions"}]}\n',
                   encoding="utf-8")
    assert [read_cli("topics", "fit", str(path), "--out", str(tmp_path / "none.toml"),
                     cwd=tmp_path).stderr.strip() for path in (empty, unnamed, listed, odd)] == [
        f"newsmon: error: {empty}: no labelled documents (one JSON object a line: id, lang, "
        "text, topics)",
        f"newsmon: error: {unnamed}:1: not a labelled document: no id (an id, or an export's "
        "article_id)",
        f"newsmon: error: {listed}:1: not a labelled document: not a JSON object",
        f"newsmon: error: {odd}:1: not a labelled document: topics: a list of topic ids (or of "
        "objects with a topic)"]
    assert not (tmp_path / "none.toml").exists()


def test_held_back_topics_are_the_rules_tags_the_scorer_declined() -> None:
    tagger = load_tagger(use_words=False)  # the scorer alone (words may overrule it)
    assert tagger.scorer is not None
    never = tagger.scorer.model_copy(update={"cutoff": 1.0})  # no probability reaches it
    strict = Tagger(replace(tagger.taxonomy, scorer=never))
    rules = Tagger(replace(tagger.taxonomy, scorer=None))
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    for text in [*texts, SUMMIT_REVIEW]:
        given = {t.topic for t in tagger.tag(text, "de").topics}
        held = {h.topic: h for h in tagger.held_back(text, "de")}
        assert given.isdisjoint(held)
        assert given | held.keys() == {t.topic for t in rules.tag(text, "de").topics}
        assert all(h.probability < tagger.scorer.cutoff for h in held.values())
        # with a cutoff no probability reaches, every tag the rules give is held back
        assert {h.topic for h in strict.held_back(text, "de")} == given | held.keys()
        assert strict.tag(text, "de").topics == ()
        for h in strict.held_back(text, "de"):
            assert h.evidence and all(text[e.start:e.end] == e.text for e in h.evidence
                                      if e.field == "text")
    assert rules.held_back(texts[0], "de") == ()  # no scorer: the rules decide, none held
