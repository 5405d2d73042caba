"""extract_page on real HTML: the text, the publication time of day, gzip input, the fallback."""

from __future__ import annotations

import gzip
from datetime import datetime
from pathlib import Path

import pytest

from extractors.article import extract
from extractors.files import read_file
from extractors.html import RECALL_WORDS, RECHECK_WORDS, extract_page
from extractors.quality import check_article_text, word_count
from newsmon.core.errors import RejectedInput
from newsmon.core.outcomes import RejectReason
from newsmon.core.records import DatePrecision, RawInput

PARAGRAPHS = [
    "The city council voted on Tuesday evening to expand the tram network to the northern "
    "districts, a project that has been debated for more than a decade.",
    "Supporters said the new line would cut commuting times in half for tens of thousands of "
    "residents and take several thousand cars off the roads every day.",
    "Opponents warned that the estimated cost had already doubled since the first plans were "
    "drawn up and asked the council to publish an independent review.",
    "Construction is expected to begin next spring, and the first trams could run on the new "
    "tracks within four years if the regional government approves the funding.",
]


def page(head: str = "", body_extra: str = "") -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    return (
        "<html><head><title>Council expands tram network</title>"
        f"{head}</head><body><nav><a href='/'>Home</a> <a href='/news'>News</a></nav>"
        f"<article><h1>Council expands tram network</h1>{paragraphs}{body_extra}</article>"
        "<footer>Copyright 2023 Example News</footer></body></html>"
    )


def test_main_text_and_title() -> None:
    result = extract_page(page())
    assert "northern districts" in result.text
    assert "independent review" in result.text
    assert "Copyright" not in result.text
    assert result.title == "Council expands tram network"


def test_published_time_keeps_the_time_of_day() -> None:
    head = '<meta property="article:published_time" content="2023-09-13T10:00:00Z">'
    result = extract_page(page(head))
    assert result.published is not None
    assert result.published.at == datetime(2023, 9, 13, 10, 0, 0)
    assert result.published.precision == DatePrecision.SECOND


def test_published_time_with_offset_is_stored_in_utc() -> None:
    head = (
        '<script type="application/ld+json">'
        '{"@type": "NewsArticle", "datePublished": "2023-09-13T12:30:00+02:00"}</script>'
    )
    result = extract_page(page(head))
    assert result.published is not None
    assert result.published.at == datetime(2023, 9, 13, 10, 30, 0)


def test_day_only_date_is_marked_as_day_precision() -> None:
    head = '<meta name="date" content="2023-09-13">'
    result = extract_page(page(head))
    assert result.published is not None
    assert result.published.at == datetime(2023, 9, 13)
    assert result.published.precision == DatePrecision.DAY


def test_gzipped_html_file_is_read_and_extracted(tmp_path: Path) -> None:
    head = '<meta property="article:published_time" content="2023-09-13T10:00:00Z">'
    path = tmp_path / "tram.html.gz"
    path.write_bytes(gzip.compress(page(head).encode("utf-8")))
    raw = read_file(path, max_bytes=1_000_000)
    assert raw.kind == "html"
    extracted = extract(raw, min_words=20)
    assert "northern districts" in extracted.text
    assert extracted.published is not None
    assert extracted.published.at == datetime(2023, 9, 13, 10, 0, 0)
    assert extracted.language == "en"


def test_page_without_main_text_is_a_named_reject() -> None:
    with pytest.raises(RejectedInput) as info:
        extract_page("<html><head><title>x</title></head><body><div></div></body></html>")
    assert info.value.reason == RejectReason.NO_CONTENT


def test_navigation_only_page_is_rejected_by_the_article_checks() -> None:
    nav = "<html><body><nav><a href='/'>Home</a> <a href='/a'>About</a></nav></body></html>"
    raw = RawInput("nav.html", "file:///nav.html", nav.encode(), "html")
    with pytest.raises(RejectedInput) as info:
        extract(raw, min_words=40)
    assert info.value.reason in {RejectReason.NO_CONTENT, RejectReason.TOO_SHORT}


def test_short_precise_text_falls_back_to_the_full_extraction(shared: Path) -> None:
    """On this benchmark page the precise pass keeps ~40 words of a ~530-word article."""
    import trafilatura  # only to show what the precise pass alone would have kept

    html = _benchmark_page(shared, "f8ff621a")
    precise = trafilatura.extract(html, fast=True, favor_precision=True, include_comments=False)
    assert word_count(precise or "") < RECHECK_WORDS
    result = extract_page(html)
    assert word_count(result.text) > 4 * word_count(precise or "")


