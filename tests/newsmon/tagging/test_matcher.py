"""The matcher and scorer on small, hand-made taxonomies: every rule of docs/topics.md."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsmon.tagging import Tagger, load_tagger
from newsmon.tagging.matcher import Matcher, compile_term, normalise


def _words(terms: list[str], lang: str, text: str) -> list[str]:
    """The text spans a matcher with ``terms`` finds in ``text``."""
    patterns = [p for i, t in enumerate(terms) for p in compile_term(t, lang=lang, owner=i)]
    return [text[h.start : h.end] for h in Matcher(patterns).find(text)]


@pytest.mark.parametrize(
    ("term", "word"),
    [
        ("*munition", "Artilleriemunition"),
        ("waffenliefer*", "Waffenlieferungen"),
        ("sanktion*", "Sanktionsregime"),
        ("sanktion*", "Sanktionen"),
        ("*satellit", "Spionagesatelliten"),
        ("atomwaffe*", "Atomwaffenprogramms"),
        ("Waffenlieferung", "Waffenlieferungen"),  # whole word, inflected
        ("Gipfel", "Gipfels"),
    ],
)
def test_german_compounds_and_inflections_match(term: str, word: str) -> None:
    assert _words([term], "de", f"Es geht um {word} und mehr.") == [word]


@pytest.mark.parametrize(
    ("term", "word"),
    [
        ("Waffe", "Waffenstillstand"),  # a whole-word term does not match inside a compound
        ("waffenliefer*", "Luftwaffe"),
        ("Gipfel", "Gipfelstürmer"),  # another word, not an inflection
        ("sanktion", "Sanktionsregime"),
        ("arms", "harmsworth"),
    ],
)
def test_look_alikes_do_not_match(term: str, word: str) -> None:
    assert _words([term], "de", f"Es geht um {word} und mehr.") == []


def test_english_terms_use_english_inflections() -> None:
    text = "Two missiles were launched; the sanctioned firms sold arms."
    assert _words(["missile", "sanction*", "arms"], "en", text) == ["missiles", "sanctioned",
                                                                   "arms"]
    # German endings are not English ones: "armer" is not an inflection of "arm"
    assert _words(["arm"], "en", "an armer of sorts") == []


def test_phrases_span_hyphens_and_case() -> None:
    text = "Nordkoreas Machthaber Kim Jong-un traf KIM JONG UN? Nein: Kim Jong Uns Zug."
    assert _words(["Kim Jong Un"], "any", text) == ["Kim Jong-un", "KIM JONG UN", "Kim Jong Uns"]


def test_acronyms_match_only_in_capitals_and_sharp_s_matches_ss() -> None:
    assert _words(["UN"], "any", "Die UN sagt, un jour, die Un-Sache.") == ["UN"]
    assert _words(["Großmacht"], "de", "Die Grossmacht und die Großmacht.") == [
        "Grossmacht", "Großmacht"]


def _names(aliases: list[str], text: str) -> list[str]:
    """The spans entity aliases (``any`` terms that are names) find in ``text``."""
    patterns = [p for i, alias in enumerate(aliases)
                for p in compile_term(alias, lang="any", owner=i, proper=True)]
    return [text[h.start : h.end] for h in Matcher(patterns).find(text)]


def test_a_cyrillic_name_takes_the_case_endings_of_how_it_ends() -> None:
    # Snowball stems Лавров/Лаврова and Корея/Кореи apart; the ending decides here
    text = ("Лаврова, Путиным, России, Росії, Москвой, Україною, Кремлём, Китая, Зеленского, "
            "Зеленському; not another word: россиян, Москвич, украинский, Путинизм")
    assert _names(["Лавров", "Путин", "Россия", "Росія", "Москва", "Україна", "Кремль",
                   "Китай", "Зеленский", "Зеленський"], text) == [
        "Лаврова", "Путиным", "России", "Росії", "Москвой", "Україною", "Кремлём", "Китая",
        "Зеленского", "Зеленському"]
    # a name of several words declines its last; one ending otherwise is found as written
    assert _names(["Северной Корея", "Шойгу"], "Северной Кореи и Шойгу, Шойгуа") == [
        "Северной Кореи", "Шойгу"]


def test_a_greek_name_is_found_with_or_without_accents_and_in_the_genitive() -> None:
    assert _names(["Ρωσία", "Κρεμλίνο"], "της Ρωσίας, Η ΡΩΣΙΑ, του Κρεμλίνου, ρωσία") == [
        "Ρωσίας", "ΡΩΣΙΑ", "Κρεμλίνου"]


def test_arabic_and_hebrew_names_carry_the_particles_written_onto_them() -> None:
    text = "وبوتين ولبوتين للكرملين بالكرملين إلىبوتين كسول"
    assert _names(["بوتين", "الكرملين", "سول"], text) == [
        "وبوتين", "ولبوتين", "للكرملين", "بالكرملين"]
    # hamza on alif or not, alif maqsura or yeh, Persian or Arabic yeh: one letter each
    assert _names(["كيم جونغ أون"], "كيم جونغ اون") == ["كيم جونغ اون"]
    assert _names(["פוטין", "מוסקבה"], "ובמוסקבה שפוטין, תפוטין") == ["ובמוסקבה", "שפוטין"]


def test_combining_marks_belong_to_their_word() -> None:
    # Hindi vowel signs are marks, not letters: split at them, पुतिन was "प त न"
    text = "रूस के राष्ट्रपति पुतिन ने कहा। पतन"
    spans = [(h.start, h.end) for h in Matcher(
        compile_term("पुतिन", lang="any", owner=0, proper=True)).find(text)]
    assert [text[s:e] for s, e in spans] == ["पुतिन"]
    assert _names(["न"], text) == []  # a mark-split fragment is no word
    assert normalise("e\u0301te\u0301, पुतिन") == "e\u0301te\u0301  पुतिन"


def test_evidence_offsets_point_into_the_original_text() -> None:
    text = "Vorwort. Die Waffenlieferungen an die Ukraine (Artilleriemunition) gehen weiter."
    spans = [(h.start, h.end) for h in Matcher(
        compile_term("waffenliefer*", lang="de", owner=0)
        + compile_term("*munition", lang="de", owner=1)).find(text)]
    assert [text[s:e] for s, e in spans] == ["Waffenlieferungen", "Artilleriemunition"]
    assert spans[0] == (text.index("Waffen"), text.index("Waffen") + len("Waffenlieferungen"))


def _write(tmp_path: Path, body: str, name: str = "topics.toml") -> Path:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return path


RULES = """
lead_chars = 0
[[topics]]
id = "sanctions"
name = "Sanctions"
threshold = 5
[[topics.terms]]
weight = 3
de = ["sanktion*", "embargo*"]
[[topics.terms]]
weight = 1
cap = 1
de = ["sicherheitsrat"]
[[topics.terms]]
weight = -3
de = ["spielsperre*"]
[topics.exclude]
de = ["sanktionsfreie zone"]
"""


@pytest.fixture
def sanctions(tmp_path: Path) -> Tagger:
    return load_tagger(_write(tmp_path, RULES), _write(tmp_path, "", "entities.toml"),
                       use_scorer=False)


def test_a_word_in_passing_stays_under_the_threshold(sanctions: Tagger) -> None:
    assert sanctions.scores("Das Land steht unter Sanktionen.", "de") == {"sanctions": 3.0}
    assert sanctions.tag("Das Land steht unter Sanktionen.", "de").topics == ()


def test_repeats_count_less_and_different_terms_add_up(sanctions: Tagger) -> None:
    # 3 + 3/2: one term repeated
    assert sanctions.scores("Sanktionen hier, Sanktionen dort.", "de")["sanctions"] == 4.5
    tags = sanctions.tag("Neue Sanktionen und ein Embargo.", "de")  # 3 + 3
    assert [(t.topic, t.score) for t in tags.topics] == [("sanctions", 6.0)]
    assert [e.term for e in tags.topics[0].evidence] == ["sanktion*", "embargo*"]


def test_a_capped_group_cannot_carry_a_topic(sanctions: Tagger) -> None:
    text = "Sicherheitsrat, Sicherheitsrat, Sicherheitsrat. Dazu Sanktionen."
    assert sanctions.scores(text, "de")["sanctions"] == 4.0  # 3 + at most 1


def test_negative_weights_and_exclusions(sanctions: Tagger) -> None:
    sport = "Sanktionen und ein Embargo? Nein: eine Spielsperre."
    assert sanctions.scores(sport, "de")["sanctions"] == 3.0  # 3 + 3 - 3
    excluded = "Eine sanktionsfreie Zone und ein Embargo."
    assert sanctions.scores(excluded, "de")["sanctions"] == 3.0  # only the embargo counts


def test_the_lead_counts_more(tmp_path: Path) -> None:
    rules = RULES.replace("lead_chars = 0", "lead_chars = 20\nlead_boost = 2")
    tagger = load_tagger(_write(tmp_path, rules), _write(tmp_path, "", "entities.toml"),
                         use_scorer=False)
    assert tagger.scores("Sanktionen! " + "x " * 30, "de")["sanctions"] == 6.0
    assert tagger.scores("x " * 30 + "Sanktionen!", "de")["sanctions"] == 3.0


def test_a_brief_needs_less_of_the_threshold(tmp_path: Path) -> None:
    rules = RULES.replace("lead_chars = 0", "lead_chars = 0\nbrief_words = 20")
    tagger = load_tagger(_write(tmp_path, rules), _write(tmp_path, "", "entities.toml"),
                         use_scorer=False)
    brief = "Der Rat beschloss am Montag neue Sanktionen gegen das Land."  # 10 words
    assert [t.topic for t in tagger.tag(brief, "de").topics] == ["sanctions"]  # 3 >= 5 * 0.5
    longer = brief + " Die Sitzung dauerte lange, danach gab es ein Essen im Saal." * 2
    assert tagger.tag(longer, "de").topics == ()  # 32 words: the whole threshold
    assert tagger.tag("Der Rat tagte am Montag im Saal.", "de").topics == ()  # no anchor
    plain = load_tagger(_write(tmp_path, RULES, "plain.toml"),
                        _write(tmp_path, "", "entities.toml"), use_scorer=False)
    assert plain.tag(brief, "de").topics == ()  # without brief_words every text is long
    assert "brief_words" not in plain.taxonomy.content  # files without it keep their version


def test_pairs_find_statements(tmp_path: Path) -> None:
    rules = """
