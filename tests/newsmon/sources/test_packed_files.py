"""WARC files among the local inputs: a crawl's pages stored as the articles they are,
streamed, each once, across reruns, kills, feeds and other archives. Real files, real
DuckDB, real HTTP on loopback for the feed, the real command line."""

from __future__ import annotations

import shutil
import zipfile
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from evaluation.feedserver import FeedSite, rss
from extractors.warc import PageArchive
from newsmon import cycle
from newsmon.core.settings import Settings
from newsmon.fetch import FetchPolicy
from newsmon.pipeline.loader import Loader
from newsmon.sources.feed_plan import FeedPlan, FeedSource
from tests.conftest import run_cli
from warehouse import Warehouse

FETCHED = datetime(2023, 9, 12, 9, 0)
TEXT = ("Die Delegation aus Pjöngjang traf am Dienstag in Wladiwostok ein, wo Gespräche über "
        "Handel, Getreide und eine neue Bahnverbindung geplant sind. Beobachter erwarten, "
        "dass beide Seiten vor allem über Lieferungen sprechen, die der Westen sanktioniert. ")


def page(title: str) -> bytes:
    paragraphs = "".join(f"<p>{TEXT} ({title}, {i})</p>" for i in range(3))
    return (f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
            f"{paragraphs}</article></body></html>").encode()


def write(path: Path, *pages: tuple[str, bytes], content_type: str = "text/html",
          fetched: datetime = FETCHED) -> None:
    archive = PageArchive(path, software="test crawler")
    for url, body in pages:
        archive.add(url, 200, {"Content-Type": content_type}, body, fetched)
    archive.close()


def rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    return Warehouse(db).query(sql).rows


CRAWL = [("https://courier.example/2023/09/delegation-arrives", page("Delegation arrives")),
         ("https://courier.example/", b"<html><body><a href='/a'>Politik</a></body></html>"),
         ("https://courier.example/2023/09/grain-for-rail", page("Grain for rail"))]


def test_a_crawls_pages_are_stored_as_articles_and_an_unchanged_file_is_not_read_again(
    tmp_path: Path, db_path: Path
) -> None:
    warc = tmp_path / "crawl" / "courier.warc.gz"
    write(warc, *CRAWL)
    write(warc, ("https://courier.example/logo.png", b"\x89PNG"), content_type="image/png")
    db_path = tmp_path / "newsmon.duckdb"
    done = run_cli("--db", str(db_path), "ingest", str(warc.parent),
                   env={"NEWSMON_PREFECT": "never"})
    assert done.returncode == 0, done.stderr
    assert "2 added" in done.stdout and "1 skipped (1 too_short)" in done.stdout
    assert ("web archives: 1 of 1 read (0 unchanged); 3 pages, 0 already seen; 2 other "
            "records (1 warcinfo, 1 image/png)") in done.stdout
    uri = warc.resolve().as_uri()
    assert sorted(rows(db_path, "SELECT url, origin, feed_url, title FROM articles")) == [
        ("https://courier.example/2023/09/delegation-arrives",
         "https://courier.example/2023/09/delegation-arrives", uri, "Delegation arrives"),
        ("https://courier.example/2023/09/grain-for-rail",
         "https://courier.example/2023/09/grain-for-rail", uri, "Grain for rail")]
    assert rows(db_path, "SELECT input, reason FROM rejects") == [
        ("https://courier.example/", "too_short")]
    again = cycle.run_cycle(Settings(db=db_path), [warc], "ingest")
    assert again.inputs == 0 and again.archives is not None and again.archives.unchanged == 1
    # a crawl that goes on appends to its file: only the new page is read
    write(warc, ("https://courier.example/2023/09/talks-end", page("Talks end")))
    more = cycle.run_cycle(Settings(db=db_path), [warc], "ingest")
    assert (more.inputs, more.added) == (1, 1)
    assert more.archives is not None and more.archives.already_seen == 3
    assert rows(db_path, "SELECT count(*) FROM articles") == [(3,)]


