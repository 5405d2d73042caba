"""The routes: HTML and JSON twins, errors as pages, the token, nothing that writes."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import httpx
import pytest

from evaluation.asgi import serving
from extractors.warc import PageArchive
from newsmon import cycle
from newsmon.core.config import Config
from newsmon.core.settings import Settings
from newsmon.search.sync import index_path
from newsmon.web.app import create_app
from newsmon.web.pages import Site, build_site

ROUTES = ["/", "/stories?since=30000d", "/search?q=Putin", "/alerts", "/sources"]


@pytest.fixture(scope="module")
def client(web_db: Path, site: Site) -> Iterator[httpx.Client]:
    with serving(create_app(Settings(db=web_db), site)) as base, \
            httpx.Client(base_url=base, timeout=30) as http:
        yield http


def story_and_article(client: httpx.Client) -> tuple[int, int]:
    story = client.get("/api/stories?since=30000d").json()["stories"][0]["story_id"]
    article = client.get(f"/api/stories/{story}").json()["articles"][0]["article_id"]
    return story, article


def test_every_page_renders_with_its_title_and_json_twin(client: httpx.Client) -> None:
    story, article = story_and_article(client)
    for path in [*ROUTES, f"/stories/{story}", f"/articles/{article}"]:
        page = client.get(path)
        assert page.status_code == 200, (path, page.text[:300])
        assert page.headers["content-type"].startswith("text/html")
        assert re.search(r"<title>.+ · newsmon</title>", page.text)
        api = "/api/now" if path == "/" else "/api" + path
        assert f'href="{api.replace("&", "&amp;")}"' in page.text  # the page links its data
        data = client.get(api)
        assert data.status_code == 200 and isinstance(data.json(), dict), api


def test_now_draws_a_chart_per_topic_and_the_open_spike(client: httpx.Client) -> None:
    html = client.get("/").text
    assert html.count('<svg class="chart"') == 8  # one per default topic
    assert 'class="spike"' in html and "alert failed" in html
    assert "Putin und Kim" in html  # a top story of the last 24 hours
    now = client.get("/api/now").json()
    assert now["watches"][0]["key"] == "arms_trade" and now["watches"][0]["spikes"]
    # a topic only the seed of 2023-09-12 carries: its card links to when it was last seen
    quiet = [w for w in now["watches"] if w["last_seen"]]
    assert quiet and all(w["last_seen"].startswith("2023-09-12") for w in quiet)
    assert html.count("None in these 7 days; the last on") == len(quiet)
    assert f'href="/stories?since=2023-09-12&amp;topic={quiet[0]["name"]}"' in html


def test_a_storys_topics_and_entities_lead_to_their_stories_in_the_same_range(
        client: httpx.Client) -> None:
    html = client.get("/stories", params={"since": "30000d", "until": "1d"}).text
    links = re.findall(r'<a class="(tag|entity)" href="(/stories\?[^"]+)">([^<]+)</a>', html)
    assert {kind for kind, _, _ in links} == {"tag", "entity"}
    for kind, href, key in links[:2] + links[-2:]:
        param = "topic" if kind == "tag" else "entity"
        assert href == f"/stories?{param}={key}&amp;since=30000d&amp;until=1d"
        narrowed = client.get(href.replace("&amp;", "&"))
        assert narrowed.status_code == 200
        assert f'value="{key}"' in narrowed.text  # the filter the link set, in the form
        shown = re.findall(r'<a href="/stories/(-?\d+)"', narrowed.text)
        assert shown and len(shown) <= len(re.findall(r'<a href="/stories/(-?\d+)"', html))
    # Now's top stories link to the Stories page's own default range
    now = client.get("/").text
    assert re.search(r'<a class="tag" href="/stories\?topic=[a-z_]+">', now)


def test_article_page_highlights_evidence_and_links_its_story(client: httpx.Client) -> None:
    story, article = story_and_article(client)
    html = client.get(f"/articles/{article}").text
    marks = re.findall(r'<mark class="ev" data-topics="([a-z_ ]+)"', html)
    assert len(marks) >= 5
    # each tracked entity's words are underlined where they stand, with its alias
    named = re.findall(r'<span class="ent" data-entities="([a-z_ ]+)" title="[a-z_ ,]+: '
                       r'([^"]+)">([^<]+)</span>', html)
    people = {words for ids, _, words in named if ids == "vladimir_putin"}
    assert people and all("Putin" in w for w in people), named
    assert {ids for ids, _, _ in named} >= {"kim_jong_un", "russia"}, named
    # its topics and entities lead to the stories of its week that share them
    for kind, key in (("entity", "vladimir_putin"), ("topic", "diplomacy")):
        link = re.search(rf'href="(/stories\?{kind}={key}&amp;since=[^"]+)"', html)
        assert link, (kind, key)
        week = client.get(link[1].replace("&amp;", "&"))
        assert week.status_code == 200 and f'href="/stories/{story}"' in week.text
    assert f'href="/stories/{story}"' in html and "original</a>" in html
    # the shipped scorer declines none of the seed's topics: the section says so
    assert re.search(r">Held back</h2>\s*<p class=\"empty\">Nothing.</p>", html)
    api = client.get(f"/api/articles/{article}").json()
    assert api["held_back"] == [] and 0 < api["cutoff"] < 1


def test_a_story_and_a_search_result_lead_to_the_stories_of_their_days_on_each_tag(
        client: httpx.Client) -> None:
    story, article = story_and_article(client)
    html = client.get(f"/stories/{story}").text
    about = re.search(r'<p class="about">(.*?)</p>', html, re.S)
    assert about, html[:2000]
    links = re.findall(r'<a class="(tag|entity)" href="(/stories\?[^"]+)"', about[1])
    assert {kind for kind, _ in links} == {"tag", "entity"}
    data = client.get(f"/api/stories/{story}").json()
    assert links[0][1].endswith("&amp;" + data["around"].replace("&", "&amp;"))
    # every topic; the entities most carried, the rest counted (all of them in its JSON)
    assert sum(kind == "tag" for kind, _ in links) == len(data["topics"])
    assert sum(kind == "entity" for kind, _ in links) == min(len(data["entities"]), 12)
    assert len(data["entities"]) <= 12 or (
        f"and {len(data['entities']) - 12} more" in about[1])
    for _, href in links:
        days = client.get(href.replace("&amp;", "&"))
        assert days.status_code == 200 and f'href="/stories/{story}"' in days.text, href
    # a search result's tags lead to the stories of its week, this story among them
    found = client.get("/search", params={"q": "Putin"}).text
    item = re.search(rf'<li><a href="/articles/{article}".*?</li>', found, re.S)
    assert item, found[:2000]
    tagged = re.findall(r'<a class="(?:tag|entity)" href="(/stories\?[^"]+)"', item[0])
    assert tagged and all("&amp;since=" in href for href in tagged)
    # shown by name, the most mentioned entities only (the rest counted)
    assert ">Summits and state visits</a>" in item[0] and ">diplomacy</a>" not in item[0]
    result = next(r for r in client.get("/api/search", params={"q": "Putin"}).json()["results"]
                  if r["article_id"] == article)
    shown = re.findall(r'<a class="entity"', item[0])
    assert len(shown) == min(len(result["entities"]), 5)
    if len(result["entities"]) > 5:
        assert f"and {len(result['entities']) - 5} more" in item[0]
    week = client.get(tagged[0].replace("&amp;", "&"))
    assert week.status_code == 200 and f'href="/stories/{story}"' in week.text


def test_search_marks_matched_words_and_escapes_the_rest(client: httpx.Client) -> None:
    html = client.get("/search", params={"q": "Putin", "lang": "en"}).text
    assert "<mark>Putin</mark>" in html
    assert 'value="en"' in html  # the filter stays in the form
    injected = client.get("/search", params={"q": "<script>alert(1)</script>"}).text
    assert "<script>alert" not in injected and "&lt;script&gt;" in injected
    # a seed names no source: its line starts at its time, not at a separator
    metas = re.findall(r'<div class="meta">(.*?)</div>',
                       client.get("/search", params={"q": "Kim"}).text)
    assert len(metas) >= 5
    assert all(m.strip() and not m.strip().startswith("·") and not m.strip().endswith("·")
               for m in metas), metas


def test_errors_are_pages_with_a_status(client: httpx.Client, tmp_path: Path,
                                        site: Site) -> None:
    assert client.get("/stories/42").status_code == 404
    assert client.get("/api/articles/-42").json() == {"error": "/api/articles/-42: no such page"}
    bad = client.get("/stories?since=yesterday")
    assert bad.status_code == 400 and "since &#39;yesterday&#39;" in bad.text
    swapped = client.get("/api/stories", params={"since": "2030-01-01", "until": "2020-01-01"})
    assert swapped.status_code == 400 and swapped.json() == {
        "error": "since 2030-01-01 00:00 is not before until 2020-01-01 00:00 (UTC): no time "
                 "lies between them"}
    named = client.get("/api/search", params={"q": "Putin", "lang": "English"})
    assert named.status_code == 400 and named.json() == {
        "error": "lang English: not a two-letter ISO 639-1 code (de, en, fr, ...)"}
    # a topic nothing knows is said, not an empty page that reads as "no stories"
    typo = client.get("/api/stories", params={"topic": "sanction"})
    assert typo.status_code == 400 and typo.json()["error"].startswith(
        "topic sanction: no such topic (known: arms_trade, diplomacy, ")
    entity = client.get("/search", params={"q": "Putin", "entity": "nobody"})
    assert entity.status_code == 400 and "entity nobody: no such entity" in entity.text
    assert client.get("/stories", params={"topic": "sanctions"}).status_code == 200
    upper, lower, german = (client.get("/api/search", params={"q": "Putin", "lang": code}).json()
                            for code in ("EN", "en", "de"))
    assert upper.pop("filters")["languages"] == ["EN"]  # echoed as given
    lower.pop("filters"), german.pop("filters")
    assert upper == lower != german  # the same articles as "en", and a filter that filters
    with serving(create_app(Settings(db=tmp_path / "none.duckdb"), site)) as base:
        page = httpx.get(base + "/")
    assert page.status_code == 503 and "does not exist yet" in page.text


def test_nothing_writes(client: httpx.Client, web_db: Path, site: Site) -> None:
    before = hashlib.sha256(web_db.read_bytes()).hexdigest()
    index = sorted((p.name, p.stat().st_mtime_ns) for p in site.search_path.rglob("*"))
    story, article = story_and_article(client)
    for path in [*ROUTES, f"/stories/{story}", f"/articles/{article}"]:
        assert client.get(path).status_code == 200
    assert client.post("/", data={"q": "x"}).status_code == 405
    assert client.delete("/api/alerts").status_code == 405
    assert hashlib.sha256(web_db.read_bytes()).hexdigest() == before
    assert sorted((p.name, p.stat().st_mtime_ns) for p in site.search_path.rglob("*")) == index


def test_pages_forbid_scripts_and_framing(client: httpx.Client) -> None:
    headers = client.get("/").headers
    assert "default-src 'none'" in headers["content-security-policy"]
    assert "script-src" not in headers["content-security-policy"]  # none: default-src
    assert headers["x-content-type-options"] == "nosniff"
    css = client.get("/static/style.css")
    assert css.status_code == 200 and "svg.chart" in css.text


def test_a_token_is_checked_on_every_request(web_db: Path, site: Site) -> None:
    app = create_app(Settings(db=web_db), site, token="s3cret-token")
    with serving(app) as base, httpx.Client(base_url=base) as guarded:
        check_token(guarded)


def check_token(guarded: httpx.Client) -> None:
    for path in ["/", "/api/now", "/static/style.css"]:
        refused = guarded.get(path)
        assert refused.status_code == 401 and "NEWSMON_WEB_TOKEN" in refused.text
    assert guarded.get("/", headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert guarded.get("/api/now",
                       headers={"Authorization": "Bearer s3cret-token"}).status_code == 200
    first = guarded.get("/alerts?token=s3cret-token")
    assert first.status_code == 200
    assert "newsmon_token=s3cret-token" in first.headers["set-cookie"]
    assert "HttpOnly" in first.headers["set-cookie"]
    assert guarded.get("/sources").status_code == 200  # the cookie carries it from now on


def test_pages_answer_while_a_cycle_writes_and_the_cycle_is_not_blocked(
    web_db: Path, site: Site, tmp_path: Path
) -> None:
    import shutil
    import threading

    from tests.conftest import run_cli

    db = tmp_path / "w.duckdb"
    shutil.copy(web_db, db)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for k in range(3):
        (inbox / f"report-{k}.txt").write_text(
            f"Sondermeldung {k} über Sanktionen gegen Nordkorea\n\n" + " ".join(
                f"Die Regierung in Seoul kündigte am Morgen neue Sanktionen an, Satz {k}-{i}."
                for i in range(12)), encoding="utf-8")
    statuses: list[int] = []
    stop = threading.Event()
    copy = Site(site.config, site.topics, site.entities, index_path(Settings(db=db)))
    with serving(create_app(Settings(db=db), copy)) as base:

        def browse() -> None:
            with httpx.Client(base_url=base, timeout=120) as http:
                while not stop.is_set():
                    for path in ("/", "/stories?since=30000d", "/api/sources"):
                        statuses.append(http.get(path).status_code)

        readers = [threading.Thread(target=browse) for _ in range(2)]
        for r in readers:
            r.start()
        try:
            done = run_cli("--db", str(db), "ingest", str(inbox),
                           env={"NEWSMON_PREFECT": "never", "NEWSMON_LOCK_TIMEOUT_S": "60"})
        finally:
            stop.set()
            for r in readers:
                r.join(timeout=120)
        assert done.returncode == 0, done.stderr
        assert "3 added" in done.stdout
        assert statuses and set(statuses) == {200}
        found = httpx.get(base + "/api/search", params={"q": "Sondermeldung"}).json()
    assert len(found["results"]) == 3  # the cycle indexed them; the page reads the index


def test_an_article_says_where_it_was_read_from_and_when_it_was_fetched(
    tmp_path: Path
) -> None:
    """A crawl's page says when it was fetched (its web archive's date), a file's article
    which file it was read from: what an analyst checks before trusting a trend's day."""
    text = ("Die Delegation aus Pjöngjang traf am Dienstag in Wladiwostok ein, wo Gespräche "
            "über Handel, Getreide und eine neue Bahnverbindung geplant sind. ") * 4
    crawl = PageArchive(tmp_path / "in" / "crawl.warc.gz", software="test")
    crawl.add("https://courier.example/2023/09/delegation", 200,
              {"Content-Type": "text/html"},
              f"<html><head><title>Delegation</title></head><body><article><h1>Delegation"
              f"</h1><p>{text}</p></article></body></html>".encode(), datetime(2023, 9, 12, 9))
    crawl.close()
    clipping = tmp_path / "in" / "Clipping.txt"
    clipping.write_text(f"Grain for rail\n\n{text}Getreide.", encoding="utf-8")
    db = tmp_path / "w.duckdb"
    assert cycle.run_cycle(Settings(db=db), [tmp_path / "in"], "ingest").added == 2
    settings = Settings(db=db)
    with serving(create_app(settings, build_site(Config(), index_path(settings)))) as base, \
            httpx.Client(base_url=base, timeout=30) as http:
        found = {a["title"]: a["article_id"]
                 for a in http.get("/api/search?q=Delegation").json()["results"]}
        assert set(found) == {"Delegation", "Grain for rail"}
        page = http.get(f"/articles/{found['Delegation']}").text
        assert re.search(r"<dt>fetched</dt><dd>2023-09-12 09:00", page)
        assert "<dt>read from</dt>" not in page  # read from its own address
        page = http.get(f"/articles/{found['Grain for rail']}").text
        assert f"<dt>read from</dt><dd>{clipping}</dd>" in page and "<dt>fetched</dt>" not in page


