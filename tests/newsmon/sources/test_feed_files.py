"""Saved feeds and OPML lists among local inputs, read as feeds: real files, real HTTP on
loopback for the pages and feeds they link, real DuckDB, the real command line."""

from __future__ import annotations

import dataclasses
import json
import plistlib
from datetime import datetime
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import urlsplit

from evaluation.feedserver import FeedSite, rss
from extractors.opml import ListedFeed, parse_opml
from newsmon.core.settings import Settings
from newsmon.core.shard import Shard
from newsmon.cycle import run_cycle
from newsmon.fetch import FetchPolicy
from newsmon.pipeline.summary import RunSummary
from newsmon.sources.feed_plan import FeedPlan
from tests.conftest import read_cli, run_cli
from tests.extractors.test_archive_feed import READER_EXPORT
from tests.extractors.test_email_message import google_alert, mailbox, press_release
from tests.extractors.test_markdown import LEAD, SECOND
from tests.extractors.test_spreadsheets import export, workbook
from warehouse import Warehouse

FAST = FetchPolicy(allow_private_networks=True, timeout_s=10.0, attempts=1, min_host_gap_s=0)
LONG_TEXT = (
    "The regional council voted on Thursday to expand the night bus network across the "
    "valley, after a year of complaints from shift workers who had no way home. The plan "
    "adds four lines and keeps fares at their current level until the next budget round. "
)
NETWORK_ENV = {"NEWSMON_ALLOW_PRIVATE_NETWORKS": "1", "NEWSMON_PREFECT": "never"}


def page(title: str) -> str:
    paragraphs = "".join(f"<p>{LONG_TEXT} ({title}, {i})</p>" for i in range(3))
    return (f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
            f"{paragraphs}</article></body></html>")


def full_text(title: str) -> str:
    return "".join(f"<p>{LONG_TEXT} {title} {i}.</p>" for i in range(3))


def cycle(db: Path, *paths: Path) -> RunSummary:
    return run_cycle(Settings(db=db), list(paths), "ingest", feeds=FeedPlan((), FAST, True))


def rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    return Warehouse(db).query(sql).rows


def opml(*outlines: tuple[str, str]) -> str:
    body = "".join(f'<outline type="rss" text="{t}" xmlUrl="{u}"/>' for t, u in outlines)
    return f'<?xml version="1.0"?><opml version="2.0"><body>{body}</body></opml>'


def test_a_saved_feed_is_read_like_a_polled_one_and_again_only_when_it_changed(
    site: FeedSite, db_path: Path, tmp_path: Path
) -> None:
    site.serve("/linked", page("Night buses for the valley"))
    entries = [
        {"title": "Night buses for the valley", "link": site.url("/linked")},
        {"title": "Council budget", "guid": "budget-1", "content": full_text("Budget")},
    ]
    saved = tmp_path / "saved.xml"  # as a browser saves a feed: .xml, known by its root
    saved.write_text(rss(entries, title="Valley Courier"), encoding="utf-8")
    first = cycle(db_path, saved)
    assert (first.added, first.rejected) == (2, 0)
    assert first.feeds is not None and (first.feeds.full_text_entries,
                                        first.feeds.pages_fetched) == (1, 1)
    assert first.feeds.ill_formed == 0  # a file has no Content-Type; that is no fault
    uri, host = saved.resolve().as_uri(), site.url("/").split("/")[2]
    # the outlet: the feed's for its own text, the page's (here its host) for a linked page
    assert sorted(rows(db_path, "SELECT title, source, feed_url FROM articles")) == [
        ("Council budget", "Valley Courier", uri), ("Night buses for the valley", host, uri)]
    again = cycle(db_path, saved)  # the same bytes: nothing read, nothing fetched
    assert again.inputs == 0 and again.feeds is not None and again.feeds.not_modified == 1
    assert len(site.requests("/linked")) == 1
    site.serve("/later", page("Fares stay the same"))
    entries.insert(0, {"title": "Fares stay the same", "link": site.url("/later")})
    saved.write_text(rss(entries, title="Valley Courier"), encoding="utf-8")
    changed = cycle(db_path, saved)
    assert changed.added == 1 and changed.feeds is not None
    assert (changed.feeds.already_seen, changed.feeds.new_items) == (2, 1)
    assert len(site.requests("/linked")) == 1
    ((name, status, next_poll, failures),) = rows(
        db_path, "SELECT name, last_status, next_poll_after, consecutive_failures FROM feeds")
    assert (name, status, next_poll, failures) == ("Valley Courier", "ok", None, 0)
    # an unchanged file is no server's 304
    assert all("http_304" not in str(r) for (r,) in rows(db_path, "SELECT reasons FROM runs"))


def test_an_opml_lists_feeds_are_polled_and_its_problems_are_named_rejects(
    site: FeedSite, db_path: Path, tmp_path: Path
) -> None:
    site.serve("/a", page("Rail strike ends"))
    site.serve("/b", page("Harbour reopens"))
    world = site.serve("/world.rss", rss([{"title": "Rail strike ends", "link": site.url("/a")}]),
                       "application/rss+xml")
    local = site.serve("/local.rss", rss([{"title": "Harbour reopens", "link": site.url("/b")}]),
                       "application/rss+xml")
    (tmp_path / "subscriptions.opml").write_text(opml(
        ("World desk", world), ("Local desk", local), ("Old", "gopher://old.example/news"),
        ("World again", world)), encoding="utf-8")
    (tmp_path / "broken.opml").write_text("<opml><body><outline", encoding="utf-8")
    (tmp_path / "story.html").write_text(page("A local page"), encoding="utf-8")
    done = cycle(db_path, tmp_path)
    assert done.added == 3 and done.feeds is not None and done.feeds.polled == 2
    assert sorted(rows(db_path, "SELECT title, feed_url FROM articles")) == [
        ("A local page", None), ("Harbour reopens", local), ("Rail strike ends", world)]
    # each listed feed under the name the list gives it
    assert sorted(rows(db_path, "SELECT url, name FROM feeds")) == [
        (local, "Local desk"), (world, "World desk")]
    assert sorted(rows(db_path, "SELECT input, reason, detail FROM rejects")) == [
        (str(tmp_path / "broken.opml"), "not_a_feed",
         "not an OPML list: unclosed token: line 1, column 12"),
        (str(tmp_path / "subscriptions.opml"), "blocked_url",
         "Old: gopher://old.example/news is not an http(s) feed address"),
    ]
    assert len(site.requests("/world.rss")) == 1


