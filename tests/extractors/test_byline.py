"""Authors: structured markup first, noise removed, agencies apart from people."""

from __future__ import annotations

import json

import pytest
import trafilatura

from extractors.byline import (
    Byline,
    as_written,
    byline_candidates,
    choose_byline,
    with_opening_byline,
    with_reporting_credit,
    with_signature,
    with_visible_byline,
    with_wire_agency,
)
from extractors.markup import read_markup, site_names


def byline(head: str, fallback: str | None = None,
           url: str = "https://www.stuttgarter-zeitung.de/a/1", body: str = "") -> Byline:
    tree = trafilatura.load_html(f"<html><head>{head}</head><body>{body}<p>x</p></body></html>")
    assert tree is not None
    page = read_markup(tree)
    return choose_byline(byline_candidates(page), site_names(page, url), fallback)


def ld(item: dict[str, object]) -> str:
    return f"<script type='application/ld+json'>{json.dumps(item)}</script>"


def test_jsonld_people_and_an_agency_are_kept_apart() -> None:
    head = ld({"@type": "NewsArticle", "author": [
        {"@type": "Person", "name": "Paula Steiger"}, {"@type": "Organization", "name": "SDA"}]})
    assert byline(head) == Byline(("Paula Steiger",), ("SDA",))


def test_the_publisher_itself_is_not_an_author() -> None:
    head = ld({"@type": "NewsArticle", "author": {"@type": "Organization",
                                                   "name": "Stuttgarter Zeitung"}})
    assert byline(head, fallback="dpa") == Byline((), ("dpa",))


def test_a_personal_blog_keeps_its_authors_name() -> None:
    assert byline("", "View all posts by Daniel Lemire", "https://lemire.me/blog/x") == Byline(
        ("Daniel Lemire",), ())


def test_prefixes_are_stripped_and_lists_split() -> None:
    head = "<meta name='author' content='Von Benjamin Fischer und Marcus Theurer'>"
    assert byline(head).people == ("Benjamin Fischer", "Marcus Theurer")
    assert byline("", "By Ann Lee, Bo Chan & Cy Diaz").people == ("Ann Lee", "Bo Chan", "Cy Diaz")
    # the serial comma: "and" joins the last name, it is no part of it
    assert byline("", "by Matt Lowrie, Benjamin Pick, and Jochen Wuttke").people == (
        "Matt Lowrie", "Benjamin Pick", "Jochen Wuttke")
    assert byline("", "Ann Lee, Andrew Doe, Undine Roe").people == (
        "Ann Lee", "Andrew Doe", "Undine Roe")


def test_structured_markup_wins_over_the_visible_byline() -> None:
    head = "<meta name='author' content='Nina Magoley'>"
    assert byline(head, fallback="Nina Magoley, WDR, Stand 12.03.").people == ("Nina Magoley",)


def test_placeholders_sentences_and_profile_urls_are_not_names() -> None:
    head = "<meta name='author' content='https://www.facebook.com/someone'>"
    assert byline(head, fallback="admin") == Byline()
    assert byline("", "revised edition edited by the editors of the big encyclopedia").people == ()


def test_the_publisher_is_the_credit_only_when_no_one_else_is_named() -> None:
    head = ld({"@type": "NewsArticle", "author": {"@type": "Organization", "name": "DER SPIEGEL"}})
    assert byline(head, url="https://www.spiegel.de/a/1") == Byline(organisation="DER SPIEGEL")
    assert byline(head, fallback="Anna Clauß") == Byline(("Anna Clauß",))
    named = "<meta name='author' content='Stuttgarter Zeitung'>"
    assert byline(named) == Byline(organisation="Stuttgarter Zeitung")
    assert byline("<meta name='author' content='The Earthtimes'>",
                  url="https://www.earthtimes.org/a/1") == Byline(organisation="The Earthtimes")
    assert byline("<meta name='author' content='Theodora'>",
                  url="https://www.odora.de/a/1") == Byline(("Theodora",))
    assert byline(named, fallback="Paula Steiger, SDA") == Byline(("Paula Steiger",), ("SDA",))


def test_a_korean_byline_drops_the_reporters_title() -> None:
    assert byline("", "신현주 기자").people == ("신현주",)
    assert byline("", "박준석 기자 외 1명").people == ("박준석",)
    assert byline("", "김선영 특파원").people == ("김선영",)


def test_reading_times_and_foreign_prefixes_are_not_part_of_a_name() -> None:
    assert byline("", "José Miguel Wilson Tiempo de lectura: 4 minutos").people == (
        "José Miguel Wilson",)
    assert byline("", "Auteur Anna Kubišta").people == ("Anna Kubišta",)
    assert byline("", "Jane Roe 5 min read").people == ("Jane Roe",)


