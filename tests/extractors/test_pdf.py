"""Articles saved as PDF: a real browser's "Save as PDF" of a page served over loopback,
read back as the article (its headline, its paragraphs, its address from the footer), and
the PDFs that hold none named."""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter
from pytest_httpserver import HTTPServer

from evaluation import browser
from evaluation.feedserver import FeedSite, rss, start_site
from extractors.files import read_file
from extractors.pdf import pdf_article
from newsmon.core.errors import RejectedInput
from newsmon.core.outcomes import RejectReason
from newsmon.core.settings import Settings
from newsmon.cycle import run_cycle
from newsmon.fetch import FetchPolicy
from newsmon.pipeline.summary import RunSummary
from newsmon.sources.feed_plan import FeedPlan, FeedSource
from newsmon.sources.schedule import PollSchedule
from warehouse import Warehouse

HEADLINE = "Kim trifft Putin in Wladiwostok"
_WHO = ["Der Kreml", "Das Außenministerium in Seoul", "Die Regierung in Tokio", "Washington",
        "Die Vereinten Nationen", "Peking", "Beobachter in Moskau", "Die Europäische Union",
        "Analysten in London", "Der Sicherheitsrat", "Menschenrechtsgruppen", "Die Nato"]
_WHAT = ["Waffenlieferungen", "Getreide", "eine neue Bahnverbindung", "Raketentechnik",
         "Arbeitskräfte", "Munition", "Satelliten", "Sanktionen", "Devisen", "Öl", "Häfen",
         "Flugverbindungen"]
PARAGRAPHS = [  # each its own words: a real article repeats no line at a page's foot
    f"{who} äußerte sich am {day}. September zu dem Treffen in Wladiwostok. Im Mittelpunkt "
    f"der Gespräche stehen nach Angaben aus {('Moskau', 'Pjöngjang')[i % 2]} {what}, über "
    f"die beide Seiten seit Wochen verhandeln. {who} kündigte an, die Ergebnisse genau zu "
    f"prüfen{', bevor weitere Schritte folgen' * (i % 3)}."
    for i, (who, what, day) in enumerate(zip(_WHO, _WHAT, range(10, 22), strict=True))
]
PAGE = (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{HEADLINE} | Valley "
        "Courier</title></head><body><nav>Start · Politik · Sport</nav><article>"
        f"<h1>{HEADLINE}</h1><p>Von Erika Musterfrau</p>"
        + "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
        + "</article><footer>© Valley Courier</footer></body></html>")


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """The article page, served on loopback and saved as PDF by Chromium (two pages, with
    the browser's header and footer)."""
    browser.install()
    why = browser.missing()
    assert why is None, why
    with HTTPServer(host="127.0.0.1", port=0) as server:
        server.expect_request("/2023/09/kim-putin").respond_with_data(
            PAGE, content_type="text/html; charset=utf-8")
        url = server.url_for("/2023/09/kim-putin")
        out = tmp_path_factory.mktemp("pdf") / "Kim trifft Putin.pdf"
        yield browser.print_to_pdf(url, out), url


@pytest.mark.slow
def test_a_page_saved_as_pdf_by_a_browser_reads_back_as_the_article(
    printed: tuple[Path, str]
) -> None:
    path, url = printed
    assert len(PdfReader(path).pages) >= 2  # so the running lines are on more than one
    found = pdf_article(path.read_bytes())
    assert found.url == url  # the address the browser printed in its footer
    headline, byline, *paragraphs = found.text.split("\n\n")
    assert (headline, byline) == (HEADLINE, "Von Erika Musterfrau")  # the menu above: left out
    assert paragraphs[:12] == PARAGRAPHS  # lines joined back, no header or footer among them
    assert "\ufb00" not in found.text and "ff" in found.text  # ligatures undone
    assert found.created is not None and abs(datetime.utcnow() - found.created).days < 1


