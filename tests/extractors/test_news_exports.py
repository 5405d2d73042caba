"""News databases' exports: each article's header read as its metadata (headline,
publication, date line, byline), the cover page and the database's own index left out;
Nexis Uni's Word documents and LexisNexis Academic's text files, each ingested end to end
into a real DuckDB file."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from extractors.byline import plain_byline
from extractors.docx import docx_articles
from extractors.export_files import is_text_export_file, text_export_pages
from extractors.news_exports import nexis_uni_article, text_export_articles
from extractors.packed import ArchivedPage, ArchiveProblem
from extractors.plaintext import parse_plain_text
from newsmon.core.outcomes import RejectReason
from newsmon.core.records import Dated, DatePrecision
from newsmon.core.settings import Settings
from newsmon.cycle import run_cycle
from tests.extractors.test_docx import TEXT, word
from warehouse import Warehouse

ONE = ("North Korean leader Kim Jong-un arrived in Russia's far east on Tuesday for talks "
       "with President Vladimir Putin, his train pulling into a station near the border.")
TWO = ("Officials in Washington warned that any arms deal between the two countries would "
       "breach United Nations Security Council resolutions and draw new measures.")
COVER = [  # as Nexis Uni opens an export: the search, the list of its documents
    "Date and Time: Thursday, 14. September 2023 09:31:00 CEST", "Job Number: 204518833",
    "Documents (2)", "1. Kim arrives in Russia for talks with Putin",
    "Client/Matter: -None-", "Search Terms: Kim Jong-un", "Search Type: Natural Language",
    "Narrowed by:", "Content Type", "Narrowed by", "News", "Sources: Valley Courier",
    "2. Seoul watches the summit", "Client/Matter: -None-", "Search Terms: Kim Jong-un"]
FIRST = [
    "Kim arrives in Russia for talks with Putin", "Valley Courier",
    "September 12, 2023 Tuesday 9:20 PM EDT",
    "Copyright 2023 Valley Courier All Rights Reserved", "Section: WORLD; Version:3",
    "Length: 612 words", "Byline: Jane Roe (now) and JOHN DOE in Vladivostok",
    "Dateline: VLADIVOSTOK", "Body", ONE, TWO, "Graphic", "PHOTO: The train at the border",
    "Classification", "Language: ENGLISH", "Publication-Type: Newspaper",
    "Subject: SANCTIONS (90%); ARMS TRADE (88%); NUCLEAR WEAPONS (71%)",
    "Geographic: RUSSIA (94%); NORTH KOREA (92%)", "Load-Date: September 13, 2023",
    "End of Document"]
SECOND = [
    "Seoul watches the summit; South Korea fears a deal on missile technology",
    "Harbour News", "13. September 2023 Mittwoch", "Length: 301 words",
    "Byline: Associated Press", "Body", TWO, ONE, "Load-Date: September 14, 2023",
    "End of Document"]


def test_a_nexis_uni_article_is_its_text_under_its_header_s_metadata() -> None:
    article = nexis_uni_article([*COVER, *FIRST[:-1]])
    assert article is not None
    assert article.paragraphs == (ONE, TWO)  # no cover, captions, index or load date
    assert (article.title, article.source, article.author) == (
        "Kim arrives in Russia for talks with Putin", "Valley Courier", "Jane Roe; John Doe")
    # 9:20 PM in New York's summer time is 01:20 UTC of the next day, stated to the minute
    assert article.published == Dated(datetime(2023, 9, 13, 1, 20), DatePrecision.SECOND, -240)
    second = nexis_uni_article(SECOND[:-1])
    assert second is not None and second.paragraphs == (TWO, ONE)
    assert (second.title, second.source, second.author, second.published) == (
        SECOND[0], "Harbour News", "Associated Press",
        Dated(datetime(2023, 9, 13), DatePrecision.DAY))  # no time: its day
    assert nexis_uni_article(["Notes from the meeting", ONE, TWO]) is None  # no export


def test_a_date_line_s_time_counts_only_with_a_zone_it_names() -> None:
    def published(line: str) -> Dated | None:
        article = nexis_uni_article(["Headline", "Paper", line, "Body", ONE])
        return article.published if article else None

    assert published("July 1, 2019 Monday 9:20 AM GMT") == Dated(
        datetime(2019, 7, 1, 9, 20), DatePrecision.SECOND, 0)
    assert published("14 September 2023 Thursday 12:05 AM +0900") == Dated(
        datetime(2023, 9, 13, 15, 5), DatePrecision.SECOND, 540)
    assert published("July 1, 2019 Monday 9:20 AM") == Dated(datetime(2019, 7, 1),
                                                                DatePrecision.DAY)
    assert published("July 1, 2019 Monday 13:20 PM GMT") == Dated(datetime(2019, 7, 1),
                                                                    DatePrecision.DAY)


def test_bylines_printed_as_text_are_names() -> None:
    assert plain_byline("By JANE ROE and John Doe, Associated Press").people == (
        "JANE ROE", "John Doe")
    assert plain_byline("By JANE ROE and John Doe, Associated Press").agencies == (
        "Associated Press",)


def test_a_nexis_uni_word_export_is_one_article_each_without_cover_or_index(
        tmp_path: Path) -> None:
    export = word(tmp_path / "Files (2).docx", [*COVER, *FIRST, *SECOND])
    found = list(docx_articles(export, 1_000_000))
    assert all(isinstance(page, ArchivedPage) for page in found)
    first, second = (page for page in found if isinstance(page, ArchivedPage))
    assert first.content.decode().split("\n\n") == [FIRST[0], ONE, TWO]
    assert first.hints is not None and first.hints.author == "Jane Roe; John Doe"
    assert second.content.decode().split("\n\n") == [SECOND[0], TWO, ONE]
    # its headline is taken whole, though longer than a text file's headline may be
    parsed = parse_plain_text(second.content.decode(), headline=SECOND[0])
    assert (parsed.title, parsed.text) == (SECOND[0], f"{TWO}\n\n{ONE}")


ACADEMIC = """\ufeff


