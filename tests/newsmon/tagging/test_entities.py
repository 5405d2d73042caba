"""Tracked entities: where each is mentioned, and a floor under their precision on the
judged samples of ``bench/labels/entity-tags.jsonl`` (``python -m bench.tagging``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from evaluation.entities import precision, read_judged
from newsmon.tagging import load_tagger

#: measured when the floor was set: first sample 0.957 (tuned on), second 0.980
#: (0.97 as drawn and judged, before the three Washington exclusions it showed),
#: multilingual 0.95 (every tag the native-script and other-language aliases added; 20,
#: then the 2 the Russian case endings and the 2 the Swedish aliases added in the sampled
#: corpora, all right: 23 of 24, 0.958)
FLOORS = {"first": 0.93, "second": 0.95, "multilingual": 0.9}
SIZES = {"first": 100, "second": 100, "multilingual": 24}


def test_mentions_point_at_the_words_and_skip_names_that_mean_something_else() -> None:
    text = ("Putin empfing Kim Jong-un in Wladiwostok. Die Washington Post berichtete, "
            "Washington sehe das Treffen mit Sorge.")
    mentions = load_tagger().entity_mentions(text, "de")
    found = [(entity, text[start:end]) for entity, start, end in mentions]
    assert ("vladimir_putin", "Putin") in found
    assert ("kim_jong_un", "Kim Jong-un") in found
    assert ("vladivostok", "Wladiwostok") in found
    # the newspaper is excluded, the capital two words later is not
    assert [span for entity, span in found if entity == "washington"] == ["Washington"]
    assert text.index("Washington sehe") in [s for e, s, _ in mentions if e == "washington"]


def test_names_in_other_scripts_are_found_with_their_inflections_and_particles() -> None:
    tagger = load_tagger()

    def found(text: str, language: str) -> list[tuple[str, str]]:
        return [(e, text[s:t]) for e, s, t in tagger.entity_mentions(text, language)]

    # Japanese and Chinese have no spaces: the name is found inside a run of characters,
    # and the evidence is the name itself
    assert found("北朝鮮の金正恩総書記がロシアを訪問した。", "ja") == [
        ("north_korea", "北朝鮮"), ("kim_jong_un", "金正恩"), ("russia", "ロシア")]
    # Korean attaches particles to the word; the name must still start it (남북한 is not 북한)
    assert found("김정은이 블라디보스토크에서 푸틴을 만났다. 남북한", "ko") == [
        ("kim_jong_un", "김정은이"), ("vladivostok", "블라디보스토크에서"),
        ("vladimir_putin", "푸틴을")]
    # Russian case endings, and Cyrillic acronyms only in capitals
    assert found("Ким Чен Ын прибыл к Путину на космодром Восточный. ООН; оон", "ru") == [
        ("kim_jong_un", "Ким Чен Ын"), ("vladimir_putin", "Путину"),
        ("vostochny_cosmodrome", "космодром Восточный"), ("united_nations", "ООН")]


SCRIPTS = [
    ("ru", "Президент России принял Ким Чен Ына; Лавров и Песков сообщили, что Кремль "
     "доволен, а делегация Северной Кореи вернулась в Пхеньян. Россияне довольны.",
     ["russia", "kim_jong_un", "sergei_lavrov", "dmitry_peskov", "kremlin", "north_korea",
      "pyongyang"]),
    ("uk", "Зеленський заявив, що Росія отримує зброю з Північної Кореї; Путін зустрівся з "
     "Кім Чен Ином. Зеленському подякували в ООН.",
     ["volodymyr_zelensky", "russia", "north_korea", "vladimir_putin", "kim_jong_un",
      "volodymyr_zelensky", "united_nations"]),
    ("ar", "استقبل الرئيس الروسي بوتين الزعيم كيم جونغ أون في روسيا. وقال الكرملين إن "
     "المحادثات مع كوريا الشمالية مثمرة، وفي سول قلق. وقال مجلس الأمن القومي. تاريخ بروسيا.",
     ["vladimir_putin", "kim_jong_un", "russia", "kremlin", "north_korea", "seoul"]),
    ("he", "נשיא רוסיה פוטין אירח את קים ג'ונג און. בקרמלין אמרו כי השיחות עם צפון קוריאה "
     "היו פוריות, ובמוסקבה עוקבים. מועצת הביטחון של האו\"ם תתכנס.",
     ["russia", "vladimir_putin", "kim_jong_un", "kremlin", "north_korea", "moscow",
      "un_security_council", "united_nations"]),
    ("hi", "रूस के राष्ट्रपति पुतिन ने किम जोंग उन से मुलाकात की। राष्ट्रीय सुरक्षा परिषद ने कहा।",
     ["russia", "vladimir_putin", "kim_jong_un"]),
    ("fa", "پوتین رئیس جمهور روسیه با کیم جونگ اون رهبر کره شمالی دیدار کرد.",
     ["vladimir_putin", "russia", "kim_jong_un", "north_korea"]),
    ("el", "Ο Πούτιν συναντήθηκε με τον Κιμ Γιονγκ Ουν. Οι σχέσεις της Ρωσίας με τη Βόρεια "
     "Κορέα. Η ΡΩΣΙΑ.",
     ["vladimir_putin", "kim_jong_un", "russia", "north_korea", "russia"]),
    ("pl", "Rzecznik Kremla Pieskow powiedział w Moskwie, że Putin spotka się z Kim Dzong Unem "
     "w Władywostoku; w Waszyngtonie i Seulu rośnie niepokój. Rosjanie milczą.",
     ["kremlin", "dmitry_peskov", "moscow", "vladimir_putin", "kim_jong_un", "vladivostok",
      "washington", "seoul"]),
    ("nl", "Rusland en Noord-Korea versterken hun banden; in Moskou sprak Poetin met Kim "
     "Jong-un. De VN-Veiligheidsraad en de NAVO reageerden. De Nationale Veiligheidsraad niet.",
     ["russia", "north_korea", "moscow", "vladimir_putin", "kim_jong_un", "un_security_council",
      "nato"]),
    ("sv", "Ryssland och Nordkorea stärker banden; FN:s säkerhetsråd och Sydkorea reagerade, "
     "inte Nationella säkerhetsrådet.",
     ["russia", "north_korea", "un_security_council", "south_korea"]),
    ("cs", "Rusko a Severní Korea posilují vztahy. Putin se v Moskvě setkal s Kim Čong-unem; "
     "Rada bezpečnosti OSN a Jižní Korea reagovaly. Ukrajina protestovala, Čína mlčí.",
     ["russia", "north_korea", "vladimir_putin", "moscow", "kim_jong_un", "un_security_council",
      "south_korea", "ukraine", "china"]),
    ("ro", "Rusia și Coreea de Nord își întăresc legăturile. La Moscova, Putin s-a întâlnit cu "
     "Kim Jong-un; Consiliul de Securitate și Statele Unite au reacționat.",
     ["russia", "north_korea", "moscow", "vladimir_putin", "kim_jong_un", "un_security_council",
      "united_states"]),
    ("tr", "Putin, Kuzey Kore lideri Kim Jong-un'u ağırladı; Kremlin, Rusya'nın ilişkilerini "
     "övdü. ABD endişeli.",
     ["vladimir_putin", "north_korea", "kim_jong_un", "kremlin", "russia", "united_states"]),
]


@pytest.mark.parametrize(("language", "text", "expected"), SCRIPTS,
                         ids=[language for language, _, _ in SCRIPTS])
def test_the_actors_are_tracked_in_more_scripts(language: str, text: str,
                                                expected: list[str]) -> None:
    """Adjectives (российский, الروسي), peoples (Россияне), Prussia (بروسيا) and a
    national security council are not the entities."""
    mentions = load_tagger().entity_mentions(text, language)
    assert [entity for entity, _, _ in mentions] == expected


def test_entity_precision_on_the_judged_samples(shared: Path) -> None:
    judged = read_judged()
    tagger = load_tagger()
    for sample, floor in FLOORS.items():
        members = [j for j in judged if j.sample == sample]
        assert len(members) == SIZES[sample]
        found = precision(tagger, members, shared)
        assert found.kept >= 0.9 * SIZES[sample], \
            f"{sample}: only {found.kept} judged tags still produced"
        assert found.value >= floor, f"{sample}: precision {found.value:.3f}"
