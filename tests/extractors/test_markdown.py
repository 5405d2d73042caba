"""Markdown notes and web clippings, read as the page they were saved from: Obsidian's Web
Clipper and MarkDownload as they write them by default, a Hugo post, a hand-written note;
ingested end to end into a real DuckDB file, beside the same story saved as a page."""

from __future__ import annotations

import zipfile
from datetime import datetime
from pathlib import Path

import pytest

from extractors.article import extract
from extractors.files import read_file
from extractors.markdown import markdown_page
from newsmon.core.errors import RejectedInput
from newsmon.core.outcomes import RejectReason
from newsmon.core.records import Dated, DatePrecision, Extracted
from newsmon.core.settings import Settings
from newsmon.cycle import run_cycle
from warehouse import Warehouse

REUTERS = "https://www.reuters.com/world/asia-pacific/north-koreas-kim-arrives-russia-2023-09-12/"
GUARDIAN = "https://www.theguardian.com/world/2023/sep/13/kim-jong-un-putin-meeting"
LEAD = ("SEOUL/MOSCOW, Sept 12 (Reuters) - North Korean leader Kim Jong Un arrived in Russia "
        "on Tuesday for a summit with President Vladimir Putin that Western governments fear "
        "could produce an arms deal, as Moscow seeks ammunition for its war in Ukraine.")
SECOND = ("Kim's armoured train crossed the border in the early hours, South Korea's defence "
          "ministry said. The Kremlin said the two leaders would hold talks followed by a "
          "dinner.")
THIRD = ("Analysts say Pyongyang wants help with its satellite programme and nuclear-powered "
         "submarines, in return for artillery shells. Any such deal would violate United "
         "Nations sanctions, the United States has warned.")
#: Obsidian's Web Clipper, its default template: the page's <title>, its address as
#: ``source``, the writers as wiki links, the day published and the time clipped.
OBSIDIAN = f"""---
title: "North Korea's Kim arrives in Russia for talks with Putin | Reuters"
source: "{REUTERS}"
author:
  - "[[Hyonhee Shin]]"
  - "[[Guy Faulconbridge]]"
published: 2023-09-12
created: 2024-01-05T10:22:31+01:00
description: "North Korean leader Kim Jong Un arrived in Russia on Tuesday."
tags:
  - "clippings"
---
{LEAD.replace("Kim Jong Un", "**Kim Jong Un**").replace("Vladimir Putin", "[Vladimir Putin](https://www.reuters.com/putin)")}

{SECOND}

## Satellites and submarines

{THIRD.replace("the United States", "the [[United States|US]]")}

![[kim-train.jpg]]

- Kim last visited Russia in 2019.
"""
GUARDIAN_LEAD = ("Vladimir Putin has said Russia will help North Korea build satellites, as he "
                 "and Kim Jong-un met at a spaceport in the country's far east amid concerns "
                 "in the west over a possible arms deal.")
GUARDIAN_MORE = ("The two leaders met at the Vostochny cosmodrome in the Amur region on "
                 "Wednesday, where Putin showed Kim around the launch facilities.")
#: MarkDownload, its default template: the clip's time with its offset in brackets, the
#: page's <title> as the heading, the page's description quoted as an "Excerpt".
MARKDOWNLOAD = f"""---
created: 2023-09-13T08:15:02 (UTC +02:00)
tags: []
source: {GUARDIAN}
author: Justin McCurry
---

# Kim Jong-un and Putin meet at Russian spaceport | The Guardian

> ## Excerpt
> Russian president says he will help North Korea build satellites.

---
{GUARDIAN_LEAD}

{GUARDIAN_MORE}
"""


def _read(path: Path, note: str) -> Extracted:
    path.write_text(note, encoding="utf-8")
    raw = read_file(path, max_bytes=1_000_000)
    assert (raw.origin, raw.url, raw.kind) == (str(path), path.resolve().as_uri(), "entry")
    return extract(raw, min_words=20)


def test_an_obsidian_clipping_is_its_page_under_its_address(tmp_path: Path) -> None:
    page = markdown_page(OBSIDIAN.encode())
    assert (page.url, page.source) == (REUTERS, "reuters.com")
    assert page.published == Dated(datetime(2023, 9, 12), DatePrecision.DAY)
    assert page.saved_at == datetime(2024, 1, 5, 9, 22, 31)  # UTC
    got = _read(tmp_path / "Kim arrives.md", OBSIDIAN)
    assert got.canonical_url == REUTERS
    assert got.title == "North Korea's Kim arrives in Russia for talks with Putin"
    assert (got.author, got.source) == ("Hyonhee Shin; Guy Faulconbridge", "reuters.com")
    assert got.published == Dated(datetime(2023, 9, 12), DatePrecision.DAY)
    assert got.text.split("\n") == [
        LEAD, SECOND, "Satellites and submarines", THIRD.replace("the United States", "the US"),
        "- Kim last visited Russia in 2019."]  # no marks, no embedded photo
    assert got.language == "en"


def test_a_markdownload_clipping_without_its_excerpt_or_a_guessed_day(tmp_path: Path) -> None:
    """Its heading is the headline (the site's name dropped), not the text's first line;
    the description it quotes above the text is no part of the article; it states no day
    published, and none is made of the address's ``/2023/sep/13/``."""
    page = markdown_page(MARKDOWNLOAD.encode())
    assert page.saved_at == datetime(2023, 9, 13, 6, 15, 2)
    got = _read(tmp_path / "kim-putin.md", MARKDOWNLOAD)
    assert got.title == "Kim Jong-un and Putin meet at Russian spaceport"
    assert got.text.split("\n") == [GUARDIAN_LEAD, GUARDIAN_MORE]
    assert (got.author, got.canonical_url, got.published) == ("Justin McCurry", GUARDIAN, None)


