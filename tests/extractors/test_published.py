"""The publication time: stated times with their offset, checked against the day."""

from __future__ import annotations

import json
from datetime import datetime

import pytest
import trafilatura
from lxml.html import HtmlElement

from extractors.markup import read_markup
from extractors.published import (
    Stamp,
    choose_date,
    headline_day,
    is_date_only,
    opening_day,
    parse_stamp,
    plausible,
    stated_publication_time,
)
from newsmon.core.records import Dated, DatePrecision


def stamp_of(head: str) -> Stamp | None:
    tree = trafilatura.load_html(f"<html><head>{head}</head><body><p>x</p></body></html>")
    assert tree is not None
    return stated_publication_time(read_markup(tree))


def test_offset_is_kept_and_the_time_stored_in_utc() -> None:
    assert parse_stamp("2023-09-12T00:30:00+02:00") == Stamp(datetime(2023, 9, 11, 22, 30), 120)
    assert parse_stamp("2023-09-12") is None  # a day is not a time of day


def test_a_stamp_without_offset_takes_the_offset_of_the_same_moment_stated_elsewhere() -> None:
    ld = json.dumps({"@type": "NewsArticle", "datePublished": "2025-06-30T15:59:30+02:00"})
    head = ("<meta property='article:published_time' content='2025-06-30T15:59'>"
            f"<script type='application/ld+json'>{ld}</script>")
    assert stamp_of(head) == Stamp(datetime(2025, 6, 30, 13, 59, 30), 120)


def test_a_stamp_without_offset_and_no_other_is_taken_as_utc() -> None:
    head = "<meta property='article:published_time' content='2025-06-30T15:59'>"
    assert stamp_of(head) == Stamp(datetime(2025, 6, 30, 15, 59), None)


def test_a_publication_stamp_equal_to_the_last_update_yields_to_an_earlier_one() -> None:
    # a live blog restamps article:published_time with each post; its JSON-LD keeps the start
    ld = json.dumps({"@type": "LiveBlogPosting", "datePublished": "2024-08-04T13:23:00Z",
                     "dateModified": "2024-08-05T19:49:50Z"})
    head = ("<meta property='article:published_time' content='2024-08-05T19:49:50Z'>"
            "<meta property='article:modified_time' content='2024-08-05T19:49:50Z'>"
            f"<script type='application/ld+json'>{ld}</script>")
    assert stamp_of(head) == Stamp(datetime(2024, 8, 4, 13, 23), 0)


def test_an_update_stamp_stays_when_no_other_stamp_places_an_earlier_moment() -> None:
    # never updated (published == modified), or the other stamp has no offset to compare by
    ld = json.dumps({"@type": "NewsArticle", "datePublished": "2024-08-05T06:30:00"})
    head = ("<meta property='article:published_time' content='2024-08-05T13:30:00Z'>"
            "<meta property='article:modified_time' content='2024-08-05T13:30:00Z'>"
            f"<script type='application/ld+json'>{ld}</script>")
    assert stamp_of(head) == Stamp(datetime(2024, 8, 5, 13, 30), 0)


def test_the_local_day_decides_agreement_with_trafilaturas_day() -> None:
    # 00:30 in Berlin on the 12th is 22:30 UTC on the 11th; the page's day is the 12th
    stamp = Stamp(datetime(2023, 9, 11, 22, 30), 120)
    assert choose_date(stamp, "2023-09-12") == Dated(stamp.at, DatePrecision.SECOND, 120)
    assert choose_date(stamp, "2023-09-20") == Dated(datetime(2023, 9, 20), DatePrecision.DAY)
    # a day apart: the page's visible day wins, its time of day is not trusted
    assert choose_date(stamp, "2023-09-11") == Dated(datetime(2023, 9, 11), DatePrecision.DAY)
    assert choose_date(stamp, None) == Dated(stamp.at, DatePrecision.SECOND, 120)
    assert choose_date(None, None) is None


def test_an_empty_date_fields_default_is_no_publication_date() -> None:
    for placeholder in ("0001-01-01T00:00:00Z", "0001-01-01T00:00:00+01:00",
                        "1900-01-01T00:00:00", "1970-01-01T00:00:00Z",
                        "1970-01-01T01:00:00+01:00"):
        assert parse_stamp(placeholder) is None, placeholder
    assert parse_stamp("1970-01-01T00:00:01Z") == Stamp(datetime(1970, 1, 1, 0, 0, 1), 0)
    assert parse_stamp("1995-05-01T10:00:00Z") == Stamp(datetime(1995, 5, 1, 10), 0)
    assert plausible(Dated(datetime(1, 1, 1), DatePrecision.DAY)) is None
    assert plausible(Dated(datetime(1970, 1, 1), DatePrecision.SECOND)) is None
    kept = Dated(datetime(2023, 9, 13), DatePrecision.DAY)
    assert plausible(kept) is kept and plausible(None) is None
    # the first real stamp wins when a placeholder is stated before it
    assert stamp_of('<meta property="article:published_time" content="0001-01-01T00:00:00Z">'
                    '<meta name="date" content="2023-09-13T08:30:00+02:00">'
                    ) == Stamp(datetime(2023, 9, 13, 6, 30), 120)


