"""The publication time: stated times with their offset, checked against the day."""

from __future__ import annotations

import json
from datetime import datetime

import trafilatura

from extractors.markup import read_markup
from extractors.published import Stamp, choose_date, parse_stamp, stated_publication_time
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
