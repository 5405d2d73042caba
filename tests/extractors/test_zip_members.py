"""Zip files of articles: each text or HTML file read as if the zip were a folder (each
document and export the articles it holds), each member held to the size limit before it
is unpacked, and what cannot be read named."""

from __future__ import annotations

import gzip
import zipfile
from collections import Counter
from pathlib import Path

from extractors.packed import ArchivedPage, ArchiveProblem
from extractors.zip_members import is_zip, zipped_files
from newsmon.core.outcomes import RejectReason
from tests.extractors.test_bookmarks import FIREFOX
from tests.extractors.test_docx import word
from tests.extractors.test_email_message import TEXT, google_alert, press_release
from tests.extractors.test_factiva import factiva_page
from tests.extractors.test_news_exports import ACADEMIC, COVER, FIRST, ONE, SECOND, TWO
from tests.extractors.test_outlook import outlook_message
from tests.extractors.test_rtf import rtf

PAGE = b"<!DOCTYPE html><html><head><title>Budget agreed</title></head><body>...</body></html>"
MHTML = (b"MIME-Version: 1.0\r\nSnapshot-Content-Location: https://courier.example/a\r\n"
         b"Content-Type: multipart/related; boundary=\"b\"\r\n\r\n--b\r\n"
         b"Content-Type: text/html\r\n\r\n" + PAGE + b"\r\n--b--\r\n")


def read(path: Path, limit: int = 10_000, skipped: Counter[str] | None = None
         ) -> list[ArchivedPage | ArchiveProblem]:
    return list(zipped_files(path, limit, skipped))


def test_the_text_and_html_files_of_a_zip_are_its_inputs_and_the_rest_is_named(
    tmp_path: Path
) -> None:
    path = tmp_path / "Artikel März.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as packed:
        packed.writestr("2023/", "")
        packed.writestr("2023/budget.html", PAGE)
        packed.writestr("2023/Grüße.txt", "Grüße aus Köln".encode("latin-1"))
        packed.writestr("2023/story.htm.gz", gzip.compress(PAGE))
        packed.writestr("2023/saved.mhtml", MHTML)
        packed.writestr("2023/article.php", PAGE)  # a mirrored page: known by its content
        packed.writestr("__MACOSX/2023/._budget.html", b"\x00\x05\x16\x07")
        packed.writestr("2023/.DS_Store", b"\x00\x00\x00\x01Bud1")
        packed.writestr("2023/feed.jsonl", b'{"url": "https://a.example/"}\n')
        packed.writestr("2023/logo.png", b"\x89PNG\r\n")
        packed.writestr("2023/empty.txt", b"  \n")
        packed.writestr("2023/huge.html", PAGE * 200)
    skipped: Counter[str] = Counter()
    found = read(path, limit=5_000, skipped=skipped)
    base = path.resolve().as_uri()
    pages = [(p.url, p.kind, p.name) for p in found if isinstance(p, ArchivedPage)]
    assert pages == [
        (f"{base}#2023/budget.html", "html", "2023/budget.html"),
        (f"{base}#2023/Gr%C3%BC%C3%9Fe.txt", "text", "2023/Grüße.txt"),
        (f"{base}#2023/story.htm.gz", "html", "2023/story.htm.gz"),
        ("https://courier.example/a", "html", "2023/saved.mhtml"),  # the address it was saved from
        (f"{base}#2023/article.php", "html", "2023/article.php")]
    assert [p.content for p in found if isinstance(p, ArchivedPage)][2] == PAGE  # unpacked
    problems = [(p.reason, p.detail) for p in found if isinstance(p, ArchiveProblem)]
    assert problems == [
        (RejectReason.UNSUPPORTED_TYPE,
         "2023/feed.jsonl: a .jsonl file inside a zip file; unpack it to read it"),
        (RejectReason.UNSUPPORTED_TYPE, "2023/logo.png: in a zip file newsmon reads .txt, "
         ".html, .htm, .md, .mhtml, .webarchive, .pdf, .docx, .odt, .rtf, .eml and .msg files, "
         "and others that start as an HTML page"),
        (RejectReason.EMPTY, "2023/empty.txt: empty"),
        (RejectReason.TOO_LARGE,
         f"2023/huge.html: {len(PAGE) * 200:,} bytes, over the 5,000-byte limit "
         "(NEWSMON_MAX_FILE_BYTES)")]
    assert skipped == Counter({"folders and hidden files": 3})
    assert is_zip(path) and not is_zip(tmp_path / "zip.html")


def test_a_member_that_states_a_small_size_is_still_held_to_the_limit(tmp_path: Path) -> None:
    """A zip bomb states small sizes in its headers: zipfile unpacks no more than the size
    a member states (which the limit holds), so one that holds more fails its checksum."""
    path = tmp_path / "bomb.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as packed:
        packed.writestr("a.html", PAGE * 200)
    info_offset = path.read_bytes().index(b"a.html", 40)  # the central directory's entry
    data = bytearray(path.read_bytes())
    size_at = info_offset - 46 + 24  # its uncompressed size, 24 bytes into the entry
    data[size_at:size_at + 4] = (100).to_bytes(4, "little")
    path.write_bytes(bytes(data))
    [problem] = read(path, limit=5_000)
    assert problem == ArchiveProblem(1, None, RejectReason.UNREADABLE, "a.html: cannot be "
                                     "unpacked (BadZipFile: Bad CRC-32 for file 'a.html')")