def test_too_little_after_both_passes_falls_back_to_the_recall_mode(shared: Path) -> None:
    """On this trafilatura-eval page both passes keep the site's slogan (10 words); the
    report is what trafilatura's recall mode finds."""
    import trafilatura  # only to show what the full pass alone would have kept

    path = shared / "corpora/trafilatura-eval/eval/OnlineMarketing.de-Instagram.html.gz"
    html = gzip.decompress(path.read_bytes())
    full = trafilatura.extract(html, include_comments=False, include_tables=True)
    assert word_count(full or "") < RECALL_WORDS
    result = extract_page(html)
    assert word_count(result.text) > 200 and "Instagram" in result.text


def test_a_teaser_in_the_markup_yields_to_the_story_the_page_ships_as_data(
    shared: Path,
) -> None:
    """This trafilatura-eval page is an app shell: its markup has a 26-word teaser, its
    script state the whole story."""
    path = shared / "corpora/trafilatura-eval/cache/scmp.com.playbook.html.gz"
    result = extract_page(gzip.decompress(path.read_bytes()))
    assert word_count(result.text) > 500 and "Tsai Ing-wen" in result.text


def _benchmark_page(shared: Path, prefix: str) -> bytes:
    (path,) = (shared / "corpora/extraction-benchmark/html").glob(f"{prefix}*.html.gz")
    return gzip.decompress(path.read_bytes())


def _benchmark_pages(shared: Path, count: int) -> list[bytes]:
    """The first ``count`` pages of the extraction benchmark, by file name."""
    paths = sorted((shared / "corpora/extraction-benchmark/html").glob("*.html.gz"))[:count]
    return [gzip.decompress(path.read_bytes()) for path in paths]


def test_categories_are_skipped_in_newsmons_extraction_only() -> None:
    import trafilatura

    from extractors import html

    section = "<meta property='article:section' content='Verkehr'>"
    calls: list[bool] = []
    skip = html._IN_NEWSMON

    original = html._trafilatura_catstags
    try:
        html._trafilatura_catstags = lambda kind, tree: calls.append(skip.get()) or []
        extract_page(page(section))
        assert calls == []  # newsmon stores no categories: trafilatura never computed them
    finally:
        html._trafilatura_catstags = original
    # any other caller in the process gets trafilatura as it ships
    bare = trafilatura.bare_extraction(page(section), with_metadata=True)
    assert bare is not None and bare.categories == ["Verkehr"]


def test_htmldates_fallback_parser_reads_news_languages_inside_newsmon_only() -> None:
    from htmldate import extractors as htmldate_extractors

    from extractors import html

    every_locale = htmldate_extractors.get_external_parser()  # outside: as htmldate ships
    assert every_locale is html._htmldate_date_parser() and every_locale.languages is None
    with html._as_newsmon():
        parser = htmldate_extractors.get_external_parser()  # htmldate's own lookup
    assert parser is html._news_date_parser() and parser.languages == list(html.DATE_LANGUAGES)
    # date strings that reached the fallback in the shared corpora, and a few more scripts
    for string, day in [
        ("miércoles, 4 de mayo de 2022", datetime(2022, 5, 4)),
        ("16 marca 2021", datetime(2021, 3, 16)),
        ("15 августа 2016, 13:43", datetime(2016, 8, 15, 13, 43)),
        ("Fri Feb 18 10:27:24 2022", datetime(2022, 2, 18, 10, 27, 24)),
        ("26 | 01 | 2022", datetime(2022, 1, 26)),
        ("12 Οκτωβρίου 2023", datetime(2023, 10, 12)),
        ("3. listopadu 2021", datetime(2021, 11, 3)),
    ]:
        assert parser.get_date_data(string)["date_obj"] == day, string
        assert every_locale.get_date_data(string)["date_obj"] == day, string
    assert parser.get_date_data("zzqx 0")["date_obj"] is None


def test_trafilaturas_byline_search_runs_only_when_the_markup_names_no_one() -> None:
    from extractors import html

    calls: list[bool] = []
    original = html._trafilatura_author
    named = "<meta name='author' content='Jane Doe'>"
    byline = "<p class='author'>Von Max Mustermann</p>"
    try:
        html._trafilatura_author = lambda tree: calls.append(True) or original(tree)
        assert extract_page(page(named)).author == "Jane Doe"
        assert calls == []  # the markup named her: trafilatura's search would go unused
        assert extract_page(page("", body_extra=byline)).author == "Max Mustermann"
        assert calls == [True]  # nothing named: trafilatura's search found the byline
    finally:
        html._trafilatura_author = original


def test_licence_is_skipped_in_newsmons_extraction_only() -> None:
    import trafilatura

    from extractors import html

    footer = ("<footer><a rel='license' href='https://creativecommons.org/licenses/by/4.0/'>"
              "CC BY 4.0</a></footer>")
    calls: list[bool] = []
    original = html._trafilatura_license
    try:
        html._trafilatura_license = lambda tree: calls.append(True) or original(tree)
        extract_page(page("", body_extra=footer))
        assert calls == []  # newsmon stores no licence: trafilatura never looked for one
    finally:
        html._trafilatura_license = original
    bare = trafilatura.bare_extraction(page("", body_extra=footer), with_metadata=True)
    assert bare is not None and bare.license == "CC BY 4.0"  # others get it as it ships