lead_chars = 0
[[topics]]
id = "arms_trade"
name = "Arms"
threshold = 5
[[topics.terms]]
weight = 1
de = ["kampfjets"]
[[topics.pairs]]
weight = 5
within = 30
[topics.pairs.a]
de = ["*kampfjets"]
[topics.pairs.b]
de = ["geliefert"]
"""
    tagger = load_tagger(_write(tmp_path, rules), _write(tmp_path, "", "entities.toml"),
                         use_scorer=False)
    near = tagger.tag("Die USA haben acht F-16-Kampfjets an Ägypten geliefert.", "de")
    assert [t.score for t in near.topics] == [5.0]  # the pair, not the pair plus the word
    evidence = near.topics[0].evidence[0]
    assert evidence.term == "*kampfjets ~ geliefert"
    assert evidence.text == "Kampfjets an Ägypten geliefert"
    far = "Kampfjets. " + "Lange Rede über anderes. " * 3 + "Es wurde Brot geliefert."
    assert tagger.tag(far, "de").topics == ()


def test_default_taxonomy_keeps_look_alikes_out_of_arms_trade() -> None:
    tagger = load_tagger()
    text = ("Der Waffenstillstand hält. Die Luftwaffe übt über der Nordsee, die Luftwaffe "
            "fliegt Patrouille, und der Waffenstillstand wird verlängert.")
    assert tagger.scores(text, "de")["arms_trade"] == 0.0
    deal = ("Russland will Artilleriemunition aus Nordkorea kaufen. Die Waffenlieferungen "
            "könnten den Krieg verlängern, warnen Experten vor dem Waffengeschäft.")
    assert "arms_trade" in {t.topic for t in tagger.tag(deal, "de").topics}


def test_default_taxonomy_tells_the_moon_and_press_embargoes_from_its_topics() -> None:
    tagger = load_tagger()
    lunar = ("Lunar New Year celebrations began across Asia. Families gathered under the full "
             "moon; a lunar eclipse and a blood moon followed later in the month, and the "
             "lunar calendar marks the Year of the Dragon.")
    assert tagger.scores(lunar, "en")["missiles_space"] == 0.0
    mission = ("China launched a lunar probe on Friday. The lunar mission is the next step of "
               "its space programme; the lunar lander will touch down on the far side.")
    assert "missiles_space" in {t.topic for t in tagger.tag(mission, "en").topics}
    caption = ("Tony Hall arrives at Broadcasting House. (EMBARGOED FOR PUBLICATION IN UK "
               "NEWSPAPERS UNTIL 48 HOURS AFTER CREATE DATE) The press embargo was lifted.")
    assert tagger.scores(caption, "en")["sanctions"] == 0.0
    trade = "The EU extended its oil embargo on Russia and added new sanctions on banks."
    assert "sanctions" in {t.topic for t in tagger.tag(trade, "en").topics}


def test_default_entities_join_languages_and_transliterations() -> None:
    tagger = load_tagger()
    german = ("Kim Jong-un traf in Wladiwostok Putin; Schoigu war in Pjöngjang. "
              "Putins Gast Kim Jong Un reiste weiter.")
    english = "Kim Jong Un met Putin in Vladivostok; Shoigu had been to Pyongyang."
    found_de = {e.entity: e.mentions for e in tagger.tag(german, "de").entities}
    found_en = {e.entity: e.mentions for e in tagger.tag(english, "en").entities}
    assert found_de == {"kim_jong_un": 2, "vladivostok": 1, "vladimir_putin": 2,
                        "sergei_shoigu": 1, "pyongyang": 1}
    assert found_en == {"kim_jong_un": 1, "vladivostok": 1, "vladimir_putin": 1,
                        "sergei_shoigu": 1, "pyongyang": 1}


def test_a_separate_title_counts_as_lead_with_its_own_evidence(sanctions: Tagger) -> None:
    text = "Der Rat tagte lange. Danach gab es Sanktionen."
    assert sanctions.tag(text, "de").topics == ()
    tags = sanctions.tag(text, "de", title="Embargo gegen Nordkorea")
    [tag] = tags.topics
    assert tag.score == 7.5  # 3 x lead_boost 1.5 for the title, 3 for the text
    by_field = {e.field: e for e in tag.evidence}
    assert (by_field["title"].text, by_field["title"].start) == ("Embargo", 0)
    assert text[by_field["text"].start : by_field["text"].end] == "Sanktionen"
    # plain-text files repeat their first sentence as title: it does not count twice
    first = "Neue Sanktionen gegen Nordkorea."
    assert sanctions.tag(first + " Mehr nicht.", "de", title=first).topics == ()


def test_min_terms_asks_for_different_terms(tmp_path: Path) -> None:
    rules = RULES.replace("threshold = 5", "threshold = 5\nmin_terms = 2")
    tagger = load_tagger(_write(tmp_path, rules), _write(tmp_path, "", "entities.toml"),
                         use_scorer=False)
    repeated = "Sanktionen, Sanktionen, Sanktionen und nochmals Sanktionen."
    assert tagger.scores(repeated, "de")["sanctions"] >= 5  # enough score ...
    assert tagger.tag(repeated, "de").topics == ()  # ... but one term only
    assert [t.topic for t in tagger.tag("Sanktionen und ein Embargo.", "de").topics] == [
        "sanctions"]