def test_ingest_reads_a_folder_of_saved_feeds_and_lists_and_run_keeps_their_schedules(
    site: FeedSite, tmp_path: Path
) -> None:
    site.serve("/one", page("Ferry timetable changes"))
    site.serve("/two", page("New bridge opens"))
    listed = site.serve("/listed.rss", rss([{"title": "New bridge opens",
                                             "link": site.url("/two")}]), "application/rss+xml")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "courier.rss").write_text(rss([{"title": "Ferry timetable changes",
                                             "link": site.url("/one")}]), encoding="utf-8")
    (inbox / "reader-export.opml").write_text(opml(("Bridge news", listed)), encoding="utf-8")
    (inbox / "sitemap.xml").write_text("<?xml version='1.0'?><urlset/>", encoding="utf-8")
    db = tmp_path / "w.duckdb"
    config = tmp_path / "newsmon.toml"
    config.write_text(f'[network]\nmin_host_gap_s = 0\n\n[sources]\npaths = ["{inbox}"]\n',
                      encoding="utf-8")
    args = ("--db", str(db), "--config", str(config))
    done = run_cli(*args, "ingest", str(inbox), env=NETWORK_ENV)
    assert done.returncode == 0, done.stderr
    assert "2 added" in done.stdout and "1 skipped (1 unsupported_type)" in done.stdout
    assert "feeds: 2 of 2 polled" in done.stdout
    assert f"skipped {inbox / 'sitemap.xml'} (unsupported_type): .xml: newsmon reads" \
        in done.stderr
    again = run_cli(*args, "run", env=NETWORK_ENV)
    assert again.returncode == 0, again.stderr
    # the saved feed is read on every run (unchanged); the listed one keeps its interval
    assert "feeds: 1 of 2 polled (1 unchanged, 0 failed, 1 backing off)" in again.stdout
    assert len(site.requests("/listed.rss")) == 1
    # what newsmon follows, for a feed reader: the configured feeds, then those polled
    configured = site.url("/configured.rss")
    config.write_text(config.read_text(encoding="utf-8") + f'\n[[feeds]]\nurl = "{configured}"\n'
                      'name = "Configured"\nlanguage = "de"\n', encoding="utf-8")
    exported = tmp_path / "out" / "newsmon.opml"
    typo = read_cli(*args, "feeds", "--opml", str(exported), env=NETWORK_ENV)
    assert typo.returncode == 1 and typo.stderr.strip() == (
        f"newsmon: error: {exported}: the folder {exported.parent} does not exist")
    exported.parent.mkdir()
    written = read_cli(*args, "feeds", "--opml", str(exported), env=NETWORK_ENV)
    assert written.returncode == 0, written.stderr
    assert written.stderr.strip().endswith(f"wrote 2 feeds to {exported}")
    assert parse_opml(exported.read_bytes()).feeds == (
        ListedFeed(configured, "Configured", "de"),
        ListedFeed(listed, "Bridge news"))  # the saved feed is no reader's
    to_stdout = read_cli(*args, "feeds", "--opml", "-", env=NETWORK_ENV)
    assert to_stdout.stdout.encode() == exported.read_bytes()
    for shard in ("0/2", "1/2"):  # each worker of a shared lake exports every feed
        sharded = read_cli(*args, "feeds", "--opml", "-", env={**NETWORK_ENV,
                                                              "NEWSMON_SHARD": shard})
        assert sharded.stdout.encode() == exported.read_bytes(), shard
    listing = read_cli(*args, "feeds", env=NETWORK_ENV)
    assert listing.returncode == 0, listing.stderr
    lines = listing.stdout.splitlines()
    saved_line = next(line for line in lines if line.startswith("file://"))
    assert saved_line.startswith(f"{(inbox / 'courier.rss').resolve().as_uri()}  unchanged, "
                                 "0 failures in a row, every cycle, next poll next cycle")
    assert any(line.startswith(f"{listed}  ok") for line in lines)
    # a feed no longer followed leaves the list and the export; its article stays
    (inbox / "reader-export.opml").unlink()
    typo = read_cli(*args, "feeds", "--forget", listed + "x", env=NETWORK_ENV)
    assert typo.returncode == 1 and typo.stderr.strip() == (
        f"newsmon: error: {listed}x: not a feed this warehouse has polled (newsmon feeds "
        "lists them)")
    forgot = read_cli(*args, "feeds", "--forget", listed, env=NETWORK_ENV)
    assert forgot.returncode == 0 and forgot.stdout.strip() == (
        f"{listed}: forgotten; its articles stay")
    assert listed not in read_cli(*args, "feeds", env=NETWORK_ENV).stdout
    exported = read_cli(*args, "feeds", "--opml", "-", env=NETWORK_ENV).stdout.encode()
    assert [f.url for f in parse_opml(exported).feeds] == [configured]
    never = read_cli(*args, "feeds", "--forget", configured, env=NETWORK_ENV)
    assert never.returncode == 1  # never polled: nothing to forget
    assert run_cli(*args, "run", env=NETWORK_ENV).returncode == 0  # polls it (a 404)
    still = read_cli(*args, "feeds", "--forget", configured, env=NETWORK_ENV)
    assert still.returncode == 0 and still.stderr.strip().endswith(
        f"{configured}: still a [[feeds]] entry of the configuration: the next run polls it "
        "again")
    assert Warehouse(db).query("SELECT count(*) FROM articles WHERE feed_url = ?",
                               [listed]).rows == [(1,)]


