"""Word documents of articles: a clipping's paragraphs under its title, and a news
database's export (one document, many articles, each closed by "End of Document") as
articles of their own; ingested end to end into a real DuckDB file."""

from __future__ import annotations

import zipfile
from datetime import datetime
from html import escape
from pathlib import Path

from extractors.docx import docx_articles
from extractors.packed import ArchivedPage, ArchiveProblem
from newsmon.core.outcomes import RejectReason
from newsmon.core.settings import Settings
from newsmon.cycle import run_cycle
from warehouse import Warehouse

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
TEXT = ("Die Delegation aus Pjöngjang traf am Dienstag in Wladiwostok ein, wo Gespräche über "
        "Handel, Getreide und eine neue Bahnverbindung geplant sind. Beobachter erwarten, "
        "dass beide Seiten vor allem über Lieferungen sprechen, die der Westen sanktioniert.")


def word(path: Path, paragraphs: list[str], title: str | None = None) -> Path:
    """A .docx as Word saves one: the parts newsmon reads, and the ones it does not."""
    runs = "".join(
        f'<w:p><w:pPr><w:pStyle w:val="Normal"/></w:pPr><w:r><w:t xml:space="preserve">'
        f"{escape(p[:20])}</w:t></w:r><w:r><w:t>{escape(p[20:])}</w:t></w:r></w:p>"
        for p in paragraphs)
    document = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document '
                f'xmlns:w="{W}"><w:body>{runs}<w:sectPr/></w:body></w:document>')
    core = ('<?xml version="1.0" encoding="UTF-8"?><cp:coreProperties xmlns:cp="http://'
            'schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="'
            'http://purl.org/dc/elements/1.1/">'
            + (f"<dc:title>{escape(title)}</dc:title>" if title else "")
            + "<dc:creator>Erika Musterfrau</dc:creator></cp:coreProperties>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as packed:
        packed.writestr("[Content_Types].xml", "<Types/>")
        packed.writestr("word/document.xml", document)
        packed.writestr("docProps/core.xml", core)
        packed.writestr("word/styles.xml", "<w:styles/>")
    return path


def test_a_clipping_is_its_paragraphs_under_its_title(tmp_path: Path) -> None:
    path = word(tmp_path / "Clipping.docx", [TEXT, "Zweiter Absatz. " + TEXT],
                title="Delegation in Wladiwostok")
    [article] = docx_articles(path, 1_000_000)
    assert isinstance(article, ArchivedPage)
    assert article.content.decode("utf-8").split("\n\n") == [
        "Delegation in Wladiwostok", TEXT, "Zweiter Absatz. " + TEXT]
    assert (article.url, article.kind, article.name) == (path.resolve().as_uri(), "text", None)


def test_a_database_export_is_one_article_for_each_end_of_document(tmp_path: Path) -> None:
    export = word(tmp_path / "Files (3).docx", [
        "Kim trifft Putin", "Valley Courier", TEXT, "End of Document",
        "Getreide gegen Waffen", "Harbour News", "Zweiter Text. " + TEXT, "End of Document"])
    found = list(docx_articles(export, 1_000_000))
    assert [(a.url.rsplit("#", 1)[1], a.name, a.content.decode().split("\n\n")[0])
            for a in found if isinstance(a, ArchivedPage)] == [
        ("article-1", "article 1", "Kim trifft Putin"),
        ("article-2", "article 2", "Getreide gegen Waffen")]


def test_a_document_that_cannot_be_read_is_one_named_problem(tmp_path: Path) -> None:
    notes = tmp_path / "notes.docx"
    notes.write_text("not a Word document")
    [problem] = docx_articles(notes, 1_000_000)
    assert isinstance(problem, ArchiveProblem) and problem.stops
    assert (problem.reason, problem.detail) == (
        RejectReason.UNREADABLE, "not a readable Word document: File is not a zip file")
    minutes = tmp_path / "Protokoll.ODT"
    minutes.write_bytes(b"PK\x03\x04" + b"\x00" * 40)  # a download cut short
    [problem] = docx_articles(minutes, 1_000_000)
    assert problem == ArchiveProblem(0, None, RejectReason.UNREADABLE,
                                     "not a readable OpenDocument text: File is not a zip file",
                                     stops=True)
    empty = word(tmp_path / "empty.docx", [])
    assert list(docx_articles(empty, 1_000_000)) == [ArchiveProblem(
        0, None, RejectReason.EMPTY, "a Word document without text", stops=True)]
    big = word(tmp_path / "big.docx", [TEXT] * 50)
    [too_large] = docx_articles(big, 1_000)
    assert isinstance(too_large, ArchiveProblem) and too_large.reason == RejectReason.TOO_LARGE
    damaged = word(tmp_path / "damaged.docx", [TEXT] * 3)  # its text's deflate stream broken
    with zipfile.ZipFile(damaged) as packed:
        info = packed.getinfo("word/document.xml")
    data = bytearray(damaged.read_bytes())
    data[info.header_offset + 30 + len(info.filename) + len(info.extra) + 2] = 0
    damaged.write_bytes(bytes(data))
    assert list(docx_articles(damaged, 1_000_000)) == [ArchiveProblem(
        0, None, RejectReason.UNREADABLE, "not a readable Word document: Error -3 while "
        "decompressing data: invalid code lengths set", stops=True)]


def test_word_documents_are_ingested_as_articles_each_once(tmp_path: Path) -> None:
    folder = tmp_path / "clippings"
    folder.mkdir()
    word(folder / "Clipping.docx", [TEXT, "Zweiter Absatz. " + TEXT],
         title="Delegation in Wladiwostok")
    word(folder / "Export.docx", [  # as Nexis Uni lays an article out: its day under it
        "Kim trifft Putin", "Valley Courier", "September 13, 2023 Wednesday", TEXT,
        "Zwei. " + TEXT, "End of Document", "Getreide gegen Waffen", "Harbour News",
        "14. September 2023", "Drei. " + TEXT, "Vier. " + TEXT, "End of Document"])
    db = tmp_path / "w.duckdb"
    done = run_cycle(Settings(db=db), [folder], "ingest")
    assert done.added == 3
    assert done.archives is not None and done.archives.describe().startswith(
        "Word and OpenDocument texts: 2 of 2 read (0 unchanged); 3 articles")
    assert sorted(Warehouse(db).query("SELECT title, origin, published_at FROM articles").rows
                  ) == [
        ("Delegation in Wladiwostok", str((folder / "Clipping.docx").resolve()), None),
        ("Getreide gegen Waffen", f"{(folder / 'Export.docx').resolve()}/article 2",
         datetime(2023, 9, 14)),
        ("Kim trifft Putin", f"{(folder / 'Export.docx').resolve()}/article 1",
         datetime(2023, 9, 13))]  # each on its day in the trends, not on the day it was read
    assert run_cycle(Settings(db=db), [folder], "ingest").inputs == 0  # unchanged: not read


ODF = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
       'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
       'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"')