Download Request: Selected Items: 1-2
Time Of Request: Friday, March 20, 2018  16:51:31

Terms: (Kim Jong-un and Putin)

Source: Valley Courier;Harbour News



                               1 of 2 DOCUMENTS



                              Valley Courier (Oregon)

                           September 12, 2023 Tuesday
                                 Final Edition

Kim arrives in Russia for
talks with Putin

BYLINE: BY JANE ROE

SECTION: WORLD; Pg. 4

LENGTH: 612 words

DATELINE: VLADIVOSTOK

{one}

MOSCOW: {two}

LOAD-DATE: September 13, 2023

LANGUAGE: ENGLISH

PUBLICATION-TYPE: Newspaper


                  Copyright 2023 Valley Courier Publishing
                              All Rights Reserved

                               2 of 2 DOCUMENTS



                                  Harbour News

                           September 13, 2023 Wednesday

Seoul watches the summit

LENGTH: 301 words

{two}

{one}

LOAD-DATE: September 14, 2023
""".format(one="\n".join([ONE[:60], ONE[60:]]), two=TWO).replace("\n", "\r\n")


def test_a_lexisnexis_academic_text_export_is_one_article_each() -> None:
    first, second = text_export_articles(ACADEMIC)
    assert first.paragraphs == (ONE, "MOSCOW: " + TWO)  # lines unwrapped; a place is text
    assert (first.title, first.source, first.author, first.published) == (
        "Kim arrives in Russia for talks with Putin", "Valley Courier (Oregon)", "Jane Roe",
        Dated(datetime(2023, 9, 12), DatePrecision.DAY))
    assert second.paragraphs == (TWO, ONE)
    assert (second.title, second.source, second.author) == (
        "Seoul watches the summit", "Harbour News", None)


LAYOUTS = f"""
                               3 of 9 DOCUMENTS

                    Copyright 2023 Harbour Publishing
                                Harbour News

                           14 septembre 2023 jeudi

LONGUEUR: 301 mots

TITRE: Séoul observe le sommet;
La Corée du Sud craint un accord

SIGNATURE: ROE, JANE

TEXTE:

{TWO}

