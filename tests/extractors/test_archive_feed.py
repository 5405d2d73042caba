"""Archives of articles (JSON Lines, CSV, TSV) read as feeds: the names such files give
their fields, the dates they write, and the records that cannot be read."""

from __future__ import annotations

import html
import json
from datetime import datetime

import pytest

from extractors.archive_feed import (
    MAX_CELL_CHARS,
    archive_header,
    headless_table,
    is_url_list,
    json_items,
    json_parts,
    json_records,
    parse_archive,
)
from extractors.feed_parser import parse_feed
from newsmon.core.errors import RejectedInput
from newsmon.core.outcomes import RejectReason
from newsmon.core.records import Dated, DatePrecision

URL = "file:///data/archive.jsonl"


def test_json_lines_records_become_entries_under_the_names_archives_use() -> None:
    records = [
        # as newsmon export writes it
        {"article_id": 7, "url": "https://courier.example/2023/budget.html", "title": "Budget",
         "author": "Erika Musterfrau", "published_at": "2023-09-12 08:05:00",
         "source": "Valley Courier", "language": "de",
         "text": "Der Rat hat das Budget beschlossen.\n\nDie Opposition stimmte dagegen."},
        # as a scraper writes it: other names, a list of authors, a GDELT date
        {"Headline": "Night buses", "Link": "https://courier.example/night-buses",
         "Authors": [{"name": "A. Writer"}, "B. Writer"], "seendate": "20230912T081500Z",
         "media_name": "Courier", "lang": "en-GB"},
        # text without a link: a stable key of its own
        {"title": "Letter", "body": "<p>Already <b>HTML</b>.</p>",
         "date": "Tue, 12 Sep 2023 10:00:00 +0200"},
        # a Brazilian system's export: the month in Portuguese
        {"title": "Carta", "link": "https://folha.example/carta",
         "date": "Ter, 12 Set 2023 10:00:00 -0300"},
    ]
    # Windows line ends, and a line separator inside a string (valid JSON, written raw)
    content = "\r\n".join(json.dumps(r, ensure_ascii=False) for r in records).replace(
        "Night buses", "Night\u2028buses").encode() + b"\r\n\r\n"
    parsed = parse_feed(content, {"Content-Type": "application/x-ndjson"}, URL)
    assert (parsed.format, parsed.whole_articles, parsed.problem) == ("archive-jsonl", True, None)
    budget, buses, letter, carta = parsed.entries
    assert carta.published == Dated(datetime(2023, 9, 12, 13), DatePrecision.SECOND, -180)
    assert (budget.entry_id, budget.link, budget.title, budget.author, budget.source,
            budget.language) == ("7", "https://courier.example/2023/budget.html", "Budget",
                                 "Erika Musterfrau", "Valley Courier", "de")
    assert budget.content_html == ("<p>Der Rat hat das Budget beschlossen.</p>"
                                   "<p>Die Opposition stimmte dagegen.</p>")
    assert budget.published is not None and budget.published.at == datetime(2023, 9, 12, 8, 5)
    assert (buses.title, buses.author, buses.source, buses.language, buses.content_html) == (
        "Night buses", "A. Writer; B. Writer", "Courier", "en", None)
    assert buses.published is not None and buses.published.at == datetime(2023, 9, 12, 8, 15)
    assert letter.link is None and letter.content_html == "<p>Already <b>HTML</b>.</p>"
    assert letter.entry_id is not None and len(letter.entry_id) == 16
    assert letter.published is not None and letter.published.at == datetime(2023, 9, 12, 8, 0)
    assert letter.published.precision == DatePrecision.SECOND
    again = parse_feed(content, {"Content-Type": "application/x-ndjson"}, URL)
    assert again.entries[2].entry_id == letter.entry_id  # the same key on every read
    # an API's JSON Lines served as plain JSON are told apart from a JSON Feed
    assert parse_feed(content, {"Content-Type": "application/json"}, URL) == parsed
    json_feed = {"version": "https://jsonfeed.org/version/1.1", "items": [
        {"id": "1", "url": "https://a.example/1", "content_text": "A text."}]}
    for text in (json.dumps(json_feed), json.dumps(json_feed, indent=2)):
        assert parse_feed(text.encode(), {"Content-Type": "application/json"}, URL).format \
            == "json11"