def test_a_user_handle_reads_as_a_name_but_the_sites_domain_stays_the_publisher() -> None:
    assert byline("<meta name='author' content='edilson.la.rosa'>").people == ("edilson la rosa",)
    assert byline("<meta name='author' content='mbl.is'>", url="https://www.mbl.is/a/1") == Byline(
        organisation="mbl.is")


def test_an_author_slug_reads_as_the_name_it_spells_and_a_written_double_name_stays() -> None:
    assert byline(_jsonld_author("chuck-ross")).people == ("Chuck Ross",)
    assert byline(_jsonld_author("Jean-Pierre Dupont")).people == ("Jean-Pierre Dupont",)
    assert byline("<meta name='author' content='spiegel-de'>",
                  url="https://www.spiegel.de/a/1") == Byline(organisation="spiegel-de")


def test_an_author_item_serialised_twice_is_read_as_the_item() -> None:
    page = ('<script type="application/ld+json">{"@type": "NewsArticle", "author": '
            '"{ \\"@type\\":\\"Person\\", \\"name\\":\\"Alice Wu\\" }"}</script>')
    assert byline(page).people == ("Alice Wu",)


def _jsonld_author(name: str) -> str:
    return ld({"@type": "NewsArticle", "author": {"@type": "Person", "name": name}})


def test_profile_links_dates_degrees_and_job_titles_are_not_names() -> None:
    assert byline("", "Zeige alle Beiträge von Petra Ruland").people == ("Petra Ruland",)
    assert byline("", "Alle Beiträge von Petra Ruland anzeigen").people == ("Petra Ruland",)
    assert byline("", "Voir tous les articles de Léa Martin").people == ("Léa Martin",)
    assert byline("", "Stephan Goeldi, On August 3, 2014").people == ("Stephan Goeldi",)
    assert byline("", "Grant Tinsley, PhD").people == ("Grant Tinsley",)
    assert byline("", "Frank Bueltge - http").people == ("Frank Bueltge",)
    assert byline("", "jesusfreak jesusfreak").people == ("jesusfreak",)
    assert byline("", "Adam Aaronson PhillyVoice Staff",
                  "https://www.phillyvoice.com/a/1").people == ("Adam Aaronson",)
    # a name that only looks like one of these stays whole
    assert byline("", "May Chen").people == ("May Chen",)
    assert byline("", "Ann Lee Ann").people == ("Ann Lee Ann",)
    assert byline("", "Jo Staff").people == ("Jo Staff",)


def test_initials_keep_the_dots_the_page_writes() -> None:
    tree = trafilatura.load_html("<html><body><p class='byline'>Von T. V. Raman und Günter W. "
                                 "Kienitz</p><p>Text by J Doe.</p></body></html>")
    assert tree is not None
    page = read_markup(tree)
    assert as_written("T V Raman; Günter W Kienitz", page) == "T. V. Raman; Günter W. Kienitz"
    assert as_written("J Doe", page) == "J Doe"  # written so on the page
    assert as_written("Q Z Nobody", page) == "Q Z Nobody"  # not on the page: as given
    assert as_written("Ann Lee", page) == "Ann Lee"  # no initial: the page is not read


def _links(body: str) -> Byline:
    return byline("", url="https://blog.example/a", body=body)


def test_author_links_and_hcard_bylines_name_the_author() -> None:
    assert _links("<p>By <a href='/author/daniel' rel='author'>Daniel Roth</a></p>").people == (
        "Daniel Roth",)
    hcard = ("<span class='author vcard'><a class='url fn n' href='/author/mivedo/' "
             "title='Zeige alle Beiträge von Michael Veeser'>Michael Veeser</a></span>")
    assert _links(hcard).people == ("Michael Veeser",)
    one_element = "<p>by <span class='author vcard fn'>oz</span> on Monday</p>"
    assert _links(one_element).people == ("oz",)
    # structured markup still comes first
    assert byline("<meta name='author' content='Ann Lee'>").people == ("Ann Lee",)


def test_commenters_link_labels_and_lists_of_posts_are_not_the_author() -> None:
    comment = ("<ol class='commentlist'><li><a rel='author external' href='http://x.example'>"
               "ncwien</a> says</li></ol>")
    assert _links(comment) == Byline()
    labels = ("<a rel='author' href='/a/1'>Show all articles of Heiko Sauer</a>"
              "<a rel='author' href='/a/1'>Weitere Artikel</a>"
              "<a rel='author' href='/a/1'>Afficher mon profil complet</a>")
    assert _links(labels) == Byline()
    index = "".join(f"<a rel='author' href='/a/{n}'>Writer {n}</a>" for n in "ABCD")
    assert _links(index) == Byline()  # four different people: a list of posts


