"""One cycle, in-process: what it stores from inputs a user may really have."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from newsmon import cycle
from newsmon.core.settings import Settings
from warehouse import Warehouse

TEXT = "Ein Artikel über Sanktionen gegen Russland und die Folgen für Europa, Satz {n}. " * 8


def test_a_file_name_that_is_not_utf8_is_stored_with_the_others(tmp_path: Path) -> None:
    """Linux allows any bytes in a name; Python hands them over as lone surrogates, which
    a UTF-8 warehouse cannot hold. The batch must not fail, losing the other articles."""
    folder = tmp_path / "in"
    folder.mkdir()
    bad = folder / os.fsdecode(b"bericht-\xff.txt")  # the name as os.listdir gives it
    bad.write_bytes(TEXT.format(n=1).encode())
    (folder / "gut.txt").write_text(TEXT.format(n=2), encoding="utf-8")
    db = tmp_path / "w.duckdb"
    summary = cycle.run_cycle(Settings(db=db), [folder], "ingest")
    assert summary.added == 2
    rows = Warehouse(db).query("SELECT url, origin FROM articles ORDER BY url").rows
    assert rows == [
        (f"file://{folder}/bericht-%FF.txt", f"{folder}/bericht-\\xff.txt"),
        (f"file://{folder}/gut.txt", f"{folder}/gut.txt"),
    ]


def test_terminal_escapes_from_a_feed_or_an_archive_are_not_stored(tmp_path: Path) -> None:
    """A title that retitles or clears the analyst's terminal when ``newsmon sql`` prints
    it ("\\x1b]0;...\\x07", "\\x1b[2J"): what is stored is what a reader sees. (The feed
    entry carries its full text, so no page is fetched.)"""
    folder = tmp_path / "in"
    folder.mkdir()
    record = {"url": "https://example.org/a1", "title": "Gipfel\x1b]0;pwned\x07 in Rom",
              "author": "Anna\x1b[31m Muster", "text": TEXT.format(n=1) + "\x1b[31mrot\x08"}
    (folder / "archive.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    feed = {"version": "https://jsonfeed.org/version/1.1", "title": "f", "items": [
        {"id": "1", "url": "https://example.org/j1", "title": "Gipfel\x1b[2J in Wien",
         "content_text": TEXT.format(n=2) * 3 + " \x07\x93zitiert\x94"}]}
    (folder / "feed.json").write_text(json.dumps(feed), encoding="utf-8")
    (folder / "brief.txt").write_text("Gipfel\x1b[1m in Paris\x1b[0m\n\n" + TEXT.format(n=3),
                                      encoding="utf-8")
    db = tmp_path / "w.duckdb"
    summary = cycle.run_cycle(Settings(db=db), [folder], "ingest")
    assert summary.added == 3
    rows = Warehouse(db).query("SELECT title, author, text FROM articles ORDER BY title").rows
    assert [r[:2] for r in rows] == [("Gipfel in Paris", None), ("Gipfel in Rom", "Anna Muster"),
                                     ("Gipfel in Wien", None)]
    # a page, whose parser dropped the ESC of "\x1b[2J" and kept "[2J" as a word
    (folder / "page.html").write_text(
        "<html><head><title>Gipfel\x1b[2J in Bern</title></head><body><article><h1>Gipfel"
        f"\x1b[2J in Bern</h1><p>{TEXT.format(n=4)}</p></article></body></html>",
        encoding="utf-8")
    assert cycle.run_cycle(Settings(db=db), [folder / "page.html"], "ingest").added == 1
    assert Warehouse(db).query("SELECT title FROM articles WHERE url LIKE '%page.html'"
                               ).rows == [("Gipfel in Bern",)]
    assert rows[1][2].endswith(" rot") and rows[2][2].endswith("“zitiert”")
    assert not any(re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", r[2]) for r in rows)


def test_the_warehouse_kept_beside_the_articles_is_not_read_as_one(tmp_path: Path) -> None:
    """An analyst who keeps the warehouse in the folder they ingest: its file, its log and
    its search index are no input, and the second run names no reject for them."""
    (tmp_path / "bericht.txt").write_text(TEXT.format(n=1), encoding="utf-8")
    db = tmp_path / "w.duckdb"
    first = cycle.run_cycle(Settings(db=db), [tmp_path], "ingest")
    assert (first.added, first.rejected) == (1, 0)
    assert (tmp_path / "w.duckdb.search").is_dir()  # the run made its index there
    second = cycle.run_cycle(Settings(db=db), [tmp_path], "ingest")
    assert (second.added, second.unchanged_files, second.rejected) == (0, 1, 0)
    assert Warehouse(db).query("SELECT count(*) FROM rejects").rows == [(0,)]


def test_a_title_author_or_source_field_gone_wrong_is_bounded(tmp_path: Path) -> None:
    """A scraper's export whose title column holds the whole text, a byline meta tag of
    thousands of names, a source name of 5,000 characters: the text's lead sentence titles
    the article (as a page's unclosed <title> is no headline), the first names that fit
    1,000 characters are kept, the source name is cut."""
    text = TEXT.format(n=1)
    names = "; ".join(f"Name{i} Nachname" for i in range(3000))
    record = {"url": "https://example.org/a1", "title": text * 3, "author": names,
              "source": "S" * 5000, "text": text}
    (tmp_path / "export.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    page = (f"<html><head><meta name='author' content='{names}'><title>{'Lang ' * 200}"
            f"</title></head><body><article><p>{TEXT.format(n=2)}</p></article></body></html>")
    (tmp_path / "page.html").write_text(page, encoding="utf-8")
    db = tmp_path / "w.duckdb"
    assert cycle.run_cycle(Settings(db=db), [tmp_path], "ingest").added == 2
    rows = Warehouse(db).query("SELECT title, author, source FROM articles ORDER BY url").rows
    (page_title, page_author, _), (title, author, source) = rows
    for stored, n in ((title, 1), (page_title, 2)):  # the lead sentence, cut at 160 and "…"
        assert stored.startswith(f"Ein Artikel über Sanktionen gegen Russland und die Folgen "
                                 f"für Europa, Satz {n}.") and len(stored) <= 161
    for stored in (author, page_author):
        assert 900 < len(stored) <= 1000 and names.startswith(stored + "; ")
    assert source == "S" * 199 + "…"