def test_a_wordpress_sites_rest_api_gives_its_posts() -> None:
    """``/wp-json/wp/v2/posts``, which most sites answer: title, text and guid as
    ``{"rendered": HTML}``, "date" in the site's local time without its offset and
    "date_gmt" in UTC."""
    text = " ".join(["Die Regierung hat am Dienstag neue Sanktionen beschlossen."] * 20)
    posts = [
        {"id": 101, "date": "2023-09-12T10:05:00", "date_gmt": "2023-09-12T08:05:00",
         "guid": {"rendered": "https://blog.example.de/?p=101"},
         "link": "https://blog.example.de/2023/09/12/kims-besuch/",
         "title": {"rendered": "Kim&#8217;s Besuch &#8211; <em>was</em> bleibt"},
         "content": {"rendered": f"<p>{text}</p>", "protected": False},
         "excerpt": {"rendered": "<p>Kurz.</p>"}, "author": 3},
        {"id": 102, "date": "2023-09-13T09:00:00", "date_gmt": "2023-09-13T07:00:00",
         "link": "https://blog.example.de/2023/09/13/geschuetzt/",
         "title": {"rendered": "Geschützt"}, "content": {"rendered": "", "protected": True}},
    ]
    parsed = parse_feed(json.dumps(posts).encode(), {"Content-Type": "application/json"},
                        "https://blog.example.de/wp-json/wp/v2/posts")
    first, protected = parsed.entries
    assert (first.entry_id, first.link, first.title) == (
        "101", "https://blog.example.de/2023/09/12/kims-besuch/", "Kim’s Besuch – was bleibt")
    assert first.published == Dated(datetime(2023, 9, 12, 8, 5), DatePrecision.SECOND)
    assert first.content_html == f"<p>{text}</p>" and first.author is None
    assert (protected.title, protected.content_html) == ("Geschützt", None)  # its page, then


def test_the_news_apis_analysts_have_keys_for_give_their_articles() -> None:
    """The Guardian's Open Platform (under "response": webUrl, webTitle,
    webPublicationDate, the byline and text under "fields"), the New York Times' article
    search (under "response": web_url, a headline's "main", pub_date, a byline's
    "original"), Event Registry (under "articles": "results")."""
    text = " ".join(["Kim Jong-un met Vladimir Putin at the Vostochny cosmodrome."] * 15)
    guardian = {"response": {"status": "ok", "total": 1, "results": [{
        "id": "world/2023/sep/13/kim-jong-un-putin", "type": "article",
        "webPublicationDate": "2023-09-13T07:31:00Z",
        "webTitle": "Kim Jong-un and Putin meet at Russian spaceport",
        "webUrl": "https://www.theguardian.com/world/2023/sep/13/kim-jong-un-putin",
        "apiUrl": "https://content.guardianapis.com/world/2023/sep/13/kim-jong-un-putin",
        "fields": {"byline": "Justin McCurry", "bodyText": text}}]}}
    (story,) = parse_feed(json.dumps(guardian).encode(), {"Content-Type": "application/json"},
                          "https://content.guardianapis.com/search").entries
    assert (story.link, story.title, story.author) == (
        "https://www.theguardian.com/world/2023/sep/13/kim-jong-un-putin",
        "Kim Jong-un and Putin meet at Russian spaceport", "Justin McCurry")
    assert story.published is not None and story.published.at == datetime(2023, 9, 13, 7, 31)
    assert story.content_html == f"<p>{text}</p>"
    nyt = {"status": "OK", "response": {"docs": [{
        "abstract": "The North Korean leader arrived by armoured train.",
        "web_url": "https://www.nytimes.com/2023/09/13/world/asia/kim-putin-russia.html",
        "headline": {"main": "Kim and Putin Meet", "kicker": None},
        "pub_date": "2023-09-13T05:12:03+0000", "byline": {"original": "By Choe Sang-Hun"},
        "_id": "nyt://article/1"}], "meta": {"hits": 1}}}
    (doc,) = parse_feed(json.dumps(nyt).encode(), {"Content-Type": "application/json"},
                        "https://api.nytimes.com/svc/search/v2/articlesearch.json").entries
    assert (doc.link, doc.title, doc.author, doc.content_html) == (
        "https://www.nytimes.com/2023/09/13/world/asia/kim-putin-russia.html",
        "Kim and Putin Meet", "Choe Sang-Hun", None)  # no text: its page is fetched
    assert doc.published is not None and doc.published.at == datetime(2023, 9, 13, 5, 12, 3)
    registry = {"articles": {"results": [{
        "uri": "7771234", "lang": "eng", "dateTime": "2023-09-13T07:31:00Z",
        "url": "https://news.example.com/kim-putin", "title": "Kim meets Putin",
        "body": text, "source": {"uri": "news.example.com", "title": "Example News"},
        "authors": [{"name": "Jane Roe", "type": "author"}]}], "totalResults": 1, "page": 1}}
    (item,) = parse_feed(json.dumps(registry).encode(), {"Content-Type": "application/json"},
                         "https://eventregistry.org/api/v1/article/getArticles").entries
    assert (item.title, item.source, item.author, item.language) == (
        "Kim meets Putin", "Example News", "Jane Roe", "en")
    assert item.published is not None and item.published.at == datetime(2023, 9, 13, 7, 31)