@pytest.mark.parametrize(("text", "day"), [
    ("Police firm but fair on NYE\n2:15p.m. 28 December 2007\nAnti-social behaviour …",
     datetime(2007, 12, 28)),
    ("Tuesday January 15, 2008\nHeadline\nStory.", datetime(2008, 1, 15)),
    ("Headline\nPublished on 14/01/2008\nStory.", datetime(2008, 1, 14)),  # 14 > 12
    ("Headline\n1/18/2008\nStory.", datetime(2008, 1, 18)),
    ("Headline\nVeröffentlicht am 12.03.2021, 10:19 Uhr\nStory.", datetime(2021, 3, 12)),
    ("Headline\nPosted at 6:47am on 14 Jan 2008\nStory.", datetime(2008, 1, 14)),
    ("Kein App Store mehr\n28.09.19, 14:02\nBeitrag.", datetime(2019, 9, 28)),
    # in the publication's language, as news databases print them
    ("Le Monde\n30 août 2002\nArticle.", datetime(2002, 8, 30)),
    ("Trouw\n1 mei 2015 vrijdag\nArtikel.", datetime(2015, 5, 1)),
    ("El País\n14 de septiembre de 2023\nNoticia.", datetime(2023, 9, 14)),
    ("Público\n14 setembro 2023\nNotícia.", datetime(2023, 9, 14)),
])
def test_a_date_line_at_the_top_of_the_text_gives_the_day(text: str, day: datetime) -> None:
    assert opening_day(text) == day


@pytest.mark.parametrize("text", [
    "Headline\n01/09/2008\nStory.",  # month and day could be either way round
    "Headline\nOn 28 December 2007, police said the night had gone well and that they would "
    "publish the figures for the whole of the city in the new year.",  # a sentence
    "Ergebnisse\nam 19.05.2007 in Aalen-Unterkochen – Häselbachstadion",  # an event's day
    "Story.\n— Hertha BSC (@HerthaBSC) June 1, 2017",  # an embedded post
    "Head\nJanuary 8, 2008\nUpdated January 9, 2008",  # two days: which one is unclear
    "One\nTwo\nThree\nFour\nFive: 28 December 2007",  # too far down
    "Headline\nFirefox 2.1.10 released",  # dotted with two digits: a version as often
])
def test_no_day_where_the_top_of_the_text_states_none_clearly(text: str) -> None:
    assert opening_day(text) is None


def test_a_date_line_replaces_trafilaturas_day_unless_a_stated_time_confirms_it() -> None:
    opening = datetime(2007, 12, 28)
    header_today = "2008-01-16"
    assert choose_date(None, header_today, lambda: opening) == Dated(opening, DatePrecision.DAY)
    assert choose_date(None, None, lambda: opening) == Dated(opening, DatePrecision.DAY)
    assert choose_date(None, header_today, lambda: None) == Dated(datetime(2008, 1, 16),
                                                                  DatePrecision.DAY)
    # a day after today is no publication day (an event's, a typo)
    assert choose_date(None, header_today, lambda: datetime(2999, 1, 1)) == Dated(
        datetime(2008, 1, 16), DatePrecision.DAY)
    stamp = Stamp(datetime(2008, 1, 16, 9, 0), 0)

    def not_asked() -> datetime:
        raise AssertionError("a stated time confirmed the day: the page is not read again")
    assert choose_date(stamp, header_today, not_asked) == Dated(stamp.at, DatePrecision.SECOND, 0)


def _tree(body: str) -> HtmlElement:
    tree = trafilatura.load_html(f"<html><body>{body}</body></html>")
    assert tree is not None
    return tree


@pytest.mark.parametrize(("body", "day"), [
    # the header's "today" far above, the story's date line under the headline
    ("<div>Wednesday, 16 January 2008</div>" + "<li>Section</li>" * 20
     + "<td><b>Bulls, Jones pursue talks</b></td><td>Tuesday January 15, 2008</td>"
       "<p>The story.</p>", datetime(2008, 1, 15)),
    # above the headline, the headline split by markup
    ("<span>Published: Jan 14, 2008</span><h2>Mbeki puts top cop <em>on leave</em></h2>",
     datetime(2008, 1, 14)),
])
def test_a_date_line_next_to_the_headline_gives_the_day(body: str, day: datetime) -> None:
    headline = "Mbeki puts top cop on leave" if "Mbeki" in body else "Bulls, Jones pursue talks"
    assert headline_day(_tree(body), headline) == day


def test_no_day_next_to_a_headline_the_page_does_not_show_or_that_has_two() -> None:
    body = "<h1>Bulls, Jones pursue talks</h1><p>January 15, 2008</p><p>January 16, 2008</p>"
    assert headline_day(_tree(body), "Bulls, Jones pursue talks") is None
    assert headline_day(_tree(body), "Another headline entirely") is None
    assert headline_day(_tree(body), None) is None
    far = "<h1>Bulls, Jones pursue talks</h1>" + "<p>More.</p>" * 20 + "<p>January 15, 2008</p>"
    assert headline_day(_tree(far), "Bulls, Jones pursue talks") is None


@pytest.mark.parametrize(("line", "only"), [
    ("Sunday, 20 January, 2008", True),
    ("Tuesday 15th of January 2008", True),
    ("Montag, 3. Mai 2021", True),
    ("Jan. 14, 2008", True),
    ("Reading 0-2 Portsmouth", False),
    ("May Chen wins in May 2008", False),
])
def test_a_line_of_nothing_but_a_date_is_told_apart(line: str, only: bool) -> None:
    assert is_date_only(line) is only
