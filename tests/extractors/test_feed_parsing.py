"""Feed parsing with real feedparser: bytes + headers in, our records out.

Every corpus file is run through ingestion (HTTP, parse, items, full text) in
``tests/newsmon/test_feeds.py``; here are the parser's own behaviours.
"""

from __future__ import annotations

import codecs
import gzip
import json
from datetime import datetime
from pathlib import Path

import pytest

from evaluation.feedserver import corpus_headers as _headers
from evaluation.feedserver import feedparser_manifest as _manifest
from extractors.feed_parser import FeedParseResult, is_sitemap_index, parse_feed
from extractors.news_sitemap import IndexedSitemap, date_in_address, index_sitemaps
from newsmon.core.errors import RejectedInput
from newsmon.core.outcomes import RejectReason
from newsmon.core.records import Dated, DatePrecision

FEED_URL = "http://feeds.example.org/news/feed.xml"


def _parse(shared: Path, rel: str, headers: dict[str, str] | None = None) -> FeedParseResult:
    path = shared / "corpora" / "feedparser-tests" / rel
    row = _manifest(shared).get(rel)
    given = headers if headers is not None else _headers(row)
    return parse_feed(path.read_bytes(), given, FEED_URL)


def test_encoding_comes_from_bytes_and_http_headers(shared: Path) -> None:
    korean = _parse(shared, "encoding/euc-kr-item.xml")
    assert korean.entries[0].summary == "\ub144" and korean.problem is None
    # the charset in Content-Type wins over the XML declaration
    cp1252 = _parse(shared, "encoding/http_text_xml_charset_overrides_encoding_2.xml")
    assert cp1252.encoding == "windows-1252"
    assert cp1252.entries[0].summary == "This is a \xa3\u201ctest.\u201d"


def test_bozo_feed_with_entries_is_used_and_its_problem_recorded(shared: Path) -> None:
    result = _parse(shared, "encoding/bozo_linenoise.xml")
    assert result.entries and result.problem
    assert result.entries[0].summary == "\xe2\u20ac\u2122\xe2\u20ac\x9d\u0160"


def test_rss_entry_fields_and_full_text() -> None:
    body = " ".join(["word"] * 120)
    feed = f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>Tagesnachrichten</title><language>de-DE</language>
<item><title>Erster Artikel</title><link>/artikel/1?utm_source=rss</link>
<guid isPermaLink="false">id-1</guid><dc:creator>Erika Musterfrau</dc:creator>
<pubDate>Tue, 12 Sep 2023 14:05:00 +0200</pubDate><description>Kurz.</description>
<content:encoded><![CDATA[<p>{body}</p>]]></content:encoded></item>
<item><title>Nur Datum</title><link>https://other.example/2</link>
<pubDate>2023-09-13</pubDate></item>
</channel></rss>""".encode()
    result = parse_feed(feed, {"Content-Type": "application/rss+xml"}, FEED_URL)
    assert (result.title, result.language, result.format) == ("Tagesnachrichten", "de", "rss20")
    first, second = result.entries
    assert first.link == "http://feeds.example.org/artikel/1?utm_source=rss"  # resolved
    assert (first.entry_id, first.title) == ("id-1", "Erster Artikel")
    assert first.author == "Erika Musterfrau"
    assert first.published is not None and first.published.precision == DatePrecision.SECOND
    assert first.published.at.isoformat() == "2023-09-12T12:05:00"  # UTC
    assert first.content_html is not None and first.content_words == 120
    assert second.content_html is None and second.content_words == 0
    assert second.published is not None and second.published.precision == DatePrecision.DAY


def test_a_feedburner_entry_is_the_article_its_original_link_names(shared: Path) -> None:
    """FeedBurner links every entry through feedproxy.google.com and states the article's
    own address in ``feedburner:origLink``: that address is the entry's link."""
    path = shared / "corpora" / "real-feeds" / "rss-parser" / "test" / "input" / "feedburner.atom"
    entries = parse_feed(path.read_bytes(), {}, "http://feeds.feedburner.com/blogspot/lQlzL"
                         ).entries
    assert len(entries) == 25
    first = entries[0]
    assert first.link == ("http://googleadsdeveloper.blogspot.com/2016/06/"
                          "adwords-and-dfp-java-client-library.html")
    assert first.via == ("http://feedproxy.google.com/~r/blogspot/lQlzL/~3/Zjf41PDVLAc/"
                         "adwords-and-dfp-java-client-library.html")
    assert all(e.link and "feedproxy" not in e.link and e.via for e in entries)


