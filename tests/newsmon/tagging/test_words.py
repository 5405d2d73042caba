"""The word model: its features, its fit, its file and what it changes in a tag."""

from __future__ import annotations

import json
import math
from dataclasses import replace
from pathlib import Path

import pytest

from newsmon.core.errors import ConfigError
from newsmon.tagging import Tagger, load_tagger
from newsmon.tagging.evaluate import LabelledDoc
from newsmon.tagging.fitting import fit_user_words
from newsmon.tagging.scorer import Scorer
from newsmon.tagging.taxonomy import load_words
from newsmon.tagging.words import (
    MIN_LANGUAGE_DOCUMENTS,
    MIN_TOPIC_DOCUMENTS,
    WordExample,
    WordModel,
    example_of,
    feature_names,
    fit_words,
    word_features,
)
from tests.conftest import read_cli

RULES = """
[[topics]]
id = "sanctions"
name = "Sanctions"
threshold = 4
[[topics.terms]]
weight = 3
en = ["sanction*"]
[[topics.terms]]
weight = 1
cap = 2
en = ["treasury"]
"""


def _tagger(tmp_path: Path, words: WordModel | None) -> Tagger:
    topics, entities = tmp_path / "topics.toml", tmp_path / "entities.toml"
    topics.write_text(RULES, encoding="utf-8")
    entities.write_text("", encoding="utf-8")
    if words is None:
        return load_tagger(topics, entities, use_scorer=False, use_words=False)
    path = tmp_path / "words.json"
    path.write_text(words.to_json(), encoding="utf-8")
    return load_tagger(topics, entities, use_scorer=False, words=path)


def _model(weights: dict[str, float], bias: float = -3.0, **kw: float) -> WordModel:
    return WordModel(languages=("en",), bias={"sanctions": bias},
                     weights={"sanctions": weights}, **kw)


def test_features_are_cut_words_and_word_pairs_at_their_first_place() -> None:
    text = "Sanktionen 2024: neue Sanktionierung, neue Wege"
    features = {f.name: (f.start, f.end) for f in word_features(text)}
    assert feature_names(text) == set(features)
    assert set(features) == {"sanktio", "neue", "wege", "sanktio neue", "neue sanktio",
                             "neue wege"}  # digits skipped, words cut to 7 characters
    assert features["sanktio"] == (0, 10) and features["neue"] == (17, 21)
    assert text[slice(*features["neue sanktio"])] == "neue Sanktionierung"


def test_probability_weighs_each_feature_by_the_article_size() -> None:
    model = _model({"embargo": 2.0})
    short, long = feature_names("an embargo"), feature_names("an embargo " + "x y z " * 30)
    expected = 1 / (1 + math.exp(3.0 - 2.0 / math.sqrt(len(short))))
    assert model.probabilities(short)["sanctions"] == pytest.approx(expected)
    assert model.probabilities(long)["sanctions"] < model.probabilities(short)["sanctions"]


def test_fit_learns_the_words_of_a_subject_and_only_for_languages_it_read() -> None:
    subject = ["The embargo on oil exports tightens", "An embargo hits the banks",
               "Officials widen the embargo list"]
    other = ["The football season opens", "Rain over the hills today", "A new bakery opens"]
    examples = [example_of(subject[i % 3] + f" case {i}", None, {"sanctions"}, "en")
                for i in range(60)]
    examples += [example_of(other[i % 3] + f" note {i}", None, set(), "en")
                 for i in range(MIN_LANGUAGE_DOCUMENTS)]
    examples += [example_of("Ein Embargo", None, {"sanctions"}, "de")]
    model = fit_words(examples, ["sanctions", "diplomacy"])
    assert model.languages == ("en",)  # one German document is not a language learned
    assert set(model.bias) == {"sanctions"}  # no positive diplomacy example: no model
    assert model.weights["sanctions"]["embargo"] > 1.0
    p = model.probabilities
    assert p(feature_names("Talks on the embargo"))["sanctions"] > 0.8
    assert p(feature_names("The football season"))["sanctions"] < 0.2
    assert WordModel.model_validate(json.loads(model.to_json())) == model  # file = model
    with pytest.raises(ValueError, match="no language has 100 labelled documents"):
        fit_words(examples[:5], ["sanctions"])


