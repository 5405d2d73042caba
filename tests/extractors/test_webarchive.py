"""Pages Safari saved as web archives: read as the page they hold, known by its address,
in the encoding Safari noted; a file that is none, or holds no page, named; ingested end
to end into a real DuckDB file, also from inside a zip file."""

from __future__ import annotations

import plistlib
import zipfile
from pathlib import Path

import pytest

from extractors.files import read_file
from extractors.webarchive import webarchive_page
from newsmon.core.errors import RejectedInput
from newsmon.core.outcomes import RejectReason
from newsmon.core.settings import Settings
from newsmon.cycle import run_cycle
from warehouse import Warehouse

ADDRESS = "https://www.tagesschau.de/ausland/asien/kim-putin-russland-100.html"
LEAD = ("Nordkoreas Machthaber Kim Jong Un ist zu einem Treffen mit Kremlchef Wladimir Putin "
        "in Russland eingetroffen. Die USA befürchten, dass es bei dem Gipfel um Waffen für den "
        "Krieg gegen die Ukraine geht.")
MORE = ("Der gepanzerte Zug des Machthabers überquerte in der Nacht die Grenze, teilte das "
        "Verteidigungsministerium in Seoul mit. Der Kreml kündigte Gespräche der Delegationen "
        "und ein Abendessen an.")
PAGE = (f"<!DOCTYPE html><html lang='de'><head><meta charset='windows-1252'>"
        f"<title>Kim trifft Putin in Russland | tagesschau.de</title></head><body><article>"
        f"<h1>Kim trifft Putin in Russland</h1><p>{LEAD}</p><p>{MORE}</p></article>"
        "</body></html>")


def webarchive(page: bytes, *, mime: str = "text/html", encoding: str | None = "windows-1252",
               url: str = ADDRESS, image: bytes = b"\x89PNG\r\n\x1a\n" + bytes(64)) -> bytes:
    """A web archive as Safari writes one: a binary property list of the page and its
    images."""
    main: dict[str, object] = {"WebResourceData": page, "WebResourceMIMEType": mime,
                               "WebResourceURL": url, "WebResourceFrameName": ""}
    if encoding:
        main["WebResourceTextEncodingName"] = encoding
    subresources = [{"WebResourceData": image, "WebResourceMIMEType": "image/png",
                     "WebResourceURL": "https://images.tagesschau.de/kim.png"}]
    return plistlib.dumps({"WebMainResource": main, "WebSubresources": subresources},
                          fmt=plistlib.FMT_BINARY)


def test_a_web_archive_is_its_page_under_its_address() -> None:
    page = webarchive_page(webarchive(PAGE.encode("cp1252")), max_bytes=100_000)
    assert (page.html, page.charset, page.location) == (
        PAGE.encode("cp1252"), "windows-1252", ADDRESS)
    local = webarchive_page(webarchive(b"<html></html>", url="file:///Users/a/x.html",
                                       encoding=None), max_bytes=100_000)
    assert (local.charset, local.location) == (None, None)


@pytest.mark.parametrize(("content", "reason", "detail"), [
    (b"<html>saved by hand and named so</html>", RejectReason.UNREADABLE,
     "not a readable Safari web archive (InvalidFileException)"),
    (plistlib.dumps({"WebSubresources": []}, fmt=plistlib.FMT_BINARY), RejectReason.NO_CONTENT,
     "a Safari web archive without its page"),
    (webarchive(b"\x89PNG", mime="image/png"), RejectReason.NOT_HTML,
     "a Safari web archive of image/png, no page"),
    (webarchive(b" \n"), RejectReason.EMPTY, "a Safari web archive whose page is empty"),
    (webarchive(b"<p>" + b"x" * 2_000 + b"</p>"), RejectReason.TOO_LARGE,
     "its page has 2,007 bytes, over the 1,000-byte limit (NEWSMON_MAX_FILE_BYTES)"),
])
def test_a_file_that_holds_no_page_is_named(tmp_path: Path, content: bytes,
                                             reason: RejectReason, detail: str) -> None:
    path = tmp_path / "Kim.webarchive"
    path.write_bytes(content)
    with pytest.raises(RejectedInput) as caught:
        read_file(path, max_bytes=1_000)
    assert (caught.value.reason, caught.value.detail) == (reason, detail)


def test_web_archives_are_ingested_as_the_pages_they_saved(tmp_path: Path) -> None:
    """Only the page is held to the size limit: the images saved with it may be larger."""
    folder = tmp_path / "Safari"
    folder.mkdir()
    (folder / "Kim trifft Putin.webarchive").write_bytes(
        webarchive(PAGE.encode("cp1252"), image=bytes(50_000)))
    with zipfile.ZipFile(folder / "more.zip", "w") as packed:
        packed.writestr("Sanktionen.webarchive", webarchive(
            PAGE.replace("Kim trifft Putin", "Neue Sanktionen").encode("cp1252"),
            url="https://www.tagesschau.de/sanktionen-100.html"))
    db = tmp_path / "w.duckdb"
    done = run_cycle(Settings(db=db, max_file_bytes=20_000), [folder], "ingest")
    assert (done.added, done.rejected) == (2, 0)
    rows = Warehouse(db).query("SELECT url, origin, title, language, text FROM articles "
                               "ORDER BY url").rows
    assert [row[:4] for row in rows] == [
        (ADDRESS, str(folder / "Kim trifft Putin.webarchive"), "Kim trifft Putin in Russland",
         "de"),
        ("https://www.tagesschau.de/sanktionen-100.html",
         f"{(folder / 'more.zip').resolve()}/Sanktionen.webarchive", "Neue Sanktionen in Russland",
         "de"),
    ]
    assert all(str(row[4]).endswith(f"{LEAD}\n{MORE}") for row in rows)  # "befürchten"