@pytest.mark.slow
def test_a_pdf_is_ingested_as_an_article_known_by_its_address(
    printed: tuple[Path, str], tmp_path: Path
) -> None:
    path, url = printed
    folder = tmp_path / "saved"
    folder.mkdir()
    (folder / path.name).write_bytes(path.read_bytes())
    blank = PdfWriter()
    blank.add_blank_page(595, 842)  # a scan's page holds an image, no text: the same here
    blank.write(folder / "scan.pdf")
    db = tmp_path / "w.duckdb"
    done = run_cycle(Settings(db=db), [folder], "ingest")
    assert (done.added, dict(done.reasons)) == (1, {"no_content": 1})
    [(stored_url, origin, title, text)] = Warehouse(db).query(
        "SELECT url, origin, title, text FROM articles").rows
    assert (stored_url, origin, title) == (url, str(folder / path.name), HEADLINE)
    assert PARAGRAPHS[0] in str(text)
    assert Warehouse(db).query("SELECT input, detail FROM rejects").rows == [
        (str(folder / "scan.pdf"), "a PDF without text (a scan? newsmon does not read images)")]
    again = run_cycle(Settings(db=db), [folder], "ingest")  # the scan read again, named again
    assert (again.unchanged_files, again.inputs, dict(again.reasons)) == (1, 1, {"no_content": 1})


@pytest.mark.slow
def test_a_pdf_locked_for_editing_only_is_read_and_one_locked_for_reading_is_named(
    printed: tuple[Path, str], tmp_path: Path
) -> None:
    def locked(user_password: str) -> bytes:
        writer = PdfWriter(clone_from=PdfReader(printed[0]))
        writer.encrypt(user_password=user_password, owner_password="owner")
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()

    assert pdf_article(locked("")).text.startswith(HEADLINE)
    with pytest.raises(RejectedInput) as caught:
        pdf_article(locked("secret"))
    assert (caught.value.reason, caught.value.detail) == (
        RejectReason.UNREADABLE, "an encrypted PDF (a password opens it)")


def test_a_damaged_pdf_is_a_named_reject_naming_the_file(tmp_path: Path) -> None:
    damaged = tmp_path / "clipping.pdf"
    damaged.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer broken")
    with pytest.raises(RejectedInput) as caught:
        read_file(damaged, max_bytes=1_000_000)
    assert caught.value.reason == RejectReason.UNREADABLE
    assert caught.value.detail.startswith("a PDF newsmon cannot read (")


def polled_links(site: FeedSite, links: list[str], tmp_path: Path
                 ) -> tuple[RunSummary, Path, RunSummary, Path]:
    """``links`` as the entries of one feed ``site`` serves, polled once into
    ``w.duckdb``; then the first link alone given where a feed is expected (``newsmon
    ingest URL``) into ``alone.duckdb``: each run's summary and its warehouse."""
    feed = site.serve("/press.xml", rss([{"title": f"Release {n}", "link": link}
                                         for n, link in enumerate(links, 1)]),
                      "application/rss+xml")
    policy = FetchPolicy(allow_private_networks=True, timeout_s=10.0)
    plan = FeedPlan((FeedSource(feed),), policy, False, PollSchedule())
    db, alone = tmp_path / "w.duckdb", tmp_path / "alone.duckdb"
    done = run_cycle(Settings(db=db), [], "run", feeds=plan)
    given = run_cycle(Settings(db=alone), [], "run",
                      feeds=replace(plan, feeds=(FeedSource(links[0]),)))
    return done, db, given, alone


def test_a_feeds_links_to_pdfs_are_read_as_the_articles_they_hold(
    printed: tuple[Path, str], tmp_path: Path
) -> None:
    """A feed of press releases or reports links PDFs: each was `not_html` ("content type
    application/pdf"), while the same file saved to a folder is an article. Served as
    ``application/pdf`` or as an anonymous download, it is read as the file it is and known
    by the link it was fetched from; an error page its server calls a PDF is still named."""
    pdf = printed[0].read_bytes()
    with contextlib.contextmanager(start_site)() as site:
        links = [site.serve("/press/2023-09-13.pdf", pdf, "application/pdf"),
                 site.serve("/download", pdf, "application/octet-stream"),
                 site.serve("/press/missing.pdf", "<html><body>Not here</body></html>",
                            "application/pdf")]
        done, db, given, alone = polled_links(site, links, tmp_path)
    # a PDF's address given where a feed is expected (newsmon ingest URL) is the article
    assert given.added == 1
    assert Warehouse(alone).query("SELECT url, title FROM articles").rows == [
        (links[0], HEADLINE)]
    assert (done.added, dict(done.reasons)) == (2, {"not_html": 1})
    stored = Warehouse(db).query("SELECT url, title, text FROM articles ORDER BY url").rows
    assert [(url, title) for url, title, _ in stored] == [
        (links[1], HEADLINE), (links[0], HEADLINE)]
    assert all(PARAGRAPHS[-1][:60] in str(text) for _, _, text in stored)
    [(detail,)] = Warehouse(db).query("SELECT detail FROM rejects").rows
    assert detail == f"{links[2]}: content type application/pdf"
