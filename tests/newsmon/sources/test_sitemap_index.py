"""A sitemap index given as a feed, end to end without Prefect: real HTTP on loopback,
real DuckDB, real trafilatura."""

from __future__ import annotations

import gzip
from datetime import datetime
from pathlib import Path

from werkzeug import Response

from evaluation.feedserver import FeedSite
from extractors.news_sitemap import IndexedSitemap, index_sitemaps
from newsmon.core.records import Dated, DatePrecision
from newsmon.core.settings import Settings
from newsmon.cycle import run_cycle
from newsmon.fetch import FetchPolicy
from newsmon.pipeline.summary import RunSummary
from newsmon.sources.feed_plan import FeedPlan, FeedSource
from newsmon.sources.sitemap_index import MAX_SITEMAPS, news_sitemaps
from warehouse import Warehouse

FAST = FetchPolicy(allow_private_networks=True, timeout_s=10.0, attempts=2, backoff_s=0.01)
SITEMAPS = "xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'"
NEWS = "xmlns:news='http://www.google.com/schemas/sitemap-news/0.9'"
PLAIN_SITEMAP = f"<urlset {SITEMAPS}><url><loc>https://a.example/about</loc></url></urlset>"
BODY = ("The council agreed on Tuesday to extend the night bus network to the outer districts, "
        "after a year of complaints from shift workers who had no way home after midnight. ")


def cycle(db: Path, url: str) -> RunSummary:
    plan = FeedPlan((FeedSource(url),), FAST)
    return run_cycle(Settings(db=db), [], "run", feeds=plan)


def rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    return Warehouse(db).query(sql).rows


def story(site: FeedSite, path: str, title: str) -> str:
    page = (f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
            + "".join(f"<p>{BODY}({i})</p>" for i in range(3)) + "</article></body></html>")
    return site.serve(path, page)


def home_page(site: FeedSite) -> str:
    """A site's front page that links no feed: its feed is found elsewhere."""
    return site.serve("/", "<html><head><title>Site</title></head><body><h1>Site</h1>"
                      "<p>Welcome.</p></body></html>")


def news_sitemap(*entries: tuple[str, str]) -> str:
    urls = "".join(
        f"<url><loc>{loc}</loc><news:news><news:publication><news:name>Valley Courier"
        f"</news:name><news:language>en</news:language></news:publication><news:title>{title}"
        "</news:title><news:publication_date>2023-09-12T08:00:00Z</news:publication_date>"
        "</news:news></url>" for loc, title in entries)
    return f"<?xml version='1.0'?><urlset {SITEMAPS} {NEWS}>{urls}</urlset>"


def index(*sitemaps: str, modified: tuple[str, ...] = ()) -> str:
    parts = "".join(
        f"<sitemap><loc>{loc}</loc>"
        + (f"<lastmod>{modified[i]}</lastmod>" if i < len(modified) else "") + "</sitemap>"
        for i, loc in enumerate(sitemaps))
    return f"<?xml version='1.0' encoding='UTF-8'?><sitemapindex {SITEMAPS}>{parts}</sitemapindex>"


def test_a_news_sitemap_index_is_polled_through_its_parts(
    site: FeedSite, db_path: Path
) -> None:
    """As large outlets publish theirs: one news sitemap per section, one of them gzip."""
    politics = story(site, "/politics/budget.html", "Budget agreed")
    city = story(site, "/city/night-buses.html", "Night buses")
    site.serve("/sitemaps/news-politics.xml", news_sitemap((politics, "Budget agreed")),
               "application/xml")
    site.serve("/sitemaps/news-city.xml.gz",
               gzip.compress(news_sitemap((city, "Night buses"),
                                          (politics, "Budget agreed")).encode()),
               "application/gzip")
    url = site.serve("/sitemaps/news-index.xml",
                     index(site.url("/sitemaps/news-politics.xml"),
                           site.url("/sitemaps/news-city.xml.gz")),
                     "application/xml", {"ETag": '"index-1"'})

    done = cycle(db_path, url)
    assert (done.added, done.rejected) == (2, 0)
    assert sorted(rows(db_path, "SELECT title, feed_url FROM articles")) == [
        ("Budget agreed", url), ("Night buses", url)]
    # the index's ETag is not kept: an unchanged index may hide changed parts
    assert rows(db_path, "SELECT name, etag, last_status, last_error FROM feeds") == [
        ("Valley Courier", None, "ok", None)]

    again = cycle(db_path, url)
    assert again.inputs == 0 and again.feeds is not None and again.feeds.not_modified == 1
    assert "if-none-match" not in site.requests("/sitemaps/news-index.xml")[-1]

    # one section changes, the index does not: the new story is found
    late = story(site, "/politics/late.html", "Late vote")
    site.serve("/sitemaps/news-politics.xml", news_sitemap((politics, "Budget agreed"),
                                                           (late, "Late vote")),
               "application/xml")
    third = cycle(db_path, url)
    assert (third.added, third.inputs) == (1, 1)
    assert len(site.requests("/politics/budget.html")) == 1  # an item is fetched once


