"""Every page in a real browser (Debian's headless Chromium): what a person sees.

Screenshots go to ``$NEWSMON_TEST_SCREENSHOTS`` when set (the README's come from
``NEWSMON_TEST_SCREENSHOTS=docs/screenshots``), else to the test's temporary folder.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from evaluation import browser
from evaluation.asgi import serving
from newsmon import cycle
from newsmon.core.config import Config
from newsmon.core.settings import Settings
from newsmon.search.sync import index_path
from newsmon.web.app import create_app
from newsmon.web.pages import Site, build_site

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def driver() -> Iterator[Any]:
    browser.install()
    why = browser.missing()
    assert why is None, why
    with browser.chromium() as d:
        yield d


@pytest.fixture(scope="module")
def base(web_db: Path, site: Site) -> Iterator[str]:
    with serving(create_app(Settings(db=web_db), site)) as url:
        yield url


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    wanted = os.environ.get("NEWSMON_TEST_SCREENSHOTS")
    return Path(wanted) if wanted else tmp_path_factory.mktemp("screenshots")


def visible(driver: Any, css: str) -> list[Any]:
    """The displayed elements ``css`` selects, once there is one (up to 10 s: after a
    click, the next page may still be loading)."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    def shown(d: Any) -> list[Any]:
        return [e for e in d.find_elements(By.CSS_SELECTOR, css) if e.is_displayed()]

    return WebDriverWait(driver, 10).until(shown)


def arrived(driver: Any, title: str) -> None:
    """Wait for the page a form or link leads to (the click returns before it loads)."""
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, 10).until(lambda d: d.title == title)


def save(driver: Any, shots: Path, name: str) -> None:
    path = shots / f"{name}.png"
    browser.full_page_screenshot(driver, path)
    data = path.read_bytes()
    assert data.startswith(b"\x89PNG") and len(data) > 10_000, path
    driver.set_window_size(1280, 900)


def test_now_draws_charts_and_the_spike(driver: Any, base: str, shots: Path) -> None:
    driver.get(base + "/")
    assert driver.title == "Now · newsmon"
    charts = visible(driver, "svg.chart")
    assert len(charts) == 8 and all(c.size["width"] > 200 and c.size["height"] > 40
                                    for c in charts)
    bars = [b for b in driver.find_elements("css selector", "svg.chart rect.bar")
            if float(b.get_attribute("height")) > 0]
    assert bars and all(b.rect["height"] > 0 for b in bars)
    spiking = visible(driver, "article.watch.spiking")
    assert len(spiking) == 1 and "Arms deals" in spiking[0].text
    assert "alert failed" in spiking[0].text
    assert visible(driver, "table.stories a")  # the top stories
    save(driver, shots, "now")


def test_story_list_and_a_story(driver: Any, base: str, shots: Path) -> None:
    driver.get(base + "/stories?since=30000d")
    assert driver.title == "Stories · newsmon"
    first = visible(driver, "table.stories tbody tr")[0]
    assert "de, en" in first.text
    save(driver, shots, "stories")
    first.find_element("css selector", "a").click()
    assert "Story" in visible(driver, "p.sub")[0].text
    assert len(visible(driver, "section.source")) >= 2
    save(driver, shots, "story")


def test_article_shows_highlighted_evidence_beside_its_tags(driver: Any, base: str,
                                                           shots: Path) -> None:
    driver.get(base + "/stories?since=30000d")
    visible(driver, "table.stories a")[0].click()
    visible(driver, "section.source a")[0].click()
    marks = visible(driver, ".article .text mark.ev")
    assert len(marks) >= 5
    colour = marks[0].value_of_css_property("background-color")
    assert colour != visible(driver, ".article .text")[0].value_of_css_property(
        "background-color")
    assert marks[0].get_attribute("title")  # which topic and term it supports
    names = visible(driver, ".article .text .ent")  # an entity's words, underlined
    assert names and names[0].value_of_css_property("border-bottom-style") == "solid"
    assert names[0].get_attribute("title").startswith(
        names[0].get_attribute("data-entities").split()[0])
    tags = [t.text for t in visible(driver, "aside .tag")]
    assert tags and all(t for t in tags)
    entity = visible(driver, "aside .entity")[0]
    save(driver, shots, "article")
    entity.click()  # the stories of the article's week that name it
    arrived(driver, "Stories · newsmon")
    assert "entity=" in driver.current_url and "since=" in driver.current_url
    assert visible(driver, "table.stories tbody tr")


