"""The headline a reader sees: the page's own headline markup, voted, with suffixes and
kickers taken off and site names never chosen."""

from __future__ import annotations

import json

import pytest
import trafilatura

from extractors.headline import (
    MAX_HEADLINE_CHARS,
    choose_headline,
    headline_candidates,
    with_opening_heading,
)
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


def test_a_social_title_cut_off_at_the_headlines_quotation_mark_yields_to_the_whole() -> None:
    """A raw '"' in a headline ends the ``content`` attribute it was written into: the
    shared titles stop where the quotation starts and outvote the ``<h1>`` two to one."""
    head = ("<meta property='og:title' content=\"Marathon: Sieger und \"royaler Besuch\"\">"
            "<meta name='twitter:title' content=\"Marathon: Sieger und \"royaler Besuch\"\">")
    body = "<article><h1>Marathon: Sieger und \"royaler Besuch\"</h1></article>"
    assert headline(head, body) == 'Marathon: Sieger und "royaler Besuch"'
    # a guillemet opens no cut: "« Blog Off!" after a headline is the site's name
    head = "<meta property='og:title' content='3 Orte in Berlin'>"
    assert headline(head, "<h1>3 Orte in Berlin « Blog Off!</h1>") == "3 Orte in Berlin"


def test_a_kicker_before_the_headline_is_dropped_when_other_sources_agree() -> None:
    head = "<meta property='og:title' content='Drusen fordern Teilhabe'>"
    body = "<article><h1>Minderheit in Syrien - Drusen fordern Teilhabe</h1></article>"
    assert headline(head, body) == "Drusen fordern Teilhabe"


@pytest.mark.parametrize(("head", "body", "url", "expected"), [
    pytest.param(  # a blog's only h1 is its name
        "<meta property='og:title' content='Ins neue Jahr'>"
        "<title>Ins neue Jahr | Literaturgefluester</title>",
        "<header><h1>Literaturgefluester</h1></header><p>Ein Text.</p>",
        "https://literaturgefluester.wordpress.com/2019/01/01/ins-neue-jahr-4/",
        "Ins neue Jahr", id="blog-name"),
    pytest.param(  # the name with a word added, and WordPress's "Blog Archive" segment
        "<title>Four Years Remaining  » Blog Archive   » Interning of Small Integers</title>",
        "<header><h1>Four Years Remaining</h1></header><p>Ein Text.</p>",
        "http://fouryears.eu/2019/10/21/interning-of-small-integers-in-python/",
        "Interning of Small Integers", id="blog-name-and-a-word"),
    pytest.param(  # a headline about the site is a headline
        "<title>15 Jahre rete-mirabile.net — rete-mirabile.net</title>",
        "<article><h1>15 Jahre rete-mirabile.net</h1></article>",
        "https://rete-mirabile.net/notizen/15-jahre-rete-mirabile/",
        "15 Jahre rete-mirabile.net", id="headline-about-the-site"),
    pytest.param(  # a web-archive copy is named after the archived site
        "<title>Was ist Virales Marketing? | DimidoBlog</title>",
        "<header><h1>DimidoBlog</h1></header><p>Ein Text.</p>",
        "https://web.archive.org/web/20080731095558/"
        "http://www.dimido.de/2008/07/29/was-ist-virales-marketing/",
        "Was ist Virales Marketing?", id="archived-copy"),
])
def test_the_sites_own_name_is_never_the_headline(head: str, body: str, url: str,
                                                  expected: str) -> None:
    assert headline(head, body, url) == expected


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


@pytest.mark.parametrize(("title", "expected"), [
    ("Viel Regen : 31.10.2023, 10.19 Uhr", "Viel Regen"),
    ("Pferdesport bei Olympia 2028 dabei -", "Pferdesport bei Olympia 2028 dabei"),
    ("Wahl in Hessen | 08.10.2023", "Wahl in Hessen"),
    ("Bilanz 2023: 12.000 neue Wohnungen", "Bilanz 2023: 12.000 neue Wohnungen"),  # figures
    ("Der 9. Juli naht - 12.07.2025", "Der 9. Juli naht"),
    ("31.10.2023", "31.10.2023"),  # nothing but a date: left as it is
])
def test_a_trailing_date_stamp_or_lone_separator_is_not_part_of_the_headline(
    title: str, expected: str
) -> None:
    assert headline(f"<title>{title}</title>", "<p>text</p>") == expected