def test_an_ill_formed_news_sitemap_and_an_address_that_is_none_are_read_past(
    site: FeedSite, db_path: Path
) -> None:
    """A headline with a bare "&" made the whole sitemap unreadable, and one part's
    address "http://[::1..." the whole index (and its poll) a feed_error: now the stories
    are read, and each fault is named in the feed's problem and the rejects."""
    rail = story(site, "/city/rail.html", "Rail link")
    buses = story(site, "/city/night-buses.html", "Night buses")
    site.serve("/sitemaps/news-city.xml",
               news_sitemap((rail, "Tom & Jerry ride the rail link"), (buses, "Night buses"),
                            ("http://[::1/broken.html", "A link with a broken host")),
               "application/xml")
    url = site.serve("/sitemaps/news-index.xml",
                     index(site.url("/sitemaps/news-city.xml"), "http://[::1/news-2.xml"),
                     "application/xml")

    done = cycle(db_path, url)
    assert (done.added, done.rejected) == (2, 1)
    assert sorted(rows(db_path, "SELECT title FROM articles")) == [
        ("Night buses",), ("Rail link",)]
    assert rows(db_path, "SELECT input, reason FROM rejects") == [
        ("http://[::1/broken.html", "blocked_url")]
    [(problem,)] = rows(db_path, "SELECT last_error FROM feeds")
    assert str(problem).startswith("1 of 2 news sitemaps the index names could not be read; "
                                   "http://[::1/news-2.xml: invalid URL (Invalid IPv6 URL); ")
    assert (f"{site.url('/sitemaps/news-city.xml')}: ill-formed XML, read as far as it could "
            "be (not well-formed (invalid token)") in str(problem)


def test_a_site_index_is_read_only_through_the_sitemaps_named_news(
    site: FeedSite, db_path: Path
) -> None:
    """A site's one index (Yoast's sitemap_index.xml) names every page's sitemap: only the
    news one is fetched, and one part that cannot be read is a problem, not a failure."""
    page = story(site, "/2023/budget.html", "Budget agreed")
    site.serve("/news-sitemap.xml", news_sitemap((page, "Budget agreed")), "application/xml")
    site.serve("/post-sitemap.xml", f"<urlset {SITEMAPS}><url><loc>{page}</loc></url></urlset>",
               "application/xml")
    url = site.serve("/sitemap_index.xml", index(
        site.url("/post-sitemap.xml"), site.url("/news-sitemap.xml"),
        site.url("/news-video-sitemap.xml")), "application/xml")  # the last one: 404

    done = cycle(db_path, url)
    assert done.added == 1
    assert not site.requests("/post-sitemap.xml")
    assert rows(db_path, "SELECT last_status, last_error FROM feeds") == [(
        "ok", f"1 of 2 news sitemaps the index names could not be read; "
        f"{site.url('/news-video-sitemap.xml')}: HTTP 404 not found")]


def test_an_index_without_news_sitemaps_is_a_named_reject(site: FeedSite, db_path: Path) -> None:
    url = site.serve("/sitemap_index.xml", index(
        *(site.url(f"/sitemap-{n}.xml") for n in ("posts", "pages", "tags", "authors"))),
        "application/xml")
    done = cycle(db_path, url)
    assert done.added == 0 and done.reasons == {"not_a_feed": 1}
    assert rows(db_path, "SELECT reason, detail FROM rejects") == [(
        "not_a_feed", f"a sitemap index of 4 sitemaps, none a news sitemap "
        f"({site.url('/sitemap-posts.xml')}, {site.url('/sitemap-pages.xml')}, "
        f"{site.url('/sitemap-tags.xml')}, ...): give newsmon its news sitemap")]
    assert [path for path, _h in site.log] == ["/sitemap_index.xml"]


def test_an_index_whose_parts_are_all_down_is_retried_like_a_feed_that_is(
    site: FeedSite, db_path: Path
) -> None:
    site.route("/news-1.xml", lambda _r: Response("busy", 503, {"Retry-After": "120"}))
    url = site.serve("/news-index.xml", index(site.url("/news-1.xml")), "application/xml")
    done = cycle(db_path, url)
    assert done.reasons == {"http_5xx": 1}
    assert rows(db_path, "SELECT consecutive_failures, last_error FROM feeds") == [
        (1, f"{site.url('/news-1.xml')}: HTTP 503")]
    # the part's Retry-After holds the whole feed back, as a feed's own would
    [(wait,)] = rows(db_path, "SELECT epoch(next_poll_after - last_polled_at) FROM feeds")
    assert float(wait) >= 120  # type: ignore[arg-type]


