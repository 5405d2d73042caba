"""robots.txt rules as newsmon reads them (protego, RFC 9309)."""

from __future__ import annotations

from newsmon.robots import RobotsRules

TEXT = """
User-agent: *
Disallow: /

User-agent: newsmon
Disallow: /private/
Allow: /private/open
Crawl-delay: 3
"""


def test_newsmons_own_group_wins_over_the_wildcard() -> None:
    rules = RobotsRules("https://example.org", TEXT)
    assert rules.allows("https://example.org/news/1")
    assert not rules.allows("https://example.org/private/x")
    assert rules.allows("https://example.org/private/open")  # the longest match decides
    assert rules.crawl_delay() == 3.0


def test_the_wildcard_applies_when_newsmon_has_no_group() -> None:
    rules = RobotsRules("https://example.org", "User-agent: *\nDisallow: /search\n")
    assert not rules.allows("https://example.org/search?q=x")
    assert rules.allows("https://example.org/story")
    assert rules.crawl_delay() is None


def test_no_rules_allow_everything() -> None:
    rules = RobotsRules("https://example.org", None)
    assert rules.allows("https://example.org/anything") and rules.crawl_delay() is None


def test_the_sitemaps_named_in_any_group_in_their_order() -> None:
    rules = RobotsRules("https://example.org", TEXT + "Sitemap: https://example.org/news.xml\n"
                        "\nUser-agent: other\nSitemap: https://example.org/all.xml\n")
    assert rules.sitemaps() == ("https://example.org/news.xml", "https://example.org/all.xml")
    assert RobotsRules("https://example.org", None).sitemaps() == ()
