"""The "is this an article?" checks."""

from __future__ import annotations

import pytest

from extractors.quality import check_article_text, counted_words, reads_as_markup
from newsmon.core.errors import RejectedInput
from newsmon.core.outcomes import RejectReason
from tests.conftest import SEEDS


def _reason(text: str, min_words: int = 40) -> RejectReason:
    with pytest.raises(RejectedInput) as info:
        check_article_text(text, min_words=min_words)
    return info.value.reason


def test_every_seed_passes() -> None:
    for path in SEEDS.glob("*.txt"):
        check_article_text(path.read_text(encoding="utf-8"), min_words=40)


def test_short_text_is_too_short() -> None:
    assert _reason("Nur ein kurzer Satz.") is RejectReason.TOO_SHORT


def test_numbers_csv_and_code_are_not_articles() -> None:
    csv_numbers = "\n".join(f"{i};{i * 3};{i * 7};{i * 11}" for i in range(200))
    code = "\n".join(f"def f{i}(x):\n    return {{'k': x[{i}]}} if x else None" for i in range(60))
    word_list = " ".join(["Waffen", "Sanktionen", "Satelliten", "Gipfel"] * 30)
    assert _reason(csv_numbers) is RejectReason.NOT_ARTICLE
    assert _reason(code) is RejectReason.NOT_ARTICLE
    assert _reason(word_list) is RejectReason.NOT_ARTICLE


# A few sentences of news in each script, written for this test.
JAPANESE = ("北朝鮮の金正恩総書記は十三日、ロシア極東のボストーチヌイ宇宙基地でプーチン大統領と"
            "会談した。両首脳は軍事協力や宇宙開発について話し合ったとみられる。会談は約四時間に"
            "及んだ。日本政府は武器取引の可能性を警戒している。")
CHINESE = ("朝鲜最高领导人金正恩十三日在俄罗斯远东的东方航天发射场与普京总统会谈。双方讨论了军事"
           "合作和航天问题。会谈持续约四个小时。美国和韩国对可能的武器交易表示担忧。日本政府也"
           "表示将密切关注事态发展。分析人士认为，这次会谈可能涉及卫星技术。")
HINDI = ("उत्तर कोरिया के नेता किम जोंग उन ने बुधवार को रूस के सुदूर पूर्व में राष्ट्रपति पुतिन से "
         "मुलाकात की। दोनों नेताओं ने सैन्य सहयोग और अंतरिक्ष कार्यक्रम पर बातचीत की। यह बैठक "
         "लगभग चार घंटे चली। अमेरिका ने हथियारों के सौदे की आशंका जताई है। दक्षिण कोरिया की "
         "सरकार ने भी इस मुलाकात पर चिंता व्यक्त की।")
ARABIC = ("التقى الزعيم الكوري الشمالي كيم جونغ أون بالرئيس الروسي فلاديمير بوتين يوم الأربعاء في "
          "الشرق الأقصى الروسي. وناقش الزعيمان التعاون العسكري وبرامج الفضاء. واستمر اللقاء نحو "
          "أربع ساعات. هل ستؿدي الزيارة إلى صفقة أسلحة؟ تخشى واشنطن وسيول ذلك. وقالت وزارة "
          "الخارجية إنها تتابع الوضع عن كثب.")
THAI = ("คิม จอง อึน ผู้นำเกาหลีเหนือ พบกับประธานาธิบดีปูตินที่ฐานอวกาศในรัสเซียตะวันออกไกล "
        "ทั้งสองหารือเรื่องความร่วมมือทางทหารและโครงการอวกาศ การประชุมใช้เวลาราวสี่ชั่วโมง "
        "สหรัฐอเมริกากังวลเรื่องข้อตกลงอาวุธ เกาหลีใต้และญี่ปุ่นติดตามสถานการณ์อย่างใกล้ชิด")

# Burmese, Khmer and Tibetan end sentences with marks of their own (။, ។, །): without
# them a page in these scripts was "no sentences"
BURMESE = ("မြောက်ကိုရီးယားခေါင်းဆောင် ကင်ဂျုံအွန်သည် ရုရှားနိုင်ငံ အရှေ့ဖျားဒေသရှိ အာကာသစခန်းတွင် "
           "သမ္မတပူတင်နှင့် တွေ့ဆုံခဲ့သည်။ ခေါင်းဆောင်နှစ်ဦးသည် စစ်ရေးပူးပေါင်းဆောင်ရွက်မှုနှင့် "
           "အာကာသအစီအစဉ်များကို ဆွေးနွေးခဲ့ကြသည်။ တွေ့ဆုံမှုသည် လေးနာရီခန့် ကြာမြင့်ခဲ့သည်။ "
           "အမေရိကန်နိုင်ငံသည် လက်နက်အရောင်းအဝယ်ဖြစ်နိုင်ခြေကို စိုးရိမ်ကြောင်း ပြောကြားခဲ့သည်။ "
           "တောင်ကိုရီးယားနှင့် ဂျပန်အစိုးရများလည်း အခြေအနေကို အနီးကပ် စောင့်ကြည့်နေကြသည်။")