def test_an_index_whose_news_sitemaps_list_no_news_is_a_named_reject(
    site: FeedSite, db_path: Path
) -> None:
    page = site.url("/2023/budget.html")
    site.serve("/news-1.xml", f"<urlset {SITEMAPS}><url><loc>{page}</loc></url></urlset>",
               "application/xml")
    url = site.serve("/news-index.xml", index(site.url("/news-1.xml")), "application/xml")
    assert cycle(db_path, url).reasons == {"not_a_feed": 1}
    assert rows(db_path, "SELECT detail FROM rejects") == [(
        f"a sitemap index: 1 of 1 news sitemaps the index names could not be read; "
        f"{site.url('/news-1.xml')}: a sitemap of 1 pages without news entries (news:news): "
        "newsmon reads Google News sitemaps, not a whole site's",)]
    assert not site.requests("/2023/budget.html")


def test_a_site_whose_robots_txt_names_a_news_index_is_read_through_it(
    site: FeedSite, db_path: Path
) -> None:
    page = story(site, "/2023/budget.html", "Budget agreed")
    site.serve("/sitemaps/news-1.xml", news_sitemap((page, "Budget agreed")), "application/xml")
    site.serve("/sitemaps/news.xml", index(site.url("/sitemaps/news-1.xml")), "application/xml")
    site.serve("/robots.txt", f"User-agent: *\nAllow: /\nSitemap: {site.url('/sitemaps/news.xml')}"
               "\n", "text/plain")
    assert cycle(db_path, home_page(site)).added == 1
    assert rows(db_path, "SELECT feed_url, how FROM feed_sites") == [
        (site.url("/sitemaps/news.xml"), "a news sitemap robots.txt names")]


def test_a_site_whose_robots_txt_names_only_its_sitemap_index_is_read_through_its_news_part(
    site: FeedSite, db_path: Path
) -> None:
    page = story(site, "/2023/budget.html", "Budget agreed")
    site.serve("/news-sitemap.xml", news_sitemap((page, "Budget agreed")), "application/xml")
    site.serve("/post-sitemap.xml", PLAIN_SITEMAP, "application/xml")
    site.serve("/sitemap_index.xml", index(site.url("/post-sitemap.xml"),
                                           site.url("/news-sitemap.xml")), "application/xml")
    site.serve("/robots.txt", "User-agent: *\nAllow: /\n"
               f"Sitemap: {site.url('/sitemap_index.xml')}\n", "text/plain")
    assert cycle(db_path, home_page(site)).added == 1
    assert rows(db_path, "SELECT feed_url, how FROM feed_sites") == [
        (site.url("/sitemap_index.xml"), "a sitemap index robots.txt names")]
    assert not site.requests("/post-sitemap.xml")
    assert not site.requests("/feed")  # found before the usual paths were tried


def test_a_sitemap_index_without_a_news_part_is_passed_over_for_the_usual_paths(
    site: FeedSite, db_path: Path
) -> None:
    site.serve("/post-sitemap.xml", PLAIN_SITEMAP, "application/xml")
    site.serve("/sitemap_index.xml", index(site.url("/post-sitemap.xml")), "application/xml")
    site.serve("/sitemap.xml", index(site.url("/news-sitemap.xml")), "application/xml")
    site.serve("/robots.txt", "User-agent: *\nAllow: /\n"
               f"Sitemap: {site.url('/sitemap_index.xml')}\nSitemap: {site.url('/sitemap.xml')}"
               "\n", "text/plain")
    page = story(site, "/2023/budget.html", "Budget agreed")
    site.serve("/feed", "<?xml version='1.0'?><rss version='2.0'><channel><title>Site</title>"
               f"<item><title>Budget agreed</title><link>{page}</link></item></channel></rss>",
               "application/rss+xml")
    assert cycle(db_path, home_page(site)).added == 1
    assert rows(db_path, "SELECT feed_url, how FROM feed_sites") == [
        (site.url("/feed"), "the usual path /feed")]
    assert not site.requests("/post-sitemap.xml")
    assert not site.requests("/sitemap.xml")  # a plain sitemap's name: not asked


def test_the_newest_news_sitemaps_are_read_first_and_at_most_a_few() -> None:
    def dated(day: int) -> Dated | None:
        return Dated(datetime(2023, 9, day), DatePrecision.DAY) if day else None

    named = tuple(IndexedSitemap(f"https://a.example/news-{n}.xml", dated(n % 28))
                  for n in range(30))
    chosen = news_sitemaps("https://a.example/news-index.xml", (*named, named[3]))
    assert len(chosen) == MAX_SITEMAPS == 10
    assert [s.url.rsplit("-", 1)[1] for s in chosen[:3]] == ["27.xml", "26.xml", "25.xml"]
    assert news_sitemaps("https://a.example/sitemap.xml", named[:2]) == [named[1], named[0]]
    plain = (IndexedSitemap("https://a.example/post-sitemap.xml", None),)
    assert news_sitemaps("https://a.example/sitemap.xml", plain) == []
    # daily parts without lastmod, oldest first: the days their names give pick the newest
    daily = index(*(f"https://a.example/news-2023-09-{day:02}.xml" for day in range(1, 15)))
    chosen = news_sitemaps("https://a.example/news-index.xml",
                           index_sitemaps(daily.encode(), "https://a.example/news-index.xml"))
    assert [s.url[-6:-4] for s in chosen] == [f"{day:02}" for day in range(14, 4, -1)]
