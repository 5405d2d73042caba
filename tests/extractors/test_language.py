"""Language identification: every script names its own languages, Latin among the news
languages, and the labelled documents keep the language their labellers gave them."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pytest

from evaluation.labelled import all_labelled
from extractors.language import (
    NEWS_LANGUAGES,
    SCRIPT_LANGUAGES,
    _identifier,
    _model,
    detect_language,
)

TEXTS = {
    "hi": "भारत और रूस के बीच रक्षा सहयोग पर नई दिल्ली में आज एक महत्वपूर्ण बैठक हुई। दोनों "
          "देशों के रक्षा मंत्रियों ने कई समझौतों पर हस्ताक्षर किए।",
    "el": "Η κυβέρνηση ανακοίνωσε σήμερα νέα μέτρα για την οικονομία της χώρας. Οι υπουργοί "
          "συναντήθηκαν στην Αθήνα.",
    "he": "הממשלה הודיעה היום על צעדים חדשים בכלכלה של המדינה. השרים נפגשו בירושלים.",
    "th": "รัฐบาลประกาศมาตรการใหม่เพื่อเศรษฐกิจของประเทศในวันนี้ รัฐมนตรีพบกันที่กรุงเทพ",
    "bn": "বাংলাদেশ ও ভারতের প্রধানমন্ত্রীরা আজ ঢাকায় বৈঠক করেছেন। তাঁরা বাণিজ্য নিয়ে কথা বলেন।",
    "ka": "მთავრობამ დღეს ქვეყნის ეკონომიკისთვის ახალი ზომები გამოაცხადა თბილისში.",
    "fa": "دولت امروز اقدامات جدیدی را برای اقتصاد کشور اعلام کرد. وزیران در تهران دیدار کردند.",
    "ar": "أعلنت الحكومة اليوم عن إجراءات جديدة لاقتصاد البلاد. والتقى الوزراء في القاهرة.",
    "ru": "Правительство объявило сегодня о новых мерах для экономики страны. Министры "
          "встретились в Москве.",
    "bg": "Правителството обяви днес нови мерки за икономиката на страната. Министрите се "
          "срещнаха в София.",
    "de": "Die Bundesregierung hat heute neue Maßnahmen für die Wirtschaft angekündigt. Die "
          "Minister trafen sich in Berlin.",
    "en": "The government announced new measures for the country's economy today. The "
          "ministers met in London.",
    "id": "Pemerintah hari ini mengumumkan langkah-langkah baru untuk perekonomian negara. Para "
          "menteri bertemu di Jakarta.",
    "vi": "Chính phủ hôm nay đã công bố các biện pháp mới cho nền kinh tế của đất nước. Các bộ "
          "trưởng đã gặp nhau tại Hà Nội.",
    "hu": "A kormány ma új intézkedéseket jelentett be az ország gazdasága érdekében. A "
          "miniszterek Budapesten találkoztak.",
    "ja": "北朝鮮の金正恩総書記は十三日、ロシア極東の宇宙基地でプーチン大統領と会談した。",
    "zh": "朝鲜最高领导人金正恩十三日在俄罗斯远东的航天发射场与普京总统举行会谈。",
    "ko": "김정은 북한 국무위원장은 13일 러시아 극동의 우주기지에서 푸틴 대통령과 회담했다.",
    "my": "အစိုးရသည် ယနေ့ နိုင်ငံ၏ စီးပွားရေးအတွက် အစီအစဉ်သစ်များကို ကြေညာခဲ့သည်။",
    "km": "រដ្ឋាភិបាលបានប្រកាសវិធានការថ្មីសម្រាប់សេដ្ឋកិច្ចរបស់ប្រទេសនៅថ្ងៃនេះ។",
    "bo": "གཞུང་གིས་དེ་རིང་རྒྱལ་ཁབ་ཀྱི་དཔལ་འབྱོར་ཆེད་དུ་ཐབས་ལམ་གསར་པ་བཏོན།",
}


@pytest.mark.parametrize("language", sorted(TEXTS))
def test_each_script_and_news_language_is_named_rightly(language: str) -> None:
    assert detect_language(TEXTS[language]) == language


def test_script_blocks_are_apart_and_name_languages_the_model_knows() -> None:
    blocks = sorted(block for block, _ in SCRIPT_LANGUAGES.values())
    assert all(first[1] < second[0] for first, second in pairwise(blocks))
    # a script of one language answers without the model, so check its code here; the
    # model has Tibetan script's Dzongkha but not Tibetan, the language its news is in
    named = {code for _, codes in SCRIPT_LANGUAGES.values() for code in codes}
    assert named | set(NEWS_LANGUAGES) <= set(_model().nb_classes) | {"bo"}
    assert all(len(codes) == 1 or set(codes) <= set(_model().nb_classes)
               for _, codes in SCRIPT_LANGUAGES.values())
    # what the scripts are for: among the news languages alone, Hindi was Norwegian
    assert _identifier(NEWS_LANGUAGES).classify(TEXTS["hi"])[0] != "hi"


def test_too_little_text_to_tell_is_none() -> None:
    assert detect_language("Kurz. 12 34") is None


def test_labelled_documents_keep_their_language(shared: Path) -> None:
    docs = [d for d in all_labelled(shared) if d.lang]
    wrong = [(d.id, d.lang) for d in docs if detect_language(d.text) != d.lang]
    # 10 of 2,167 on 2026-12-04, most of them pages in another language labelled English
    assert len(wrong) <= 0.01 * len(docs), wrong[:10]


def test_a_hindi_news_page_is_an_article_in_hindi() -> None:
    from extractors.article import extract
    from newsmon.core.records import RawInput

    body = "".join(f"<p>{TEXTS['hi']} बैठक {n} घंटे चली। नई दिल्ली, {n} सितंबर।</p>"
                   for n in range(1, 6))
    html = (f"<html lang='hi'><head><title>रक्षा बैठक</title></head><body><article>"
            f"<h1>भारत-रूस रक्षा बैठक</h1>{body}</article></body></html>")
    page = extract(RawInput("hi.html", "https://news.example.in/1", html.encode(), "html"),
                   min_words=40)
    assert page.language == "hi" and page.title == "भारत-रूस रक्षा बैठक"