@pytest.mark.parametrize(("title", "body", "url", "expected"), [
    # a breadcrumb, then a double dash before the headline the page shows
    ("SignOnSanDiego.com &gt; Sports -- Henin beat Ivanovic to reach Sydney final",
     "<td class='storyhead'>Henin beat Ivanovic to reach Sydney final</td>",
     "https://www.signonsandiego.com/sports/1", "Henin beat Ivanovic to reach Sydney final"),
    # the site's name after a dash glued to the headline's last word
    ("2008 will get off to cold start- Example News", "<p>Text.</p>",
     "https://www.example-news.org/a/1", "2008 will get off to cold start"),
    # a dash that ends half a compound is no separator, though "Feuerwehr" names the site
    ("Feuerwehr- und Katastrophenschutz-Ehrenzeichen verliehen", "<p>Text.</p>",
     "https://www.berliner-feuerwehr.de/aktuelles/1",
     "Feuerwehr- und Katastrophenschutz-Ehrenzeichen verliehen"),
])
def test_breadcrumbs_double_and_glued_dashes_separate_a_site_or_section(
        title: str, body: str, url: str, expected: str) -> None:
    assert headline(f"<title>{title}</title>", body, url) == expected


def test_a_headline_that_swallowed_the_page_neither_votes_nor_is_returned() -> None:
    """An ``<h1>`` never closed runs to the end of the page: not a headline (and splitting
    it at every separator for the vote once took a minute on such a page)."""
    swallowed = "Ein Titel - und dann der ganze Text: " + "Ein Satz | noch einer. " * 5000
    chosen = choose_headline({"h1": swallowed, "og": "Der Titel, wie ihn die Seite nennt"},
                             set(), None)
    assert chosen == "Der Titel, wie ihn die Seite nennt"
    assert choose_headline({"h1": swallowed}, set(), swallowed) is None
    # a <title> that swallowed the page beside a lone <h1>: neither compared nor voting
    body = "<h1>Council expands tram network</h1><p>Text.</p>"
    assert headline(f"<title>{'Wort - ' * 2000}</title>", body) == (
        "Council expands tram network")
    assert choose_headline({}, set(), "x" * (MAX_HEADLINE_CHARS + 1)) is None
    long_but_real = "Wort " * 100  # 500 characters still count
    assert choose_headline({"h1": long_but_real}, set(), None) == long_but_real.strip()