def test_a_run_killed_midway_goes_on_where_it_stopped(tmp_path: Path, db_path: Path) -> None:
    warc = tmp_path / "crawl.warc.gz"
    write(warc, *CRAWL, ("https://courier.example/2023/09/talks-end", page("Talks end")))
    settings = Settings(db=db_path, batch_size=1)
    loads = 0

    def load_then_die(loader: Loader, done: Any, source: Any = None) -> None:
        nonlocal loads
        if loads == 2:
            raise KeyboardInterrupt  # Ctrl-C after two pages were stored
        loads += 1
        loader.load(done, source)

    with pytest.raises(KeyboardInterrupt):
        cycle.run_cycle(settings, [warc], "ingest", cycle.Steps(load=load_then_die))
    assert rows(db_path, "SELECT count(*) FROM articles") == [(1,)]  # and the front page
    rerun = cycle.run_cycle(settings, [warc], "ingest")
    assert (rerun.inputs, rerun.added, rerun.duplicates) == (2, 2, 0)
    assert rerun.archives is not None and rerun.archives.already_seen == 2
    assert rows(db_path, "SELECT count(*), count(DISTINCT url) FROM articles") == [(3, 3)]


def test_a_page_is_read_once_across_archives_and_feeds_but_one_a_feed_missed_is_read(
    site: FeedSite, tmp_path: Path, db_path: Path
) -> None:
    site.serve("/2023/09/delegation-arrives", page("Delegation arrives").decode())
    feed = tmp_path / "courier.rss"
    feed.write_text(rss([
        {"title": "Delegation arrives", "link": site.url("/2023/09/delegation-arrives")},
        {"title": "Grain for rail", "link": site.url("/2023/09/grain-for-rail")}]))
    policy = FetchPolicy(allow_private_networks=True, timeout_s=10.0, attempts=1, min_host_gap_s=0)
    polled = cycle.run_cycle(Settings(db=db_path), [feed], "ingest",
                             feeds=FeedPlan((), policy, True))
    assert (polled.added, dict(polled.reasons)) == (1, {"http_404": 1})
    # the crawl holds both pages; a copy of it in another folder holds them again
    crawled = [(site.url("/2023/09/delegation-arrives"), page("Delegation arrives")),
               (site.url("/2023/09/grain-for-rail"), page("Grain for rail"))]
    write(tmp_path / "a" / "crawl.warc.gz", *crawled)
    shutil.copytree(tmp_path / "a", tmp_path / "b")
    read = cycle.run_cycle(Settings(db=db_path), [tmp_path / "a", tmp_path / "b"], "ingest")
    assert (read.inputs, read.added, read.duplicates) == (1, 1, 0)  # the page the feed missed
    assert read.archives is not None and read.archives.already_seen == 3
    assert sorted(rows(db_path, "SELECT title, feed_url LIKE 'file:%/a/crawl.warc.gz' "
                                "FROM articles")) == [("Delegation arrives", False),
                                                      ("Grain for rail", True)]


def test_an_unreadable_archive_is_named_and_the_other_inputs_are_stored(
    tmp_path: Path, db_path: Path
) -> None:
    folder = tmp_path / "inputs"
    write(folder / "good.warc.gz", CRAWL[0])
    (folder / "notes.warc").write_text("not a crawl\n")
    cut = folder / "killed.warc.gz"
    write(cut, CRAWL[2], ("https://courier.example/2023/09/talks-end", page("Talks end")))
    cut.write_bytes(cut.read_bytes()[:-200])
    (folder / "story.txt").write_text(TEXT * 3)
    done = cycle.run_cycle(Settings(db=db_path), [folder], "ingest")
    assert done.added == 3  # good.warc's page, killed.warc's first, the text file
    assert sorted(rows(db_path, "SELECT input, reason, detail FROM rejects")) == [
        (str((folder / "notes.warc").resolve()), "unsupported_type",
         "not a WARC file: Unknown archive format, first line: ['not', 'a', 'crawl']"),
        ("https://courier.example/2023/09/talks-end", "unreadable",
         "the file breaks off in this page's record (a crawl stopped midway?): the records "
         "before it were read (killed.warc.gz, record 3)")]
    # and `newsmon feeds` says which files are damaged, until they change
    assert sorted(rows(db_path, "SELECT name, last_status FROM feeds")) == [
        ("good.warc.gz", "ok"), ("killed.warc.gz", "unreadable"),
        ("notes.warc", "unsupported_type")]