def test_a_file_that_is_no_zip_or_is_cut_short_is_one_named_problem(tmp_path: Path) -> None:
    notes = tmp_path / "notes.zip"
    notes.write_text("not a zip at all")
    assert read(notes) == [ArchiveProblem(0, None, RejectReason.UNREADABLE,
                                          "not a readable zip file: File is not a zip file",
                                          stops=True)]
    whole = tmp_path / "whole.zip"
    with zipfile.ZipFile(whole, "w") as packed:
        packed.writestr("a.html", PAGE)
    cut = tmp_path / "cut.zip"
    cut.write_bytes(whole.read_bytes()[:-30])  # a download stopped before its index
    [problem] = read(cut)
    assert isinstance(problem, ArchiveProblem) and problem.reason == RejectReason.UNREADABLE
    assert problem.detail.startswith("not a readable zip file: ")


def test_documents_and_exports_inside_a_zip_are_their_articles(tmp_path: Path) -> None:
    """Nexis Uni delivers a download of separate files as a zip of them; an analyst packs
    exports and clippings alike. Each is read as it would be in a folder, its articles known
    by the zip, the member and their place."""
    word(tmp_path / "export.docx", [*COVER, *FIRST, *SECOND])
    rtf(tmp_path / "clipping.rtf", [ONE, TWO], title="Kim in Wladiwostok")
    factiva_page(tmp_path / "Factiva.html")
    packed = tmp_path / "Files.zip"
    with zipfile.ZipFile(packed, "w") as archive:
        archive.write(tmp_path / "export.docx", "Files/export.docx")
        archive.write(tmp_path / "clipping.rtf", "Files/clipping.rtf")
        archive.writestr("Files/LexisNexis.txt", ACADEMIC)
        archive.write(tmp_path / "Factiva.html", "Files/Factiva.html")
        archive.writestr("Files/broken.docx", "no Word document")
    found = list(zipped_files(packed, 1_000_000))
    base = packed.resolve().as_uri()
    pages = [(p.name, p.url.removeprefix(base), p.hints.title if p.hints else None)
             for p in found if isinstance(p, ArchivedPage)]
    assert pages == [
        ("Files/export.docx/article 1", "#Files/export.docx/article-1", FIRST[0]),
        ("Files/export.docx/article 2", "#Files/export.docx/article-2", SECOND[0]),
        ("Files/clipping.rtf", "#Files/clipping.rtf", None),
        ("Files/LexisNexis.txt/article 1", "#Files/LexisNexis.txt/article-1",
         "Kim arrives in Russia for talks with Putin"),
        ("Files/LexisNexis.txt/article 2", "#Files/LexisNexis.txt/article-2",
         "Seoul watches the summit"),
        ("Files/Factiva.html/article 1", "#Files/Factiva.html/article-1",
         "Kim arrives in Russia for talks with Putin"),
        ("Files/Factiva.html/article 2", "#Files/Factiva.html/article-2",
         "Seoul watches the summit")]
    [problem] = [p for p in found if isinstance(p, ArchiveProblem)]
    assert (problem.record, problem.reason, problem.stops) == (5, RejectReason.UNREADABLE, False)
    assert problem.detail.startswith("Files/broken.docx: not a readable Word document")


def test_mails_inside_a_zip_are_their_articles(tmp_path: Path) -> None:
    """Mails a colleague zipped up: each is the article it holds; a Google Alert's stories
    are fetched only when it is read as a file of its own."""
    statement = outlook_message(tmp_path / "Statement.msg", subject="Statement on the summit",
                                sender=("Ministry", "press@mfa.example"), body=TEXT)
    packed = tmp_path / "mails.zip"
    with zipfile.ZipFile(packed, "w") as archive:
        archive.writestr("Release.eml", press_release())
        archive.write(statement, "Statement.msg")
        archive.writestr("Alert.eml", google_alert([("https://courier.example/a", "Kim")]))
    found = list(zipped_files(packed, 1_000_000))
    pages = [(p.name, p.kind, p.hints.title if p.hints else None)
             for p in found if isinstance(p, ArchivedPage)]
    assert pages == [
        ("Release.eml", "text", "Statement on the Vladivostok summit – 13 Sept"),
        ("Statement.msg", "text", "Statement on the summit")]
    [problem] = [p for p in found if isinstance(p, ArchiveProblem)]
    assert (problem.reason, problem.detail) == (
        RejectReason.UNSUPPORTED_TYPE, "Alert.eml: a Google Alert inside a zip file; unpack "
        "it to fetch the stories it links to")


def test_bookmarks_in_a_zip_file_are_named_to_be_unpacked(tmp_path: Path) -> None:
    path = tmp_path / "export.zip"
    with zipfile.ZipFile(path, "w") as packed:
        packed.writestr("bookmarks.html", FIREFOX)
    [problem] = read(path)
    assert isinstance(problem, ArchiveProblem)
    assert (problem.reason, problem.detail) == (
        RejectReason.UNSUPPORTED_TYPE, "bookmarks.html: a browser's bookmarks inside a zip "
        "file; unpack it to fetch the pages they mark")
