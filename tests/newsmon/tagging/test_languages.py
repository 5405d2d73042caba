"""Topics in more languages (``[tagging] multilingual = true``): the shipped topics with
French, Spanish, Italian, Polish, Russian, Japanese, Korean and Chinese terms beside the
German and English ones.

The articles below are written for these tests (not taken from any labelled set): each
states a subject plainly, or uses a topic word in its other sense."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from newsmon.core.config import load_config
from newsmon.core.errors import ConfigError
from newsmon.tagging import load_tagger, tagger_for_config
from newsmon.tagging.taxonomy import _with_languages, load_topics
from tests.conftest import read_cli

TAGGED = {
    "fr": ("L'Union européenne adopte un nouveau paquet de sanctions contre la Russie",
           "Les Vingt-Sept ont adopté mercredi un quatorzième paquet de sanctions contre la "
           "Russie, visant la flotte fantôme qui transporte le pétrole russe.\n\nCes sanctions "
           "économiques prévoient le gel des avoirs de plusieurs banques et un embargo sur le "
           "gaz naturel liquéfié.\n\nMoscou a dénoncé des mesures restrictives illégales.",
           "sanctions"),
    "ru": ("Россия и КНДР: поставки оружия",
           "По данным южнокорейской разведки, КНДР осуществила поставки оружия в Россию: более "
           "миллиона артиллерийских снарядов было передано российской армии.\n\nВашингтон "
           "заявил, что поставки боеприпасов из Пхеньяна нарушают резолюции Совета "
           "Безопасности ООН.\n\nВ Кремле отвергли обвинения в торговле оружием с КНДР.",
           "arms_trade"),
    "pl": ("Konwój z pomocą humanitarną dotarł do Chersonia",
           "Konwój z pomocą humanitarną dotarł w poniedziałek do Chersonia. Ciężarówki "
           "przywiozły żywność, wodę pitną i leki dla mieszkańców miasta.\n\nOrganizacje "
           "humanitarne ostrzegają przed katastrofą humanitarną w regionie. Dostawy pomocy "
           "humanitarnej są utrudnione przez ostrzały.", "humanitarian_aid"),
    "es": ("Cumbre de la OTAN en Washington",
           "Los jefes de Estado y de Gobierno de la OTAN se reúnen esta semana en una cumbre en "
           "Washington. La cumbre de la Alianza abordará la ayuda a Ucrania.\n\nEl presidente "
           "del Gobierno español mantendrá una reunión bilateral con el presidente "
           "estadounidense en el marco de la cumbre.", "diplomacy"),
    "ja": ("北朝鮮、弾道ミサイルを発射",
           "北朝鮮は18日朝、東部から日本海に向けて弾道ミサイル1発を発射した。防衛省によると、"
           "ミサイルは約千キロ飛行し、日本の排他的経済水域の外に落下した。\n\n北朝鮮のミサイル"
           "発射は今年に入って5回目。北朝鮮は軍事偵察衛星の打ち上げも予告している。",
           "missiles_space"),
    "ko": ("유엔 안보리, 대북 제재 결의안 채택",
           "유엔 안전보장이사회는 새로운 대북 제재 결의안을 채택했다. 제재안은 북한산 석탄과 "
           "철광석 수출을 금지하고 정유 제품 공급을 제한한다.\n\n미국은 대북 제재 이행을 "
           "강화하겠다고 밝혔다. 중국과 러시아는 추가 제재가 도움이 되지 않는다고 주장했다.",
           "sanctions"),
    "zh": ("俄朝签署全面战略伙伴关系条约",
           "俄罗斯总统普京与朝鲜领导人金正恩在平壤签署全面战略伙伴关系条约，双方同意加强军事合作。"
           "\n\n两国还将举行联合军事演习，并在国防领域开展技术合作。美国和韩国对此表示严重关切。",
           "military_cooperation"),
}

OTHER_SENSE = {
    "fr: a football suspension": ("fr", "Ligue 1 : lourde sanction pour le défenseur",
        "La commission de discipline a infligé une sanction de quatre matchs de suspension au "
        "défenseur, exclu samedi.\n\nLe joueur, déjà sanctionné la saison dernière, devra "
        "payer une amende. Le club veut faire appel de cette sanction."),
    "es: 'sin embargo' (however)": ("es", "El Gobierno presenta los presupuestos",
        "El Gobierno presentó los presupuestos. Sin embargo, la oposición votará en contra."
        "\n\nSin embargo, el ministro confía en lograr apoyos. Los sindicatos, sin embargo, "
        "piden más gasto social."),
    "es: a mountain's summit": ("es", "Alpinistas alcanzan la cumbre del Aconcagua",
        "Un grupo de alpinistas alcanzó la cumbre del Aconcagua tras diez días. La cumbre "
        "estaba cubierta de nieve.\n\nLos montañeros celebraron en la cumbre antes de bajar."),
    "pl: a ceasefire": ("pl", "Rozmowy o zawieszeniu broni",
        "Negocjatorzy prowadzą rozmowy o zawieszeniu broni. Zawieszenie broni miałoby objąć "
        "wymianę zakładników.\n\nIzrael broni swojego stanowiska, a Hamas broni swoich żądań."),
    "it: 'nato' (born)": ("it", "È nato il primo panda allo zoo di Roma",
        "È nato ieri sera il primo cucciolo di panda gigante allo zoo di Roma. Il piccolo, nato "
        "dopo cinque mesi, pesa cento grammi.\n\nIl cucciolo è nato in ottima salute."),
    "ja: fireworks launched": ("ja", "隅田川花火大会に91万人",
        "隅田川花火大会が29日夜に開かれ、約2万発の花火が打ち上げられた。\n\n打ち上げは午後7時に"
        "始まり、色とりどりの花火が夜空を彩った。警視庁は雑踏警備に約5千人を動員した。"),
    "ko: a football league's penalty": ("ko", "프로축구연맹, 심판 항의 선수에 5경기 출장정지",
        "프로축구연맹은 심판 판정에 항의한 선수에게 5경기 출장정지 징계를 내렸다. 연맹은 해당 "
        "구단에도 제재금 500만 원을 부과했다.\n\n구단은 제재에 대해 재심을 청구하지 않기로 했다."),
    "zh: a nuclear power plant": ("zh", "华龙一号新机组并网发电",
        "中国第三代核电站华龙一号新机组今日并网发电。该核电站每年可提供清洁电力约100亿千瓦时。"
        "\n\n国家能源局表示，核电是实现碳中和的重要清洁能源。"),
}


def _without_new_languages(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_new_languages(v) for k, v in value.items()
                if k not in {"fr", "es", "it", "pl", "ru", "ja", "ko", "zh"}}
    if isinstance(value, list):
        return [_without_new_languages(v) for v in value]
    return value


def test_german_and_english_rules_are_the_defaults_so_their_tags_are_the_same() -> None:
    default = load_topics().model_dump()
    multilingual = load_topics(multilingual=True).model_dump()
    assert multilingual != default
    assert _without_new_languages(multilingual) == _without_new_languages(default)


@pytest.mark.parametrize("language", sorted(TAGGED))
def test_an_article_in_each_language_gets_its_topic_with_evidence_in_its_words(
    language: str,
) -> None:
    title, text, topic = TAGGED[language]
    tagger = load_tagger(multilingual=True)
    tags = {t.topic: t for t in tagger.tag(text, language, title).topics}
    assert topic in tags
    evidence = tags[topic].evidence
    assert evidence and all(
        (title if e.field == "title" else text)[e.start:e.end] == e.text for e in evidence)
    # the words that carry it are the language's own terms, not German or English ones
    assert {e.term for e in evidence} - _terms_of(load_topics().model_dump())


def _terms_of(value: Any) -> set[str]:
    if isinstance(value, dict):
        return set().union(*(_terms_of(v) for v in value.values()))
    if isinstance(value, list):
        return set().union(*(_terms_of(v) for v in value))
    return {value} if isinstance(value, str) else set()


@pytest.mark.parametrize("case", sorted(OTHER_SENSE))
def test_a_topic_word_in_its_other_sense_tags_nothing(case: str) -> None:
    language, title, text = OTHER_SENSE[case]
    tags = load_tagger(multilingual=True).tag(text, language, title)
    assert tags.topics == ()
    assert all(e.entity != "nato" for e in tags.entities)


def test_the_configuration_switches_the_shipped_topics_to_more_languages(tmp_path: Path) -> None:
    config = tmp_path / "newsmon.toml"
    config.write_text("[tagging]\nmultilingual = true\n", encoding="utf-8")
    tagger = tagger_for_config(load_config(config))
    assert {"de", "en", "fr", "es", "it", "pl", "ru", "ja", "ko", "zh"} <= tagger.languages
    assert tagger.version == load_tagger(multilingual=True).version != load_tagger().version


def test_the_topics_command_names_the_languages_the_terms_are_in(tmp_path: Path) -> None:
    default = read_cli("topics", cwd=tmp_path)
    assert default.returncode == 0, default.stderr
    assert "terms in de, en;" in default.stdout
    (tmp_path / "newsmon.toml").write_text("[tagging]\nmultilingual = true\n", encoding="utf-8")
    chosen = read_cli("topics", cwd=tmp_path)
    assert chosen.returncode == 0, chosen.stderr
    assert "(default) topics-multilingual.toml" in chosen.stdout
    assert "terms in de, en, es, fr, it, ja, ko, pl, ru, zh;" in chosen.stdout


def test_multilingual_and_a_topics_file_of_ones_own_are_one_choice(tmp_path: Path) -> None:
    (tmp_path / "mine.toml").write_text("", encoding="utf-8")
    config = tmp_path / "newsmon.toml"
    config.write_text('[tagging]\nmultilingual = true\ntopics = "mine.toml"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"newsmon\.toml: tagging: multilingual chooses the "
                                          r"shipped topics, topics a file of your own"):
        load_config(config)


def test_the_languages_file_must_follow_the_default_groups() -> None:
    base = {"topics": [{"id": "t", "terms": [{"weight": 3, "en": ["sanction*"]}]}]}
    with pytest.raises(ConfigError, match=r"x\.toml: topic 't': 2 groups where topics\.toml has 1"):
        _with_languages(base, {"topics": [{"id": "t", "terms": [{}, {}]}]}, "x.toml")
    with pytest.raises(ConfigError, match=r"x\.toml: topic 't': terms\[0\]: 'en' is already in"):
        _with_languages(base, {"topics": [{"id": "t", "terms": [{"en": ["x"]}]}]}, "x.toml")
    with pytest.raises(ConfigError, match=r"x\.toml: topic 'u': not a topic of topics\.toml"):
        _with_languages(base, {"topics": [{"id": "u"}]}, "x.toml")
    merged = _with_languages(base, {"topics": [{"id": "t", "terms": [{"fr": ["sanction*"]}]}]},
                             "x.toml")
    assert merged["topics"][0]["terms"][0] == {"weight": 3, "en": ["sanction*"],
                                               "fr": ["sanction*"]}
