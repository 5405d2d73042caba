"""Links through a redirector are the article's own address."""

from __future__ import annotations

import pytest

from newsmon.core.urls import unwrapped

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
