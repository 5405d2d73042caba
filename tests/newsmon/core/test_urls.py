"""Links through a redirector are the article's own address."""

from __future__ import annotations

import pytest

from newsmon.core.urls import sent_home, unwrapped, wall_redirect

ARTICLE = "https://www.courier.example/2023/09/12/budget-agreed.html?page=2"


@pytest.mark.parametrize("link", [
    # a Google Alerts feed entry, as Google writes it
    "https://www.google.com/url?rct=j&sa=t&url=https%3A%2F%2Fwww.courier.example%2F2023%2F09"
    "%2F12%2Fbudget-agreed.html%3Fpage%3D2&ct=ga&cd=CAIyGjA4&usg=AOvVaw0x",
    "https://www.google.de/url?q=https://www.courier.example/2023/09/12/budget-agreed.html"
    "%3Fpage%3D2&sa=U",
    "https://google.co.uk/url?url=" + ARTICLE.replace("?", "%3F").replace("=", "%3D"),
    "https://www.bing.com/news/apiclick.aspx?ref=FexRss&aid=&tid=1&url=" + ARTICLE.replace(
        "?", "%3F").replace("=", "%3D") + "&c=123&mkt=de-de",
    "https://l.facebook.com/l.php?u=" + ARTICLE.replace("?", "%3F").replace("=", "%3D")
    + "&h=AT0",
])
def test_a_redirectors_link_is_the_article_it_leads_to(link: str) -> None:
    assert unwrapped(link) == ARTICLE


@pytest.mark.parametrize("link", [
    ARTICLE,
    "https://www.google.com/search?q=https://www.courier.example/",  # a search, not a link
    "https://www.google.com/url?url=javascript:alert(1)",  # no web address to go to
    "https://google.example.com/url?url=https://a.example/",  # not Google
    "https://www.google.com/url",
    "http://[::1/url?url=https://a.example/",
])
def test_other_links_stay_as_they_are(link: str) -> None:
    assert unwrapped(link) == link


@pytest.mark.parametrize(("asked", "landed"), [
    ("https://www.zeit.de/politik/2023-09/kim-putin",
     "https://www.zeit.de/zustimmung?url=https%3A%2F%2Fwww.zeit.de%2Fpolitik%2F2023-09%2Fkim-putin"),
    ("https://x.org/news/a1", "https://x.org/login?next=/news/a1"),
    ("https://www.nytimes.com/2023/09/13/world/kim-putin.html",
     "https://myaccount.nytimes.com/auth/login?redirect_uri=https%3A%2F%2Fwww.nytimes.com%2F"
     "2023%2F09%2F13%2Fworld%2Fkim-putin.html"),
    ("https://news.yahoo.com/kim-putin-123.html",
     "https://consent.yahoo.com/v2/collectConsent?sessionId=3_cc-session_abc"),
    ("https://x.org/news/a1", "https://x.org/sso#return=https%253A%252F%252Fx.org%252Fnews%252Fa1"),
    ("https://x.org/?p=123", "https://x.org/wp-login.php?redirect_to=%2F%3Fp%3D123"),
    ("https://x.org/news/a1?utm_source=rss", "https://x.org/login?next=/news/a1"),
])
def test_a_redirect_to_a_wall_is_named(asked: str, landed: str) -> None:
    assert wall_redirect(asked, landed) is not None


@pytest.mark.parametrize(("asked", "landed"), [
    ("http://x.org/news/a1", "https://x.org/news/a1"),  # https
    ("https://x.org/news/a1", "https://x.org/news/a1/"),  # a trailing slash
    ("https://x.org/news/a1", "https://www.x.org/2023/news-a1?utm_source=rss"),  # moved
    ("https://t.co/abc", "https://x.org/news/a1?ref=twitter"),  # a shortener
    ("https://feedproxy.google.com/~r/x/~3/abc/story", "https://x.org/story?utm_source=fb"),
    ("https://x.org/", "https://x.org/login?next=/"),  # a front page: nothing to find again
    ("https://x.org/news/a1", "https://auth.gr/news/a1"),  # a site called auth
    ("https://x.org/news/a1", "https://x.org/news/a1"),
    ("https://x.org/?p=123", "https://x.org/2023/09/kim-putin/"),  # a query page's own address
])
def test_a_redirect_to_the_article_under_another_address_is_no_wall(asked: str, landed: str
                                                                   ) -> None:
    assert wall_redirect(asked, landed) is None


@pytest.mark.parametrize(("asked", "landed", "home"), [
    ("https://x.org/news/a1", "https://x.org/", True),
    ("http://x.org/news/a1", "https://www.x.org/index.html", True),
    ("https://x.org/en/news/a1", "https://x.org/en/", True),
    ("https://x.org/news/a1", "https://x.org/news/", False),  # a section: the site's call
    ("https://bit.ly/abc", "https://x.org/", False),  # a link to a front page, not sent home
    ("https://x.org/", "https://x.org/", False),
    ("https://x.org/", "https://www.x.org/", False),  # the front page asked for
])
def test_a_page_sent_to_its_sites_front_page_is_known(asked: str, landed: str, home: bool
                                                     ) -> None:
    assert sent_home(asked, landed) is home