def _visible(body: str, head: str = "", url: str = "https://www.example.de/a/1") -> Byline:
    tree = trafilatura.load_html(f"<html><head>{head}</head><body>{body}<p>x</p></body></html>")
    assert tree is not None
    page = read_markup(tree)
    sites = site_names(page, url)
    return with_visible_byline(choose_byline(byline_candidates(page), sites, None), page, sites)


def test_a_visible_byline_line_names_the_author_when_nothing_else_does() -> None:
    assert _visible("<h1>T</h1><span class='teaser-cat'> von Andreas Kürten </span>").people == (
        "Andreas Kürten",)
    assert _visible("<div class='meta'>von <a href='/ueber'>Kathrin</a></div>").people == (
        "Kathrin",)
    assert _visible("<span>Par&nbsp;<a href='/n/1'>Matthieu Hy</a></span>").people == (
        "Matthieu Hy",)
    assert _visible("<p><i class='icon-user'></i> von Jane Doe</p>").people == ("Jane Doe",)
    assert _visible("<p><i>By Ursula von der Leyen and Jane Doe</i></p>").people == (
        "Ursula von der Leyen", "Jane Doe")
    # structured markup wins; an organisation credited stays ("By Invitation" is a column)
    assert _visible("<p>von Hans Meier</p>", "<meta name='author' content='Ann Lee'>"
                    ).people == ("Ann Lee",)
    credited = _visible("<p>By Invitation</p>", ld({"@type": "NewsArticle", "author": {
        "@type": "Organization", "name": "The Economist"}}))
    assert credited.people == () and credited.organisation == "The Economist"


def test_an_author_label_on_the_page_outranks_the_publishers_own_credit() -> None:
    """The site credits itself in its markup; the story's "Author :" line names the wire."""
    head = "<meta name='author' content='The Earthtimes'>"
    url = "https://www.earthtimes.org/articles/show/1.html"
    assert _visible("<p>x</p>", head, url) == Byline(organisation="The Earthtimes")
    label = "<td><strong>Author\n :</strong>\n DPA </td>"
    assert _visible(label, head, url) == Byline(agencies=("DPA",))
    assert _visible("<p>Autor: Jane Roe</p>", head, url) == Byline(people=("Jane Roe",))
    # a "By" line is not a label: it may be a column's name
    assert _visible("<p>By Invitation</p>", head, url) == Byline(organisation="The Earthtimes")


@pytest.mark.parametrize(("body", "people"), [
    # a <br> ends the byline line before the story's first paragraph in the same element
    ("<p>By Azera Rahman<br>New Delhi, Jan 13 (IANS): Check the scribbles in your phone "
     "scrapbook.</p>", ("Azera Rahman",)),
    # the day after the name
    ("<span>by Tameka Kee,&nbsp;Friday, Dec 28, 2007&nbsp;9:00 AM ET</span>", ("Tameka Kee",)),
    ("<div>Written by <a href='/u/7'>Chris Beaumont</a> Published January 07, 2008</div>",
     ("Chris Beaumont",)),
    ("<p>By MARK LAVIE, Associated Press Writer   1 hour,  44 minutes ago</p>", ("MARK LAVIE",)),
    # each reporter's place
    ("<p>By Sarah Laitner in Brussels, Maija Palmer in London and Kevin Allison in San "
     "Francisco</p>", ("Sarah Laitner", "Maija Palmer", "Kevin Allison")),
    ("<p>By Daniel Dombey in Washington</p>", ("Daniel Dombey",)),
    # the day first
    ("<span>16th Jan 2008, 09:28am by Damien McFerran</span>", ("Damien McFerran",)),
    ("<p>Jan 14 2008 by Andy Howell</p>", ("Andy Howell",)),
])
def test_a_visible_byline_line_may_end_at_a_break_or_carry_a_day_or_places(
        body: str, people: tuple[str, ...]) -> None:
    assert _visible(body).people == people


def test_lines_that_are_not_a_byline_name_no_one() -> None:
    for body in [
        "<p>von 2019 bis 2021 stieg der Preis</p>",  # a sentence
        "<p>von Montag bis Freitag</p>",  # lower-case words between
        "<figure><figcaption>von Peter Foto</figcaption></figure>",  # a photo credit
        "<ol class='comments'><li>von Karl Klein</li></ol>",  # a commenter
        "<ul><li>von Anna A</li><li>von Bernd B</li><li>von Carla C</li></ul>",  # a list
        "<nav><a href='/t'>By Topic</a> <a href='/d'>Nach</a></nav>",  # a menu
        "<p>Jan 14 2008 by the river, a walk</p>",  # a day, then no name
    ]:
        assert _visible(body) == Byline(), body
    # the site's own name starting with a byline word is the publisher
    assert _visible("<p>VON DER SEE Werbeagentur</p>", url="https://von-der-see.de/d/") == (
        Byline())