def test_lines_that_cannot_be_read_are_named_and_the_rest_is_used() -> None:
    content = (b'{"url": "https://a.example/1", "title": "One"}\n'
               b'{"url": "https://a.example/2", "title": \n'
               b'["a list"]\n'
               b'{"title": "neither a link nor text"}\n')
    parsed = parse_archive(content, URL, "jsonl")
    assert [e.link for e in parsed.entries] == ["https://a.example/1"]
    assert parsed.problem == (  # the last one was once dropped without a word
        "3 records could not be read (line 2: not JSON: Expecting value: line 1 column 41 "
        "(char 40); line 3: a JSON list, not an object; a record with neither an http(s) "
        "link nor a text (title='neither a link nor text'))")


def test_json_documents_of_articles_as_apis_and_scrapers_write_them() -> None:
    text = "Der Rat hat den Haushalt beschlossen. " * 12
    # a news API's answer: the articles under a key, the outlet an object, camelCase dates
    api = {"status": "ok", "totalResults": 2, "articles": [
        {"source": {"id": "courier", "name": "Valley Courier"}, "author": "Erika Musterfrau",
         "title": "Budget agreed", "url": "https://courier.example/budget",
         "publishedAt": "2023-09-12T08:05:00Z", "content": "The council agreed… [+2510 chars]",
         "language": "English"},  # GDELT names languages
        {"source": {"id": None, "name": "Courier"}, "title": "No link", "url": None}]}
    [entry] = parse_archive(json.dumps(api).encode(), URL, "json").entries
    assert (entry.link, entry.source, entry.author, entry.title) == (
        "https://courier.example/budget", "Valley Courier", "Erika Musterfrau", "Budget agreed")
    assert entry.published is not None and entry.published.at == datetime(2023, 9, 12, 8, 5)
    assert entry.language == "en"
    # a scraper's file per article (news-please's names)
    one = {"url": "https://courier.example/rat", "title": "Rat", "maintext": text,
           "date_publish": "2023-09-12 08:00:00", "authors": ["A. Writer", "B. Writer"],
           "source_domain": "courier.example", "language": "de"}
    [entry] = parse_archive(json.dumps(one).encode(), URL, "json").entries
    assert (entry.author, entry.source, entry.language) == (
        "A. Writer; B. Writer", "courier.example", "de")
    assert entry.content_words == len(text.split())
    # a scraper's array, one item of which is no object
    array = parse_archive(json.dumps([one, "stray", {"link": "https://a.example/2"}]).encode(),
                          URL, "json")
    assert [e.link for e in array.entries] == ["https://courier.example/rat",
                                               "https://a.example/2"]
    assert array.problem == "1 record could not be read (item 2: a JSON str, not an object)"


