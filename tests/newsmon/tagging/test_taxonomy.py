"""Taxonomy files: validation errors name the file and the topic; versions follow content."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from newsmon.core.config import load_config
from newsmon.core.errors import ConfigError
from newsmon.tagging import load_tagger, load_taxonomy, tagger_for_config
from newsmon.tagging import taxonomy as taxonomy_module
from newsmon.tagging.taxonomy import load_entities, load_topics

GOOD = """
[[topics]]
id = "sanctions"
name = "Sanctions"
threshold = 4
[[topics.terms]]
weight = 3
de = ["sanktion*"]
en = ["sanction*"]
"""

GOOD_YAML = """
topics:
  - id: sanctions
    name: Sanctions
    threshold: 4
    terms:
      - weight: 3
        de: ["sanktion*"]
        en: ["sanction*"]
"""


def _file(tmp_path: Path, body: str, name: str = "topics.toml") -> Path:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (GOOD.replace('de = ["sanktion*"]', 'de = ["sank*tion"]'),
         "topic 'sanctions': terms[0]: term 'sank*tion': '*' may only start or end a term"),
        (GOOD.replace("de = ", "xx = "),
         "topic 'sanctions': terms[0]: unknown key or language 'xx'"),
        (GOOD.replace("threshold = 4", "threshold = -1"),
         "topic 'sanctions': threshold: Input should be greater than 0"),
        (GOOD.replace("threshold = 4", 'threshold = "high"'), "topic 'sanctions': threshold:"),
        (GOOD.replace('id = "sanctions"', 'id = "Sanctions!"'), "topic 'Sanctions!': id:"),
        (GOOD.replace("weight = 3", "weight = -3"),
         "topic 'sanctions': terms: needs at least one term with a positive weight"),
        (GOOD + GOOD, "topic id 'sanctions' is defined twice"),
        (GOOD.replace('name = "Sanctions"\n', ""), "topic 'sanctions': name: Field required"),
        (GOOD.replace("threshold = 4", "treshold = 4"),
         "topic 'sanctions': treshold: unknown key (known here: id, name, description, "
         "threshold, min_terms, terms, pairs, exclude)"),
        ("[[topics]\n", "not valid TOML"),
        ("brief_words = 5000\n" + GOOD,
         "brief_words: Input should be less than or equal to 1000"),
    ],
)
def test_topic_errors_name_the_file_and_the_topic(tmp_path: Path, body: str, message: str) -> None:
    path = _file(tmp_path, body)
    with pytest.raises(ConfigError) as err:
        load_topics(path)
    assert str(err.value).startswith(f"{path}: ")
    assert message in str(err.value)


def test_a_topics_file_not_in_utf8_or_nested_without_end_is_named(tmp_path: Path) -> None:
    ansi = tmp_path / "topics.toml"  # as a Windows editor saves "ANSI": Latin-1 bytes
    ansi.write_bytes(GOOD.replace("Sanctions", "Sanktionen gegen Staaten ä").encode("latin-1"))
    with pytest.raises(ConfigError) as err:
        load_topics(ansi)
    assert str(err.value).startswith(f"{ansi}: not UTF-8 text (byte ")
    deep = _file(tmp_path, "a = " + "[" * 5000 + "]" * 5000 + "\n" + GOOD, "deep.toml")
    with pytest.raises(ConfigError, match=r"deep\.toml: not valid TOML: maximum recursion"):
        load_topics(deep)


def test_yaml_errors_name_the_topic(tmp_path: Path) -> None:
    path = _file(tmp_path, GOOD_YAML.replace("threshold: 4", "threshold: -4"), "topics.yaml")
    with pytest.raises(ConfigError, match=r"topics\.yaml: topic 'sanctions': threshold"):
        load_topics(path)


def test_entity_errors_name_the_entity(tmp_path: Path) -> None:
    path = _file(tmp_path, '[[entities]]\nid = "putin"\nname = "Putin"\naliases = []\n',
                 "entities.toml")
    with pytest.raises(ConfigError, match=r"entities\.toml: entity 'putin': aliases: List should"):
        load_entities(path)


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"nope\.toml: cannot read"):
        load_topics(tmp_path / "nope.toml")


def test_version_is_a_hash_of_the_rules_not_of_the_file(tmp_path: Path) -> None:
    entities = _file(tmp_path, "", "entities.toml")
    toml = load_taxonomy(_file(tmp_path, GOOD), entities)
    yaml = load_taxonomy(_file(tmp_path, GOOD_YAML, "topics.yaml"), entities)
    spaced = load_taxonomy(_file(tmp_path, "# a comment\n" + GOOD, "spaced.toml"), entities)
    changed = load_taxonomy(_file(tmp_path, GOOD.replace("threshold = 4", "threshold = 5"),
                                  "changed.toml"), entities)
    assert toml.version == yaml.version == spaced.version
    assert changed.version != toml.version
    assert len(toml.version) == 16


def test_version_follows_how_the_tagger_decides(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    files = _file(tmp_path, GOOD), _file(tmp_path, "", "entities.toml")
    before = load_taxonomy(*files).version
    monkeypatch.setattr(taxonomy_module, "DECISION_REVISION",
                        taxonomy_module.DECISION_REVISION + 1)
    # same files read by a newsmon that decides differently: `newsmon retag` re-tags
    assert load_taxonomy(*files).version != before


def test_a_tagger_pickles_as_its_rules_and_comes_back_with_the_same_version() -> None:
    tagger = load_tagger()
    clone = pickle.loads(pickle.dumps(tagger))
    assert clone.version == tagger.version
    text = "Neue Sanktionen gegen Nordkorea, ein Embargo und noch mehr Sanktionen."
    assert clone.tag(text, "de") == tagger.tag(text, "de")


def test_tagging_section_of_the_config_points_at_user_files(tmp_path: Path) -> None:
    _file(tmp_path, GOOD, "my-topics.toml")
    config = _file(tmp_path, '[tagging]\ntopics = "my-topics.toml"\n', "newsmon.toml")
    tagger = tagger_for_config(load_config(config))
    assert [t.id for t in tagger.taxonomy.topics.topics] == ["sanctions"]
    assert len(tagger.taxonomy.entities.entities) > 10  # entities: the shipped defaults


def test_tagging_section_rejects_unknown_keys(tmp_path: Path) -> None:
    config = _file(tmp_path, '[tagging]\ntopic = "x.toml"\n', "newsmon.toml")
    with pytest.raises(ConfigError, match=r"newsmon\.toml: tagging\.topic: unknown key \(known "
                       r"here: topics, entities, scorer, use_scorer, words, use_words, "):
        load_config(config)


def test_the_shipped_defaults_cover_the_eight_topics_of_the_spec(shared: Path) -> None:
    spec = (shared / "spec" / "topics.md").read_text(encoding="utf-8")
    ids = [t.id for t in load_topics().topics]
    assert ids == ["arms_trade", "sanctions", "nuclear", "missiles_space",
                   "military_cooperation", "diplomacy", "humanitarian_aid", "war_ukraine"]
    assert all(f"`{i}`" in spec for i in ids)


#: Each subject ``spec/topics.md`` lists, said in German and in English: the shipped terms
#: must have a defining (anchor) term for it, or no amount of it could tag the topic.
SPEC_SUBJECTS = {
    "arms_trade": (["Waffenlieferungen an die Ukraine", "Rüstungsexporte", "das Waffenembargo"],
                   ["arms deal", "arms exports", "North Korea supplied munitions to Russia"]),
    "sanctions": (["Sanktionen gegen Russland", "Exportkontrollen", "Umgehung der Sanktionen"],
                  ["new sanctions", "an oil embargo", "export controls", "an asset freeze"]),
    "nuclear": (["Atomwaffen", "ein Atomtest", "Denuklearisierung", "atomgetriebene U-Boote",
                 "Urananreicherung"],
                ["nuclear weapons", "a nuclear test", "denuclearisation",
                 "nuclear-powered submarines", "uranium enrichment"]),
    "missiles_space": (["ein Raketentest", "Marschflugkörper", "ein Spionagesatellit",
                        "der Weltraumbahnhof", "eine Hyperschallrakete"],
                       ["a ballistic missile", "cruise missiles", "a spy satellite",
                        "a space launch", "the cosmodrome", "a hypersonic missile"]),
    "military_cooperation": (["ein Militärbündnis", "militärische Zusammenarbeit",
                              "eine Militärdelegation", "gemeinsame Militärmanöver"],
                             ["a defence pact", "military cooperation",
                              "joint military exercises", "joint drills",
                              "a military delegation"]),
    "diplomacy": (["ein Gipfeltreffen", "der Staatsbesuch", "bilaterale Gespräche"],
                  ["a summit", "a state visit", "bilateral talks",
                   "multilateral negotiations"]),
    "humanitarian_aid": (["Nahrungsmittelhilfe", "eine Hungersnot", "humanitäre Hilfe"],
                         ["food aid", "famine", "humanitarian assistance", "aid deliveries"]),
    "war_ukraine": (["Russlands Krieg gegen die Ukraine", "der Ukraine-Krieg"],
                    ["Russia's war against Ukraine", "the Russian invasion of Ukraine"]),
}


#: The other names news gives those subjects (written from the spec and the trade's usage,
#: not from any labelled document): each must be a defining term of its topic too.
NEWS_NAMES = {
    "nuclear": (["atomar bewaffnet", "eine Wasserstoffbombe", "der Atomkonflikt"],
                ["a nuclear-armed North Korea", "nuclear arms", "its nuclear ambitions",
                 "a hydrogen bomb", "the nuclear crisis"]),
    "sanctions": (["restriktive Maßnahmen der EU", "eine Einreisesperre"],
                  ["the EU's restrictive measures", "a visa ban",
                   "a state sponsor of terrorism"]),
    "missiles_space": (["eine Abfangrakete", "Raketen vom Typ ATACMS", "eine Shahab-3"],
                       ["a Hwasong-15", "Storm Shadow", "it test-fired", "a THAAD battery",
                        "the Agni II", "Scud missiles"]),
    "diplomacy": (["die Sechsparteiengespräche", "eine Friedenskonferenz"],
                  ["the six-party talks", "six-way talks", "a Mideast peace conference"]),
    "arms_trade": (["ein Waffenpaket", "die Exportgenehmigung"],
                   ["a new arms package", "foreign military sales"]),
}


@pytest.mark.parametrize(("topic", "names"), [
    *((topic, SPEC_SUBJECTS[topic]) for topic in sorted(SPEC_SUBJECTS)),
    *((topic, NEWS_NAMES[topic]) for topic in sorted(NEWS_NAMES))])
def test_every_subject_of_the_spec_and_its_news_names_have_a_defining_term(
        topic: str, names: tuple[list[str], list[str]]) -> None:
    tagger = load_tagger()
    german, english = names
    without = [phrase for lang, phrases in (("de", german), ("en", english))
               for phrase in phrases if topic not in tagger.features(phrase, lang)]
    assert without == [], f"{topic}: no anchor for {without}"


#: Words that name a place, a person or an act that other stories share: support for a
#: topic, never its proof (in a brief, one defining word nearly decides).
NOT_DEFINING = {
    "humanitarian_aid": ["Israeli tanks surged into the Jabalya refugee camp",
                         "the kidnapped aid worker Margaret Hassan"],
    "diplomacy": ["Saddam Hussein met with a defence lawyer", "talks with the unions",
                  "the law received Presidential assent"],
    "missiles_space": ["Howard Stern moves to satellite radio"],
}


@pytest.mark.parametrize("topic", sorted(NOT_DEFINING))
def test_words_other_stories_share_do_not_define_a_topic(topic: str) -> None:
    tagger = load_tagger()
    defined = [text for text in NOT_DEFINING[topic] if topic in tagger.features(text, "en")]
    assert defined == []


#: The spec's "Not: domestic party politics" for diplomacy: a leader meeting the
#: opposition about forming a government is a meeting, but not between states.
DOMESTIC_POLITICS = {
    "en": "Prime Minister Hall met the opposition leader on Monday for talks on a unity "
          "government. The ruling party wants a coalition before the parliamentary vote.",
    "de": "Der Kanzler traf sich am Montag mit dem Oppositionsführer zu Gesprächen über die "
          "Regierungsbildung. Die Regierungspartei strebt eine Einheitsregierung an.",
}


@pytest.mark.parametrize("lang", sorted(DOMESTIC_POLITICS))
def test_domestic_party_politics_is_no_diplomacy_in_either_language(lang: str) -> None:
    tagger = load_tagger()
    assert "diplomacy" not in tagger.features(DOMESTIC_POLITICS[lang], lang, decided=True)
    abroad = {"en": "Prime Minister Hall met the French president on a state visit to Paris.",
              "de": "Der Kanzler traf den französischen Präsidenten bei einem Staatsbesuch in "
                    "Paris."}[lang]
    assert "diplomacy" in {t.topic for t in tagger.tag(abroad, lang).topics}


def test_the_documented_example_topic_loads_and_tags(tmp_path: Path) -> None:
    doc = (Path(__file__).resolve().parents[3] / "docs" / "topics.md").read_text("utf-8")
    section = doc.split("## Example: adding a topic", 1)[1]
    example = section.split("```toml", 1)[1].split("```", 1)[0]
    tagger = load_tagger(_file(tmp_path, example), None)
    text = ("Hacker haben das Stromnetz angegriffen. Der Cyberangriff legte Kliniken lahm; "
            "die Ransomware verschlüsselte Daten, sagt das BSI.")
    tags = tagger.tag(text, "de")
    assert [t.topic for t in tags.topics] == ["cyber"]
    assert {e.term for e in tags.topics[0].evidence} >= {"cyberangriff*", "ransomware*"}
    assert tagger.tag("Ein Lifehacker-Tipp für die Küche.", "de").topics == ()


def test_entity_names_that_contain_an_alias_are_not_mentions() -> None:
    tagger = load_tagger()

    def entities(text: str) -> set[str]:
        return {e.entity for e in tagger.tag(text, "en").entities}

    assert "washington" not in entities("The Washington Post reported it first.")
    assert "washington" in entities("Washington – The White House said on Monday ...")
    assert "moscow" not in entities("ZSKA Moskau gewann gegen Dynamo Moskau.")
    assert "united_nations" not in entities("Es uno de los pilotos más rápidos.")
    assert "un_security_council" not in entities("The National Security Council met.")
    assert "united_states" not in entities("USA Today ran the story.")