def test_a_credit_label_or_a_dated_line_names_the_author_when_no_byline_word_does() -> None:
    assert _visible("<p><h5 class='title-inline'>Autor: </h5>Peter Maahn/SP-X</p>") == Byline(
        ("Peter Maahn",), ("SP-X",))  # the motoring press agency
    assert _visible("<p>(wird fortgesetzt)<br><strong>Text:</strong> Klausmartin Friedrich</p>"
                    "<p><strong>Fotos: </strong>Helmut Elstrodt</p>").people == (
        "Klausmartin Friedrich",)
    assert _visible("<div>05.02.2020 <span>-&nbsp;Redaktion: Eberhard Fuhr (Pressesprecher "
                    "des EJW)</span></div>").people == ("Eberhard Fuhr",)
    assert _visible("<p class='text-muted'>11.12.2019 - Amelie Loevenich</p>").people == (
        "Amelie Loevenich",)
    assert _visible("<small>04.02.2022 | 13:10 Uhr | Uta Helkenberg</small>").people == (
        "Uta Helkenberg",)
    assert _visible("<span>2023-11-06 13:30 von Olga Meier</span>").people == ("Olga Meier",)
    # a byline word's line comes first
    assert _visible("<p>von Jane Doe</p><p>11.12.2019 - Amelie Loevenich</p>").people == (
        "Jane Doe",)


def test_dated_and_labelled_lines_that_are_not_a_byline_name_no_one() -> None:
    for body in [
        "<p>12.03.2021 - Stuttgart</p>",  # one word after a date: as often a place
        "<p>Text: die Regeln der Stadt</p>",  # lower-case words
        "<p>Text der Verordnung vom 1. Mai</p>",  # no colon
        "<p>11.12.2019 - Neue Regeln für Radfahrer in der Innenstadt</p>",  # a headline
        "<ul><li>01.02.2020 - Anna Alt</li><li>02.02.2020 - Bernd Berg</li>"
        "<li>03.02.2020 - Carla Cramer</li></ul>",  # a list of other posts
        "<figure><figcaption>Text: Peter Foto</figcaption></figure>",  # a caption
    ]:
        assert _visible(body) == Byline(), body


@pytest.mark.parametrize(("text", "agency"), [
    ("WASHINGTON (Reuters) - The Senate voted on Monday.", "Reuters"),
    ("GAZA CITY, Gaza Strip (AP) -- Palestinian factions clashed.", "AP"),
    ("SYDNEY, Jan 14 (AAP) - Floods cut the highway.", "AAP"),
    ("Berlin (dpa) - Die Regierung hat beschlossen.", "dpa"),
    # wires of one field or one country
    ("St. Louis, MO (Sports Network) - Andy McDonald scored twice.", "Sports Network"),
    ("TORONTO (CP) - The Maple Leafs lost again.", "CP"),
])
def test_a_dateline_credits_its_agency_where_no_one_is_named(text: str, agency: str) -> None:
    assert with_wire_agency(Byline(), text) == Byline(agencies=(agency,))
    assert with_wire_agency(Byline(organisation="CNN"), text) == Byline(agencies=(agency,))


@pytest.mark.parametrize(("text", "agency"), [
    # the headline trafilatura keeps as the text's first line
    ("Film talks to begin\nLOS ANGELES (Reuters) - Studios said on Friday …", "Reuters"),
    # a byline line in between
    ("Globes washout\nBy the desk\nNEW YORK (AP) - A watered-down show …", "AP"),
    # a page laid out in tables: empty and navigation cells, then the story's row
    ("|  |  | \n|   Starbucks founder back   | \n| www.chinaview.cn 2008-01-08 |  | \n"
     "| BEIJING, Jan.  8 (Xinhua) -- Starbucks Corp on Monday said …", "Xinhua"),
    ("| News Web Services  | Barton charged London (dpa) - Joey Barton will appear …", "dpa"),
    # paragraphs glued into one line: a dateline in capitals after the headline
    ("Text Size\nMore flights, fewer crashes mark 2007 Associated Press - January 2, 2008 "
     "7:33 AM ET GENEVA (AP) - Last year was one of the safest …", "AP"),
    ("Stewart turning pro EUGENE, Ore. (AP) - Oregon running back …", "AP"),
])
def test_a_dateline_after_the_headline_or_in_a_layout_table_credits_its_agency(
        text: str, agency: str) -> None:
    assert with_wire_agency(Byline(), text) == Byline(agencies=(agency,))