def test_a_list_of_links_is_an_archive_of_pages_to_fetch() -> None:
    text = "# to read\nhttps://a.example/1\n\nhttp://b.example/2?x=1\n"
    assert is_url_list(text) and not is_url_list("https://a.example/1\nA sentence.\n")
    assert not is_url_list("# only a comment\n") and not is_url_list("")
    parsed = parse_feed((text + "ftp://c.example/3\n").encode(),
                        {"Content-Type": "text/uri-list"}, URL)
    assert [e.link for e in parsed.entries] == ["https://a.example/1", "http://b.example/2?x=1"]
    assert parsed.problem == "1 record could not be read (line 5: not an http(s) address)"


def test_json_that_holds_no_articles_is_not_an_archive() -> None:
    assert json_records([{"url": "https://a.example/1"}]) is not None
    for doc in (
        {"V1": {"title": "T", "body": {"paragraphs": ["..."]}}},  # a corpus's ground truth
        {"hash": {"url": "https://a.example/", "articleBody": "..."}},  # keyed by id
        {"feed_type": "RSS2", "entries": [{"links": [{"href": "https://a.example/"}],
                                           "content": {"body": "..."}}]},  # a parsed feed
        {"feed": {"entries": [{"link": "https://a.example/", "content": "a teaser"}]}},
        {"articles": [], "status": "ok"}, [1, 2], "text", {"url": None, "text": 3},
    ):
        assert json_records(doc) is None, doc
    with pytest.raises(RejectedInput, match="JSON, but neither a JSON Feed"):
        parse_archive(b'{"V1": {"title": "T"}}', URL, "json")


def test_a_long_text_is_one_cell_and_a_broken_record_costs_only_itself() -> None:
    """The csv module refuses cells over 128 KiB by default: one long article lost every
    record of its file after it."""
    long_text = "Der Rat tagte. " * 20_000  # 300,000 characters
    too_long = "x" * (MAX_CELL_CHARS + 1)
    table = ("url,text\n"
             f'https://a.example/long,"{long_text}"\n'
             f'https://a.example/huge,"{too_long}"\n'
             '"https://a.example/two-lines","Erste Zeile.\nZweite Zeile."\n'
             "https://a.example/wide,text,extra\n"
             "https://a.example/last,Letzte Meldung.\n")
    parsed = parse_archive(table.encode(), URL, "csv")
    assert [e.link for e in parsed.entries] == [
        "https://a.example/long", "https://a.example/two-lines", "https://a.example/last"]
    assert parsed.entries[0].content_words == 3 * 20_000
    assert parsed.problem == (
        f"2 records could not be read (line 3: field larger than field limit ({MAX_CELL_CHARS}); "
        "line 6: more cells than the header's 2 columns)")


def test_csv_and_tsv_archives_read_under_their_header() -> None:
    table = ('stories_id,publish_date,title,url,language,media_name\n'
             '1,2023-09-12 08:00:00,"Budget, agreed",https://a.example/budget,de,Courier\n'
             '2,2023-09-13,Night buses,https://a.example/buses,en,Courier,extra\n'
             '3,,"Ferry ""news""",https://a.example/ferry,en,Courier\n')
    parsed = parse_feed(table.encode(), {"Content-Type": "text/csv; charset=utf-8"}, URL)
    assert [(e.entry_id, e.title, e.language) for e in parsed.entries] == [
        ("1", "Budget, agreed", "de"), ("3", 'Ferry "news"', "en")]
    assert parsed.problem == "1 record could not be read (line 3: more cells than the " \
        "header's 6 columns)"
    tsv = "Link\tTitle\nhttps://a.example/x\tTabs, commas; all in one cell\n"
    [entry] = parse_archive(tsv.encode(), URL, "tsv").entries
    assert (entry.link, entry.title) == ("https://a.example/x", "Tabs, commas; all in one cell")
    # as a German spreadsheet saves it: semicolons, a decimal comma in a cell
    german = "URL;Titel;Datum;Anteil\nhttps://a.example/y;Haushalt;2023-09-12;0,5\n"
    [entry] = parse_archive(german.encode(), URL, "csv").entries
    assert (entry.link, entry.title) == ("https://a.example/y", "Haushalt")
    assert entry.published is not None and entry.published.precision == DatePrecision.DAY
    dated = parse_archive(b"url;datum\nhttps://a.example/z;12.9.2023 8:05\n", URL, "csv")
    published = dated.entries[0].published
    assert published is not None and published.at == datetime(2023, 9, 12, 8, 5)
    assert archive_header("URL;Title", "csv") and archive_header("Story URL,Title", "csv")
    assert archive_header("id,Full Text", "csv") and archive_header("link\ttitle", "tsv")
    assert not archive_header("name,price,stock", "csv")
    assert not archive_header("url,title", "tsv")  # a TSV's header has tabs