def test_dates_whose_months_are_named_in_another_language_are_read(shared: Path) -> None:
    """Feeds of Brazilian and Italian publishers name the month in their language
    ("Seg, 24 Set 2018", "mer, 16 nov 2022"), which feedparser does not read."""
    real = shared / "corpora" / "real-feeds"
    uol = parse_feed((real / "rss-parser/test/input/uolNoticias.rss").read_bytes(), {}, FEED_URL)
    first = uol.entries[0].published
    assert first == Dated(datetime(2018, 9, 24, 22, 42, 40), DatePrecision.SECOND, -180)
    assert all(e.published is not None for e in uol.entries)
    italian = parse_feed((real / "feed-rs/feed-rs/fixture/rss2/rss_2.0_ilmessaggero.xml"
                          ).read_bytes(), {}, FEED_URL)
    assert all(e.published is not None for e in italian.entries)
    assert datetime(2022, 11, 15, 23, 38, 15) in {e.published.at for e in italian.entries
                                                  if e.published}


SECOND, DAY = DatePrecision.SECOND, DatePrecision.DAY


@pytest.mark.parametrize(("stated", "expected"), [
    ("Di, 12. Okt 2023 08:00:00 +0200", Dated(datetime(2023, 10, 12, 6), SECOND, 120)),
    ("jeu., 14 sept. 2023 10:00:00 GMT", Dated(datetime(2023, 9, 14, 10), SECOND, 0)),
    ("14 déc. 2023", Dated(datetime(2023, 12, 14), DAY)),
    ("mié, 3 ene 2024 09:30 -0500", Dated(datetime(2024, 1, 3, 14, 30), SECOND, -300)),
    ("lun, 31 feb 2023 10:00:00 +0000", None),  # no such day
    ("Mon, 14 Foo 2023 10:00:00 +0000", None),  # no such month
])
def test_a_localised_rfc_822_date(stated: str, expected: Dated | None) -> None:
    item = (f'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><item>'
            f"<title>A</title><link>https://a.example/1</link><pubDate>{stated}</pubDate>"
            "</item></channel></rss>").encode()
    assert parse_feed(item, {}, FEED_URL).entries[0].published == expected


@pytest.mark.parametrize(("stated", "expected"), [
    ("redazione@ilgiornale-web.it (Angela Leucci)", "Angela Leucci"),  # RSS's own form
    ("jonas@insanity.industries (Jonas Große Sundrup)", "Jonas Große Sundrup"),
    ("mailto:antonov.igor.khv@gmail.com (Игорь Антонов)", "Игорь Антонов"),
    ("Simon St.Laurent (mailto:simonstl@simonstl.com)", "Simon St.Laurent"),
    ("a@x.example (Ann Lee), b@x.example (Bo Chan)", "Ann Lee, Bo Chan"),
    ("kevin@nextinpact.com", "kevin@nextinpact.com"),  # the one thing that names him
    ("know how (news)", "know how (news)"),
])
def test_an_entrys_author_is_the_name_beside_its_email_address(stated: str, expected: str
                                                                ) -> None:
    item = (f'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><item>'
            f"<title>A</title><link>https://a.example/1</link><author>{stated}</author>"
            "</item></channel></rss>").encode()
    assert parse_feed(item, {}, FEED_URL).entries[0].author == expected


def test_an_atom_authors_email_is_not_part_of_the_name(shared: Path) -> None:
    path = shared / "corpora" / "real-feeds" / "rss-parser" / "test" / "input" / "feedburner.atom"
    entries = parse_feed(path.read_bytes(), {}, FEED_URL).entries
    assert {e.author for e in entries} == {"Google Ads Developer Advisor"}