def test_a_run_that_keeps_its_pages_is_replayed_offline_to_the_same_articles(
    site: FeedSite, tmp_path: Path, db_path: Path
) -> None:
    site.serve("/2023/09/delegation-arrives", page("Delegation arrives").decode())
    latin = page("Grüße aus Köln").decode().replace("<head>", "<head><meta charset='latin-1'>")
    site.serve("/2023/09/koeln", latin.encode("latin-1"), "text/html; charset=ISO-8859-1")
    site.serve("/feed.xml", rss([
        {"title": "Delegation arrives", "link": site.url("/2023/09/delegation-arrives")},
        {"title": "Grüße aus Köln", "link": site.url("/2023/09/koeln")},
        {"title": "Gone", "link": site.url("/2023/09/gone")},
        {"title": "Budget", "guid": "budget-1", "content": "".join(
            f"<p>{TEXT} {i}</p>" for i in range(6))}]), "application/rss+xml")
    policy = FetchPolicy(allow_private_networks=True, timeout_s=10.0, attempts=1, min_host_gap_s=0)
    kept = tmp_path / "pages"
    live = cycle.run_cycle(Settings(db=db_path, keep_pages=kept), [], "ingest",
                           feeds=FeedPlan((FeedSource(site.url("/feed.xml")),), policy, True))
    assert (live.added, dict(live.reasons)) == (3, {"http_404": 1})
    [warc] = kept.glob("pages-*.warc.gz")  # the two pages fetched, not the feed's own text
    site.reset()  # the site is gone: the replay asks nothing of it
    replay_db = tmp_path / "replay.duckdb"
    replayed = cycle.run_cycle(Settings(db=replay_db), [warc], "ingest")
    assert (replayed.added, replayed.rejected) == (2, 0) and site.log == []
    columns = "url, origin, title, text, author, language"  # the feed gave no more
    assert rows(replay_db, f"SELECT {columns} FROM articles ORDER BY url") == rows(
        db_path, f"SELECT {columns} FROM articles WHERE url LIKE 'http%' ORDER BY url")
    # and they happened when the live run fetched them, not when they were replayed
    [(live_read,)] = rows(db_path, "SELECT max(ingested_at) FROM articles")
    [(replay_read,)] = rows(replay_db, "SELECT max(ingested_at) FROM articles")
    assert isinstance(live_read, datetime) and isinstance(replay_read, datetime)
    events = rows(replay_db, "SELECT event_at FROM article_times")
    assert len(events) == 2
    assert all(live_read - timedelta(minutes=1) < event < live_read for (event,) in events)


