"""Plain-text parsing on the real seeds and on the shapes they stand for."""

from __future__ import annotations

from datetime import datetime

from extractors.plaintext import lead_sentence, parse_plain_text
from newsmon.core.records import Dated, DatePrecision
from tests.conftest import SEEDS


def _seed(prefix: str) -> str:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


def test_date_marker_is_metadata_with_month_precision() -> None:
    parsed = parse_plain_text(_seed("000"))
    assert parsed.published is not None
    assert parsed.published.at == datetime(2023, 9, 1)
    assert parsed.published.precision is DatePrecision.MONTH
    assert "date 2023-09" not in parsed.text
    assert parsed.text.startswith("Nordkoreas Machthaber Kim Jong-un")


def test_a_marker_naming_no_real_day_gives_no_date_and_keeps_the_text() -> None:
    body = "Die Regierung in Seoul reagierte am Montag auf neue Berichte. " * 5
    for marker in ("date 2023-02-30", "date 2023-13", "date 0000-00"):
        parsed = parse_plain_text(f" {marker} {body}")
        assert parsed.published is None, marker
        assert marker not in parsed.text and "Die Regierung in Seoul" in parsed.text


def test_short_first_line_is_the_title_and_not_the_text() -> None:
    parsed = parse_plain_text(_seed("002"))
    assert parsed.title == "Putin und Kim am Mittwoch in Wostotschny"
    assert parsed.text.startswith("Bei seinem vielbeachteten Besuch")


def test_source_attribution_line_is_the_source() -> None:
    parsed = parse_plain_text(_seed("001"))
    assert parsed.source == "Euronews"
    assert "Von Euronews" not in parsed.text


def test_closing_dateline_gives_author_and_the_more_precise_date() -> None:
    parsed = parse_plain_text(_seed("003"))
    assert parsed.author == "Jo Angerer"
    assert parsed.published is not None
    assert parsed.published.at == datetime(2023, 9, 12)
    assert parsed.published.precision is DatePrecision.DAY
    assert not parsed.text.endswith(")")


def test_day_from_dateline_beats_month_from_marker() -> None:
    raw = (
        " date 2023-09 "
        + "Ein Satz über Politik und Diplomatie. " * 10
        + "(Anna Muster aus Berlin, 14.9.2023)"
    )
    parsed = parse_plain_text(raw)
    assert parsed.published is not None
    assert (parsed.published.at, parsed.published.precision) == (
        datetime(2023, 9, 14),
        DatePrecision.DAY,
    )
    assert parsed.author == "Anna Muster"


def test_every_seed_gets_a_title_from_its_lead_when_it_has_no_headline() -> None:
    titles = {p: parse_plain_text(_seed(p)).title for p in ("000", "001", "003", "004")}
    assert (
        titles["004"] == "Der nordkoreanische Staatschef Kim Jong Un setzt seine Russlandtour fort."
    )
    assert titles["000"] is not None and titles["000"].startswith("Nordkoreas Machthaber")
    assert all(t and len(t) <= 162 for t in titles.values())


def test_lead_sentence_skips_a_place_dateline_and_shortens_long_sentences() -> None:
    assert (
        lead_sentence("Berlin. Die Regierung hat heute entschieden.")
        == "Die Regierung hat heute entschieden."
    )
    long = "Wort " * 60 + "Ende."
    title = lead_sentence(long)
    assert title is not None and title.endswith("…") and len(title) <= 162