def test_an_entrys_writers_are_all_it_names(shared: Path) -> None:
    """Two Atom ``<author>``s or RSS ``dc:creator``s: the second was the author alone."""
    both = (b'<?xml version="1.0"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">'
            b"<channel><title>T</title><item><title>A</title><link>https://a.example/1</link>"
            b"<dc:creator>First Author</dc:creator><dc:creator>Second Author</dc:creator>"
            b"</item></channel></rss>")
    assert parse_feed(both, {}, FEED_URL).entries[0].author == "First Author; Second Author"
    atom = (b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>T</title>'
            b'<entry><title>A</title><link href="https://a.example/1"/><id>1</id>'
            b"<author><name>Anna Schmidt</name></author><author><name>Ben Osei</name>"
            b"<email>ben@a.example</email></author><author><name>anna schmidt</name></author>"
            b"</entry></feed>")
    assert parse_feed(atom, {}, FEED_URL).entries[0].author == "Anna Schmidt; Ben Osei"
    podcast = shared / "corpora/real-feeds/rss-parser/test/input/itunes-missing-image.rss"
    authors = {e.author for e in parse_feed(podcast.read_bytes(), {}, FEED_URL).entries}
    assert authors == {"Taverncast", "TavernCast"}  # one writer, named thrice


def test_an_entrys_title_is_the_text_a_reader_sees(shared: Path) -> None:
    """Markup and character references in a title are what they show; a plain title's
    angle brackets are its text."""
    real = shared / "corpora" / "real-feeds"
    listings = parse_feed((real / "rss-parser/test/input/craigslist.rss").read_bytes(), {},
                          FEED_URL).entries
    assert listings[0].title == ("Bright, Spacious Beautiful Victorian (oakland north / "
                                 "temescal) $4300 3bd 1930ft2")  # "&#x0024;4300 ...<sup>2</sup>"
    freebox = parse_feed((real / "picofeed/univers_freebox.xml").read_bytes(), {},
                         FEED_URL).entries
    assert "4G : Pas pour Sosh en 2013, à 1 € de plus par mois pour les clients Orange" in {
        e.title for e in freebox}  # its publisher escaped "&#8364;" twice
    plain = shared / "corpora/feedparser-tests/wellformed/atom/entry_title_text_plain_brackets.xml"
    assert parse_feed(plain.read_bytes(), {}, FEED_URL).entries[0].title == (
        "History of the <blink> tag")
    item = (b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><item>'
            b"<title>AT&amp;T and R&amp;D &amp;copy</title><link>https://a.example/1</link>"
            b"</item></channel></rss>")
    assert parse_feed(item, {}, FEED_URL).entries[0].title == "AT&T and R&D &copy"


@pytest.mark.parametrize(("name", "expected"), [
    ("eucjp.xml", "ゲーム三昧な正月"), ("euckr.xml", "EUC-KR 에서 TypeKey 한글닉네임 표시하기"),
    ("gb2312.xml", "不归移民漫画系列：专业工作"), ("koi8r.xml", "Как пережить новогоднюю ночь"),
    ("shiftjis.xml", "DrecomRSSに記事投稿が反映されない…"),
    ("tis620.xml", "สำนักงานส่งเสริมอุตสาหกรรมซอฟต์แวร์แห่งชาติ"),
    ("windows1255.xml", "האם תדפיס נייר של אתר אינטרנט"),
])
def test_a_feed_that_names_no_encoding_is_read_in_the_one_its_bytes_show(
        shared: Path, name: str, expected: str) -> None:
    """feedparser's own tests of feeds in a legacy encoding that name none (it reads them
    with chardet, which newsmon does not install): read as their text, the guess named."""
    rel = f"illformed/chardet/{name}"
    result = _parse(shared, rel)
    entry = result.entries[0]
    assert (entry.title or entry.summary or "").startswith(expected)
    stated = _manifest(shared)[rel]["expect"].split("encoding == ")[1].strip("'")
    assert result.encoding is not None
    assert codecs.lookup(result.encoding).name == codecs.lookup(stated).name
    assert result.problem is not None and f"read as {result.encoding}" in result.problem