def test_a_dateline_deep_in_the_story_credits_no_one() -> None:
    lines = "\n".join(f"Paragraph {n} of the story." for n in range(10))
    assert with_wire_agency(Byline(), lines + "\nPARIS (AP) - A quoted wire item.") == (
        Byline())
    glued = "The story goes on for a while. " * 12 + "Then PARIS (AP) - a quoted wire item."
    assert with_wire_agency(Byline(), glued) == Byline()


@pytest.mark.parametrize(("closing", "agency"), [
    ("© AAP", "AAP"),
    ("- Sapa", "Sapa"),
    ("(c) 2008 AFP", "AFP"),
    ("Copyright (c) Press Association Ltd. 2008, All Rights Reserved.\nThe full article "
     "contains 407 words and appears in Press Association newspaper.", "Press Association"),
    ("Copyright 2008 The Associated Press. All rights reserved. This material may not be\n"
     "published, broadcast, rewritten or redistributed.", "The Associated Press"),
    ("    AAP\nBrought to you by", "AAP"),
    ("Brought to you by NZPA", "NZPA"),
    # after the last sentence, on its line
    ("The Bulls won the final with a last-gasp try. - Sapa", "Sapa"),
    ("The court stopped police attempts to deport him. — PTI", "PTI"),
])
def test_a_closing_credit_names_the_wire_when_no_one_is_credited(closing: str,
                                                                 agency: str) -> None:
    text = "Floods cut the highway.\nThe police said more rain is due.\n" + closing
    assert with_wire_agency(Byline(), text) == Byline(agencies=(agency,))
    assert with_wire_agency(Byline(organisation="Brisbane Times"), text) == Byline(
        agencies=(agency,))


@pytest.mark.parametrize(("byline_", "text"), [
    (Byline(people=("Liam Fitzgibbon",)), "The embassy was cleared.\nBrought to you by AAP"),
    (Byline(), "The minister thanked Reuters for the question.\nShe said no more."),
    (Byline(), "The mayor spoke.\nCopyright 2008 The Hindu. All rights reserved."),
    (Byline(), "He said: \"AP reported it first.\"\nThe end of the story."),
    (Byline(), "The mayor spoke.\nHe thanked the crowd. - Jane"),  # a name, not a wire
])
def test_a_closing_line_names_no_wire_when_it_is_prose_or_someone_is_credited(
        byline_: Byline, text: str) -> None:
    assert with_wire_agency(byline_, text) == byline_


@pytest.mark.parametrize(("byline_", "text"), [
    (Byline(people=("Jill Serjeant",)), "LOS ANGELES (Reuters) - The awards went to…"),
    (Byline(agencies=("AFP",)), "PARIS (AP) - The strike goes on."),
    (Byline(), "The mayor (SPD) - who spoke first - said no."),  # a party, not an agency
    (Byline(), "Lemon cake (serves 8) - mix the butter."),
])
def test_a_dateline_does_not_override_a_byline_nor_read_other_brackets(
        byline_: Byline, text: str) -> None:
    assert with_wire_agency(byline_, text) == byline_


@pytest.mark.parametrize(("closing", "people"), [
    ("(Reporting by Greg Stutchbury in Melbourne; Editing by John O'Brien)",
     ("Greg Stutchbury",)),
    ("(Reporting by Adrian Croft, Editing by Luke Baker) © Reuters 2008 All rights reserved",
     ("Adrian Croft",)),
    ("(Writing by Greg Stutchbury; Editing by John O'Brien)", ("Greg Stutchbury",)),
    ("(Reporting by Jonathan Landay in Washington and Idrees Ali in Kabul; Writing by Mary "
     "Milliken; Editing by Don Durfee)", ("Jonathan Landay", "Idrees Ali", "Mary Milliken")),
])
def test_a_closing_reporting_credit_names_the_reporters(closing: str,
                                                        people: tuple[str, ...]) -> None:
    text = "The final match is in Queenstown.\n" + closing
    assert with_reporting_credit(Byline(), text) == Byline(people=people)
    # the wire the story credits stays beside them; an organisation credit yields to them
    assert with_reporting_credit(Byline(agencies=("Reuters",)), text) == Byline(
        people=people, agencies=("Reuters",))
    assert with_reporting_credit(Byline(organisation="Reuters AlertNet"), text) == Byline(
        people=people)


@pytest.mark.parametrize(("byline_", "text"), [
    # someone is named already: the credit adds nothing
    (Byline(people=("Tom Ashby",)), "Rebels struck.\n(Reporting by Randy Fabi; Editing by Jon "
                                    "Boyle)"),
    # editors and contributors are not the story's authors
    (Byline(), "Rebels struck.\n(Editing by Belinda Goldsmith and Eric Walsh)"),
    (Byline(), "Rebels struck.\n(Additional reporting by Jane Roe; Editing by Jon Boyle)"),
    # prose, not a credit in brackets
    (Byline(), "Rebels struck, reporting by radio (Reporting by wire services is slow)."),
    # far from the story's end: a quoted credit, not this story's
    (Byline(), "(Reporting by Randy Fabi)\n" + "The story goes on.\n" * 200),
])
def test_no_reporting_credit_where_someone_is_named_or_none_reported(byline_: Byline,
                                                                     text: str) -> None:
    assert with_reporting_credit(byline_, text) == byline_


