"""The headline a reader sees: the page's own headline markup, voted, with suffixes and
kickers taken off and site names never chosen."""

from __future__ import annotations

import json

import trafilatura

from extractors.headline import choose_headline, headline_candidates
from extractors.markup import read_markup, site_names


def headline(head: str, body: str, url: str = "https://www.example-news.org/a/1") -> str | None:
    tree = trafilatura.load_html(f"<html><head>{head}</head><body>{body}</body></html>")
    assert tree is not None
    page = read_markup(tree)
    return choose_headline(headline_candidates(page), site_names(page, url), None)


def test_publisher_suffix_of_the_title_is_dropped() -> None:
    head = ("<title>Council expands tram network | Example News</title>"
            "<meta property='og:site_name' content='Example News'>")
    assert headline(head, "<p>text</p>") == "Council expands tram network"


def test_suffix_named_after_the_host_is_dropped_without_a_site_name() -> None:
    head = "<title>Perturbazione polare al Centro - La Stampa</title>"
    url = "https://www.lastampa.it/2019/12/01/news/perturbazione"
    assert headline(head, "", url) == "Perturbazione polare al Centro"


def test_the_article_h1_wins_over_a_shortened_social_title() -> None:
    head = ("<meta property='og:title' content='Police to probe leaks'>"
            "<title>Swedish police to investigate reports of information leaks | Euronews</title>")
    body = "<article><h1>Swedish police to investigate reports of information leaks</h1></article>"
    assert headline(head, body) == "Swedish police to investigate reports of information leaks"


def test_a_kicker_before_the_headline_is_dropped_when_other_sources_agree() -> None:
    head = "<meta property='og:title' content='Drusen fordern Teilhabe'>"
    body = "<article><h1>Minderheit in Syrien - Drusen fordern Teilhabe</h1></article>"
    assert headline(head, body) == "Drusen fordern Teilhabe"


def test_a_blog_h1_that_names_the_blog_is_not_the_headline() -> None:
    head = ("<meta property='og:title' content='Ins neue Jahr'>"
            "<title>Ins neue Jahr | Literaturgefluester</title>")
    body = "<header><h1>Literaturgefluester</h1></header><p>Ein Text.</p>"
    url = "https://literaturgefluester.wordpress.com/2019/01/01/ins-neue-jahr-4/"
    assert headline(head, body, url) == "Ins neue Jahr"


def test_an_h1_that_is_the_blogs_name_with_a_word_added_is_not_the_headline() -> None:
    head = "<title>Four Years Remaining  » Blog Archive   » Interning of Small Integers</title>"
    body = "<header><h1>Four Years Remaining</h1></header><p>Ein Text.</p>"
    url = "http://fouryears.eu/2019/10/21/interning-of-small-integers-in-python/"
    assert headline(head, body, url) == "Interning of Small Integers"


def test_a_headline_about_the_site_is_kept() -> None:
    head = "<title>15 Jahre rete-mirabile.net — rete-mirabile.net</title>"
    body = "<article><h1>15 Jahre rete-mirabile.net</h1></article>"
    url = "https://rete-mirabile.net/notizen/15-jahre-rete-mirabile/"
    assert headline(head, body, url) == "15 Jahre rete-mirabile.net"


def test_an_archived_copy_is_named_after_the_archived_site() -> None:
    head = "<title>Was ist Virales Marketing? | DimidoBlog</title>"
    body = "<header><h1>DimidoBlog</h1></header><p>Ein Text.</p>"
    url = ("https://web.archive.org/web/20080731095558/"
           "http://www.dimido.de/2008/07/29/was-ist-virales-marketing/")
    assert headline(head, body, url) == "Was ist Virales Marketing?"


def test_jsonld_headline_and_entities_and_soft_hyphens() -> None:
    ld = json.dumps({"@type": "NewsArticle", "headline": "R&uuml;ckbau von Atom\u00adkraftwerk"})
    head = f"<script type='application/ld+json'>{ld}</script>"
    assert headline(head, "") == "Rückbau von Atomkraftwerk"


def test_falls_back_to_trafilaturas_title_when_the_page_names_nothing() -> None:
    tree = trafilatura.load_html("<html><body><p>Nothing here</p></body></html>")
    assert tree is not None
    page = read_markup(tree)
    assert choose_headline(headline_candidates(page), set(), "Fallback title") == "Fallback title"
    assert choose_headline(headline_candidates(page), set(), None) is None


def test_the_declared_headline_wins_over_a_different_h1_when_nothing_else_decides() -> None:
    ld = json.dumps({"@type": "NewsArticle", "headline": "Nur ein Drittel der Kinder kam"})
    head = f"<script type='application/ld+json'>{ld}</script>"
    body = "<article><h1>Notbetrieb: Kinder und Senioren erlebten ruhigen Montag</h1></article>"
    assert headline(head, body) == "Nur ein Drittel der Kinder kam"