def test_a_latin_feed_that_names_no_encoding_is_read_as_windows_1252(shared: Path) -> None:
    """Among Latin code pages a guess is as often wrong (this Portuguese feed guessed as
    Baltic Windows-1257); Windows-1252, feedparser's and a browser's default, is right."""
    path = shared / "corpora" / "real-feeds" / "rss-parser" / "test" / "input" / "uolNoticias.rss"
    entries = parse_feed(path.read_bytes(), {}, FEED_URL).entries
    assert entries[0].title == ("Ibope: Bolsonaro perde de Haddad, Ciro e Alckmin em "
                                "simulações de 2º turno")


def test_an_entry_names_the_outlet_its_source_element_gives(shared: Path) -> None:
    real = shared / "corpora" / "real-feeds"
    herald = parse_feed((real / "rss-parser/test/input/heraldsun.rss").read_bytes(), {}, FEED_URL)
    assert [e.source for e in herald.entries] == ["Another Site", "Another Site"]
    nasa = parse_feed((real / "feed-rs/feed-rs/fixture/rss2/rss_2.0_example_2.xml").read_bytes(),
                      {}, FEED_URL)
    assert {e.source for e in nasa.entries} == {"NASA Breaking News"}
    plain = parse_feed((real / "rss-parser/test/input/guardian.rss").read_bytes(), {}, FEED_URL)
    assert {e.source for e in plain.entries} == {None}


def test_an_original_link_is_read_against_the_feed_and_ignored_when_no_address() -> None:
    feed = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:feedburner="http://rssnamespace.org/feedburner/ext/1.0">
<channel><title>T</title>
<item><title>Relative</title><link>http://feedproxy.example/~r/x/1</link>
<feedburner:origLink>/news/1.html</feedburner:origLink></item>
<item><title>A guid</title><link>https://news.example.org/2.html</link>
<feedburner:origLink>b67e7afb-80be-4b23-8c42-67b970e2baa7</feedburner:origLink></item>
<item><title>Only original</title>
<feedburner:origLink>https://news.example.org/3.html</feedburner:origLink></item>
<item><title>Plain</title><link>https://news.example.org/4.html</link></item>
</channel></rss>"""
    relative, guid, only, plain = parse_feed(feed, {}, FEED_URL).entries
    assert (relative.link, relative.via) == ("http://feeds.example.org/news/1.html",
                                             "http://feedproxy.example/~r/x/1")
    assert (guid.link, guid.via) == ("https://news.example.org/2.html", None)
    assert (only.link, only.via) == ("https://news.example.org/3.html", None)
    assert (plain.link, plain.via) == ("https://news.example.org/4.html", None)
    local = parse_feed(feed, {}, "file:///home/analyst/saved.xml").entries[0]
    assert (local.link, local.via) == ("http://feedproxy.example/~r/x/1", None)


def test_atom_content_is_full_text() -> None:
    feed = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom news</title>
<entry><id>urn:x:1</id><title>One</title><link rel="alternate" href="https://news.example/1"/>
<updated>2024-01-02T03:04:05Z</updated><author><name>Ann</name></author>
<content type="html">&lt;p&gt;Full story text here.&lt;/p&gt;</content></entry></feed>"""
    entry = parse_feed(feed, {"content-type": "application/atom+xml"}, FEED_URL).entries[0]
    assert entry.link == "https://news.example/1" and entry.author == "Ann"
    assert entry.content_html == "<p>Full story text here.</p>"