@pytest.mark.parametrize(("written", "people", "agencies"), [
    ("By JOHN PYE, AP Sports Writer", ("JOHN PYE",), ("AP",)),
    ("IBRAHIM BARZAK, Associated Press Writer", ("IBRAHIM BARZAK",), ("Associated Press",)),
    ("Karen Matthews, The Associated Press", ("Karen Matthews",), ("The Associated Press",)),
    ("Phil Collin, Staff Writer", ("Phil Collin",), ()),  # a title alone is no one's name
    ("Peter Writer", ("Peter Writer",), ()),  # a surname is not a title
    ("Nick Levine, Music Editor", ("Nick Levine",), ()),
    ("Sports News Editor", (), ()),
    ("Updated", (), ()),  # a page's "Updated" read as a name
    ("Peter Editor", ("Peter Editor",), ()),
    # the title glued to the name, no comma between
    ("By JOSEPH WHITE AP Sports Writer", ("JOSEPH WHITE",), ("AP",)),
    ("By RAQUEL MARIA DILLON, For The Associated Press", ("RAQUEL MARIA DILLON",),
     ("The Associated Press",)),
    # the day after the name, cut by commas
    ("By David Lassen Thursday, December 27, 2007", ("David Lassen",), ()),
    ("Jan", ("Jan",), ()),  # a month's short name is also a first name
    ("Anna Herald Smith", ("Anna Herald Smith",), ()),  # a newsroom's word, not its last
])
def test_a_wire_reporters_title_credits_the_wire_and_no_title_is_a_person(
        written: str, people: tuple[str, ...], agencies: tuple[str, ...]) -> None:
    assert choose_byline((), set(), written) == Byline(people, agencies)


@pytest.mark.parametrize(("written", "person", "newsroom"), [
    ("By Andy Howell, Western Mail", "Andy Howell", "Western Mail"),
    ("By Evan Lehmann, Eagle Washington Bureau", "Evan Lehmann", "Eagle Washington Bureau"),
])
def test_a_newsroom_credited_beside_the_reporter_is_no_person(
        written: str, person: str, newsroom: str) -> None:
    assert choose_byline((), set(), written) == Byline((person,), (), newsroom)


def test_a_month_cut_from_its_day_after_a_newsrooms_title_is_no_name() -> None:
    found = choose_byline((), set(), "Chris Foster, Los Angeles Times Staff Writer December")
    assert found.people == ("Chris Foster",) and found.organisation == "Los Angeles Times"
    assert choose_byline((), set(), "Anna December").people == ("Anna December",)


def test_photo_credits_are_no_authors_and_companies_no_people() -> None:
    assert choose_byline((), set(), "Staff Photo by Kathy Anderson") == Byline()
    assert choose_byline((), set(), "Elizabeth Mullener; Foto: Jan Roe").people == (
        "Elizabeth Mullener",)
    assert choose_byline((), set(), "Vitalnetwork Ltd") == Byline(organisation="Vitalnetwork Ltd")


@pytest.mark.parametrize(("written", "expected"), [
    # a role in brackets is no part of the name; a photographer's credit no author's
    ("Von Anna Beispiel (Text) und Max Muster (Fotos)", Byline(("Anna Beispiel",))),
    ("Eberhard Fuhr (Pressesprecher des EJW)", Byline(("Eberhard Fuhr",))),
    # an agency in brackets is credited as one
    ("By John Smith (Reuters)", Byline(("John Smith",), ("Reuters",))),
    ("Jane Roe (dpa)", Byline(("Jane Roe",), ("dpa",))),
    # Reuters' closing credits: the reporters wrote it, the editors did not
    ("Reporting by John Smith; Additional reporting by Jane Doe; Editing by Bob Lee",
     Byline(("John Smith", "Jane Doe"))),
    ("revised edition edited by Adrian Parr", Byline()),
    ("Translated by Ann Roe", Byline()),
    # a link beside the name, read with it
    ("John Leyden More by this author", Byline(("John Leyden",))),
    ("Jane Doe More from this author", Byline(("Jane Doe",))),
    ("By Jane Doe, AFP", Byline(("Jane Doe",), ("AFP",))),
])
def test_roles_editors_and_links_beside_a_name_are_no_part_of_it(written: str,
                                                                  expected: Byline) -> None:
    assert choose_byline((), set(), written) == expected