def test_a_topic_is_asked_about_only_in_the_languages_it_read_enough_of() -> None:
    """One English article on a subject among a hundred English documents teaches the
    model only that English articles are not about it: it must not judge them."""
    german = [example_of(f"Neue Sanktionen gegen die Reederei {i}", None, {"sanctions"}, "de")
              for i in range(MIN_TOPIC_DOCUMENTS)]
    german += [example_of(f"Das Wetter am Sonntag {i}", None, set(), "de")
               for i in range(MIN_LANGUAGE_DOCUMENTS)]
    english = [example_of("Treasury sanctions on the shipping firms", None, {"sanctions"}, "en")]
    english += [example_of(f"The football season opens, game {i}", None, set(), "en")
                for i in range(MIN_LANGUAGE_DOCUMENTS)]
    model = fit_words(german + english, ["sanctions"])
    assert model.languages == ("de", "en")
    assert model.topic_languages == {"sanctions": ("de",)}
    features = feature_names("Treasury sanctions on the shipping firms, again")
    assert "sanctions" in model.probabilities(features)  # asked without a language
    assert model.probabilities(features, "en") == {}  # not in a language it barely read
    assert set(model.probabilities(features, "de")) == {"sanctions"}
    assert model.asks("sanctions", "de") and not model.asks("sanctions", "en")
    assert not model.asks("sanctions", "fr") and not model.asks("diplomacy", "de")
    assert WordModel.model_validate(json.loads(model.to_json())) == model  # file = model
    unlisted = _model({"embargo": 2.0})  # a file without topic_languages: every topic asked
    assert unlisted.asks("sanctions", "en") and unlisted.topic_languages == {}
    more = [example_of(f"Sanctions on ship {i}", None, {"sanctions"}, "en")
            for i in range(MIN_TOPIC_DOCUMENTS)]
    adjusted = fit_words(more, ["sanctions"], prior=model)  # a user's English examples
    assert adjusted.topic_languages == {"sanctions": ("de", "en")}
    assert fit_words(english[:1], ["sanctions"], prior=model).topic_languages == {
        "sanctions": ("de",)}  # one more is not enough; what the prior read stays


def test_words_leave_a_rules_tag_alone_in_a_language_the_topic_was_not_read_in(
        tmp_path: Path) -> None:
    text = "Sanctions, sanctions: the referee sanctioned the striker twice in the match."
    doubting = _model({"referee": -40.0}, bias=-1.0)
    unread = doubting.model_copy(update={"topic_languages": {"sanctions": ()}})
    tags, held = _tagger(tmp_path, unread).tag_and_held_back(text, "en")
    assert [t.topic for t in tags.topics] == ["sanctions"] and held == ()
    with pytest.raises(ValueError, match="topic_languages.diplomacy: topic has no bias"):
        WordModel(languages=("en",), bias={"sanctions": -1.0},
                  topic_languages={"diplomacy": ("en",)})


def test_a_user_fit_moves_the_words_of_their_documents_and_keeps_the_rest() -> None:
    prior = _model({"embargo": 3.0, "banks": 1.0, "football": 2.5}, bias=-2.0)
    marked = [WordExample(("football", "club"), frozenset()) for _ in range(10)]
    adjusted = fit_words(marked, ["sanctions", "diplomacy"], prior=prior)
    weights = adjusted.weights["sanctions"]
    assert weights["football"] < 1.5  # ten wrong tags: their word lost its pull ...
    assert weights["club"] < 0  # ... a word of theirs now counts against ...
    assert weights["banks"] == 1.0 and weights["embargo"] == 3.0  # ... the rest stands
    assert set(adjusted.bias) == {"sanctions"} and adjusted.languages == ("en",)