GERMAN_PROSE = ("Die Gewerkschaft sieht Handlungsbedarf bei sogenannten Verträgen. Wien – "
                "Für mehr Transparenz hat sie einen Rechner gestartet; er zeigt, was die "
                "Überstunden wert sind, und das Ministerium prüft nun die ''All-in''-Klauseln "
                "der großen Arbeitgeber im ganzen Land.")


def test_a_table_of_texts_without_a_header_is_read_by_its_column_of_prose() -> None:
    """As 10kGNAD writes German news: a desk, then the text in single quotes (semicolons
    and commas in it), and no header. It was refused as a CSV without a url or text column."""
    rows = [f"{desk};'{GERMAN_PROSE} ({n})'\n" for n, desk in enumerate(
        ["Wirtschaft", "Inland", "Sport", "Web"])]
    table = "".join(rows).encode()
    layout = headless_table(table.decode(), "csv")
    assert layout is not None
    assert (layout.text_column, layout.columns, layout.named) == (1, 2, False)
    parsed = parse_archive(table, URL, "csv")
    assert [e.title for e in parsed.entries] == [
        "Die Gewerkschaft sieht Handlungsbedarf bei sogenannten Verträgen."] * 4
    texts = [html.unescape(e.content_html or "") for e in parsed.entries]
    assert all("Rechner gestartet; er zeigt, was die Überstunden" in text
               and "'All-in'-Klauseln" in text for text in texts)
    assert "(3)" in (parsed.entries[3].content_html or "") and parsed.problem is None
    # a stable key for each: read again, the same entries
    assert [e.entry_id for e in parse_archive(table, URL, "csv").entries] == [
        e.entry_id for e in parsed.entries]
    # column names newsmon does not know, a row with its delimiter unquoted, tabs in a TSV
    named = ("label;beitrag\n" + "".join(rows) + "Sport;Kurz; und bündig\n").encode()
    parsed = parse_archive(named, URL, "csv")
    assert len(parsed.entries) == 4 and parsed.problem == (
        "1 record could not be read (line 6: 3 cells where the table has 2 (a cell with the "
        "delimiter unquoted?))")
    # the same cells under a header newsmon knows ("text"): single quotes read alike
    known = ("label;text\n" + "".join(rows)).encode()
    assert [html.unescape(e.content_html or "").endswith("(3)</p>")
            for e in parse_archive(known, URL, "csv").entries] == [False, False, False, True]
    tsv = "".join(f"{GERMAN_PROSE} ({n})\t2023-09-1{n}\n" for n in range(3)).encode()
    assert len(parse_archive(tsv, URL, "tsv").entries) == 3


def test_a_table_without_a_header_or_a_column_of_prose_is_no_archive() -> None:
    assert headless_table("name,price,stock\nhammer,9.90,4\nsaw,19.90,0\n", "csv") is None
    # lines of prose, a semicolon and commas in each, unquoted: sentences, not cells
    assert headless_table(f"{GERMAN_PROSE}\n{GERMAN_PROSE}\n{GERMAN_PROSE}\n", "csv") is None
    short = "".join(f"Sport;'Ein kurzer Satz ohne viel Inhalt, Nummer {n}.'\n" for n in range(5))
    assert headless_table(short, "csv") is None  # a column of short notes is no article's text
    with pytest.raises(RejectedInput) as caught:
        parse_archive(b"name,price\nhammer,9.90\n", URL, "csv")
    assert caught.value.reason == RejectReason.EMPTY