def test_a_saved_feed_that_cannot_be_used_is_named_and_the_rest_goes_on(
    site: FeedSite, db_path: Path, tmp_path: Path
) -> None:
    site.serve("/fine", page("Fine story"))
    (tmp_path / "a-empty.rss").write_text(
        "<?xml version='1.0'?><rss version='2.0'><channel><title>t</title></channel></rss>",
        encoding="utf-8")
    (tmp_path / "b-huge.atom").write_bytes(b"<feed>" + b" " * 4_000_000 + b"</feed>")
    (tmp_path / "c-fine.rss").write_text(rss([{"title": "Fine story",
                                               "link": site.url("/fine")}]), encoding="utf-8")
    # a file is held to the file limit, not to the network's (1 MB here, for responses)
    site.serve("/big", page("Big story"))
    padding = "<!--" + " " * 2_000_000 + "-->"
    (tmp_path / "d-big.rss").write_text(rss([{"title": "Big story", "link": site.url("/big")}])
                                        .replace("<channel>", f"<channel>{padding}"),
                                        encoding="utf-8")
    policy = dataclasses.replace(FAST, max_bytes=1_000_000)
    done = run_cycle(Settings(db=db_path, max_file_bytes=3_000_000), [tmp_path], "ingest",
                     feeds=FeedPlan((), policy, True))
    assert done.added == 2 and done.feeds is not None and done.feeds.failed == 2
    assert sorted(rows(db_path, "SELECT input, reason FROM rejects")) == [
        (str(tmp_path / "a-empty.rss"), "empty"), (str(tmp_path / "b-huge.atom"), "too_large")]
    failing = rows(db_path, "SELECT consecutive_failures, next_poll_after, parked_at FROM feeds "
                            "WHERE last_status <> 'ok'")
    assert failing == [(1, None, None), (1, None, None)]  # read again next run, as it is


def test_a_saved_feed_is_read_in_the_encoding_its_declaration_names(
    db_path: Path, tmp_path: Path
) -> None:
    feed = rss([{"title": "Grüße aus Köln", "guid": "k1",
                 "content": "".join(f"<p>Straßenbahn und Fähre: {LONG_TEXT} {i}</p>"
                                    for i in range(3))}], title="Kölner Blatt")
    saved = tmp_path / "koeln.xml"
    saved.write_bytes(feed.replace('encoding="utf-8"', 'encoding="iso-8859-1"')
                      .encode("iso-8859-1"))
    done = cycle(db_path, saved)
    assert done.added == 1 and done.feeds is not None and done.feeds.ill_formed == 0
    ((title, source, text),) = rows(db_path, "SELECT title, source, text FROM articles")
    assert (title, source) == ("Grüße aus Köln", "Kölner Blatt")
    assert "Straßenbahn und Fähre" in str(text)


def test_an_archive_saved_by_german_excel_is_read_in_its_windows_code_page(
    db_path: Path, tmp_path: Path
) -> None:
    """Excel's plain "CSV" is in the Windows code page: semicolons, Windows-1252."""
    saved = tmp_path / "meldungen.csv"
    text = f"Straßenbahn und Fähre: {LONG_TEXT}"
    saved.write_bytes(("Überschrift;Text;URL\r\n"
                       f'Grüße aus Köln;"{text}";https://koeln.example/gruesse\r\n')
                      .encode("cp1252"))
    assert cycle(db_path, saved).added == 1
    ((title, body),) = rows(db_path, "SELECT title, text FROM articles")
    assert title == "Grüße aus Köln" and "Straßenbahn und Fähre" in str(body)


def test_a_dataset_of_texts_without_a_header_is_stored_once_and_a_price_list_named(
    db_path: Path, tmp_path: Path
) -> None:
    """A text dataset as 10kGNAD writes it (desk;'text', no header) was refused whole as a
    CSV without a url or text column; a table of anything else still is, by name."""
    lead = ("Der Stadtrat hat am Donnerstag beschlossen, das Nachtbusnetz im ganzen Tal "
            "auszubauen")
    body = (f"{lead}. Schichtarbeiter hatten sich ein Jahr lang beschwert; sie kamen nachts "
            "nicht nach Hause. Der Plan bringt vier neue Linien, und die Preise bleiben bis "
            "zur nächsten Haushaltsrunde, wie der Bürgermeister sagte, auf dem heutigen Stand. ")
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    db_path.parent.mkdir(exist_ok=True)
    (inputs / "articles.csv").write_text(
        "".join(f"{desk};'{body * 2}(Teil {n})'\n" for n, desk in enumerate(
            ["Inland", "Wirtschaft", "Panorama"])), encoding="utf-8")
    (inputs / "prices.csv").write_text("hammer;9,90\nsaw;19,90\n", encoding="utf-8")
    done = read_cli("--db", str(db_path), "ingest", str(inputs), env=NETWORK_ENV)
    assert done.returncode == 0, done.stderr
    stored = rows(db_path, "SELECT title, language, text FROM articles ORDER BY text")
    assert [(title, language) for title, language, _ in stored] == [
        (f"{lead}.", "de")] * 3
    assert [str(text).endswith(f"(Teil {n})") for n, (_, _, text) in enumerate(stored)] == [
        True] * 3
    assert rows(db_path, "SELECT reason, input FROM rejects") == [
        ("unsupported_type", str(inputs / "prices.csv"))]
    again = read_cli("--db", str(db_path), "ingest", str(inputs), env=NETWORK_ENV)
    assert again.returncode == 0 and rows(db_path, "SELECT count(*) FROM articles") == [(3,)]