@pytest.mark.parametrize(("written", "people"), [
    ("cipha[at]cipha.net", ()),  # an address written against spam harvesters
    ("Jane Roe jane (at) example (dot) org", ("Jane Roe",)),
    ("Lüder Hoppe info@buero-hoppe.de", ("Lüder Hoppe",)),
    ("Williams Perdomo @wperdomod", ("Williams Perdomo",)),
    ("Julia Prodis Sulek; jsulek@bayareanewsgroup.com", ("Julia Prodis Sulek",)),
    ("a.sleegers@boersen-zeitung.de", ()),  # a way to write to someone, no name
    ("mailto:english@peopledaily.com.cn", ()),
])
def test_an_email_address_or_a_handle_is_no_name(written: str, people: tuple[str, ...]
                                                  ) -> None:
    assert choose_byline((), set(), written).people == people


@pytest.mark.parametrize(("credited", "text", "expected"), [
    # the markup credits the brand, the account that posted it, or no one
    (Byline(organisation="tagesschau.de"),
     "Nach einem Datenleck\nVon Volkmar Kabisch, Jan Lukas Strozyk und Benedikt Strunz, NDR\n"
     "Rheinmetall ...", Byline(("Volkmar Kabisch", "Jan Lukas Strozyk", "Benedikt Strunz"))),
    (Byline(("Bund der Energieverbraucher e.V",)), "Von Leonora Holling\nDie Preise ...",
     Byline(("Leonora Holling",))),
    (Byline(("Isabell Angele",)), "Erfinderinnen\nVon Matthias Lauerer\nAnn Kiessling ...",
     Byline(("Matthias Lauerer",))),
    (Byline(organisation="BBC News"), "By Nada Tawfik, BBC News, New York\nThe ...",
     Byline(("Nada Tawfik",))),  # the names end where the newsroom and its place begin
    (Byline(agencies=("dpa",)), "Von Jane Roe in Berlin\nDie ...",
     Byline(("Jane Roe",), ("dpa",))),
    (Byline(), "By Jane Doe, AP\nThe ...", Byline(("Jane Doe",), ("AP",))),
])
def test_the_byline_a_story_opens_with_is_whom_it_is_by(
        credited: Byline, text: str, expected: Byline) -> None:
    assert with_opening_byline(credited, text, set()) == expected


@pytest.mark.parametrize("text", [
    "Von Jane Doe\nDie ...",  # the markup names her already (and Ann Lee beside her)
    "By the time we realised what was happening, it was already too late.\nWe ...",
    "By Invitation\nThe ...",  # a column's name: one word
    "Von Berlin aus fährt der Zug ...",
    "One\nTwo\nThree\nFour\nVon Max Roe\nFive",  # past the story's first lines
])
def test_no_opening_byline_where_the_line_is_none_or_adds_no_one(text: str) -> None:
    credited = Byline(("Jane Doe", "Ann Lee"), ("dpa",))
    assert with_opening_byline(credited, text, set()) == credited


def test_a_page_crediting_its_publisher_is_by_the_reporter_its_text_opens_with() -> None:
    from extractors.html import extract_page

    story = " ".join(["Der Energiepreis ist im Oktober deutlich gestiegen, so die Verbände."] * 12)
    page = ("<html><head><title>Strompreise steigen</title>"
            "<meta name='author' content='Energieverbraucher e.V.'></head><body><article>"
            f"<h1>Strompreise steigen</h1><p>Von Leonora Holling</p><p>{story}</p>"
            f"<p>{story}</p></article></body></html>")
    meta = extract_page(page, url="https://www.energieverbraucher.de/de/preise/1")
    assert (meta.author, meta.agencies) == ("Leonora Holling", None)


@pytest.mark.parametrize(("written", "name"), [
    ("Michelle Shephard National Security Reporter", "Michelle Shephard"),
    ("Patrick Barnard Internet Communications Editor", "Patrick Barnard"),
    ("Anna Lena Kurz Senior Writer", "Anna Lena Kurz"),
])
def test_a_job_title_after_a_name_is_cut_off(written: str, name: str) -> None:
    assert choose_byline((), set(), written).people == (name,)


def _signed(body: str, text: str, byline_: Byline) -> Byline:
    tree = trafilatura.load_html(f"<html><body>{body}</body></html>")
    assert tree is not None
    return with_signature(byline_, read_markup(tree), text)


SITE = Byline(organisation="Lesotho Times")


