"""What a page says about itself, and the site it is on."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
import trafilatura
from lxml import html as lxml_html

from extractors.html import extract_page
from extractors.markup import archived_url, json_values, outlet, paywalled, read_markup


@pytest.mark.parametrize(("url", "original"), [
    ("https://web.archive.org/web/20140226054445/http://www.time4talks.com/2013/08/07/kinos/",
     "http://www.time4talks.com/2013/08/07/kinos/"),
    ("https://web.archive.org/web/20200808063632id_/https://www.przepisy.pl/przepis/pierogi",
     "https://www.przepisy.pl/przepis/pierogi"),
    ("http://web.archive.org/web/2016/example.org/page", "http://example.org/page"),
    ("https://web.archive.org/about/", "https://web.archive.org/about/"),
    ("https://example.org/web/20140226054445/http://other.org/",
     "https://example.org/web/20140226054445/http://other.org/"),
])
def test_an_archived_copy_names_the_address_it_was_taken_from(url: str, original: str) -> None:
    assert archived_url(url) == original


@pytest.mark.parametrize(("stated", "host", "headline", "expected"), [
    ("Der Tagesspiegel", "tagesspiegel.de", "Ein Titel mit vielen Worten hier", "Der Tagesspiegel"),
    ("https://www.hawaiinewsnow.com", "hawaiinewsnow.com", "Water vapor", "hawaiinewsnow.com"),
    ("https://www.facebook.com/tagesspiegel", "tagesspiegel.de", "Titel", "tagesspiegel.de"),
    ("https://twitter.com/anadoluajansi", None, "Haber", None),
    ("UK halls too full, experts warn", "theguardian.com", "UK halls too full, experts warn",
     "theguardian.com"),
    ("ICON", "icon-magazine.example", "ICON", "ICON"),  # a short headline is a name too
    ("www.chocolate.com", "chocolate.com", "Truffles", "www.chocolate.com"),
    (None, "example.org", "A headline", "example.org"),
])
def test_the_outlet_is_a_name_not_an_address_or_the_headline(
        stated: str | None, host: str | None, headline: str, expected: str | None) -> None:
    assert outlet(stated, host, headline) == expected


@pytest.mark.parametrize(("page", "expected"), [
    ("extraction-benchmark/html/f344ca5fb36e130f4344235fa22726f3367e09c211c120f21d9ae92effe902db"
     ".html.gz", "hawaiinewsnow.com"),  # og:site_name "https://www.hawaiinewsnow.com"
    ("trafilatura-eval/eval/msn.com.university.html.gz", "theguardian.com"),  # the headline
    ("trafilatura-eval/eval/bundespolizei.de-Belarus.html.gz", "bundespolizei.de"),
])
def test_a_pages_outlet_is_never_its_address_or_its_headline(shared: Path, page: str,
                                                             expected: str) -> None:
    content = (shared / "corpora" / page).read_bytes()
    if page.endswith(".gz"):
        content = gzip.decompress(content)
    assert extract_page(content).sitename == expected


def test_json_ld_wrapped_for_old_parsers_or_written_twice_is_read() -> None:
    assert json_values('//<![CDATA[\n{"@type": "NewsArticle"}\n//]]>') == [{"@type": "NewsArticle"}]
    assert json_values('<!-- {"a": 1} -->') == [{"a": 1}]
    assert json_values('[{"a": 1}][{"b": 2}];') == [[{"a": 1}], [{"b": 2}]]
    assert json_values('{"d": "two\nlines"}') == [{"d": "two\nlines"}]  # a raw line break
    assert json_values('{"a": 1} {"b": "no end}') == [{"a": 1}]  # what came before the error
    assert json_values("var x = 1;") == []


def test_a_pages_json_ld_in_a_cdata_section_gives_its_items() -> None:
    tree = trafilatura.load_html(
        "<html><head><script type='application/ld+json'>//<![CDATA[\n"
        '{"@context": "https://schema.org", "@graph": [{"@type": "NewsArticle", '
        '"datePublished": "2024-08-22T12:00:00+02:00"}]}\n//]]></script></head>'
        "<body><p>x</p></body></html>")
    assert tree is not None
    items = read_markup(tree).jsonld
    assert {"@type": "NewsArticle", "datePublished": "2024-08-22T12:00:00+02:00"} in items


def _ld(*items: str) -> str:
    scripts = "".join(f"<script type='application/ld+json'>{item}</script>" for item in items)
    return f"<html><head>{scripts}</head><body><p>Text</p></body></html>"


@pytest.mark.parametrize(("html", "said"), [
    (_ld('{"@type": "NewsArticle", "isAccessibleForFree": false}'), True),
    (_ld('{"@type": "NewsArticle", "isAccessibleForFree": "False"}'), True),
    # free as a whole, one section behind the paywall (Google's hasPart markup)
    (_ld('{"@type": "NewsArticle", "isAccessibleForFree": "True", "hasPart": {"@type": '
         '"WebPageElement", "isAccessibleForFree": "False", "cssSelector": ".paid"}}'), True),
    (_ld('{"@type": "NewsArticle", "isAccessibleForFree": true}'), False),
    (_ld('{"@type": "NewsArticle", "headline": "Kim in Wladiwostok"}'), None),
    (_ld('{"@type": "NewsArticle", "isAccessibleForFree": "maybe"}'), None),
])
def test_a_page_says_whether_it_is_free_to_read(html: str, said: bool | None) -> None:
    assert paywalled(read_markup(lxml_html.fromstring(html))) is said