def test_pages_that_cannot_be_kept_are_reported_and_the_run_stores_its_articles(
    site: FeedSite, tmp_path: Path, db_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    site.serve("/2023/09/delegation-arrives", page("Delegation arrives").decode())
    site.serve("/feed.xml", rss([{"title": "Delegation arrives",
                                  "link": site.url("/2023/09/delegation-arrives")}]),
               "application/rss+xml")
    taken = tmp_path / "pages"
    taken.write_text("a file where the folder should be")
    policy = FetchPolicy(allow_private_networks=True, timeout_s=10.0, attempts=1, min_host_gap_s=0)
    done = cycle.run_cycle(Settings(db=db_path, keep_pages=taken), [], "ingest",
                           feeds=FeedPlan((FeedSource(site.url("/feed.xml")),), policy, True))
    assert done.added == 1
    assert f"fetched pages not kept in {taken} (NEWSMON_KEEP_PAGES)" in caplog.text


def test_an_archived_page_without_a_date_happened_when_it_was_fetched_not_when_read(
    tmp_path: Path, db_path: Path
) -> None:
    """A crawl of 2023 read today: its undated pages would otherwise make today's trend
    buckets (and stories) of pages fetched years ago, a spike that never was."""
    warc = tmp_path / "crawl.warc.gz"
    write(warc, CRAWL[0])  # fetched 2023-09-12 09:00; the page states no date
    dated = page("Talks end").replace(
        b"<head>", b'<head><meta property="article:published_time" content="2023-09-10T08:00Z">')
    write(warc, ("https://courier.example/2023/09/talks-end", dated))
    write(warc, ("https://courier.example/2023/09/grain-for-rail", page("Grain for rail")),
          fetched=datetime(2099, 1, 1))  # a crawler's clock far ahead: read when stored
    cycle.run_cycle(Settings(db=db_path), [warc], "ingest")
    times = rows(db_path, "SELECT a.title, a.published_at, a.seen_at = a.ingested_at, t.event_at "
                          "= a.ingested_at, t.event_at FROM articles a JOIN article_times t "
                          "USING (article_id) ORDER BY a.title")
    assert [r[:4] for r in times] == [
        ("Delegation arrives", None, False, False),
        ("Grain for rail", None, True, True),
        ("Talks end", datetime(2023, 9, 10, 8), False, False)]
    assert [r[4] for r in times][0::2] == [FETCHED, datetime(2023, 9, 10, 8)]
    assert rows(db_path, "SELECT bucket, articles FROM coverage_daily WHERE bucket < "
                         "TIMESTAMP '2024-01-01' ORDER BY bucket") == [
        (datetime(2023, 9, 10), 1), (datetime(2023, 9, 12), 1)]
    assert rows(db_path, "SELECT count(*) FROM story_days WHERE day = TIMESTAMP '2023-09-12'"
                ) == [(1,)]


def test_a_zip_of_articles_is_read_as_a_folder_once_and_its_new_files_next_time(
    tmp_path: Path, db_path: Path
) -> None:
    """Articles sent packed (an e-mail's attachments, a drive's "download all"): a zip was
    a `binary` reject; each text or HTML file in it is an article, known by the zip and
    its name, so reading the zip again adds nothing and a file added to it is read."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    packed = inbox / "Kim in Russia.zip"
    text = (TEXT * 3).encode("latin-1")  # a text file saved on Windows
    canonical = page("Delegation arrives").replace(
        b"<head>", b'<head><link rel="canonical" href="https://courier.example/2023/09/d">')
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr("notes/Delegation.html", canonical)
        zipped.writestr("notes/Gespräche.txt", text)
        zipped.writestr("notes/feed.rss", b"<rss/>")
        zipped.writestr("__MACOSX/notes/._Delegation.html", b"\x00\x05")
    done = cycle.run_cycle(Settings(db=db_path), [inbox], "ingest")
    assert (done.added, dict(done.reasons)) == (2, {"unsupported_type": 1})
    assert done.archives is not None and done.archives.describe().startswith(
        "zip files: 1 of 1 read (0 unchanged); 2 files, 0 already seen; 1 other records")
    uri = packed.resolve().as_uri()
    assert sorted(rows(db_path, "SELECT url, origin, feed_url FROM articles")) == [
        (f"{uri}#notes/Gespr%C3%A4che.txt", f"{packed.resolve()}/notes/Gespräche.txt", uri),
        ("https://courier.example/2023/09/d", f"{packed.resolve()}/notes/Delegation.html", uri)]
    assert rows(db_path, "SELECT input, reason, detail FROM rejects") == [
        (str(packed.resolve()), "unsupported_type",
         "notes/feed.rss: a .rss file inside a zip file; unpack it to read it")]
    again = cycle.run_cycle(Settings(db=db_path), [inbox], "ingest")
    assert again.inputs == 0  # unchanged: not read
    with zipfile.ZipFile(packed, "a", zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr("notes/Talks end.html", page("Talks end"))
    more = cycle.run_cycle(Settings(db=db_path), [inbox], "ingest")
    assert (more.added, more.duplicates) == (1, 0)
    assert more.archives is not None and more.archives.already_seen == 2