def test_a_paywalled_article_says_so_and_its_json_twin_too(tmp_path: Path) -> None:
    """A walled page's text is the teaser a reader without a subscription sees: the article
    page says so beside its language, so an analyst does not read it as the whole story."""
    text = ("Die Delegation aus Pjöngjang traf am Dienstag in Wladiwostok ein, wo Gespräche "
            "über Handel, Getreide und eine neue Bahnverbindung geplant sind. ") * 4
    folder = tmp_path / "in"
    folder.mkdir()
    for name, wall in (("Walled", "<p>Sie möchten gerne weiterlesen?</p>"), ("Open", "")):
        (folder / f"{name}.html").write_text(
            f"<html><head><title>{name}</title></head><body><article><h1>{name}</h1>"
            f"<p>{text}</p>{wall}</article></body></html>", encoding="utf-8")
    db = tmp_path / "w.duckdb"
    assert cycle.run_cycle(Settings(db=db), [folder], "ingest").added == 2
    settings = Settings(db=db)
    with serving(create_app(settings, build_site(Config(), index_path(settings)))) as base, \
            httpx.Client(base_url=base, timeout=30) as http:
        found = {a["title"]: a["article_id"]
                 for a in http.get("/api/search?q=Delegation").json()["results"]}
        walled, open_ = found["Walled"], found["Open"]
        assert 'class="paywalled"' in http.get(f"/articles/{walled}").text
        assert 'class="paywalled"' not in http.get(f"/articles/{open_}").text
        assert http.get(f"/api/articles/{walled}").json()["paywalled"] is True
        assert http.get(f"/api/articles/{open_}").json()["paywalled"] is None
