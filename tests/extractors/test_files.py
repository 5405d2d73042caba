"""Reading local files: every kind of bad input becomes a named reject."""

from __future__ import annotations

import codecs
import gzip
import os
import random
import re
import zlib
from pathlib import Path

import pytest

from extractors.files import (
    discover,
    feed_kind,
    kind_of,
    read_file,
    read_line_parts,
    read_table_parts,
    saved_type,
)
from newsmon.core.errors import InputError, RejectedInput
from newsmon.core.outcomes import RejectReason


def _reason(path: Path, max_bytes: int = 1_000_000) -> RejectReason:
    with pytest.raises(RejectedInput) as info:
        read_file(path, max_bytes=max_bytes)
    return info.value.reason


def test_discover_walks_folders_sorted_and_skips_hidden(tmp_path: Path) -> None:
    (tmp_path / "b.txt").write_text("b")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.html").write_text("a")
    (tmp_path / ".hidden.txt").write_text("h")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.txt").write_text("x")
    assert discover([tmp_path]) == [tmp_path / "b.txt", tmp_path / "sub" / "a.html"]


def test_what_a_browser_saved_with_a_page_is_no_input(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """"Save Page As... Web Page, complete" puts the page's images, scripts, styles and
    frames in a folder beside it (``<name>_files``; Internet Explorer and Word in the
    system's language): each was a reject on every run. A folder so named beside no page
    is a folder like any other, and one given by name is read."""
    for page, folder in (("Kim arrives - Reuters.html", "Kim arrives - Reuters_files"),
                         ("Sanktionen.htm", "Sanktionen-Dateien")):
        (tmp_path / page).write_text("<html></html>")
        (tmp_path / folder).mkdir()
        for name in ("main.js", "logo.png", "saved_resource.html", "analytics.js.download"):
            (tmp_path / folder / name).write_text("x")
    (tmp_path / "Reuters_files").mkdir()  # no Reuters.html beside it
    (tmp_path / "Reuters_files" / "story.txt").write_text("a story")
    with caplog.at_level("INFO", logger="extractors.files"):
        found = discover([tmp_path])
    assert found == [tmp_path / "Kim arrives - Reuters.html",
                     tmp_path / "Reuters_files" / "story.txt", tmp_path / "Sanktionen.htm"]
    assert sorted(r.getMessage() for r in caplog.records) == [
        f"{tmp_path / folder}: the images, scripts and styles a browser saved with a page, "
        "not read" for folder in ("Kim arrives - Reuters_files", "Sanktionen-Dateien")]
    given = discover([tmp_path / "Sanktionen-Dateien"])
    assert len(given) == 4


def test_missing_path_is_an_input_error_naming_it(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="nope.txt"):
        discover([tmp_path / "nope.txt"])


def test_kinds_by_suffix_including_gzip() -> None:
    assert kind_of(Path("a.txt")) == "text"
    assert kind_of(Path("a.HTML")) == "html"
    assert kind_of(Path("a.htm.gz")) == "html"
    assert kind_of(Path("a.pdf")) is None


def test_bad_files_get_named_reasons(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    blank = tmp_path / "blank.txt"
    blank.write_bytes(b"  \n\n ")
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"\x00\x01\x02" * 100)
    pdf = tmp_path / "paper.pdf"
    pdf.write_bytes(b"%PDF-1.7")
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * 2048)
    broken_gz = tmp_path / "broken.html.gz"
    broken_gz.write_bytes(b"\x1f\x8b" + b"garbage" * 10)
    assert _reason(empty) is RejectReason.EMPTY
    assert _reason(blank) is RejectReason.EMPTY
    assert _reason(binary) is RejectReason.BINARY
    assert _reason(pdf) is RejectReason.UNREADABLE  # a PDF is read; this one is cut short
    assert _reason(big, max_bytes=1024) is RejectReason.TOO_LARGE
    assert _reason(broken_gz) is RejectReason.UNREADABLE