def test_feeds_and_pages_saved_in_utf16_or_utf32_are_read_with_or_without_a_bom(
    db_path: Path, tmp_path: Path
) -> None:
    """Windows saves "Unicode" as UTF-16 (little-endian, with a byte-order mark); XML may
    also be written in UTF-16 or UTF-32 without one, known by its first "<". A feed in
    UTF-16LE with its mark was "no RSS, Atom or RDF feed found" (transcoded to UTF-8, its
    declaration still said UTF-16), one without a mark unsupported, a page binary."""
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    db_path.parent.mkdir(exist_ok=True)
    saved = {"le-bom.xml": ("utf-16", "utf-16"), "be.xml": ("utf-16-be", "UTF-16"),
             "wide.xml": ("utf-32-le", "utf_32")}
    for name, (codec, declared) in saved.items():
        content = "".join(f"<p>{LONG_TEXT} Köln, {name} {i}.</p>" for i in range(3))
        feed = rss([{"title": f"Nachtbus ({name})", "link": f"https://news.example/{name}",
                     "content": content}]).replace('encoding="utf-8"', f'encoding="{declared}"')
        (inputs / name).write_bytes(feed.encode(codec))
    (inputs / "page.html").write_bytes(page("Fähre über den Rhein").replace(
        "<head>", '<head><meta charset="utf-16">').encode("utf-16-le"))
    done = read_cli("--db", str(db_path), "ingest", str(inputs), env=NETWORK_ENV)
    assert done.returncode == 0, done.stderr
    assert sorted(rows(db_path, "SELECT title FROM articles")) == [
        ("Fähre über den Rhein",), ("Nachtbus (be.xml)",), ("Nachtbus (le-bom.xml)",),
        ("Nachtbus (wide.xml)",)]
    assert all("Köln" in str(text) for (text,) in rows(
        db_path, "SELECT text FROM articles WHERE title LIKE 'Nachtbus%'"))
    assert rows(db_path, "SELECT count(*) FROM rejects") == [(0,)]