LANGUE: FRENCH


                               4 of 9 DOCUMENTS

                               Valley Courier

                   September 14, 2023 Thursday 6:49 PM PST

                        SHOW: EVENING NEWS 6:00 PM EST

LEADALL: Kim leaves Vladivostok

LENGTH: 80 words

FLASH: {ONE}

LOAD-DATE: September 15, 2023
"""


def test_each_publication_s_header_layout_is_read() -> None:
    """Headers as publications had them: the copyright above the publication, a French
    header with the headline in a field after the length and its deck after a semicolon,
    a byline surname first, a broadcast's show line among the centred lines, a headline
    and a first line that start with a word in capitals."""
    french, broadcast = text_export_articles(LAYOUTS)
    assert (french.title, french.source, french.author, french.published) == (
        "Séoul observe le sommet", "Harbour News", "Jane Roe",
        Dated(datetime(2023, 9, 14), DatePrecision.DAY))
    assert french.paragraphs == ("La Corée du Sud craint un accord", TWO)
    assert (broadcast.title, broadcast.source, broadcast.published) == (
        "LEADALL: Kim leaves Vladivostok", "Valley Courier",
        Dated(datetime(2023, 9, 15, 2, 49), DatePrecision.SECOND, -480))
    assert broadcast.paragraphs == ("FLASH: " + ONE,)


def test_exports_are_ingested_as_articles_each_once(tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    word(folder / "Files (2).docx", [*COVER, *FIRST, *SECOND])
    (folder / "LexisNexis.txt").write_bytes(
        ACADEMIC.replace("Valley Courier", "Hill Times").encode("utf-8"))
    (folder / "clipping.txt").write_text(f"Delegation in Wladiwostok\n\n{TEXT}\n\nZwei. {TEXT}\n")
    assert is_text_export_file(folder / "LexisNexis.txt")
    assert not is_text_export_file(folder / "clipping.txt")
    db = tmp_path / "w.duckdb"
    done = run_cycle(Settings(db=db), [folder], "ingest")
    assert (done.added, done.rejected) == (4, 0)  # the Academic export's second is a twin
    assert done.archives is not None and done.archives.describe().startswith(
        "packed files: 2 of 2 read (0 unchanged); 4 inputs")
    rows = Warehouse(db).query(
        "SELECT origin, title, source, author, published_at, text FROM articles"
        " ORDER BY origin").rows
    base = str(folder.resolve())
    assert [row[:5] for row in rows] == [
        (f"{base}/Files (2).docx/article 1", FIRST[0], "Valley Courier", "Jane Roe; John Doe",
         datetime(2023, 9, 13, 1, 20)),
        (f"{base}/Files (2).docx/article 2", SECOND[0], "Harbour News", "Associated Press",
         datetime(2023, 9, 13)),
        (f"{base}/LexisNexis.txt/article 1", "Kim arrives in Russia for talks with Putin",
         "Hill Times (Oregon)", "Jane Roe", datetime(2023, 9, 12)),
        (f"{base}/clipping.txt", "Delegation in Wladiwostok", None, None, None)]
    assert not any("SANCTIONS" in row[5] or "Load-Date" in row[5] or "Job Number" in row[5]
                   for row in rows)  # the database's index and cover are not the text
    again = run_cycle(Settings(db=db), [folder], "ingest")
    assert again.added == 0 and again.archives is not None
    assert (again.archives.unchanged, again.archives.pages) == (2, 0)  # not read again


def test_an_export_that_cannot_be_read_is_one_named_problem(tmp_path: Path) -> None:
    gone = tmp_path / "gone.txt"
    assert list(text_export_pages(gone, 1_000_000)) == [ArchiveProblem(
        0, None, RejectReason.UNREADABLE, "No such file or directory", stops=True)]
    export = tmp_path / "export.txt"
    export.write_text(ACADEMIC)
    [too_large] = text_export_pages(export, 1_000)
    assert isinstance(too_large, ArchiveProblem) and too_large.reason == RejectReason.TOO_LARGE
    export.write_text("1 of 2 DOCUMENTS was the old header")
    assert [page.reason for page in text_export_pages(export, 1_000)
            if isinstance(page, ArchiveProblem)] == [RejectReason.EMPTY]