def odt(path: Path, body: str, title: str | None = None) -> Path:
    """An .odt as LibreOffice saves one: its media type first and stored as it is, the
    text in content.xml, the title in meta.xml."""
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ODF}>'
               f"<office:body><office:text>{body}</office:text></office:body>"
               "</office:document-content>")
    meta = ('<?xml version="1.0" encoding="UTF-8"?><office:document-meta '
            'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/"><office:meta>'
            + (f"<dc:title>{escape(title)}</dc:title>" if title else "")
            + "</office:meta></office:document-meta>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as packed:
        packed.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text",
                        compress_type=zipfile.ZIP_STORED)
        packed.writestr("content.xml", content)
        packed.writestr("meta.xml", meta)
        packed.writestr("styles.xml", "<office:document-styles/>")
    return path


def test_an_opendocument_text_is_read_as_a_word_document_is(tmp_path: Path) -> None:
    """LibreOffice's .odt (what many public administrations publish) was an
    `unsupported_type` reject; its headings and paragraphs are the article, its spans and
    links read as words, its spaces kept, its footnotes and text boxes left out."""
    first, second = TEXT[:60], TEXT[61:]
    body = (f"<text:h text:outline-level='1'>Delegation in Wladiwostok</text:h>"
            f"<text:p>{escape(first)}<text:s/><text:span>{escape(second)}</text:span>"
            f"<text:note><text:note-body><text:p>Fußnote 1</text:p></text:note-body></text:note>"
            f"</text:p><text:p><draw:frame><draw:text-box><text:p>Bildunterschrift</text:p>"
            f"</draw:text-box></draw:frame>Zweiter Absatz: <text:a>{escape(TEXT)}</text:a>"
            "</text:p>")
    path = odt(tmp_path / "Pressemitteilung.odt", body, title="Delegation in Wladiwostok")
    [article] = docx_articles(path, 1_000_000)
    assert isinstance(article, ArchivedPage)
    assert article.content.decode("utf-8").split("\n\n") == [
        "Delegation in Wladiwostok", f"{first} {second}", f"Zweiter Absatz: {TEXT}"]
    db = tmp_path / "w.duckdb"
    done = run_cycle(Settings(db=db), [path], "ingest")
    assert done.added == 1 and not done.reasons
    [(title, text)] = Warehouse(db).query("SELECT title, text FROM articles").rows
    assert title == "Delegation in Wladiwostok" and "Fußnote" not in str(text)
    assert "Bildunterschrift" not in str(text)