def test_newsmons_parser_builds_the_tree_trafilaturas_parser_builds(shared: Path) -> None:
    """Same options, same element classes (``FormElement`` for ``<form>`` …), same tree:
    only the class lookup runs in C. Checked on real pages and on one with forms,
    comments, a processing instruction and no doctype."""
    import trafilatura
    from lxml import etree
    from trafilatura import utils as trafilatura_utils

    from extractors import html

    forms = (b"<?xml-stylesheet href='a.css'?><html><head><title>t</title></head><body>"
             b"<!-- a comment --><form action='/s'><label for='q'>Q</label><input id='q'>"
             b"<select><option>a</option></select><textarea>x</textarea></form>"
             b"<p>Text</p><svg><circle r='1'/></svg></body></html>")
    for raw in [forms, *_benchmark_pages(shared, 25)]:
        ours, theirs = html.load_html(raw), trafilatura.load_html(raw)
        assert etree.tostring(ours) == etree.tostring(theirs)
        assert [type(e) for e in ours.iter()] == [type(e) for e in theirs.iter()]
    assert {type(e).__name__ for e in html.load_html(forms).iter()} >= {
        "FormElement", "InputElement", "LabelElement", "SelectElement", "TextareaElement"}
    assert trafilatura_utils.HTML_PARSER is html._TRAFILATURA_PARSER  # put back after use


def test_trafilatura_leaves_the_tree_it_is_given_whole(shared: Path) -> None:
    """extract_page parses a page once: its own markup readers and the fallback passes
    (full extraction, embedded article) use the tree the precise pass was given, which
    trafilatura copies before pruning. A trafilatura that pruned it instead fails here."""
    import trafilatura
    from lxml import etree

    from extractors import html

    for raw in _benchmark_pages(shared, 20):
        tree = html.load_html(raw)
        before = etree.tostring(tree)
        with html._as_newsmon(byline_known=False):
            trafilatura.bare_extraction(tree, with_metadata=True, include_comments=False,
                                        include_tables=True, favor_precision=True, fast=True)
            trafilatura.bare_extraction(tree, include_comments=False, include_tables=True,
                                        fast=False, with_metadata=False)
        assert etree.tostring(tree) == before


def _layout_page(story: str, captions: int = 6) -> bytes:
    """A page laid out in a table as pages were around 2008: source indentation (tabs)
    inside the layout cells, the story's paragraphs in a ``<font>``."""
    caption = "<div class='cap'>\n\t\t\t\t\t\t\t{}\n\t\t\t\t\t\t</div>"
    captions_html = "".join(caption.format(f"Photo {i}: delegates arrive for the summit")
                            for i in range(captions))
    return ("<html><head><title>Gulf states urge peace</title></head><body><table width='629'>"
            f"<tr><td valign='top'>\n\t\t\t<font size='2'>{captions_html}\n<B>Gulf leaders ended "
            f"their summit. </B>{story}</font></td></tr></table></body></html>").encode()


def test_a_page_laid_out_in_tables_gives_its_story_not_its_cells() -> None:
    story = "".join(f"<P>\n{p}\n" for p in PARAGRAPHS)

    text = extract_page(_layout_page(story)).text

    assert text.startswith(PARAGRAPHS[0]) and PARAGRAPHS[-1] in text
    assert "|" not in text and "\t" not in text
    check_article_text(text, min_words=40)  # read as a table, 7.7% markup: not an article


def test_a_layout_table_with_no_story_outside_its_cells_stays_as_read() -> None:
    page = _layout_page("", captions=3)  # the tab-indented captions, too few words besides

    text = extract_page(page).text

    assert "\t" in text  # the quality check then names it: data or code, not an article
    with pytest.raises(RejectedInput, match="markup characters"):
        check_article_text(text, min_words=5)


def test_a_wire_storys_closing_credit_names_its_reporter_and_its_agency() -> None:
    credit = ("<p>(Reporting by Adrian Croft; Editing by Luke Baker)</p>"
              "<p>© Reuters 2008 All rights reserved</p>")
    found = extract_page(page(body_extra=credit))
    assert found.author == "Adrian Croft"
    assert found.agencies == "Reuters"


def test_a_wire_credited_beside_the_publisher_leaves_no_organisation_as_author() -> None:
    head = ("<meta property='og:site_name' content='Example News'>"
            "<meta name='author' content='Example News, PA Sport'>")
    found = extract_page(page(head))
    assert (found.author, found.agencies) == (None, "PA Sport")
    found = extract_page(page("<meta property='og:site_name' content='Example News'>"
                              "<meta name='author' content='Example News'>"))
    assert (found.author, found.agencies) == ("Example News", None)
