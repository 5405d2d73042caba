"""Pages saved as one file (MHTML), as Chrome and Word write them: read as the page they
hold, known by the address they were saved from; ingested end to end into a real DuckDB
file."""

from __future__ import annotations

import base64
import quopri
from pathlib import Path

import pytest

from extractors.files import read_file
from extractors.mhtml import saved_page
from newsmon.core.errors import RejectedInput
from newsmon.core.outcomes import RejectReason
from newsmon.core.settings import Settings
from newsmon.cycle import run_cycle
from warehouse import Warehouse

ADDRESS = "https://courier.example/2023/09/budget.html"
BOUNDARY = "----MultipartBoundary--Zx3PqL----"
PARAGRAPH = ("Der Stadtrat hat am Dienstag den Haushalt für das kommende Jahr beschlossen. "
             "Die Fraktionen stritten bis in die Nacht über die Zuschüsse für Bäder, Büchereien "
             "und den öffentlichen Nahverkehr, der künftig auch nachts fährt. ")
PAGE = ("<!DOCTYPE html><html><head><meta http-equiv=\"Content-Type\" content=\"text/html; "
        "charset=UTF-8\"><title>Haushalt beschlossen | Valley Courier</title></head><body>"
        "<nav>Start · Politik · Sport</nav><article><h1>Haushalt beschlossen</h1>"
        + "".join(f"<p>{PARAGRAPH}({i})</p>" for i in range(3))
        + "</article><footer>© Valley Courier</footer></body></html>")


def chrome_mhtml(page: str = PAGE, location: str = ADDRESS, image_bytes: int = 1000) -> bytes:
    """An MHTML file as Chrome's "Save page as: single file" writes it."""
    html = quopri.encodestring(page.encode("utf-8")).decode("ascii")
    image = base64.encodebytes(b"\x89PNG" + b"\x00" * image_bytes).decode("ascii")
    return (
        "From: <Saved by Blink>\r\n"
        f"Snapshot-Content-Location: {location}\r\n"
        "Subject: Haushalt beschlossen\r\n"
        "MIME-Version: 1.0\r\n"
        f'Content-Type: multipart/related;\r\n\ttype="text/html";\r\n\tboundary="{BOUNDARY}"'
        f"\r\n\r\n\r\n--{BOUNDARY}\r\n"
        "Content-Type: text/html\r\nContent-ID: <frame-1@mhtml.blink>\r\n"
        f"Content-Transfer-Encoding: quoted-printable\r\nContent-Location: {location}\r\n\r\n"
        f"{html}\r\n--{BOUNDARY}\r\n"
        "Content-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n"
        "Content-Location: https://courier.example/logo.png\r\n\r\n"
        f"{image}\r\n--{BOUNDARY}--\r\n"
    ).encode("ascii")


def test_the_html_part_is_the_page_and_its_address_the_one_it_was_saved_from() -> None:
    page = saved_page(chrome_mhtml(), max_bytes=1_000_000)
    assert page.html.decode("utf-8") == PAGE and page.location == ADDRESS
    # Word's single-file page: a latin-1 part, saved from a local file (no web address)
    word = ("MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=\"b\"\r\n\r\n"
            "--b\r\nContent-Location: file:///C:/Users/a/Bericht.htm\r\n"
            "Content-Transfer-Encoding: quoted-printable\r\n"
            "Content-Type: text/html; charset=\"windows-1252\"\r\n\r\n"
            "<html><body><p>Gr=FC=DFe</p></body></html>\r\n--b--\r\n").encode("ascii")
    page = saved_page(word, max_bytes=1_000_000)
    assert (page.html, page.charset, page.location) == (
        b"<html><body><p>Gr\xfc\xdfe</p></body></html>", "windows-1252", None)


@pytest.mark.parametrize(("content", "reason", "detail"), [
    (b"MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=\"b\"\r\n\r\n--b\r\n"
     b"Content-Type: image/png\r\n\r\nxx\r\n--b--\r\n", RejectReason.NO_CONTENT,
     "an MHTML file without an HTML part"),
    (b"just some text\r\n", RejectReason.NO_CONTENT,
     "an MHTML file without an HTML part (it is text/plain)"),
    (b"Content-Type: text/html\r\n\r\n  \r\n", RejectReason.EMPTY,
     "an MHTML file whose HTML part is empty"),
])
def test_a_file_without_a_page_says_why(content: bytes, reason: RejectReason, detail: str
                                        ) -> None:
    with pytest.raises(RejectedInput) as caught:
        saved_page(content, max_bytes=1_000_000)
    assert (caught.value.reason, caught.value.detail) == (reason, detail)


def test_only_the_page_is_held_to_the_size_limit_not_the_images_saved_with_it(
    tmp_path: Path
) -> None:
    saved = tmp_path / "budget.mhtml"
    saved.write_bytes(chrome_mhtml(image_bytes=200_000))  # the file is over the limit
    raw = read_file(saved, max_bytes=50_000)
    assert (raw.kind, raw.url, raw.origin) == ("html", ADDRESS, str(saved))
    with pytest.raises(RejectedInput, match="its page has .* over the 1,000-byte limit"):
        read_file(saved, max_bytes=1_000)


def test_saved_pages_are_ingested_as_articles_known_by_their_address(
    tmp_path: Path, db_path: Path
) -> None:
    folder = tmp_path / "saved"
    folder.mkdir()
    (folder / "Haushalt beschlossen.mhtml").write_bytes(chrome_mhtml())
    (folder / "broken.mht").write_bytes(b"not a saved page\r\n")
    done = run_cycle(Settings(db=db_path), [folder], "ingest")
    assert done.added == 1
    [(url, origin, title, source, text)] = Warehouse(db_path).query(
        "SELECT url, origin, title, source, text FROM articles").rows
    assert (url, origin, title) == (ADDRESS, str(folder / "Haushalt beschlossen.mhtml"),
                                    "Haushalt beschlossen")
    assert source in ("Valley Courier", "courier.example")
    assert "Büchereien" in str(text) and "Start · Politik" not in str(text)
    assert Warehouse(db_path).query("SELECT input, reason FROM rejects").rows == [
        (str(folder / "broken.mht"), "no_content")]