KHMER = ("មេដឹកនាំកូរ៉េខាងជើង គីម ជុងអ៊ុន បានជួបជាមួយប្រធានាធិបតីពូទីន នៅមូលដ្ឋានអវកាសក្នុងភាគខាងកើតឆ្ងាយនៃប្រទេសរុស្ស៊ី។ "
         "មេដឹកនាំទាំងពីរបានពិភាក្សាអំពីកិច្ចសហប្រតិបត្តិការយោធា និងកម្មវិធីអវកាស។ "
         "កិច្ចប្រជុំនេះមានរយៈពេលប្រហែលបួនម៉ោង។ សហរដ្ឋអាមេរិកបានបង្ហាញការព្រួយបារម្ភអំពីកិច្ចព្រមព្រៀងអាវុធ។ "
         "កូរ៉េខាងត្បូង និងជប៉ុនកំពុងតាមដានស្ថានការណ៍យ៉ាងដិតដល់។")
TIBETAN = ("བྱང་ཀོ་རེ་ཡའི་འགོ་ཁྲིད་ཀིམ་ཇོང་ཨུན་གྱིས་ཨུ་རུ་སུའི་ཤར་ཕྱོགས་ཀྱི་ནམ་མཁའི་ས་ཚིགས་སུ་སྲིད་འཛིན་པུ་ཊིན་དང་མཇལ་འཕྲད་བྱས། "
           "འགོ་ཁྲིད་གཉིས་ཀྱིས་དམག་དོན་མཉམ་ལས་དང་ནམ་མཁའི་ལས་གཞིའི་སྐོར་གྲོས་བསྡུར་བྱས། "
           "མཇལ་འཕྲད་དེ་ཆུ་ཚོད་བཞི་ཙམ་རིང་བྱས། ཨ་མེ་རི་ཀས་མཚོན་ཆའི་ཉོ་ཚོང་གི་སྐོར་སེམས་ཁྲལ་བྱས། "
           "ལྷོ་ཀོ་རེ་ཡ་དང་ཉི་ཧོང་གིས་གནས་སྟངས་ལ་ཞིབ་ཏུ་ལྟ་རྟོག་བྱེད་བཞིན་ཡོད།")


@pytest.mark.parametrize("text", [JAPANESE, CHINESE, HINDI, ARABIC, THAI, BURMESE, KHMER,
                                  TIBETAN],
                         ids=["ja", "zh", "hi", "ar", "th", "my", "km", "bo"])
def test_news_in_every_script_is_text(text: str) -> None:
    check_article_text(text, min_words=40)
    assert _reason(text[: len(text) // 4]) is RejectReason.TOO_SHORT  # a quarter is too little


def test_unspaced_scripts_count_characters_not_spaces() -> None:
    words, letters = counted_words(JAPANESE)
    assert 40 <= words <= 70 and letters == words  # ~2 characters a word
    assert counted_words("Drei kurze Worte")[0] == 3
    # a vowel sign belongs to its word: "किम" is one word, not two fragments
    assert counted_words("किम जोंग उन") == (3, 3)
    assert counted_words("Kim Jong-un traf 2023 Putin") == (6, 5)  # no marks: the quick path
    table = "\n".join(f"第{i}回|{i * 3}|{i * 7}|東京" for i in range(100))
    assert _reason(table) is RejectReason.NOT_ARTICLE


@pytest.mark.usefixtures("shared")  # fails clearly without ../shared
def test_every_fundus_news_page_becomes_an_article_in_its_publishers_language() -> None:
    from evaluation.extraction import fundus_languages, fundus_outcomes

    outcomes = fundus_outcomes()
    expected = fundus_languages()
    # HankookIlbo_2026_01_29 has its article only as escaped markup in a script
    assert [o.rejected for o in outcomes if o.rejected] == []
    assert len(outcomes) == 175
    assert {o.publisher: o.language for o in outcomes} == {
        o.publisher: expected[o.publisher] for o in outcomes}
    assert {expected[p] for p in ("ChunichiShimbun", "Nikkei", "People", "MBN", "Pravda")} == {
        "ja", "zh", "ko", "ru"}


REPORT = ("Conservative MPs are being urged to write to the Prime Minister. The campaign says "
          "imported food must meet the standards British farmers keep to. Its founders argue "
          "that a trade deal should not lower them, and they have published the addresses of "
          "every member of parliament so that readers can write to their own. ") * 2


def test_an_article_with_a_data_table_is_judged_by_its_prose() -> None:
    table = "| Constituency | Member | Email |\n|---|---|---|\n" + "\n".join(
        f"| Seat {n} | Member {n} | m{n}@parliament.uk |" for n in range(360))
    check_article_text(REPORT + "\n" + table, min_words=40)  # the bars are the table's
    with pytest.raises(RejectedInput) as info:  # the table alone is data
        check_article_text("Standings after ten rounds.\n" + table, min_words=40)
    assert info.value.reason is RejectReason.NOT_ARTICLE
    assert info.value.detail == "a table (362 rows) with 4 words besides, fewer than 40"


def test_prose_laid_out_in_a_table_is_text() -> None:
    laid_out = "\n".join(f"| {REPORT[:300]} | {REPORT[300:]} |" for _ in range(3))
    check_article_text(laid_out, min_words=40)


def test_text_that_reads_as_markup_is_named_before_it_is_rejected() -> None:
    cells = "\t\t\t\t\tOne-Minute World News\t\t\t\t\t\t\n" * 3  # a layout's indentation
    story = "The council met on Monday and agreed to build the new tram line. " * 4

    assert reads_as_markup(cells + story)
    assert _reason(cells + story) is RejectReason.NOT_ARTICLE
    assert not reads_as_markup(story)
    table = "\n".join(f"| {n} | MP {n} | mp{n}@parliament.example |" for n in range(40))
    assert not reads_as_markup(story * 3 + "\n" + table + "\n")  # a data table is not prose