def test_lead_sentence_ends_where_each_script_ends_a_sentence() -> None:
    """A Japanese lead had no words to count (no title), a Russian, Hebrew or Hindi one ran
    on into its second sentence (only a Latin capital after a period began one)."""
    leads = {
        "北朝鮮の金正恩総書記は１３日、ロシア極東のボストーチヌイ宇宙基地でプーチン大統領と"
        "会談した。両首脳は軍事協力について協議した。":
            "北朝鮮の金正恩総書記は１３日、ロシア極東のボストーチヌイ宇宙基地でプーチン大統領と"
            "会談した。",
        "Путин и Ким Чен Ын встретились на космодроме Восточный. Затем они обсудили "
        "сотрудничество.": "Путин и Ким Чен Ын встретились на космодроме Восточный.",
        "האם תדפיס נייר של אתר אינטרנט שמורכב מעמודים רבים? זו שאלה טובה מאוד.":
            "האם תדפיס נייר של אתר אינטרנט שמורכב מעמודים רבים?",
        "प्रधानमंत्री ने आज दिल्ली में एक बैठक की। बैठक में कई मंत्री शामिल हुए।":
            "प्रधानमंत्री ने आज दिल्ली में एक बैठक की।",
        "Die Regierung hat z. B. heute entschieden. Dann ging es weiter.":
            "Die Regierung hat z. B. heute entschieden.",
        "The U.S. President met Kim Jong Un in Hanoi on Tuesday. Talks failed.":
            "The U.S. President met Kim Jong Un in Hanoi on Tuesday.",
    }
    for text, lead in leads.items():
        assert lead_sentence(text) == lead, text
    chinese = "中国外交部发言人表示" * 10 + "。"  # a hundred characters: cut to a title's
    title = lead_sentence(chinese)
    assert title is not None and title.endswith("…") and len(title) == 65


def test_the_lead_of_a_text_on_one_long_line_is_found_without_splitting_it_all() -> None:
    """An archive's text is often one line. Splitting all of it into sentences, each break
    looking back over the whole line for an abbreviation, took 162 s for 100 KB; the
    first sentence is all a title needs (a megabyte's here)."""
    line = "Dr. Müller sagte am 3. Mai, die Gespräche gingen weiter. " * 18_000
    assert len(line) > 1_000_000
    assert lead_sentence(line) == "Dr. Müller sagte am 3. Mai, die Gespräche gingen weiter."


def test_a_first_paragraph_ending_like_a_sentence_in_its_script_is_text() -> None:
    """A Japanese or Hindi text's first paragraph was taken for its headline (a short line
    not ending in "."): the title was two sentences, and the text lost them."""
    for first, rest in (
        ("北朝鮮の金正恩総書記はプーチン大統領と会談した。両首脳は軍事協力について協議した。",
         "会談は約４時間に及んだ。ロシア大統領府によると、両首脳は宇宙基地を視察した。"),
        ("प्रधानमंत्री ने आज दिल्ली में एक बैठक की। बैठक में कई मंत्री शामिल हुए।",
         "बैठक के बाद प्रधानमंत्री ने कहा कि सरकार काम करेगी।"),
    ):
        parsed = parse_plain_text(f"{first}\n\n{rest}")
        assert parsed.text.startswith(first)
        assert parsed.title is not None and first.startswith(parsed.title)
        headline = "金正恩氏、プーチン氏と会談"
        assert parse_plain_text(f"{headline}\n\n{first}").title == headline


def test_a_date_line_under_the_headline_dates_a_clipping() -> None:
    """Clippings, PDFs and news database exports print the day under the headline; it was
    read as text, and the article dated when newsmon read it (a trend's wrong day)."""
    body = ("Die Delegation traf am Dienstag in Wladiwostok ein. Beobachter erwarten "
            "Gespräche über Handel und Getreide.")
    for opening, day in (("Valley Courier\n\nSeptember 13, 2023 Wednesday", 13),
                         ("13. September 2023\nValley Courier", 13),
                         ("Mittwoch, 13.09.2023", 13)):
        parsed = parse_plain_text(f"Kim trifft Putin\n\n{opening}\n\n{body}")
        assert parsed.published == Dated(datetime(2023, 9, day), DatePrecision.DAY), opening
        assert parsed.title == "Kim trifft Putin"
    # a day the text tells of is no date line: nothing dates this one
    told = parse_plain_text(f"Kim trifft Putin\n\nAm 12. September trafen sich beide in "
                            f"Wladiwostok.\n\n{body}")
    assert told.published is None
    # a marker or a closing dateline still decide
    marked = parse_plain_text(f"date 2023-09-14 Kim trifft Putin\n\nSeptember 13, 2023\n\n{body}")
    assert marked.published == Dated(datetime(2023, 9, 14), DatePrecision.DAY)