def test_an_archive_not_in_utf8_is_read_in_the_charset_named_or_the_one_its_bytes_show() -> None:
    latin = '{"text": "Grüße aus Köln", "url": "https://a.example/k"}\n'.encode("latin-1")
    parsed = parse_archive(latin, URL, "jsonl")
    assert parsed.encoding != "utf-8"  # Windows-1250 or -1252: both read these letters alike
    assert "Grüße aus Köln" in (parsed.entries[0].content_html or "")
    # bytes two code pages read alike: the server's word decides (Ł in Windows-1250)
    polish = "url,text\nhttps://a.example/l,Łódź\n".encode("cp1250")
    served = parse_feed(polish, {"Content-Type": "text/csv; charset=windows-1250"}, URL)
    assert "Łódź" in (served.entries[0].content_html or "") and served.encoding == "windows-1250"
    assert parse_archive("url\nhttps://a.example/ü\n".encode("utf-8-sig"), URL,
                         "csv").entries[0].link == "https://a.example/ü"


@pytest.mark.parametrize(("content", "reason", "detail"), [
    (b'{"title": "no link, no text"}\n', RejectReason.EMPTY,
     "an article archive (jsonl) without a record that has a link or text: 1 record could "
     "not be read (a record with neither an http(s) link nor a text (title='no link, no "
     "text'))"),
    (b"not json\n", RejectReason.NOT_A_FEED,
     "an article archive (jsonl) without a record that has a link or text: 1 record could "
     "not be read (line 1: not JSON: Expecting value: line 1 column 1 (char 0))"),
])
def test_an_archive_without_a_usable_record_is_a_named_reject(
    content: bytes, reason: RejectReason, detail: str
) -> None:
    with pytest.raises(RejectedInput) as caught:
        parse_archive(content, URL, "jsonl")
    assert (caught.value.reason, caught.value.detail) == (reason, detail)


def _chunks(text: str, size: int) -> list[str]:
    return [text[i:i + size] for i in range(0, len(text), size)]


def test_a_json_array_is_read_item_by_item_across_any_chunking() -> None:
    items = [{"url": f"https://example.org/{n}", "text": f'say "[{n}]," then {{}} \u00e9',
              "n": n * 1000 + 7, "tags": [n, None, True]} for n in range(1, 31)]
    items[4] = 12345678  # not an object: named, the rest read
    text = " \n[ " + ",\n".join(json.dumps(i) for i in items) + " ]\n"
    for size in (1, 7, 64, len(text)):
        got = list(json_items(_chunks(text, size), max_item_chars=1_000))
        assert [item for _, item in got] == items, size
        assert [n for n, _ in got] == list(range(1, 31))
        parts = list(json_parts(_chunks(text, size), part_chars=150, max_item_chars=1_000))
        assert len(parts) > 5 and [r for p in parts for r in p.records] == [
            i for i in items if isinstance(i, dict)]
        assert [q for p in parts for q in p.problems] == ["item 5: a JSON int, not an object"]
    assert list(json_items(["[", " ]"], max_item_chars=10)) == []


def test_a_json_array_that_breaks_off_keeps_the_items_before_and_names_where() -> None:
    text = '[{"url": "https://example.org/1"}, {"url": "https://example.org/2"}, {"url": '
    read: list[object] = []
    with pytest.raises(RejectedInput) as info:
        for _, item in json_items(_chunks(text, 10), max_item_chars=1_000):
            read.append(item)
    assert len(read) == 2 and info.value.detail.startswith("item 3: broken JSON")
    with pytest.raises(RejectedInput) as info:
        list(json_items(['[{"a": 1} {"b": 2}]'], max_item_chars=1_000))
    assert info.value.detail == "after item 1: broken JSON: no ',' or ']'"
    with pytest.raises(RejectedInput) as info:
        list(json_items(_chunks('[{"text": "' + "x" * 500 + '"}]', 50), max_item_chars=200))
    assert info.value.detail == ("item 1: over 200 characters without ending (longer than "
                                 "the limit, or broken), not read")
    with pytest.raises(RejectedInput) as info:  # one that ends within the chunk is held to it
        list(json_items(['[{"text": "' + "x" * 500 + '"}]'], max_item_chars=200))
    assert info.value.detail == "item 1: over 200 characters, not read"
    with pytest.raises(RejectedInput) as info:
        list(json_items(['{"articles": [], "n": 3}'], max_item_chars=1_000))
    assert info.value.reason == RejectReason.NOT_A_FEED
    assert info.value.detail.startswith("JSON, but no array of articles in it")