@pytest.mark.parametrize(("body", "text", "people"), [
    # under the standfirst
    ("<p><em>as villages cry foul</em></p><p><strong>Mathatisi Sebusi/Mohalenyane "
     "Phakela</strong></p><p>A Chinese-owned quarry has come under fire.</p>",
     "as villages cry foul\nMathatisi Sebusi/Mohalenyane Phakela\nA Chinese-owned quarry "
     "has come under fire.", ("Mathatisi Sebusi", "Mohalenyane Phakela")),
    # at the end, set to the right
    ("<p>Treatment depends on the stage.</p><p style='text-align:right'><strong>Lê Phương"
     "</strong></p>", "Treatment depends on the stage.\nLê Phương", ("Lê Phương",)),
])
def test_a_paragraph_of_a_bold_name_signs_a_story_the_site_credits_to_itself(
        body: str, text: str, people: tuple[str, ...]) -> None:
    assert _signed(body, text, SITE) == Byline(people=people)


@pytest.mark.parametrize(("body", "text", "byline_"), [
    # no one credited: a bold line is as often a subheading
    ("<p><strong>Accessibility Links</strong></p><p>Story.</p>", "Accessibility Links\nStory.",
     Byline()),
    # someone is named already
    ("<p><strong>Jane Roe</strong></p>", "Jane Roe\nStory.", Byline(people=("Ann Lee",))),
    # bold words inside a sentence, a lower-case heading, a heading deep in the story
    ("<p>Said <strong>Jane Roe</strong> today.</p>", "Said Jane Roe today.", SITE),
    ("<p><b>Key points of the plan</b></p>", "Key points of the plan\nStory.", SITE),
    ("<p><b>Jane Roe</b></p>", "\n".join(["Story."] * 5 + ["Jane Roe"] + ["More."] * 5), SITE),
])
def test_no_signature_where_no_one_is_credited_or_the_bold_line_is_no_name(
        body: str, text: str, byline_: Byline) -> None:
    assert _signed(body, text, byline_) == byline_


@pytest.mark.parametrize(("written", "people"), [
    # a middle initial written without its dot is part of the name, in any case
    ("John E Smith", ("John E Smith",)),
    ("MARY I JONES", ("MARY I JONES",)),
    ("Mark A Brown and Ann Y Lee", ("Mark A Brown", "Ann Y Lee")),
    # "and" in the languages bylines are written in
    ("Jan Novák a Petr Svoboda", ("Jan Novák", "Petr Svoboda")),
    ("Ahmet Yılmaz ve Mehmet Demir", ("Ahmet Yılmaz", "Mehmet Demir")),
    ("Ιωάννης Παπαδόπουλος και Μαρία Γεωργίου", ("Ιωάννης Παπαδόπουλος", "Μαρία Γεωργίου")),
    ("Иван Иванов и Петр Петров", ("Иван Иванов", "Петр Петров")),
    ("Jan Kowalski oraz Anna Nowak", ("Jan Kowalski", "Anna Nowak")),
    ("Von Anna Beispiel sowie Hans Muster", ("Anna Beispiel", "Hans Muster")),
    # "written by" in other languages
    ("Yazan: Ahmet Yılmaz", ("Ahmet Yılmaz",)),
    ("Texto: Ana Gómez | Fotos: Luis Ruiz", ("Ana Gómez",)),
    ("Texte : Jean Dupont", ("Jean Dupont",)),
    ("Автор: Иван Иванов", ("Иван Иванов",)),
    # a freelancer's credit to the paper is no second writer; alone, it is the byline
    ("Jane Doe, Special to The Globe and Mail", ("Jane Doe",)),
    ("Special to National Post", ("Special to National Post",)),
    # a spaced dash parts what a hyphen joins; a web address beside a name is no name
    ("Hans-Peter Müller - Staff Writer", ("Hans-Peter Müller",)),
    ("Frank Bueltge - http://bueltge.de", ("Frank Bueltge",)),
    ("Frank Bueltge, www.bueltge.de/about", ("Frank Bueltge",)),
])
def test_names_part_at_and_in_many_languages_but_not_at_a_middle_initial(
        written: str, people: tuple[str, ...]) -> None:
    assert byline("", written).people == people


@pytest.mark.parametrize(("written", "agencies", "people"), [
    ("Redaktion dpa", ("dpa",), ()),
    ("Redacción EFE", ("EFE",), ()),
    ("Redazione ANSA", ("ANSA",), ()),
    ("Redaktion hessenschau.de", (), ("Redaktion hessenschau.de",)),  # its own newsroom
    ("Peter Meier - dpa", ("dpa",), ("Peter Meier",)),
    ("John Smith – Reuters", ("Reuters",), ("John Smith",)),
])
def test_a_newsroom_credited_with_an_agency_is_that_agency(
        written: str, agencies: tuple[str, ...], people: tuple[str, ...]) -> None:
    found = byline("", written, url="https://www.example.org/a/1")
    assert (found.agencies, found.people) == (agencies, people)