def test_a_stray_nul_or_nul_padding_is_text_but_machine_data_is_binary(tmp_path: Path) -> None:
    """A page with a NUL its CMS wrote, or a file padded with NULs past its end (a copy
    cut short), is read without them; compressed data, whose start holds NUL and other
    control bytes throughout, is still binary."""
    page = b"<html><body><article><p>" + b"Ein Satz \xc3\xbcber Gipfel. " * 100
    stray = tmp_path / "stray.html"
    stray.write_bytes(page + b"Zwei\x00te</p></article></body></html>")
    padded = tmp_path / "padded.txt"
    padded.write_bytes(b"Ein Satz \xc3\xbcber Gipfel. " * 20 + b"\x00" * 6000)
    packed = tmp_path / "packed.txt"
    packed.write_bytes(zlib.compress(random.Random(7).randbytes(4000) + page))
    only_nul = tmp_path / "nul.txt"
    only_nul.write_bytes(b"\x00" * 100)
    assert b"Zweite</p>" in read_file(stray, max_bytes=1_000_000).content
    assert read_file(padded, max_bytes=1_000_000).content.endswith(b"Gipfel. ")
    assert _reason(packed) is RejectReason.BINARY
    assert _reason(only_nul) is RejectReason.BINARY


def test_a_cut_off_gzip_file_is_broken_not_empty_and_not_half_read(tmp_path: Path) -> None:
    whole = gzip.compress(b"<html><body>" + b"<p>Ein Satz. </p>" * 2000 + b"</body></html>")
    header_only = tmp_path / "header.html.gz"
    header_only.write_bytes(whole[:11])
    cut = tmp_path / "cut.html.gz"
    cut.write_bytes(whole[: len(whole) // 2])
    for path in (header_only, cut):
        with pytest.raises(RejectedInput) as caught:
            read_file(path, max_bytes=1_000_000)
        assert caught.value.reason is RejectReason.UNREADABLE
        assert caught.value.detail.startswith("broken gzip data: the stream ends early (")


def test_gzip_bomb_is_rejected_without_unpacking_it_whole(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.html.gz"
    bomb.write_bytes(gzip.compress(b"<p>" + b"a" * 5_000_000))
    assert _reason(bomb, max_bytes=100_000) is RejectReason.TOO_LARGE


def test_gzipped_html_is_read_and_decompressed(tmp_path: Path) -> None:
    page = tmp_path / "page.html.gz"
    page.write_bytes(gzip.compress(b"<html><body><p>Hallo</p></body></html>"))
    raw = read_file(page, max_bytes=1_000_000)
    assert raw.kind == "html"
    assert raw.content.startswith(b"<html>")
    assert raw.url == page.resolve().as_uri()


def test_special_files_are_named_rejects_and_never_opened(tmp_path: Path) -> None:
    fifo = tmp_path / "feed.txt"
    os.mkfifo(fifo)  # opening it for reading would block until a writer came
    (tmp_path / "loop.txt").symlink_to(tmp_path / "loop.txt")
    (tmp_path / "gone.html").symlink_to(tmp_path / "nowhere.html")
    (tmp_path / "real.txt").write_text("text", encoding="utf-8")
    found = discover([tmp_path])
    assert [p.name for p in found] == ["feed.txt", "gone.html", "loop.txt", "real.txt"]
    with pytest.raises(RejectedInput) as caught:
        read_file(fifo, max_bytes=1000)
    assert caught.value.reason == RejectReason.SPECIAL_FILE
    assert "FIFO" in caught.value.detail
    for name in ("loop.txt", "gone.html"):
        with pytest.raises(RejectedInput) as caught:
            read_file(tmp_path / name, max_bytes=1000)
        assert caught.value.reason == RejectReason.UNREADABLE, name
    assert discover([fifo]) == [fifo]  # named directly: listed, then rejected on reading


def test_linked_folders_are_read_once_and_a_loop_is_named(tmp_path: Path) -> None:
    inbox, desk = tmp_path / "inbox", tmp_path / "desk"
    (desk / "2026").mkdir(parents=True)
    (desk / "2026" / "a.txt").write_text("text", encoding="utf-8")
    (desk / ".hidden").mkdir()
    (desk / ".hidden" / "b.txt").write_text("text", encoding="utf-8")
    (inbox / "zz").mkdir(parents=True)
    (inbox / "zz" / "c.txt").write_text("text", encoding="utf-8")
    (inbox / "desk").symlink_to(desk)  # a folder of articles linked into the inbox
    (inbox / "again").symlink_to(desk)  # the same folder twice: read once, by the first link
    (desk / "2026" / "up").symlink_to(inbox)  # back to the inbox: a loop
    (inbox / "aa").symlink_to(inbox / "zz")  # a link inside: the folder is read, not the link
    found = discover([inbox])
    assert [p.relative_to(inbox).as_posix() for p in found] == [
        "aa", "again/2026/a.txt", "again/2026/up", "desk", "zz/c.txt"]
    for link in (p for p in found if p.suffix != ".txt"):
        with pytest.raises(RejectedInput) as caught:
            read_file(link, max_bytes=1000)
        assert caught.value.reason == RejectReason.UNREADABLE
        assert "a link to a folder read already" in caught.value.detail


def test_a_folder_that_cannot_be_listed_is_named(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Permissions do not stop root, who runs the tests here: listing is refused by hand."""
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "a.txt").write_text("text", encoding="utf-8")
    (tmp_path / "open.txt").write_text("text", encoding="utf-8")
    iterdir = Path.iterdir

    def refused(path: Path) -> Path:
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return path

    monkeypatch.setattr(Path, "iterdir", lambda self: iterdir(refused(self)))
    found = discover([tmp_path])
    assert [p.name for p in found] == ["locked", "open.txt"]
    with pytest.raises(RejectedInput) as caught:
        read_file(found[0], max_bytes=1000)
    assert caught.value.reason == RejectReason.UNREADABLE
    assert caught.value.detail == "a folder that cannot be listed: Permission denied"


def test_utf16_text_with_a_bom_is_text(tmp_path: Path) -> None:
    text = "Sanktionen gegen Russland. Die EU beschließt neue Maßnahmen.\n"
    for codec, name in (("utf-16", "le.txt"), ("utf-16-be", "be.txt"), ("utf-32", "w.txt")):
        data = text.encode(codec)
        if codec == "utf-16-be":
            data = codecs.BOM_UTF16_BE + data
        (tmp_path / name).write_bytes(data)
        raw = read_file(tmp_path / name, max_bytes=10_000)
        assert raw.content.decode("utf-8") == text, codec


def test_a_page_saved_under_its_servers_name_is_read_as_html(tmp_path: Path) -> None:
    page = b"<!DOCTYPE html><html><body><p>Hallo</p></body></html>"
    (tmp_path / "article.php?id=3").write_bytes(page)
    (tmp_path / "story").write_bytes(
        b"\xef\xbb\xbf<!-- saved from url=(0022)https://example.org/ -->\n<HTML><p>x</p></HTML>")
    (tmp_path / "index.shtml.gz").write_bytes(gzip.compress(b"<?xml version='1.0'?>\n" + page))
    (tmp_path / "page.net").write_bytes(b"<br />\n<b>Deprecated</b>: by reference in x.php"
                                        b"<br />\n" + page)  # a server's warnings first
    for name in ("article.php?id=3", "story", "index.shtml.gz", "page.net"):
        assert read_file(tmp_path / name, max_bytes=1_000_000).kind == "html", name
    (tmp_path / "notes.org").write_text("* Notes\n\n<html> is a tag.", encoding="utf-8")
    (tmp_path / "feed.xml").write_text("<?xml version='1.0'?><rss></rss>", encoding="utf-8")
    (tmp_path / "data.json").write_text('{"html": "<html>"}', encoding="utf-8")
    for name in ("notes.org", "feed.xml", "data.json"):
        assert _reason(tmp_path / name) is RejectReason.UNSUPPORTED_TYPE, name


def test_of_the_json_files_in_the_shared_corpora_only_the_json_feeds_are_feeds(
    shared: Path,
) -> None:
    """Ground truth, parsed feeds and test fixtures are JSON too; none of them holds
    articles as an archive does (its text under a link or text name)."""
    found = sorted((shared / "corpora").rglob("*.json"))
    assert len(found) > 200
    taken = {p for p in found if feed_kind(p) == "feed"}
    # NPR's feed escapes its slashes ("https:\\/\\/jsonfeed.org\\/version\\/1"): it was refused
    feeds = {p for p in found
             if re.search(rb"jsonfeed\.org\\?/version", p.read_bytes()[:4096])}
    assert taken == feeds and len(feeds) == 5
    assert shared / "corpora/trafilatura-eval/resources/feed.json" in feeds


def test_saved_feeds_and_opml_lists_are_known_by_name_or_by_their_root_element(
    tmp_path: Path,
) -> None:
    files = {
        "world.rss": b"", "news.atom.gz": b"", "old.rdf": b"", "subs.OPML": b"",
        "saved.xml": b"\xef\xbb\xbf<?xml version='1.0'?>\n<?xml-stylesheet href='s.xsl'?>"
                     b"<!-- from a reader -->\n<rss version='2.0'><channel/></rss>",
        "atom.xml.gz": gzip.compress(b"<feed xmlns='http://www.w3.org/2005/Atom'/>"),
        "rdf": b"<!DOCTYPE rdf:RDF [<!ENTITY a 'b'>]><rdf:RDF xmlns:rdf='x'/>",
        "export.xml": "<?xml version='1.0' encoding='utf-16'?><opml/>".encode("utf-16"),
        "sitemap.xml": b"<?xml version='1.0'?><urlset/>",
        "news-sitemap.xml": b"<urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9' "
                            b"xmlns:news='http://www.google.com/schemas/sitemap-news/0.9'/>",
        "feed.json": b'{\n  "version": "https://jsonfeed.org/version/1.1", "items": []}',
        "sorted.json": b'{"items": [], "title": "t", "version": "https://jsonfeed.org/version/1"}',
        "data.json": b'{"items": [], "format": "https://jsonfeed.org/"}',
        "page.html": b"<rss/>",  # a name that says HTML is HTML
        "notes.txt": b"<opml/>",
        "broken.xml.gz": b"\x1f\x8bnot gzip",
        # archives of articles: known by their first line
        "export.jsonl": b'\n{"url": "https://a.example/1", "title": "One"}\n',
        "stories.csv.gz": gzip.compress(b"\xef\xbb\xbfstories_id,title,url\n1,One,https://a/1\n"),
        "german.csv": "Überschrift;Volltext\nHaushalt;Der Rat ...\n".encode(),
        "table.tsv": b"link\ttitle\n",
        "prices.csv": b"item,price\nbread,2.50\n",
        "list.jsonl": b'["not", "an object"]\n',
        "export.parquet": b"PAR1\x15\x04",
        "api.json": b'{"status": "ok", "articles": [{"url": "https://a.example/1"}]}',
        "scraped.json.gz": gzip.compress(b'[{"title": "One", "text": "..."}]'),
        "truth.json": b'{"V1": {"title": "One", "body": {"paragraphs": ["..."]}}}',
        "broken.json": b'[{"url": "https://a.example/1"',
        "to-read.txt": b"# budget\nhttps://a.example/1\nhttps://a.example/2\n",
        "renamed.parquet": b"url,title\n",
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    (tmp_path / "folder.xml").mkdir()
    os.mkfifo(tmp_path / "pipe.xml")  # never opened: it would block
    os.mkfifo(tmp_path / "pipe.csv")
    names = [*files, "folder.xml", "pipe.xml", "pipe.csv"]
    assert {name: feed_kind(tmp_path / name) for name in names} == {
        "world.rss": "feed", "news.atom.gz": "feed", "old.rdf": "feed", "subs.OPML": "list",
        "saved.xml": "feed", "atom.xml.gz": "feed", "rdf": "feed", "export.xml": "list",
        "sitemap.xml": None, "news-sitemap.xml": "feed", "feed.json": "feed", "sorted.json": "feed",
        "data.json": None, "page.html": None, "notes.txt": None, "broken.xml.gz": None,
        "export.jsonl": "feed", "stories.csv.gz": "feed", "german.csv": "feed",
        "table.tsv": "feed", "prices.csv": None, "list.jsonl": None,
        "export.parquet": "feed", "renamed.parquet": None, "api.json": "feed",
        "scraped.json.gz": "feed", "truth.json": None, "broken.json": None,
        "to-read.txt": "feed",
        "folder.xml": None, "pipe.xml": None, "pipe.csv": None,
    }
    assert [saved_type(tmp_path / n) for n in ("export.jsonl", "stories.csv.gz", "table.tsv",
                                               "saved.xml", "api.json", "to-read.txt")] == [
        "application/x-ndjson", "text/csv", "text/tab-separated-values", "application/xml",
        "application/json", "text/uri-list"]
    with pytest.raises(RejectedInput) as caught:
        read_file(tmp_path / "sitemap.xml", max_bytes=1000)
    assert caught.value.detail == (
        ".xml: newsmon reads .txt, .html and .htm (optionally .gz), Markdown notes (.md), "
        "pages saved as .mhtml or .webarchive, PDF files, other files that start as an HTML "
        "page, feeds (RSS, Atom, RDF, JSON Feed, Google News sitemaps), OPML lists of feeds, "
        "archives of articles (.jsonl, .parquet, .json, or .csv/.tsv/.xlsx with a url or text "
        "column, or a column of texts), Evernote exports (.enex), web archives (.warc, "
        ".warc.gz), zip files, Word documents (.docx) and OpenDocument texts (.odt), RTF "
        "files, e-mails "
        "(.eml, .msg, .mbox), and links saved as .url, .webloc or .desktop files")


def test_a_file_of_lines_is_read_in_parts_of_whole_lines_and_an_overlong_one_is_named(
    tmp_path: Path
) -> None:
    lines = [f'{{"n": {n}, "text": "{"x" * (n % 7)}"}}\n'.encode() for n in range(1, 41)]
    lines[24] = b'{"n": 25, "text": "' + b"y" * 500 + b'"}\n'  # longer than a part
    plain, packed = tmp_path / "a.jsonl", tmp_path / "a.jsonl.gz"
    plain.write_bytes(b"".join(lines)[:-1])  # the last line without its line break
    packed.write_bytes(gzip.compress(b"".join(lines)[:-1]))
    for path in (plain, packed):
        parts = list(read_line_parts(path, part_bytes=100))
        assert len(parts) > 5 and all(len(p.data) < 200 for p in parts)
        assert b"".join(p.data for p in parts) == b"".join(lines[:24] + lines[25:])[:-1]
        assert [p.first_line for p in parts][:2] == [1, parts[0].data.count(b"\n") + 1]
        assert [s for p in parts for s in p.skipped] == ["line 25: over 100 bytes, not read"]
        # each part starts where its lines start in the file
        for p in parts:
            assert p.data.startswith(b'{"n": %d,' % p.first_line)


def test_a_table_is_read_as_a_stream_of_records_whose_cells_may_hold_line_breaks(
    tmp_path: Path
) -> None:
    body = ("Der Gemeinderat beschloss, das Nachtbusnetz im Tal auszubauen, nachdem "
            "Schichtarbeiter ein Jahr lang über fehlende Verbindungen geklagt hatten; die "
            "Straßenbahn fährt künftig öfter.")
    header = "url;titel;text\r\n"  # a German spreadsheet: semicolons, Windows-1252
    records = [f'https://zeitung.example/{n};"Nachtbusse, Teil {n}";"{body}\r\n\r\n'
               f'Absatz {n}: {body}"\r\n' for n in range(1, 61)]
    records[44] = "https://zeitung.example/45;a;b;c\r\n"  # a cell too many, on line 134
    text = header + "".join(records)
    plain, packed = tmp_path / "a.csv", tmp_path / "a.csv.gz"
    plain.write_bytes(text.encode("cp1252"))
    packed.write_bytes(gzip.compress(text.encode("cp1252")))
    for path in (plain, packed):
        parts = list(read_table_parts(path, "csv", part_chars=1000))
        assert len(parts) > 10
        got = [r for p in parts for r in p.records]
        assert [r["url"] for r in got] == [f"https://zeitung.example/{n}" for n in range(1, 61)
                                           if n != 45]
        assert got[0] == {"url": "https://zeitung.example/1", "titel": "Nachtbusse, Teil 1",
                          "text": f"{body}\r\n\r\nAbsatz 1: {body}"}
        problems = [q for p in parts for q in p.problems]
        # named by its line in the file: a header, then 44 records of three lines each
        assert problems == ["line 134: more cells than the header's 3 columns"]
    # a gzipped table cut short: the records before the cut, then where it stopped
    cut = tmp_path / "cut.csv.gz"
    cut.write_bytes(packed.read_bytes()[: len(packed.read_bytes()) // 2])
    seen: list[object] = []
    with pytest.raises(RejectedInput) as info:
        for part in read_table_parts(cut, "csv", part_chars=1000):
            seen += part.records
    assert info.value.reason == RejectReason.UNREADABLE
    assert info.value.detail.startswith(f"reading stopped after {len(seen)} records")
    assert 0 < len(seen) < 59