def test_a_bad_word_model_file_names_file_and_key(tmp_path: Path) -> None:
    path = tmp_path / "words.toml"
    path.write_text('add = 0.6\ndrop = 0.7\nlanguages = ["en"]\n[bias]\nsanctions = -2\n',
                    encoding="utf-8")
    with pytest.raises(ConfigError, match=r"words.toml: \(top level\): drop \(0.7\) must be "
                                          r"below add \(0.6\)"):
        load_words(path)
    path.write_text('languages = ["en"]\n[bias]\nsanctions = -2\n[weights.sanctions]\n'
                    'embargo = "high"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"words.toml: weights.sanctions.embargo"):
        load_words(path)
    path.write_text('languages = ["en"]\n[bias]\nsanctions = -2\n[weights.sanctions]\n'
                    'embargo = 5e3\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"weights.sanctions.embargo = 5000.0 is out of "
                                          r"bounds \(\|w\| <= 1000\)"):
        load_words(path)
    broken = tmp_path / "words.json"  # the shipped format, cut short
    broken.write_text('{"languages": ["en"], "bias": {', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"words.json: not valid JSON: Expecting"):
        load_words(broken)


def test_words_add_a_topic_its_terms_only_touched_with_the_words_as_evidence(
        tmp_path: Path) -> None:
    text = "The Treasury named twelve shipping firms. Their tankers may no longer dock."
    plain = _tagger(tmp_path, None)
    assert plain.tag(text, "en").topics == ()  # a supporting word alone never tags
    words = _tagger(tmp_path, _model({"tankers": 20.0, "shippin": 20.0}))
    tag, = words.tag(text, "en").topics
    assert tag.topic == "sanctions"
    shown = {e.term: (e.text, e.start, e.end) for e in tag.evidence}
    assert shown["treasury"] == ("Treasury", 4, 12)  # the term that touched the topic
    assert shown["words:tankers"] == ("tankers", 48, 55)  # and the words that decided
    assert shown["words:shippin"] == ("shipping", 26, 34)
    titled = words.tag("Their tankers may no longer dock.", "en", title="Treasury acts")
    assert {(e.term, e.field) for e in titled.topics[0].evidence} >= {
        ("treasury", "title"), ("words:tankers", "text")}
    assert words.tag(text, "de").topics == ()  # German: the model is not asked
    assert words.tag("Shipping tankers dock.", "en").topics == ()  # no term: no topic


def test_words_overrule_a_scorer_that_declined_the_rules_tag(tmp_path: Path) -> None:
    text = "New sanctions on the shipping firms: sanctions, sanctions, and the tankers."
    declining = Scorer(cutoff=0.9, weights={"bias": -5.0})
    plain = _tagger(tmp_path, None)
    quiet = Tagger(replace(plain.taxonomy, scorer=declining))
    tags, held = quiet.tag_and_held_back(text, "en")
    assert tags.topics == () and [(h.topic, h.by) for h in held] == [("sanctions", "scorer")]
    sure = Tagger(replace(quiet.taxonomy, words=_model({"tankers": 30.0})))
    tags, held = sure.tag_and_held_back(text, "en")
    assert [t.topic for t in tags.topics] == ["sanctions"] and held == ()
    assert "words:tankers" in {e.term for e in tags.topics[0].evidence}


def test_words_hold_back_a_rules_tag_the_article_is_not_about(tmp_path: Path) -> None:
    text = "Sanctions, sanctions: the referee sanctioned the striker twice in the match."
    assert [t.topic for t in _tagger(tmp_path, None).tag(text, "en").topics] == ["sanctions"]
    words = _tagger(tmp_path, _model({"referee": -40.0}, bias=-1.0))
    tags, held = words.tag_and_held_back(text, "en")
    assert tags.topics == ()
    assert [(h.topic, h.by) for h in held] == [("sanctions", "words")]
    assert words.words is not None and held[0].probability < words.words.drop


def test_the_shipped_word_model_covers_the_shipped_topics_and_is_versioned() -> None:
    tagger = load_tagger()
    assert tagger.words is not None and set(tagger.words.languages) == {"de", "en"}
    assert set(tagger.words.bias) == {t.id for t in tagger.taxonomy.topics.topics}
    assert tagger.version != load_tagger(use_words=False).version


def test_topics_fit_adjusts_the_word_model_and_the_config_uses_it(tmp_path: Path) -> None:
    review = ("Outdoor-Test: Der Schlafsack im Vergleich. Wir haben den Schlafsack auf dem "
              "Gipfel getestet, beim Gipfeltreffen der Bergsteiger.")
    labelled = tmp_path / "mine.jsonl"
    labelled.write_text(json.dumps({"id": "a", "lang": "de", "text": review, "topics": []})
                        + "\n", encoding="utf-8")
    fitted = read_cli("topics", "fit", str(labelled), cwd=tmp_path)
    assert fitted.returncode == 0, fitted.stderr
    assert f"word model written to {Path('words.json')}: adjusted to 1 documents" \
        in fitted.stdout
    (tmp_path / "newsmon.toml").write_text('[tagging]\nwords = "words.json"\n',
                                           encoding="utf-8")
    listed = read_cli("topics", cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    assert "words.json" in listed.stdout and "word model for de, en" in listed.stdout
    assert "war_ukraine: its words judge articles in de only" in listed.stdout
    assert "sanctions: its words" not in listed.stdout
    shipped = load_tagger().words
    adjusted = fit_user_words(load_tagger(), [LabelledDoc("a", "de", review, frozenset())])
    assert adjusted is not None and shipped is not None
    features = feature_names(review)
    assert adjusted.probabilities(features)["diplomacy"] < \
        shipped.probabilities(features)["diplomacy"]
    (tmp_path / "newsmon.toml").write_text('[tagging]\nwords = "missing.toml"\n',
                                           encoding="utf-8")
    broken = read_cli("topics", cwd=tmp_path)
    assert broken.returncode == 1
    assert "tagging.words: no such file" in broken.stderr