def test_search_marks_matches(driver: Any, base: str, shots: Path) -> None:
    driver.get(base + "/")
    box = visible(driver, "form.quick input[name=q]")[0]
    box.send_keys("Putin\n")
    arrived(driver, "Search: Putin · newsmon")
    assert "q=Putin" in driver.current_url  # shareable
    assert [m.text for m in visible(driver, "ol.results mark")][:1] == ["Putin"]
    save(driver, shots, "search")


def test_alerts_and_sources(driver: Any, base: str, shots: Path) -> None:
    driver.get(base + "/alerts")
    row = visible(driver, "table.alerts tbody tr")[0]
    assert "arms_trade" in row.text and "failed" in row.text
    assert row.find_elements("css selector", "a[href^='/articles/']")
    save(driver, shots, "alerts")
    driver.get(base + "/sources")
    feed = visible(driver, "table.feeds tbody tr")[0]
    assert "World news" in feed.text and "http_503" in feed.text
    assert "empty" in visible(driver, "table.compact")[0].text
    save(driver, shots, "sources")


HEBREW = ("שר החוץ של צפון קוריאה נפגש היום במוסקבה עם שר החוץ הרוסי כדי לדון בשיתוף "
          "הפעולה בין שתי המדינות. לדברי גורמים רשמיים, השיחות עסקו בסחר, בתחבורה ובחקלאות, "
          "והצדדים הסכימו להמשיך להיפגש בחודשים הקרובים. משלחת של אנשי עסקים הצטרפה לביקור "
          "ובחנה אפשרויות להרחבת קו הרכבת בין הערים ולהגדלת משלוחי התבואה לפני החורף.\n")
JAPANESE = ("北朝鮮の外相は１２日、モスクワでロシアの外相と会談し、両国の協力について協議した。"
            "関係者によると、会談では貿易や交通、農業が取り上げられ、双方は今後数か月のうちに"
            "再び会うことで一致した。経済人の代表団も訪問に同行し、都市間を結ぶ鉄道路線の延長や、"
            "冬を前にした穀物の輸送拡大の可能性を検討した。\n")


def test_a_right_to_left_or_japanese_article_is_shown_in_its_direction_and_language(
        driver: Any, tmp_path: Path, shots: Path) -> None:
    """A Hebrew article read left to right (its question mark at the wrong end, the page's
    alignment), a Japanese one without its language (a Chinese font's glyphs for its Han
    characters): what the page states of each text, the browser shows. The two report
    the same meeting (North Korea, Moscow, Russia in both): one story, whose headline is
    in the language of the article it is taken from."""
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "hebrew.txt").write_text(HEBREW, encoding="utf-8")
    (inputs / "japanese.txt").write_text(JAPANESE, encoding="utf-8")
    db = tmp_path / "w.duckdb"
    settings = Settings(db=db)
    assert cycle.run_cycle(settings, [inputs], "ingest").added == 2
    with serving(create_app(settings, build_site(Config(), index_path(settings)))) as url:
        driver.get(url + "/stories?since=30000d")
        (story,) = visible(driver, "table.stories td:first-child > a")
        language = story.get_attribute("lang")
        direction = {"he": "rtl", "ja": "ltr"}
        assert story.value_of_css_property("direction") == direction[language]
        story.click()  # the story, then its Hebrew article
        headline = visible(driver, "h1")[0]
        assert headline.get_attribute("lang") == language
        assert headline.value_of_css_property("direction") == direction[language]
        links = {a.get_attribute("lang"): a for a in visible(driver, "section.source a")}
        assert set(links) == {"he", "ja"}
        assert links["he"].value_of_css_property("direction") == "rtl"
        assert links["ja"].value_of_css_property("direction") == "ltr"
        links["he"].click()
        for shown in (visible(driver, ".article h1")[0], visible(driver, ".article .text")[0]):
            assert shown.get_attribute("lang") == "he"
            assert shown.value_of_css_property("direction") == "rtl"
        back = visible(driver, "a[href^='/stories/']")[0]  # its story, by its headline
        assert back.get_attribute("lang") == language
        save(driver, shots, "article-hebrew")