@pytest.mark.parametrize(
    ("content", "headers", "reason"),
    [
        (b"", {}, RejectReason.EMPTY),
        (b"   \n", {}, RejectReason.EMPTY),
        (b"<html><head><title>Oops</title></head><body><h1>502 Bad Gateway</h1></body></html>",
         {"Content-Type": "text/html"}, RejectReason.NOT_A_FEED),
        (b'{"version": "https://jsonfeed.org/version/1.1"}', {"Content-Type": "application/json"},
         RejectReason.EMPTY),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", {"Content-Type": "image/png"}, RejectReason.NOT_A_FEED),
        (b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>',
         {"Content-Type": "application/rss+xml"}, RejectReason.EMPTY),
    ],
)
def test_documents_without_entries_are_named_rejects(
    content: bytes, headers: dict[str, str], reason: RejectReason
) -> None:
    with pytest.raises(RejectedInput) as caught:
        parse_feed(content, headers, FEED_URL)
    assert caught.value.reason == reason


def test_json_feed_items_become_the_same_entries() -> None:
    doc = {
        "version": "https://jsonfeed.org/version/1.1", "title": "Valley  Courier",
        "language": "de-AT",
        "items": [
            {"id": "https://courier.example/1", "url": "/stories/1", "title": "Nachtbusse",
             "content_html": "<p>Der Rat beschließt vier neue Linien.</p>",
             "date_published": "2023-09-12T14:05:00+02:00",
             "authors": [{"name": "Erika Musterfrau"}, {"name": "Max Mustermann"}]},
            {"id": 2, "external_url": "https://elsewhere.example/x", "summary": "Linked.",
             "date_modified": "2023-09-13", "author": {"name": "Old-Style Author"}},
            {"id": "3", "content_text": "First paragraph.\n\nSecond <b>plain</b> one."},
            {}, "not an object",
        ],
    }
    parsed = parse_feed(json.dumps(doc).encode(), {"Content-Type": "application/feed+json"},
                        "https://courier.example/feed.json")
    assert (parsed.title, parsed.language, parsed.format) == ("Valley Courier", "de", "json11")
    assert parsed.problem == "1 items that are not JSON objects left out"
    first, second, third = parsed.entries
    assert (first.entry_id, first.link, first.title, first.author) == (
        "https://courier.example/1", "https://courier.example/stories/1", "Nachtbusse",
        "Erika Musterfrau; Max Mustermann")
    assert first.published is not None and first.published.at == datetime(2023, 9, 12, 12, 5)
    assert first.published.precision == DatePrecision.SECOND
    assert first.content_html == "<p>Der Rat beschließt vier neue Linien.</p>"
    assert (second.entry_id, second.link, second.summary, second.author) == (
        "2", "https://elsewhere.example/x", "Linked.", "Old-Style Author")
    assert second.published is not None and second.published.precision == DatePrecision.DAY
    assert (third.link, third.content_html) == (
        None, "<p>First paragraph.</p><p>Second &lt;b&gt;plain&lt;/b&gt; one.</p>")




NEWS_SITEMAP = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
  <url>
    <loc>https://courier.example/politik/nachtbusse.html</loc>
    <news:news>
      <news:publication><news:name>Valley Courier</news:name>
        <news:language>de</news:language></news:publication>
      <news:publication_date>2023-09-12T14:05:00+02:00</news:publication_date>
      <news:title>Nachtbusse  f\xc3\xbcr das Tal</news:title>
    </news:news>
  </url>
  <url>
    <loc>/wirtschaft/budget.html</loc>
    <lastmod>2023-09-13</lastmod>
    <news:news>
      <news:publication><news:name>Valley Courier</news:name>
        <news:language>de</news:language></news:publication>
      <news:title>Budget</news:title>
    </news:news>
  </url>
  <url><loc>https://courier.example/impressum.html</loc></url>