@pytest.mark.parametrize("size", [1, 5, 64, 10_000])
def test_an_apis_answer_is_read_as_a_stream_of_its_array_of_articles(size: int) -> None:
    articles = [{"webUrl": f"https://news.example/{n}", "webTitle": f"T{n}"}
                for n in range(1, 8)]
    answers = [  # NewsAPI's answer, the Guardian's (one envelope deeper), arrays before
        {"status": "ok", "totalResults": 7, "articles": articles},
        {"response": {"status": "ok", "pages": 1, "results": articles}},
        {"tags": [1, 2, 3], "meta": {"ids": [[1], [2]]}, "items": articles, "after": [9]},
        {"ids": list(range(150)), "data": articles},  # a long array of no articles first
        {"data": {"total": 7, "result": {"articles": articles}}},  # envelopes in envelopes
    ]
    for answer in answers:
        text = json.dumps(answer, indent=1)
        got = [item for _, item in json_items(_chunks(text, size), max_item_chars=500)]
        assert got == articles, answer
        assert [item for _, item in json_items(_chunks(text, size), max_item_chars=500)
                ] == json_records(answer)  # as the whole document is read
    # a value other than the articles' longer than the limit is named, as an item is
    big = json.dumps({"facets": {"x": "y" * 600}, "articles": articles})
    with pytest.raises(RejectedInput) as info:
        list(json_items(_chunks(big, size), max_item_chars=500))
    assert info.value.detail.startswith("the value of 'facets': over 500 characters")


#: A feed reader's starred articles as FreshRSS, Inoreader and The Old Reader export them
#: (the Google Reader API's JSON): one item with its article, one with a teaser.
READER_EXPORT = {
    "id": "user/-/state/com.google/starred", "title": "List of Jane's starred articles",
    "updated": 1694600000,
    "items": [
        {"id": "tag:google.com,2005:reader/item/0000000000000001",
         "crawlTimeMsec": "1694500123000", "timestampUsec": "1694500123000000",
         "categories": ["user/-/state/com.google/starred", "user/-/label/North Korea"],
         "title": "Kim arrives in Russia", "published": 1694500000, "updated": 1694500000,
         "canonical": [{"href": "https://news.example/kim"}],
         "alternate": [{"href": "https://news.example/kim", "type": "text/html"}],
         "summary": {"direction": "ltr", "content": "<p>" + "Kim arrived in Russia. " * 40
                     + "</p>"},
         "author": "Hyonhee Shin",
         "origin": {"streamId": "feed/https://news.example/rss", "title": "News Example",
                    "htmlUrl": "https://news.example/"}},
        {"id": "tag:google.com,2005:reader/item/0000000000000002",
         "title": "EU widens sanctions", "published": 1694600000,
         "alternate": [{"href": "https://news.example/sanctions", "type": "text/html"}],
         "summary": {"content": "Ministers agreed on Thursday ..."}},
    ],
}


def test_a_feed_readers_starred_articles_are_an_archive() -> None:
    """An item with its article under ``summary`` is that article; one with a teaser is
    its page to fetch; the seconds since 1970 are its date, its feed its outlet."""
    parsed = parse_archive(json.dumps(READER_EXPORT).encode(), URL, "json")
    kim, sanctions = parsed.entries
    assert (kim.link, kim.title, kim.author, kim.source) == (
        "https://news.example/kim", "Kim arrives in Russia", "Hyonhee Shin", "News Example")
    assert kim.published == Dated(datetime(2023, 9, 12, 6, 26, 40), DatePrecision.SECOND, 0)
    assert kim.seen_at == datetime(2023, 9, 12, 6, 28, 43)
    assert kim.content_words == 160
    assert (sanctions.link, sanctions.content_html) == ("https://news.example/sanctions", None)
    assert parsed.problem is None
