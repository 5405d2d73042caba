"""Factiva's saved result pages: one HTML file of many articles, each read as an article of
its own with its header's metadata, ingested end to end into a real DuckDB file."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from extractors.factiva import factiva_articles, is_factiva_file
from extractors.packed import ArchivedPage, ArchiveProblem
from newsmon.core.outcomes import RejectReason
from newsmon.core.records import Dated, DatePrecision
from newsmon.core.settings import Settings
from newsmon.cycle import run_cycle
from tests.extractors.test_news_exports import ONE, TWO
from warehouse import Warehouse


def factiva_page(path: Path) -> Path:
    """Two articles as Factiva lays them out when results are saved as a page: a kicker
    above one headline, a deck joined to the other's, a time after a day, the codes and
    the closing "Document" line."""
    paragraph = '<p class="articleParagraph enarticleParagraph">{}</p>'
    path.write_text(f"""<!DOCTYPE html><html><head><title>Factiva</title>
<style>body{{margin:0}}</style><script>var nav = 1;</script></head><body>
<div id="navcontainer">Search Results Save Print Email</div>
<div class="article enArticle"><p></p>
<div>World</div>
<div id="hd"><b class="enHeadline">Kim arrives in Russia for talks with Putin</b></div>
<div class="author">By Jane Roe and John Doe </div><div>612 words</div>
<div>12 September 2023</div><div>21:20</div><div>Valley Courier</div><div>VALCOU</div>
<div>14</div><div>English</div><div>(c) 2023 Valley Courier. All rights reserved.</div>
{paragraph.format(ONE)}{paragraph.format(TWO)}
<p>Valley Courier Publishing</p><p>Document VALCOU0020230912ej9c0001x</p></div>
<div class="article enArticle"><p></p>
<div id="hd"><b class="enHeadline">Seoul watches the summit ; South Korea fears a deal</b>
</div><div>301 words</div><div>13 September 2023</div><div>Harbour News</div>
<div>HRBNWS</div><div>English</div>
{paragraph.format(TWO)}{paragraph.format(ONE)}
<p>Document HRBNWS0020230913ej9d0000b</p></div>
</body></html>""", encoding="utf-8")
    return path


def test_each_article_of_a_factiva_page_is_one_with_its_header(tmp_path: Path) -> None:
    page = factiva_page(tmp_path / "Factiva.html")
    assert is_factiva_file(page)
    first, second = factiva_articles(page, 1_000_000)
    assert isinstance(first, ArchivedPage) and isinstance(second, ArchivedPage)
    assert first.content.decode().split("\n\n") == [
        "Kim arrives in Russia for talks with Putin", ONE, TWO]  # no codes, no "Document"
    assert first.hints is not None and (first.hints.source, first.hints.author,
                                        first.hints.published) == (
        "Valley Courier", "Jane Roe; John Doe", Dated(datetime(2023, 9, 12), DatePrecision.DAY))
    assert second.content.decode().split("\n\n") == [
        "Seoul watches the summit", "South Korea fears a deal", TWO, ONE]
    assert second.hints is not None and (second.hints.source, second.hints.author) == (
        "Harbour News", None)
    assert (first.name, second.url) == ("article 1", f"{page.resolve().as_uri()}#article-2")


def test_only_a_factiva_page_is_read_as_one(tmp_path: Path) -> None:
    story = tmp_path / "story.html"
    story.write_text("<html><head><title>Kim in Russia</title></head><body><p>Factiva and "
                     f"Nexis report. {ONE}</p></body></html>")
    assert not is_factiva_file(story)
    empty = tmp_path / "empty.html"
    empty.write_text("<html><head><title>Factiva</title></head><body>No results</body></html>")
    assert list(factiva_articles(empty, 1_000_000)) == [ArchiveProblem(
        0, None, RejectReason.EMPTY, "a Factiva page without an article in it", stops=True)]


def test_factiva_pages_are_ingested_as_articles_each_once(tmp_path: Path) -> None:
    folder = tmp_path / "saved"
    folder.mkdir()
    page = factiva_page(folder / "Factiva.html")
    db = tmp_path / "w.duckdb"
    done = run_cycle(Settings(db=db), [folder], "ingest")
    assert done.added == 2  # was one article of both, under the page's title "Factiva"
    assert done.archives is not None and done.archives.describe().startswith(
        "Factiva pages: 1 of 1 read (0 unchanged); 2 articles")
    assert sorted(Warehouse(db).query(
        "SELECT origin, title, source, published_at FROM articles").rows) == [
        (f"{page.resolve()}/article 1", "Kim arrives in Russia for talks with Putin",
         "Valley Courier", datetime(2023, 9, 12)),
        (f"{page.resolve()}/article 2", "Seoul watches the summit", "Harbour News",
         datetime(2023, 9, 13))]
    assert run_cycle(Settings(db=db), [folder], "ingest").inputs == 0  # unchanged: not read