def test_a_hand_written_note_and_a_hugo_post(tmp_path: Path) -> None:
    """Front matter no YAML parser reads (a colon in the title) is read line by line; a
    "By" and a list of writers in one line are read as a byline is; a note without an
    address is known by its file; TOML front matter is Hugo's."""
    body = f"{LEAD}\n\n{SECOND}\n"
    got = _read(tmp_path / "note.md", "---\ntitle: Kim: the visit to Vladivostok\n"
                "author: By Jane Roe, John Doe and Erika Mustermann\ndate: 12.09.2023\n"
                f"source: Reuters\n---\n{body}")
    assert got.title == "Kim: the visit to Vladivostok"
    assert got.author == "Jane Roe; John Doe; Erika Mustermann"
    assert (got.source, got.canonical_url) == ("Reuters", None)
    assert got.published == Dated(datetime(2023, 9, 12), DatePrecision.DAY)
    hugo = _read(tmp_path / "post.md", '+++\ntitle = "Kim arrives"\n'
                 f'date = 2023-09-12T09:30:00+09:00\nauthors = ["Jane Roe"]\n+++\n{body}')
    assert (hugo.title, hugo.author) == ("Kim arrives", "Jane Roe")
    assert hugo.published == Dated(datetime(2023, 9, 12, 0, 30), DatePrecision.SECOND, 540)


def test_a_note_without_front_matter_is_titled_by_its_heading(tmp_path: Path) -> None:
    got = _read(tmp_path / "plain.md", f"# Kim arrives in Russia\n\n{LEAD}\n\n{SECOND}\n")
    assert got.title == "Kim arrives in Russia"
    assert got.text.split("\n") == [LEAD, SECOND]
    assert got.canonical_url is None


@pytest.mark.parametrize(("note", "detail"), [
    ("# Only a heading\n", "a Markdown note without text (only its front matter and headline)"),
    ("---\ntitle: Read later\nsource: https://example.org/a\n---\n",
     "a Markdown note without text (only its front matter and headline)"),
    ("![[photo.png]]\n\n<div></div>\n", "a Markdown note without text"),
])
def test_a_note_without_text_is_named(tmp_path: Path, note: str, detail: str) -> None:
    path = tmp_path / "empty.md"
    path.write_text(note, encoding="utf-8")
    with pytest.raises(RejectedInput) as caught:
        read_file(path, max_bytes=1_000_000)
    assert (caught.value.reason, caught.value.detail) == (RejectReason.NO_CONTENT, detail)


def test_clippings_are_ingested_once_each_beside_the_page_they_came_from(
    tmp_path: Path
) -> None:
    """A folder of clippings, one of them zipped, and the Reuters story saved as its page
    too: one article per story (the clipping and the page share its address), each
    remembering the file it was read from; read again, only the rejected note is read."""
    folder = tmp_path / "Clippings"
    folder.mkdir()
    (folder / "Kim arrives.md").write_text(OBSIDIAN, encoding="utf-8")
    with zipfile.ZipFile(folder / "more.zip", "w") as packed:
        packed.writestr("kim-putin.md", MARKDOWNLOAD)
    (folder / "notes.md").write_text("# To do\n", encoding="utf-8")
    db = tmp_path / "w.duckdb"
    done = run_cycle(Settings(db=db), [folder], "ingest")
    assert (done.added, done.rejected) == (2, 1)
    rows = Warehouse(db).query(
        "SELECT url, origin, title, author, published_at, seen_at FROM articles ORDER BY url"
    ).rows
    assert rows == [
        (REUTERS, str(folder / "Kim arrives.md"),
         "North Korea's Kim arrives in Russia for talks with Putin",
         "Hyonhee Shin; Guy Faulconbridge", datetime(2023, 9, 12),
         datetime(2024, 1, 5, 9, 22, 31)),
        (GUARDIAN, f"{(folder / 'more.zip').resolve()}/kim-putin.md",
         "Kim Jong-un and Putin meet at Russian spaceport", "Justin McCurry", None,
         datetime(2023, 9, 13, 6, 15, 2)),
    ]
    assert Warehouse(db).query("SELECT input, reason, detail FROM rejects").rows == [
        (str(folder / "notes.md"), "no_content",
         "a Markdown note without text (only its front matter and headline)")]
    rerun = run_cycle(Settings(db=db), [folder], "ingest")  # the rejected note read again
    assert (rerun.inputs, rerun.added, rerun.unchanged_files) == (1, 0, 1)
    assert rerun.archives is not None and rerun.archives.unchanged == 1
    page = tmp_path / "saved.html"
    page.write_text(f"<html><head><title>Kim arrives</title><link rel='canonical' "
                    f"href='{REUTERS}'></head><body><article><h1>Kim arrives</h1><p>{LEAD}</p>"
                    f"<p>{SECOND}</p><p>{THIRD}</p></article></body></html>", encoding="utf-8")
    again = run_cycle(Settings(db=db), [page], "ingest")
    assert (again.added, again.duplicates) == (0, 1)
    assert Warehouse(db).query("SELECT count(*) FROM articles").rows == [(2,)]