@pytest.mark.parametrize(("head", "body", "expected"), [
    pytest.param(  # a site description no site name matches; the page shows the headline
        "<title>White Scores 22 Points In Loss - SJSUSpartans.com-Official Web Site of San "
        "Jose State Athletics</title>",
        "<div class='nav'>Home</div><h2>White Scores 22 Points In Loss</h2><p>Text.</p>",
        "White Scores 22 Points In Loss", id="heading"),
    pytest.param(  # a table cell's own text, on a page of 2008 without headings
        "<title>KDBC 4 - We are CBS! | More flights, fewer crashes mark 2007</title>",
        "<table><tr><td><b>More flights, fewer crashes mark 2007</b></td></tr></table>",
        "More flights, fewer crashes mark 2007", id="own-text"),
    pytest.param(  # a pipe glued to the site's name separates too
        "<title>Timberlake Appearing in Super Bowl Ad|ABC 7 News</title>",
        "<div class='headline'>Timberlake Appearing in Super Bowl Ad</div>",
        "Timberlake Appearing in Super Bowl Ad", id="glued-pipe"),
    pytest.param(  # the longest part shown wins: a section heading is a part too
        "<title>Under-siege coach quits - World - Sport - Northern News</title>",
        "<h3>World - Sport</h3><span class='story-headline'>Under-siege coach quits</span>",
        "Under-siege coach quits", id="longest"),
    pytest.param(  # a part the page does not show on its own: the title stays whole
        "<title>Council expands tram network - Local news and weather</title>",
        "<p>Council expands tram network, the mayor said on Monday.</p>",
        "Council expands tram network - Local news and weather", id="not-shown"),
    pytest.param(  # an article h1 is not second-guessed by a part of the title
        "<title>Markets - Shares slide in Tokyo</title>",
        "<h1>Shares slide in Tokyo as yen climbs</h1><b>Shares slide in Tokyo</b>",
        "Shares slide in Tokyo as yen climbs", id="h1-wins"),
    pytest.param(  # a lone h1 outside the article the title does not state: a section
        "<title>wjz.com - SFPD: Zoo Attack Victim Admits Taunting Tiger</title>",
        "<h1>U.S. &amp; World</h1><h3>SFPD: Zoo Attack Victim Admits Taunting Tiger</h3>",
        "SFPD: Zoo Attack Victim Admits Taunting Tiger", id="section-h1"),
    pytest.param(  # … but one the title states with a character decoded wrongly is kept
        "<title>PaiNs Blog : Silkroad Quests und NPCÂ´s</title>",
        "<div><b>PaiNs Blog</b></div><h1>Silkroad Quests und NPC’s</h1>",
        "Silkroad Quests und NPC’s", id="h1-decoded-wrongly"),
    pytest.param(  # a breadcrumb of sections before the headline
        "<title>TV3 &gt; News &gt; National News &gt; Story &gt; Officials plan Sir Ed's "
        "funeral</title>",
        "<td class='storyhead'>Officials plan Sir Ed's funeral</td>",
        "Officials plan Sir Ed's funeral", id="breadcrumb"),
])
def test_the_part_of_the_title_a_page_shows_on_its_own_is_its_headline(
        head: str, body: str, expected: str) -> None:
    assert headline(head, body, "https://www.example-news.org/a/1") == expected


def opening_heading(head: str, body: str, text: str) -> str | None:
    tree = trafilatura.load_html(f"<html><head>{head}</head><body>{body}</body></html>")
    assert tree is not None
    candidates = headline_candidates(read_markup(tree))
    title = choose_headline(candidates, site_names(read_markup(tree), "https://a.example/1"), None)
    return with_opening_heading(title, candidates, tree, text)


SECTION_TITLE = "<title>The Sports Network - National Hockey League</title>"
STORY = "McDonald scores a pair as Blues rout Jackets"
STORY_TEXT = f"Hockey | Football | Golf\n| {STORY} St. Louis, MO - Andy McDonald scored twice."


@pytest.mark.parametrize("heading", [
    f"<h3> {STORY} </h3>",
    f"<p><span class='headingstory'>{STORY}</span><br></p>",
    f"<td><b>{STORY}</b></td>",
])
def test_a_title_that_names_only_the_section_yields_to_the_heading_the_text_opens_with(
        heading: str) -> None:
    body = f"<table><tr><td>Hockey | Football</td>{heading}<td>St. Louis, MO - …</td></tr></table>"
    assert opening_heading(SECTION_TITLE, body, STORY_TEXT) == STORY


def test_the_title_stays_where_the_page_names_its_article_or_the_text_opens_with_it() -> None:
    body = f"<h3>{STORY}</h3>"
    # structured markup names the article
    og = "<meta property='og:title' content='Blues rout Jackets'>"
    assert opening_heading(SECTION_TITLE + og, body, STORY_TEXT) == "Blues rout Jackets"
    # the text opens with what <title> says
    title = "<title>Blues rout Jackets</title>"
    assert opening_heading(title, body, "Blues rout Jackets\n" + STORY_TEXT) == (
        "Blues rout Jackets")


@pytest.mark.parametrize("line", [
    "Sunday, 20 January, 2008",  # a date line
    "Tuesday 15th of January 2008",
    "Please support local business!",  # an appeal
    "Jamie Carragher has defended his actions after the match.",  # a standfirst
    "At a news conference today,",  # a fragment
    "Xinhua Hebei ( 2012-06-04 09:20:26 )",  # a dateline with its time stamp
    "Home",  # too short to be a headline
])
def test_a_date_line_an_appeal_or_a_sentence_is_no_opening_heading(line: str) -> None:
    text = f"{line}\nThe story itself begins here and goes on for a while."
    assert opening_heading(SECTION_TITLE, f"<h3>{line}</h3>", text) == (
        "The Sports Network - National Hockey League")
