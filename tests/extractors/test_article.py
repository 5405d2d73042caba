"""What a feed links in place of a page, read as the file it is: a press release as a Word
document, an OpenDocument text or an RTF file, a notice as plain text, served under their
own types or as an anonymous download; a page a server calls plain text is still a page,
and a document that cannot be read, or a news database's export of many articles, is a
named reject."""

from __future__ import annotations

import contextlib
from pathlib import Path

from evaluation.feedserver import start_site
from tests.extractors.test_docx import odt, word
from tests.extractors.test_pdf import polled_links
from tests.extractors.test_rtf import rtf
from warehouse import Warehouse

WORD = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
STORY = ("Die Delegation aus Pjöngjang traf am Dienstag in Wladiwostok ein, wo Gespräche über "
         "Handel, Getreide und eine neue Bahnverbindung geplant sind. Beobachter erwarten, "
         "dass beide Seiten vor allem über Lieferungen sprechen, die der Westen sanktioniert.")


def _release(n: int) -> list[str]:
    return [f"Pressemitteilung {n}: Delegation in Wladiwostok", STORY,
            f"Die Gespräche der {n}. Runde sollen am Mittwoch fortgesetzt werden, teilte das "
            "Ministerium mit; ein gemeinsames Kommuniqué sei nicht geplant."]


def test_a_feeds_links_to_documents_are_read_as_the_articles_they_hold(tmp_path: Path) -> None:
    docx = word(tmp_path / "one.docx", _release(1)).read_bytes()
    docx_two = word(tmp_path / "two.docx", _release(2)).read_bytes()
    rtf_one = rtf(tmp_path / "three.rtf", _release(3)).read_bytes()
    text = "\n\n".join(_release(4)).encode("utf-8")
    page = ("<!DOCTYPE html><html><head><title>Pressemitteilung 5</title></head><body>"
            "<article><h1>Pressemitteilung 5</h1>" + "".join(
                f"<p>{p}</p>" for p in _release(5)[1:]) + "</article></body></html>")
    odt_eight = odt(tmp_path / "eight.odt", "".join(
        f"<text:p>{p}</text:p>" for p in _release(8))).read_bytes()
    export = word(tmp_path / "export.docx", [*_release(6), "End of Document",
                                             *_release(7), "End of Document"]).read_bytes()
    with contextlib.contextmanager(start_site)() as site:
        links = [site.serve("/press/1.docx", docx, WORD),
                 site.serve("/download/2", docx_two, "application/octet-stream"),
                 site.serve("/press/3.rtf", rtf_one, "application/rtf"),
                 site.serve("/press/4.txt", text, "text/plain; charset=utf-8"),
                 site.serve("/press/5", page, "text/plain"),  # a misconfigured server
                 site.serve("/press/export.docx", export, WORD),
                 site.serve("/press/broken.docx", b"PK\x03\x04word/document.xml cut", WORD),
                 site.serve("/press/logo.png", b"\x89PNG\r\n\x1a\n", "image/png"),
                 site.serve("/press/8.odt", odt_eight, "application/vnd.oasis.opendocument.text")]
        done, db, given, alone = polled_links(site, links, tmp_path)
    # a document's address given where a feed is expected (newsmon ingest URL)
    assert given.added == 1
    assert Warehouse(alone).query("SELECT url, title FROM articles").rows == [
        (links[0], "Pressemitteilung 1: Delegation in Wladiwostok")]
    assert (done.added, dict(done.reasons)) == (
        6, {"not_article": 1, "unreadable": 1, "not_html": 1})
    stored = dict(Warehouse(db).query("SELECT url, title FROM articles").rows)
    assert stored == {links[0]: "Pressemitteilung 1: Delegation in Wladiwostok",
                      links[1]: "Pressemitteilung 2: Delegation in Wladiwostok",
                      links[2]: "Pressemitteilung 3: Delegation in Wladiwostok",
                      links[3]: "Pressemitteilung 4: Delegation in Wladiwostok",
                      links[4]: "Pressemitteilung 5",
                      links[8]: "Pressemitteilung 8: Delegation in Wladiwostok"}
    texts = Warehouse(db).query("SELECT text FROM articles").rows
    assert all("Bahnverbindung" in str(text) for (text,) in texts)
    details = dict(Warehouse(db).query("SELECT input, detail FROM rejects").rows)
    assert details[links[5]] == ("a Word document of 2 articles (a news database's export): "
                                 "save it and ingest the file")
    assert details[links[6]].startswith("not a readable Word document: ")
    assert details[links[7]] == f"{links[7]}: content type image/png"