</urlset>"""


def test_a_google_news_sitemap_is_a_feed_of_its_news_entries() -> None:
    parsed = parse_feed(NEWS_SITEMAP, {"Content-Type": "application/xml"},
                        "https://courier.example/news-sitemap.xml")
    assert (parsed.title, parsed.language, parsed.format) == ("Valley Courier", "de",
                                                              "news-sitemap")
    assert parsed.problem is None  # the page without news is the site's, not a fault
    first, second = parsed.entries
    assert (first.link, first.title) == ("https://courier.example/politik/nachtbusse.html",
                                         "Nachtbusse für das Tal")
    assert first.published is not None and first.published.at == datetime(2023, 9, 12, 12, 5)
    assert first.published.precision == DatePrecision.SECOND
    assert second.link == "https://courier.example/wirtschaft/budget.html"
    assert second.published is not None and second.published.precision == DatePrecision.DAY


def test_a_gzip_sitemap_is_read_unpacked_and_an_index_lists_its_sitemaps() -> None:
    """Sitemaps are often served as .xml.gz files rather than with a Content-Encoding."""
    packed = parse_feed(gzip.compress(NEWS_SITEMAP), {"Content-Type": "application/gzip"},
                        "https://courier.example/news-sitemap.xml.gz")
    assert packed == parse_feed(NEWS_SITEMAP, {}, "https://courier.example/news-sitemap.xml")
    index = (b"<?xml version='1.0'?><sitemapindex xmlns='http://www.sitemaps.org/schemas/"
             b"sitemap/0.9'><sitemap><loc>/news/politik.xml</loc><lastmod>2023-09-12T08:00:00"
             b"+02:00</lastmod></sitemap><sitemap><loc> </loc></sitemap><sitemap><loc>"
             b"https://cdn.example/news/sport.xml.gz</loc></sitemap></sitemapindex>")
    assert is_sitemap_index(index) and not is_sitemap_index(NEWS_SITEMAP)
    assert index_sitemaps(index, "https://courier.example/sitemaps/index.xml") == (
        IndexedSitemap("https://courier.example/news/politik.xml",
                       Dated(datetime(2023, 9, 12, 6, 0), DatePrecision.SECOND, 120)),
        IndexedSitemap("https://cdn.example/news/sport.xml.gz", None))
    with pytest.raises(RejectedInput, match="not a sitemap index: its root is <urlset>"):
        index_sitemaps(NEWS_SITEMAP, "https://courier.example/news-sitemap.xml")


def test_a_sitemap_without_lastmod_is_dated_by_the_day_its_address_names() -> None:
    def dated(url: str) -> tuple[datetime, DatePrecision] | None:
        found = date_in_address(url)
        return (found.at, found.precision) if found else None

    day = (datetime(2023, 9, 12), DatePrecision.DAY)
    assert dated("https://a.example/news-sitemap-2023-09-12.xml") == day
    assert dated("https://a.example/sitemaps/2023/09/12/news.xml.gz") == day
    assert dated("https://a.example/news_20230912.xml") == day
    assert dated("https://a.example/news-2023-09-12-08.xml") == (datetime(2023, 9, 12, 8),
                                                               DatePrecision.DAY)
    assert dated("https://a.example/sitemap-2023-09.xml") == (datetime(2023, 9, 1),
                                                            DatePrecision.MONTH)
    for undated in ("https://a.example/news-sitemap.xml", "https://a.example/news-1694500000.xml",
                    "https://a.example/news-120230912.xml", "https://a.example/news-2023-02-30.xml",
                    "https://2023-09-12.example/news.xml", "https://a.example/news.xml?d=20230912"):
        assert dated(undated) is None, undated
    index = (b"<sitemapindex xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'><sitemap><loc>"
             b"/news-2023-09-11.xml</loc><lastmod>2023-09-12T08:00:00Z</lastmod></sitemap>"
             b"<sitemap><loc>/news-2023-09-10.xml</loc></sitemap></sitemapindex>")
    assert [s.modified.at if s.modified else None
            for s in index_sitemaps(index, "https://a.example/index.xml")] == [
        datetime(2023, 9, 12, 8), datetime(2023, 9, 10)]  # lastmod, where given, comes first
    with pytest.raises(RejectedInput, match="broken gzip data"):
        parse_feed(b"\x1f\x8b\x08\x00broken", {}, FEED_URL)


@pytest.mark.parametrize(("content", "reason", "detail"), [
    (b'{"version": "1", "items": []}', RejectReason.NOT_A_FEED,
     "JSON, but neither a JSON Feed (no https://jsonfeed.org/version/ version) nor articles "
     "(an array of objects with a url or a text, or one such object)"),
    (b'{"version": "https://jsonfeed.org/version/1", "items": [{}]}', RejectReason.EMPTY,
     "json1 feed without entries: its 1 entry holds no link, title, text or id"),
    (b'<rss version="2.0"><channel><title>t</title><item><dc:creator xmlns:dc="http://purl.org'
     b'/dc/elements/1.1/">Lev Tolstoy</dc:creator></item><item/></channel></rss>',
     RejectReason.EMPTY, "rss20 feed without entries: its 2 entries hold no link, title, text "
     "or id"),
    (b'<rss version="2.0"><channel><title>t</title></channel></rss>', RejectReason.EMPTY,
     "rss20 feed without entries"),
    (b'{"version": ', RejectReason.NOT_A_FEED,
     "broken JSON: Expecting value: line 1 column 13 (char 12)"),
    (b'{"version": "https://jsonfeed.org/version/1", ', RejectReason.NOT_A_FEED,
     "not a JSON Feed: Expecting property name enclosed in double quotes: line 1 column 47 "
     "(char 46)"),
    (b"[1, 2]", RejectReason.NOT_A_FEED, "JSON, but neither a JSON Feed (no "
     "https://jsonfeed.org/version/ version) nor articles (an array of objects with a url or "
     "a text, or one such object)"),
    (b"<?xml version='1.0'?><urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>"
     b"<url><loc>https://a.example/</loc></url><url><loc>https://a.example/b</loc></url>"
     b"</urlset>", RejectReason.NOT_A_FEED,
     "a sitemap of 2 pages without news entries (news:news): newsmon reads Google News "
     "sitemaps, not a whole site's"),
    (b"<urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'/>", RejectReason.EMPTY,
     "a sitemap without pages"),
    (b"<sitemapindex xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>" + b"".join(
        b"<sitemap><loc>https://a.example/s%d.xml</loc></sitemap>" % i for i in range(5))
     + b"</sitemapindex>", RejectReason.NOT_A_FEED,
     "a sitemap index of 5 sitemaps (https://a.example/s0.xml, https://a.example/s1.xml, "
     "https://a.example/s2.xml, ...): give newsmon its news sitemap"),
    (b"<?xml version='1.0'?><opml version='2.0'><body><outline xmlUrl='https://a.example/f'/>"
     b"</body></opml>", RejectReason.NOT_A_FEED,  # an OPML list served over HTTP
     "an OPML list of feeds, not a feed: save it and run newsmon ingest LIST.opml (each feed "
     "it names is then polled), or name its feeds in [[feeds]]"),
    (b"<urlset><url><loc>x</loc></url>", RejectReason.NOT_A_FEED,  # cut short: read so far
     "a sitemap of 1 pages without news entries (news:news): newsmon reads Google News "
     "sitemaps, not a whole site's; ill-formed XML, read as far as it could be (no element "
     "found: line 1, column 31)"),
])
def test_json_and_sitemaps_that_are_no_usable_feed_say_why(
    content: bytes, reason: RejectReason, detail: str
) -> None:
    with pytest.raises(RejectedInput) as caught:
        parse_feed(content, {}, FEED_URL)
    assert (caught.value.reason, caught.value.detail) == (reason, detail)


def test_a_json_feeds_lone_surrogates_are_replacement_characters() -> None:
    """JSON can state half a UTF-16 pair ("\\ud800"), which no UTF-8 text holds: written to
    a page or the warehouse as it was, it stopped the run."""
    doc = {"version": "https://jsonfeed.org/version/1.1", "title": "Courier \ud800",
           "items": [{"id": "a\ud800", "url": "https://a.example/1", "title": "Kim\udfff",
                      "content_html": "<p>Kim \ud800 Putin</p>"}]}
    parsed = parse_feed(json.dumps(doc).encode(), {"content-type": "application/feed+json"},
                        FEED_URL)
    [entry] = parsed.entries
    assert (parsed.title, entry.entry_id, entry.title, entry.content_html) == (
        "Courier \ufffd", "a\ufffd", "Kim\ufffd", "<p>Kim \ufffd Putin</p>")