def test_an_entrys_text_is_dated_by_the_entry_or_its_date_line_never_by_a_year_it_mentions(
    db_path: Path, tmp_path: Path
) -> None:
    """Half of 10kGNAD's texts were stored as published on 1 January of a year they
    mention ("die Sommerspiele von 2004"): htmldate's guess over a text newsmon wrapped as
    a page. An archive's own date lost to it too (a day against a day)."""
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    db_path.parent.mkdir(exist_ok=True)
    olympic = ("Die Reise endet in einer Halle im Süden Athens, wo die Sportanlagen der "
               "Sommerspiele von 2004 neben Kinos und Cafés stehen. ")
    records = [
        {"id": "undated", "title": "Ankunft in Athen", "text": f"{olympic}{LONG_TEXT}"},
        {"id": "dated", "title": "Ankunft in Piräus", "published": "2016-03-18",
         "text": f"{olympic}{LONG_TEXT} Seit 12.03.2016 warten sie."},
        {"id": "dateline", "title": "Ankunft in Idomeni",
         "text": f"Idomeni, 14. März 2016\n\n{olympic}{LONG_TEXT}"},
    ]
    (inputs / "stories.jsonl").write_text(
        "".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    done = read_cli("--db", str(db_path), "ingest", str(inputs), env=NETWORK_ENV)
    assert done.returncode == 0, done.stderr
    dated = rows(db_path, "SELECT title, published_at, published_precision FROM articles")
    assert sorted(dated) == [
        ("Ankunft in Athen", None, None),
        ("Ankunft in Idomeni", datetime(2016, 3, 14), "day"),
        ("Ankunft in Piräus", datetime(2016, 3, 18), "day"),
    ]


def test_an_entrys_outlet_is_the_entrys_never_the_end_of_its_headline(
    db_path: Path, tmp_path: Path
) -> None:
    """A fifth of 10kGNAD's texts named an outlet such as "Higuain darf bald wieder
    kicken.": trafilatura reads "A – B" in a title as headline and site, and the texts
    open with such a line."""
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    db_path.parent.mkdir(exist_ok=True)
    records = [
        {"id": "1", "title": "Juventus vor Pflichtsieg – Higuain darf bald wieder kicken.",
         "text": f"{LONG_TEXT} Turin."},
        {"id": "2", "title": "Neue Linien – Der Plan steht", "source": "Der Standard",
         "text": f"{LONG_TEXT} Wien."},
    ]
    (inputs / "stories.jsonl").write_text(
        "".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    done = read_cli("--db", str(db_path), "ingest", str(inputs), env=NETWORK_ENV)
    assert done.returncode == 0, done.stderr
    assert sorted(rows(db_path, "SELECT title, source FROM articles")) == [
        ("Juventus vor Pflichtsieg – Higuain darf bald wieder kicken.", None),
        ("Neue Linien – Der Plan steht", "Der Standard")]


def test_an_entry_is_titled_by_its_feed_and_signed_by_its_text(
    db_path: Path, shared: Path
) -> None:
    """A blog post's full text in its feed opens with a heading, or its title with a
    kicker: the article was titled "Why this change is happening" or "Code Health"
    (49 of the 205 articles of real-feeds and feedparser-tests). Its writer is the one
    the text signs with, not the account that posted it ("Google Testing Bloggers")."""
    feeds = shared / "corpora" / "real-feeds" / "rss-parser" / "test" / "input"
    db_path.parent.mkdir(exist_ok=True)
    done = read_cli("--db", str(db_path), "ingest", str(feeds / "feedburner.atom"),
                    str(feeds / "many-links.rss"), env=NETWORK_ENV)
    assert done.returncode == 0, done.stderr
    stored = dict(rows(db_path, "SELECT title, author FROM articles"))
    assert stored["AdWords and DFP Java client library will soon require Java 7+"] == (
        "Josh Radcliff; AdWords API Team")
    assert stored["Code Health: Reduce Nesting, Reduce Complexity"] == "Elliott Karpilovsky"
    # signed under the series' note ("This is another post in our Code Health series ...")
    assert stored["Code Health: Eliminate YAGNI Smells"] == "Marc Eaddy"
    assert stored["Evolution of GTAC and Engineering Productivity"] == (
        "Google Testing Bloggers")  # unsigned
    assert stored["What Test Engineers do at Google"] == (
        "Matt Lowrie; Manjusha Parvathaneni; Benjamin Pick; Jochen Wuttke")  # "…, and J…"
    assert not {"Why this change is happening", "Code Health"} & set(stored)


def test_a_news_apis_json_answer_is_stored_its_teasers_through_their_pages(
    site: FeedSite, db_path: Path, tmp_path: Path
) -> None:
    """A news API answers with JSON (articles under a key, the text cut to a teaser); a
    scraper writes its articles as a JSON array. Both were refused as unsupported."""
    site.serve("/budget", page("Budget agreed"))
    api = {"status": "ok", "totalResults": 2, "articles": [
        {"source": {"id": None, "name": "Valley Courier"}, "title": "Budget agreed",
         "url": site.url("/budget"), "publishedAt": "2023-09-12T08:05:00Z",
         "content": "The council agreed on the budget… [+2510 chars]"},
        {"source": {"id": None, "name": "Valley Courier"}, "title": "Night buses",
         "url": "https://courier.example/buses", "content": f"{LONG_TEXT} {LONG_TEXT}"}]}
    (tmp_path / "everything.json").write_text(json.dumps(api), encoding="utf-8")
    (tmp_path / "truth.json").write_text('{"V1": {"title": "x"}}', encoding="utf-8")
    done = cycle(db_path, tmp_path)
    assert done.added == 2
    assert sorted(rows(db_path, "SELECT title, source, url FROM articles")) == [
        ("Budget agreed", urlsplit(site.url("/")).netloc, site.url("/budget")),  # the page's
        ("Night buses", "Valley Courier", "https://courier.example/buses")]
    assert rows(db_path, "SELECT input, reason FROM rejects") == [
        (str(tmp_path / "truth.json"), "unsupported_type")]
    assert len(site.requests("/budget")) == 1  # the teaser's page, fetched


def test_a_text_file_of_links_is_the_pages_to_fetch(
    site: FeedSite, db_path: Path, tmp_path: Path
) -> None:
    """An analyst's list of articles to read, one address a line: the pages it names are
    fetched and stored; a text that merely starts with a link is an article as before."""
    site.serve("/a", page("Story A"))
    site.serve("/b", page("Story B"))
    (tmp_path / "to-read.txt").write_text(
        f"# the budget dispute\n{site.url('/a')}\n\n  {site.url('/b')}  \n", encoding="utf-8")
    (tmp_path / "note.txt").write_text(f"{site.url('/a')}\n\n{LONG_TEXT}\n", encoding="utf-8")
    done = cycle(db_path, tmp_path)
    assert done.added == 3  # two pages and the note
    stored = {str(u) for (u,) in rows(db_path, "SELECT url FROM articles")}
    assert {site.url("/a"), site.url("/b")} <= stored
    assert any(u.endswith("note.txt") for u in stored)
    assert len(site.requests("/a")) == 1
    # read again: nothing new, the list unchanged
    assert cycle(db_path, tmp_path).added == 0


def test_exported_bookmarks_are_the_pages_to_fetch(
    site: FeedSite, db_path: Path, tmp_path: Path
) -> None:
    """A browser's bookmarks saved as its export (the Netscape bookmark file every browser
    and bookmarking service writes) were read as one page of link titles (a ``too_short``
    or ``not_article`` reject): the pages they mark are fetched and stored, each once, a
    page gone named; a bookmarklet is left out, named."""
    site.serve("/a", page("Story A"))
    site.serve("/b", page("Story B"))
    (tmp_path / "bookmarks.html").write_text(
        "<!DOCTYPE NETSCAPE-Bookmark-file-1>\n<META HTTP-EQUIV=\"Content-Type\" "
        "CONTENT=\"text/html; charset=UTF-8\">\n<TITLE>Bookmarks</TITLE>\n<H1>Bookmarks</H1>\n"
        "<DL><p>\n  <DT><H3>Budget</H3>\n  <DL><p>\n"
        f"    <DT><A HREF=\"{site.url('/a')}\" ADD_DATE=\"1694500000\">Story A</A>\n"
        f"    <DT><A HREF=\"{site.url('/b')}\">Story B</A>\n"
        f"    <DT><A HREF=\"{site.url('/gone')}\">Removed</A>\n"
        "    <DT><A HREF=\"javascript:alert(1)\">Bookmarklet</A>\n  </DL><p>\n"
        f"  <DT><A HREF=\"{site.url('/a')}\">Story A again</A>\n</DL>\n", encoding="utf-8")
    done = cycle(db_path, tmp_path)
    assert done.added == 2
    assert sorted(rows(db_path, "SELECT url, title FROM articles")) == [
        (site.url("/a"), "Story A"), (site.url("/b"), "Story B")]
    assert rows(db_path, "SELECT input, reason FROM rejects") == [(site.url("/gone"), "http_404")]
    assert rows(db_path, "SELECT last_error FROM feeds") == [
        ("1 record could not be read ('Bookmarklet': no web page (javascript))",)]
    assert len(site.requests("/a")) == 1
    assert cycle(db_path, tmp_path).added == 0  # the file unchanged: nothing read again


def test_workbooks_of_articles_are_ingested(site: FeedSite, db_path: Path,
                                            tmp_path: Path) -> None:
    """The export's links are fetched (a snippet is no article); an analyst's sheet that
    holds the texts is stored as it is, its date cell the articles' day."""
    site.serve("/kim", page("Kim arrives"))
    site.serve("/sanctions", page("Sanctions widened"))
    (tmp_path / "Coverage.xlsx").write_bytes(export(site.url("/kim"), site.url("/sanctions")))
    (tmp_path / "Mine.xlsx").write_bytes(workbook(("Articles", [
        ["Titel", "Text", "Datum", "Autor"],
        ["Kim in Wladiwostok", f"{LEAD}\n\n{SECOND}", datetime(2023, 9, 12), "Jane Roe"]])))
    done = cycle(db_path, tmp_path)
    assert done.added == 3
    assert sorted(rows(db_path, "SELECT title, author, published_at FROM articles")) == [
        ("Kim arrives", None, datetime(2023, 9, 12, 8, 5)),
        ("Kim in Wladiwostok", "Jane Roe", datetime(2023, 9, 12)),
        ("Sanctions widened", None, datetime(2023, 9, 13)),
    ]
    assert len(site.requests("/kim")) == 1
    assert cycle(db_path, tmp_path).added == 0  # unchanged: nothing new


def test_a_feed_readers_starred_articles_are_stored_or_fetched(
    site: FeedSite, db_path: Path, tmp_path: Path
) -> None:
    """A feed reader's export of starred articles (FreshRSS', Inoreader's: the Google Reader
    API's JSON) was `unsupported_type`: the item that holds its article is stored, the
    teaser's page fetched."""
    site.serve("/sanctions", page("EU widens sanctions"))
    export = json.loads(json.dumps(READER_EXPORT))
    export["items"][1]["alternate"][0]["href"] = site.url("/sanctions")
    (tmp_path / "starred.json").write_text(json.dumps(export), encoding="utf-8")
    done = cycle(db_path, tmp_path)
    assert done.added == 2
    assert sorted(rows(db_path, "SELECT url, title, source, published_at FROM articles")) == [
        (site.url("/sanctions"), "EU widens sanctions", urlsplit(site.url("/")).netloc,
         datetime(2023, 9, 13, 10, 13, 20)),
        ("https://news.example/kim", "Kim arrives in Russia", "News Example",
         datetime(2023, 9, 12, 6, 26, 40))]
    assert len(site.requests("/sanctions")) == 1


def test_workers_of_a_shared_lake_share_out_the_feeds_an_opml_list_names(
    site: FeedSite, tmp_path: Path
) -> None:
    """Every worker reads the lists among the configured folders and polls its share of
    their feeds, as of configured ones; the files and saved feeds stay worker 0's."""
    feeds = []
    for k in range(6):
        url = site.serve(f"/feed/{k}.xml", rss([{"title": f"Report {k}", "guid": f"report-{k}",
                                                 "content": full_text(f"Report {k}")}]),
                         "application/rss+xml")
        variant = 0  # the port is random: a query the site ignores moves a feed's share
        while not Shard(k % 2, 2).owns(url + (f"?v={variant}" if variant else "")):
            variant += 1
        feeds.append(url + (f"?v={variant}" if variant else ""))
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "subscriptions.opml").write_text(
        opml(*((f"Feed {k}", url.replace("&", "&amp;")) for k, url in enumerate(feeds))),
        encoding="utf-8")
    (inbox / "letter.txt").write_text(LONG_TEXT * 2, encoding="utf-8")
    (inbox / "courier.rss").write_text(
        rss([{"title": "Saved", "guid": "saved-1", "content": full_text("Saved")}]),
        encoding="utf-8")
    config = tmp_path / "newsmon.toml"
    config.write_text(f'[network]\nmin_host_gap_s = 0\n\n[sources]\npaths = ["{inbox}"]\n',
                      encoding="utf-8")
    stored = {}
    for shard in (Shard(0, 2), Shard(1, 2)):
        db = tmp_path / f"worker-{shard.index}.duckdb"
        done = run_cli("--db", str(db), "--config", str(config), "run",
                       env={**NETWORK_ENV, "NEWSMON_SHARD": str(shard)})
        assert done.returncode == 0, done.stderr
        stored[shard.index] = sorted(str(t) for (t,) in rows(
            db, "SELECT coalesce(feed_url, 'file') FROM articles"))
    assert stored == {0: sorted(["file", (inbox / "courier.rss").as_uri(), *feeds[0::2]]),
                      1: sorted(feeds[1::2])}
    assert all(len(site.requests(f"/feed/{k}.xml")) == 1 for k in range(6))


def test_archives_of_articles_are_read_as_feeds_and_an_export_comes_back_whole(
    site: FeedSite, tmp_path: Path
) -> None:
    """JSON Lines and CSV files of articles (a scraper's, a media database's, newsmon
    export's): records with text are those articles, records with a link only are pages
    to fetch, and what cannot be read is named."""
    site.serve("/ferry", page("Ferry timetable changes"))
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    records = [
        {"url": "https://courier.example/budget", "title": "Budget agreed",
         "text": f"{LONG_TEXT}\n\n{LONG_TEXT}", "published_at": "2023-09-12T10:05:00+02:00",
         "source": "Valley Courier", "author": "Erika Musterfrau", "language": "en"},
        {"title": "A letter", "text": "Too short to be an article."},
    ]
    (inbox / "scraped.jsonl").write_text(
        "\n".join(json.dumps(r) for r in records) + "\n{broken\n", encoding="utf-8")
    (inbox / "stories.csv").write_text(  # as Media Cloud lists stories: links, no text
        "stories_id,publish_date,title,url,media_name\n"
        f"11,2023-09-13,Ferry timetable changes,{site.url('/ferry')},Harbour News\n",
        encoding="utf-8")
    (inbox / "prices.csv").write_text("item,price\nbread,2.50\n", encoding="utf-8")
    db = tmp_path / "a.duckdb"
    done = run_cli("--db", str(db), "ingest", str(inbox), env=NETWORK_ENV)
    assert done.returncode == 0, done.stderr
    assert "2 added" in done.stdout and "feeds: 2 of 2 polled" in done.stdout
    assert f"skipped {inbox / 'prices.csv'} (unsupported_type)" in done.stderr
    assert f"{inbox / 'scraped.jsonl'}#" in done.stderr  # the short record, by file and key
    assert "(too_short): 'A letter': 6 words, fewer than 40" in done.stderr  # by its title
    assert sorted(rows(db, "SELECT title, source, author, published_at, language, feed_url "
                           "FROM articles")) == [
        ("Budget agreed", "Valley Courier", "Erika Musterfrau", datetime(2023, 9, 12, 8, 5),
         "en", (inbox / "scraped.jsonl").as_uri()),
        # a fetched page names its outlet itself (here only by its host), as for any feed
        ("Ferry timetable changes", urlsplit(site.url("/")).netloc, None,
         datetime(2023, 9, 13), "en", (inbox / "stories.csv").as_uri())]
    assert sorted(rows(db, "SELECT published_precision, published_utc_offset FROM articles")
                  ) == [("day", None), ("second", 120)]  # what the round trip must keep
    assert rows(db, "SELECT last_error FROM feeds WHERE url LIKE '%.jsonl'") == [(
        "1 record could not be read (line 3: not JSON: Expecting property name enclosed in "
        "double quotes: line 1 column 2 (char 1))",)]

    # what newsmon exports, another warehouse ingests: the same articles, by their URLs
    columns = ("url, title, source, author, published_at, published_precision, "
               "published_utc_offset, language, text")
    for suffix in (".jsonl", ".csv", ".parquet"):
        exported = tmp_path / f"out{suffix}"
        assert read_cli("--db", str(db), "export", "--out", str(exported)).returncode == 0
        other = tmp_path / f"from-{suffix[1:]}.duckdb"
        assert cycle(other, exported).added == 2, suffix
        assert sorted(rows(other, f"SELECT {columns} FROM articles")) == sorted(
            rows(db, f"SELECT {columns} FROM articles")), suffix
    assert not site.requests("/ferry")[1:]  # no page fetched again


def test_an_archive_of_japanese_articles_is_stored_from_its_text_not_fetched(
    site: FeedSite, tmp_path: Path
) -> None:
    """Japanese (like Chinese or Thai) puts no spaces between words: a record's text was
    counted as a handful of words, judged no article, and its link fetched instead (a
    connection error for each, offline)."""
    site.serve("/2023/09/kim-russia", page("fetched instead"))
    text = ("日本政府は十二日、北朝鮮の金正恩総書記がロシアを訪問したことについて、"
            "武器取引への懸念を表明した。") * 6
    archive = tmp_path / "nikkei.jsonl"
    archive.write_text(json.dumps({"url": site.url("/2023/09/kim-russia"), "title": "金総書記が"
                                   "ロシア訪問", "text": text, "language": "ja"},
                                  ensure_ascii=False) + "\n", encoding="utf-8")
    db = tmp_path / "a.duckdb"
    done = cycle(db, archive)
    assert (done.added, done.rejected) == (1, 0) and site.requests("/2023/09/kim-russia") == []
    assert rows(db, "SELECT title, language, length(text) > 200 FROM articles") == [
        ("金総書記がロシア訪問", "ja", True)]


def test_an_archive_says_when_its_texts_were_fetched_and_an_export_keeps_when_it_happened(
    tmp_path: Path
) -> None:
    """A scraper's download time (news-please's ``date_download``) places an undated
    article in trends when it was fetched; an export read back into another warehouse
    keeps every article's event time, the undated ones' too, instead of the reading's."""
    records = [
        {"url": "https://courier.example/2023/09/undated", "title": "Undated story",
         "text": f"{LONG_TEXT}\n\n{LONG_TEXT}", "date_download": "2023-09-12 08:00:00"},
        {"url": "https://courier.example/2023/09/dated", "title": "Dated story",
         "text": f"{LONG_TEXT} Dated.\n\n{LONG_TEXT}", "date_publish": "2023-09-11 07:00:00",
         "date_download": "2023-09-12 08:00:00"},
        {"url": "https://courier.example/2023/09/day-only", "title": "Day only",
         "text": f"{LONG_TEXT} Day.\n\n{LONG_TEXT}", "crawl_date": "2023-09-12"},
    ]
    scraped = tmp_path / "scraped.jsonl"
    scraped.write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    db = tmp_path / "a.duckdb"
    assert cycle(db, scraped).added == 3
    events = "SELECT a.title, t.event_at FROM articles a JOIN article_times t USING (article_id)"
    first = dict(rows(db, events))
    assert first["Undated story"] == datetime(2023, 9, 12, 8)
    assert first["Dated story"] == datetime(2023, 9, 11, 7)
    assert first["Day only"] > datetime(2026, 1, 1)  # a day alone places nothing: read now
    for suffix in (".jsonl", ".csv", ".parquet"):
        exported = tmp_path / f"out{suffix}"
        assert read_cli("--db", str(db), "export", "--out", str(exported)).returncode == 0
        other = tmp_path / f"from-{suffix[1:]}.duckdb"
        assert cycle(other, exported).added == 3, suffix
        assert dict(rows(other, events)) == first, suffix


def test_links_saved_as_files_are_the_pages_they_name(site: FeedSite, tmp_path: Path) -> None:
    """An address dragged out of a browser onto a folder: Windows writes a .url file,
    macOS a .webloc (here Finder's binary property list), a Linux desktop a .desktop
    entry. Each was an ``unsupported_type`` reject; it is the page it names, fetched once."""
    for path in ("/2023/09/budget", "/2023/09/ferries", "/2023/09/buses"):
        site.serve(path, page(f"Story at {path}"))
    inbox = tmp_path / "to read"
    inbox.mkdir()
    (inbox / "Budget agreed.url").write_text(
        f"[InternetShortcut]\r\nURL={site.url('/2023/09/budget')}\r\n", encoding="utf-8")
    (inbox / "Ferries.webloc").write_bytes(
        plistlib.dumps({"URL": site.url("/2023/09/ferries")}, fmt=plistlib.FMT_BINARY))
    (inbox / "Buses.desktop").write_text(
        f"[Desktop Entry]\nType=Link\nName=Buses\nURL={site.url('/2023/09/buses')}\n",
        encoding="utf-8")
    (inbox / "firefox.desktop").write_text(
        "[Desktop Entry]\nType=Application\nExec=firefox %u\n", encoding="utf-8")
    db = tmp_path / "a.duckdb"
    done = cycle(db, inbox)
    assert (done.added, dict(done.reasons)) == (3, {"unsupported_type": 1})
    assert sorted(rows(db, "SELECT title FROM articles")) == [
        ("Story at /2023/09/budget",), ("Story at /2023/09/buses",),
        ("Story at /2023/09/ferries",)]
    assert rows(db, "SELECT input FROM rejects") == [(str(inbox / "firefox.desktop"),)]
    again = cycle(db, inbox)  # unchanged files: nothing read, nothing fetched
    assert again.added == 0 and len(site.requests("/2023/09/budget")) == 1


def test_emails_are_the_stories_an_alert_links_to_or_the_article_they_hold(
        site: FeedSite, tmp_path: Path) -> None:
    """Google Alerts mail the stories they find; an analyst saves the mails (.eml). Each
    was an ``unsupported_type`` reject. An alert's stories are fetched from their own
    addresses (not through google.com), once; any other mail is the article it holds."""
    for path in ("/2023/09/budget", "/2023/09/ferries"):
        site.serve(path, page(f"Story at {path}"))
    inbox = tmp_path / "mail"
    inbox.mkdir()
    (inbox / "Google Alert - budget.eml").write_bytes(google_alert(
        [(site.url("/2023/09/budget"), "Budget agreed"),
         (site.url("/2023/09/ferries"), "Ferries to run")]))
    (inbox / "Statement.eml").write_bytes(press_release())
    db = tmp_path / "m.duckdb"
    done = cycle(db, inbox)
    assert (done.added, done.rejected) == (3, 0)
    assert sorted(rows(db, "SELECT title FROM articles")) == [
        ("Statement on the Vladivostok summit – 13 Sept",), ("Story at /2023/09/budget",),
        ("Story at /2023/09/ferries",)]
    assert rows(db, "SELECT source, published_at, origin FROM articles WHERE url LIKE 'file:%'"
                ) == [("Ministry of Foreign Affairs", datetime(2023, 9, 13, 13, 40),
                       str(inbox / "Statement.eml"))]  # sent 15:40 in Berlin: 13:40 UTC
    assert sorted(rows(db, "SELECT url FROM articles WHERE url LIKE 'http%'")) == [
        (site.url("/2023/09/budget"),), (site.url("/2023/09/ferries"),)]
    assert cycle(db, inbox).added == 0 and len(site.requests("/2023/09/budget")) == 1


def test_a_mailbox_is_its_alerts_stories_and_its_other_emails(site: FeedSite,
                                                              tmp_path: Path) -> None:
    """A mail client's folder or a Gmail Takeout export (.mbox) of alerts and statements:
    each alert's stories fetched once, each other e-mail an article; read again only when
    the file changed."""
    site.serve("/2023/09/budget", page("Story at /2023/09/budget"))
    box = tmp_path / "Alerts.mbox"
    box.write_bytes(mailbox(google_alert([(site.url("/2023/09/budget"), "Budget agreed")]),
                            press_release()))
    db = tmp_path / "m.duckdb"
    assert cycle(db, box).added == 2
    assert sorted(rows(db, "SELECT title, published_at FROM articles")) == [
        ("Statement on the Vladivostok summit – 13 Sept", datetime(2023, 9, 13, 13, 40)),
        ("Story at /2023/09/budget", datetime(2023, 9, 1))]
    assert cycle(db, box).added == 0 and len(site.requests("/2023/09/budget")) == 1
    later = EmailMessage()
    later["Subject"] = "Second statement"
    later["Message-ID"] = "<second@mfa.example>"
    later.set_content(LONG_TEXT + " The ministry repeated its call for talks.")
    box.write_bytes(box.read_bytes() + mailbox(later.as_bytes()))  # the folder grew
    grown = cycle(db, box)
    assert grown.added == 1 and len(site.requests("/2023/09/budget")) == 1
