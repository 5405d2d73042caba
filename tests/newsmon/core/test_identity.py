"""Stable ids: the same article read twice is one key."""

from __future__ import annotations

from newsmon.core.identity import article_id, content_hash, normalise_text, stable_id
from newsmon.core.urls import canonical_url, is_front_page, is_web_url


def test_ids_are_stable_signed_64_bit() -> None:
    assert stable_id("x") == stable_id("x")
    assert -(2**63) <= stable_id("x") < 2**63


def test_content_id_ignores_whitespace_and_case() -> None:
    assert content_hash("Hallo  Welt\n") == content_hash("hallo welt")
    assert normalise_text(" A\u0308 b ") == "ä b"


def test_canonical_url_wins_over_content() -> None:
    one = article_id("https://example.org/a", content_hash("text one"))
    two = article_id("https://example.org/a", content_hash("text two, edited"))
    assert one == two
    assert article_id(None, content_hash("t")) != article_id(None, content_hash("u"))
    assert article_id("file:///x.txt", content_hash("t")) == article_id(None, content_hash("t"))


def test_tracking_parameters_and_fragments_are_dropped() -> None:
    assert (
        canonical_url("https://Example.org/a?utm_source=rss&id=3#top")
        == "https://example.org/a?id=3"
    )
    assert canonical_url("file:///tmp/a.txt") == "file:///tmp/a.txt"


def test_only_tracking_parameters_leave_the_identity() -> None:
    assert canonical_url("https://example.com/story?storyid=1") != canonical_url(
        "https://example.com/story?storyid=2")
    assert canonical_url("https://www.youtube.com/watch?v=abc&utm_medium=rss&fbclid=x") == (
        "https://www.youtube.com/watch?v=abc")
    assert canonical_url("https://x.org/spip.php?breve123") == "https://x.org/spip.php?breve123"
    assert canonical_url("https://x.org/a?b=2&a=1&gclid=9") == canonical_url(
        "https://x.org/a?a=1&b=2")
    assert canonical_url("HTTPS://X.org:443/a#top") == "https://x.org/a"


def test_a_front_page_names_the_site_not_an_article() -> None:
    for url in ("https://example.org", "https://example.org/", "https://example.org/index.html",
                "http://example.org/default.aspx", "https://example.org/en/",
                "https://example.org/de-de/home"):
        assert is_front_page(url), url
    for url in ("https://example.org/2023/09/13/kim-putin", "https://example.org/?p=123",
                "https://example.org/story.html", "https://example.org/news/",
                "file:///tmp/index.html"):
        assert not is_front_page(url), url


def test_a_malformed_link_names_no_article() -> None:
    for good in ("https://example.com/a", "http://example.com:8080/a?b=1",
                 "https://example.com/a ", "http://例子.测试/路径"):
        assert is_web_url(good), good
    for bad in ("http://[::1/x", "http://exa mple.com/x", "http://example.com:99999999/x",
                "http:///path-only", "mailto:a@b", "/relative", "",
                "HTTP://EXAMPLE.COM/a"):  # as before: ids of stored articles stay
        assert not is_web_url(bad), bad
        assert not is_front_page(bad), bad
