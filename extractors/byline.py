"""Who wrote an article: people and news agencies, kept apart, with the usual noise removed.

Pages state authors in structured markup (JSON-LD ``author``, ``<meta name=author>`` and
its variants, an ``<a rel="author">`` link or a blog theme's hCard byline) more reliably
than in the visible byline, which trafilatura reads with whatever surrounds it ("View all
posts by …", "Zum Profil von …", "… Stand 12.03."). So the structured sources come first
and trafilatura's byline is the fallback; but where the story's own text opens with a
byline naming someone they do not, that line is whom it is by (the markup then names the
account or the brand that posted it).

Every name is cleaned the same way: "By"/"Von"/"Autor:" prefixes and profile links ("Alle
Beiträge von …", "Voir tous les articles de …") are stripped, lists are split ("A, B und
C", "A; B", "A & B", "A, B, and C"), e-mail addresses (also "name[at]site.net") and
handles, placeholders ("name", "admin", "no author"), dates, degrees ("PhD"), job titles
("… Staff Writer"), roles in brackets ("Anna Beispiel (Text)") and a "More by this author"
link are dropped, editors and translators ("Editing by …") are not authors, a name printed
twice is kept once, and initials keep the dots the page writes (trafilatura's byline drops
them). News agencies (dpa, AFP, Reuters …) are returned apart
from people, so "Paula Steiger, SDA" is one author and one agency, and "JOHN PYE, AP
Sports Writer" one author and the agency his title names (a title alone, "Staff Writer",
is no one's name). The publisher itself (an organisation named like the site, or typed
``Organization`` in JSON-LD) is credited only when no source names a person or an agency:
"DER SPIEGEL" is what such a page says wrote it. A wire story a page prints with no
byline at all is credited to the agency its dateline names ("LONDON (Reuters) - …").

Pure lxml and the standard library, on the tree :mod:`extractors.html` parsed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from lxml import etree

from extractors.markup import PageMarkup, clean_text, squash

#: ``<meta>`` keys that hold author names (not profile URLs, which are skipped).
AUTHOR_META_KEYS = (
    "author",
    "article:author",
    "og:article:author",
    "byl",
    "dc.creator",
    "dcterms.creator",
    "sailthru.author",
    "parsely-author",
    "cxenseparse:author",
)
#: Agencies, matched on letters and digits only ("Keystone-SDA" -> "keystonesda").
AGENCIES = frozenset({
    "dpa", "afp", "ap", "apa", "reuters", "sda", "keystonesda", "kna", "epd", "ddp", "dts",
    "sid", "efe", "ansa", "jiji", "kyodo", "xinhua", "anp", "belga", "tass", "ria", "upi", "pa",
    "aap", "ips", "ntb", "tt", "ritzau", "ani", "pti", "ians", "yonhap", "aa", "europapress",
    "lusa", "ctk", "pap", "mti", "hina", "bta", "ana", "apaap", "dpaafx",
    # the same agencies written out, as bylines print them ("Associated Press Writer")
    "associatedpress", "agencefrancepresse", "pressassociation", "australianassociatedpress",
    "presstrustofindia", "unitedpressinternational", "canadianpress", "deutschepresseagentur",
    "kyodonews", "yonhapnews", "indoasiannewsservice", "asiannewsinternational",
    "xinhuanewsagency", "sapa", "nzpa",
    # wires of one country or one field
    "cp", "sportsnetwork", "pasport", "baycitynews", "cnw", "canadanewswire", "aki",
    "adnkronos", "spx",
})
#: A reporter's title, alone ("Staff Writer", "Sports News Editor") or after a wire's name
#: ("AP Sports Writer").
_REPORTER = re.compile(
    r"^(?:(?:staff|sports|business|political|politics|medical|health|science|technology|"
    r"entertainment|music|movie|film|auto|religion|legal|travel|economics|senior|chief|"
    r"special|national|foreign|diplomatic)\s+)?(?:news\s+)?(?:writer|correspondent|reporter|"
    r"editor)$",
    re.IGNORECASE)
_JSONLD_ARTICLES = ("article", "posting", "report", "webpage")
_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
          r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)")
_WEEKDAYS = "monday|tuesday|wednesday|thursday|friday|saturday|sunday"
_WEEKDAY = rf"(?:{_WEEKDAYS})"
_PREFIX = re.compile(
    r"^(?:view all posts by|all posts by|posts by|posted by|written by|more (?:stories )?by|"
    r"zum profil von|(?:zeige )?alle (?:beiträge|artikel) von|mehr von|"
    r"(?:voir )?tous les articles de|(?:ver )?todas las entradas de|tutti gli articoli di|"
    r"ein (?:beitrag|kommentar) von|(?:additional )?reporting by|reported by|"
    r"interview|autor(?:in|e)?|auteur|author|text|texte|texto|tekst|yazan|yazar|автор|"
    r"von|by|par|por|di|door|av|af|redakteur(?:in)?)\b[\s:]*",
    re.IGNORECASE,
)
#: What follows a name: a date line, a verb, a reading time ("Tiempo de lectura: 4 min"),
#: or a Korean byline's job title ("신현주 기자", reporter; "특파원", correspondent;
#: "박준석 기자 외 1명", and one other).
_SUFFIX = re.compile(
    r"\s+(?:stand|said|schreibt|says|updated|aktualisiert|tiempo de lectura|lesezeit|"
    r"reading time|\d+\s*min(?:ute)?s? read|(?:선임|수석)?(?:기자|특파원)|anzeigen|"
    r"more (?:by|from) this author|"
    r"(?:on\s+)?" + _MONTH + r"\s+\d|" + _WEEKDAY + r")\b.*$",
    re.IGNORECASE,
)
#: A month cut from its day by a comma, after a title ("… Staff Writer December").
_TITLE_MONTH = re.compile(rf"(?:(?<=writer|editor)|(?<=reporter))\s+{_MONTH}\.?$", re.IGNORECASE)
#: A list item that is a date ("On August 3, 2014", "December" cut from its day by a
#: comma), not a name; a month alone only when no one is named so ("Jan", "April", "June").
_DATE_ONLY = re.compile(
    rf"^(?:on\s+)?(?:{_MONTH}\b\.?\s+\d|(?:january|february|march|september|october|"
    rf"november|december|{_WEEKDAYS})$)",
    re.IGNORECASE)
#: Degrees after a name ("Grant Tinsley, PhD") split off as items of their own.
_DEGREES = frozenset({"phd", "md", "mba", "msc", "bsc", "mph", "rd", "rdn", "dphil", "llm",
                      "dr", "prof", "mdphd"})
#: A one-letter word followed by more: an initial written without its dot.
_BARE_INITIAL = re.compile(r"(?<!\S)[^\W\d_](?=\s)")
#: One name of a list as trafilatura joins them ("A B; C D").
_NAME_LIST = re.compile(r"[^;,|/&]+")
#: A link's label, not a name ("Afficher mon profil complet", "Show all articles of …",
#: "Weitere Artikel").
_LINK_LABEL = re.compile(r"\bprofile?\b|articles?|artikel|\bposts?\b|beiträge|\bweiter|\bmore\b",
                      re.IGNORECASE)
#: Candidates for :func:`author_links`, narrowed in Python (``rel`` and ``class`` are lists).
_AUTHOR_LINK = etree.XPath(".//a[contains(@rel, 'author') or contains(@class, 'fn')]"
                           " | .//span[contains(@class, 'fn')]")
#: The words a visible byline line starts with (:func:`visible_bylines`).
_BYLINE_WORDS = ("von", "by", "par")
#: What may open a line before its byline word ("Written by Chris Beaumont").
_BYLINE_LEAD = ("written", "posted", "reported")
#: Text nodes that may open a visible byline line: a byline word, a credit label or a day
#: written with digits. The first letter is tested in XPath (one pass in C over the page);
#: the rest in Python, on the few nodes left.
_LINE_START_TEXT = etree.XPath(
    "//body//text()[contains('VvBbPpAaTtRrWw0123456789', substring(normalize-space(.), 1, 1))"
    " and normalize-space(.)]")
#: Text nodes with a byline word inside, for a line that opens with the day ("Jan 14 2008 by
#: Andy Howell", "16th Jan 2008, 09:28am by Damien McFerran").
_INNER_BY_TEXT = etree.XPath(
    "//body//text()[contains(., ' by ') or contains(., ' By ') or contains(., ' BY ')]")
_LEADING_DAY = re.compile(
    rf"^\s*(?:{_WEEKDAY}\.?,?\s+)?(?:{_MONTH}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|"
    rf"\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}\.?,?\s+\d{{4}})"
    r"(?:,?\s+\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?)?[\s,|•·–-]*(?=by\b)",
    re.IGNORECASE)
_CREDIT_OR_DATE_START = re.compile(r"\s*(?:\d{1,2}\.|\d{4}-|auto|auth|text|reda|verf)",
                                   re.IGNORECASE)
_BYLINE_LINE = re.compile(
    rf"^(?:(?:{'|'.join(_BYLINE_LEAD)})\s+)?(?:{'|'.join(_BYLINE_WORDS)})\s*:?\s+"
    r"(?P<name>[^\W\d_][\w.'’,-]*(?:\s+[\w.'’,&-]+){0,8})$",
    re.IGNORECASE)
_NAME = r"(?P<name>[^\W\d_][\w.'’,/-]*(?:\s+[\w.'’,/&-]+){0,8})"
#: A credit label and a name ("Autor: Peter Maahn/SP-X", "Text: Klausmartin Friedrich",
#: "Redaktion: Eberhard Fuhr"): the label needs its colon ("Text" also starts sentences).
_CREDIT = r"(?:autor(?:in)?|author|text|redaktion|verfasser(?:in)?)\s*:\s*"
_CREDIT_LINE = re.compile(rf"^{_CREDIT}{_NAME}$", re.IGNORECASE)
#: A date (and time), then a name: the line under a headline that CMS themes print without
#: a byline word or class ("11.12.2019 - Amelie Loevenich", "04.02.2022 | 13:10 Uhr | Uta
#: Helkenberg", "06.11.2023 13:30 von Olga Meier").
_CLOCK = r"\d{1,2}:\d{2}(?:\s*uhr)?"
_DATED_LINE = re.compile(
    r"^(?:\d{1,2}\.\s?\d{1,2}\.\s?\d{4}|\d{4}-\d{2}-\d{2}),?(?:\s+" + _CLOCK + r")?\s*"
    r"(?:[-–|•·]\s*(?:" + _CLOCK + r"\s*[-–|•·]\s*)?|von\s+|by\s+)"
    rf"(?:{_CREDIT})?{_NAME}$",
    re.IGNORECASE)
#: A role in brackets after the name ("Eberhard Fuhr (Pressesprecher des EJW)"), or the
#: agency the reporter files for ("John Smith (Reuters)").
_BRACKETED = re.compile(r"\s*\(([^()]*)\)\s*$")
#: Who edited, compiled or translated a story did not write it ("Editing by Bob Lee",
#: "revised edition edited by …"); Reuters' "Reporting by" names its writers.
_NOT_WRITER = re.compile(r"\b(?:edit(?:ed|ing)|compiled|translat(?:ed|ion)|übersetzt|"
                         r"redigiert|bearbeitet)\s+(?:by|von)\b", re.IGNORECASE)
#: A reporter's place after a name in a byline line ("By Daniel Dombey in Washington",
#: "By Sarah Laitner in Brussels, Maija Palmer in London").
_PLACE = re.compile(r"\s+in\s+[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,2}(?=\s*(?:,|\band\b|$))")
#: The time a byline line ends with ("by Tameka Kee, Friday, Dec 28, 2007 9:00 AM ET",
#: "Written by Chris Beaumont Published January 07, 2008", "By MARK LAVIE, Associated
#: Press Writer 1 hour, 44 minutes ago").
_LINE_DAY = re.compile(
    r"[\s,;|•·–-]+(?:(?:(?:published|posted|updated)\s*:?\s*)?"
    r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+)?"
    + _MONTH + r"\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}\b.*"
    r"|\d+\s+(?:hours?|minutes?|mins?|days?)\b[\w\s,]*\bago)$",
    re.IGNORECASE)
_NAME_PARTICLES = frozenset({"von", "van", "der", "den", "de", "la", "le", "du", "da", "di",
                             "del", "dos", "ter", "zu", "bin", "al"})
_NAME_JOINS = frozenset({"and", "und", "et", "y", "e", "&"})
#: What follows "By" in a menu or a sort order, not in a byline.
_NOT_NAMES = frozenset({
    "category", "categories", "topic", "topics", "date", "region", "country", "tag", "tags",
    "author", "authors", "name", "type", "year", "month", "subject", "section", "popularity",
    "relevance", "price", "rating", "newest", "oldest", "datum", "thema", "themen", "rubrik",
    "kategorie", "autor", "land", "jahr", "catégorie", "sujet", "auteur",
})
#: More different names on visible byline lines than this: a list of other articles.
MAX_VISIBLE_BYLINES = 2
_IN_CAPTION = etree.XPath("ancestor-or-self::*[self::figcaption or self::figure]")
#: Commenters' names are links to their sites, some marked ``rel=author``.
_IN_COMMENTS = etree.XPath("ancestor::*[contains(@class, 'comment') or contains(@id, 'comment')]")
_IN_AUTHOR = etree.XPath("ancestor-or-self::*[contains(@class, 'author')]")
#: A job title after a name ("… Staff Writer", "… Contributor", "… National Security
#: Reporter", "… Internet Communications Editor").
_ROLE = re.compile(r"\s+(?:staff(?: writer| reporter)?|contributor|contributing writer|"
                   r"senior writer|correspondent|(?:[^\W\d_]+\s+){1,2}(?:reporter|editor))$",
                   re.IGNORECASE)
#: A credit that names a company ("Vitalnetwork Ltd", "Bergportal GmbH"), not a person.
_ORGANISATION = re.compile(r"\s(?:ltd|inc|gmbh|llc|plc|corp)\.?$", re.IGNORECASE)
#: A photo credit ("Staff Photo by Kathy Anderson", "Foto: …"), not the story's author.
_PHOTO_CREDIT = re.compile(r"\b(?:photos?|photographs?|photography|fotos?|bilder?)\b",
                           re.IGNORECASE)
#: An e-mail address or a social handle beside a name, or in its place ("Lüder Hoppe
#: info@buero-hoppe.de", "Williams Perdomo @wperdomod", "a.sleegers@boersen-zeitung.de"):
#: a way to write to someone, never their name.
_CONTACT = re.compile(
    r"(?:mailto:)?[\w.+-]+@[\w-]+(?:\.[\w-]+)+|(?<!\w)@\w+"
    # written against spam harvesters: "cipha[at]cipha.net", "jane (at) example (dot) org"
    r"|[\w.+-]+\s*[\[(]at[\])]\s*[\w-]+(?:\s*(?:\.|[\[(]dot[\])])\s*[\w-]+)+",
    re.IGNORECASE)
#: A newsroom credited with the agency its story came from ("Redaktion dpa", "Redacción
#: EFE", "Redazione ANSA"): the agency. A newsroom with its own name ("Redaktion
#: hessenschau.de") is credited as written.
_NEWSROOM_AGENCY = re.compile(
    r"^(?:redaktion|rédaction|redacción|redação|redazione|redactie|redakcja)\s+(.+)$",
    re.IGNORECASE)
#: A freelancer's credit to the paper after the name ("Jane Doe, Special to The Globe and
#: Mail"): the paper is no writer, and its name would split at its "and". Alone, the
#: credit is all the byline says, and stays.
_SPECIAL_TO = re.compile(r"(?<=\w)[,\s]+special (?:to|for)\b.*$", re.IGNORECASE)
#: A web address beside a name ("Frank Bueltge - http://bueltge.de", or cut to "http"): no
#: name, and its slashes would part it into pieces that read as names.
_WEB_ADDRESS = re.compile(r"\b(?:https?\b|www\.)\S*", re.IGNORECASE)
#: A user handle with dots for spaces ("edilson.la.rosa").
_HANDLE = re.compile(r"^[^\W\d_]{2,}(?:\.[^\W\d_]{2,})+$")
#: A URL slug given as the name ("chuck-ross", a CMS's author login in JSON-LD): lowercase
#: words joined by hyphens. A written double name is capitalised ("Jean-Pierre").
_SLUG = re.compile(r"^[^\W\d_]{2,}(?:-[^\W\d_]{2,})+$")
#: Where a byline's names part: punctuation (a spaced dash too: "Peter Meier - dpa"; a
#: double name's hyphen has no spaces), and "and" in the languages bylines are written
#: in. The one-letter ones (Spanish "y", Italian and Portuguese "e", Polish and Catalan
#: "i", Czech and Slovak "a") only in lower case: "John E Smith" is one man.
_SPLIT = re.compile(r"\s*(?:;|\||,(?:\s*(?:and|und|og|och|et|en)\s)?|/|&|\s[-–—]\s|"
                    r"\s+(?:and|und|sowie|og|och|et|en|ve|és|și|oraz|και|и|і|та)\s+|"
                    r"\s+(?-i:y|e|i|a)\s+)\s*", re.IGNORECASE)
_PLACEHOLDERS = frozenset({
    "name", "admin", "administrator", "wordpressadmin", "noauthor", "unknown", "anonymous",
    "posted", "follow", "redaktion", "editor", "staff", "guest", "gast", "user", "updated",
    "published", "aktualisiert", "veröffentlicht",
})
_ORG_SUFFIXES = ("de", "com", "at", "ch", "net", "org", "online", "gmbh", "ag", "inc", "ltd",
                 "media", "redaktion", "digital", "lt", "is")
_HAS_LETTER = re.compile(r"[^\W\d_]")
#: A newspaper's or newsroom's name credited beside a reporter ("By Andy Howell, Western
#: Mail", "By Evan Lehmann, Eagle Washington Bureau"): its last word says what it is.
_NEWSROOM = re.compile(
    r"\s(?:times|mail|tribune|herald|gazette|journal|bureau|chronicle|telegraph|guardian|"
    r"observer|courier|dispatch|inquirer|examiner|bulletin|newspapers?|news|magazine)$",
    re.IGNORECASE)
#: A name longer than this many words is a sentence or a job title, not a name.
MAX_NAME_WORDS = 6
#: More different author links than this: a page listing posts by many people.
MAX_AUTHOR_LINKS = 3


@dataclass(frozen=True, slots=True)
class Byline:
    people: tuple[str, ...] = ()
    agencies: tuple[str, ...] = ()
    #: The organisation credited as author when the page names no person and no agency
    #: ("DER SPIEGEL", "BBC News"): what the page says, rather than no credit at all.
    organisation: str | None = None


def byline_candidates(page: PageMarkup) -> tuple[tuple[str, ...], ...]:
    """Author names the page states, by source, most reliable first: JSON-LD, meta, then
    the page's author links."""
    return (tuple(_jsonld_authors(page)), tuple(_meta_authors(page)), author_links(page))


def author_links(page: PageMarkup) -> tuple[str, ...]:
    """Names the page marks up as its author: ``<a rel="author">`` (HTML's own link type for
    the article's author) and the hCard byline (``class="author vcard"`` … ``class="fn"``)
    that blog themes print. A page that links more than :data:`MAX_AUTHOR_LINKS` different
    names is a list of posts, not one article, and gives none."""
    names: dict[str, str] = {}
    for element in _AUTHOR_LINK(page.tree):
        rel = (element.get("rel") or "").lower().split()
        classes = (element.get("class") or "").split()
        hcard = "fn" in classes and bool(_IN_AUTHOR(element))
        if ("author" in rel or hcard) and not _IN_COMMENTS(element):
            name = clean_text(element.text_content())
            if name and len(name.split()) <= MAX_NAME_WORDS and not _LINK_LABEL.search(name):
                names.setdefault(squash(name), name)
    return tuple(names.values()) if len(names) <= MAX_AUTHOR_LINKS else ()


def choose_byline(
    candidates: tuple[tuple[str, ...], ...], sites: set[str], fallback: str | None
) -> Byline:
    """The first source that names anyone, cleaned; trafilatura's byline (``fallback``) last.

    An organisation (the publisher, or a brand under another name) counts only when no
    source names a person or an agency: then the first one named is the credit."""
    organisation = None
    for raw in (*candidates, (fallback or "",)):
        byline = _clean(raw, sites)
        if byline.people or byline.agencies:
            return byline
        organisation = organisation or byline.organisation
    return Byline(organisation=organisation)


#: A dateline that credits an agency, at the start of a story: "WASHINGTON (Reuters) -",
#: "GAZA CITY, Gaza Strip (AP) --", "SYDNEY, Jan 14 (AAP) -", "Berlin (dpa) -".
_DATELINE_CREDIT = re.compile(
    r"^[^\n(]{2,80}?\((?P<agency>[A-Za-z][A-Za-z./ -]{0,30})\)\s*[-–—:]")


#: How many of a story's first lines (or a layout table's cells) its dateline may follow:
#: the headline, a byline, a date line and a table's empty or navigation cells come first.
_DATELINE_LINES = 8
#: A dateline in capitals may follow the headline on the same line, where a page's
#: paragraphs were glued ("… aviation safety Associated Press - January 2, 2008 7:33 AM ET
#: GENEVA (AP) - Last year …"), within this many characters.
_GLUED_CHARS = 300
_CAPITAL_DATELINE = re.compile(
    r"\b[A-Z][A-Z.'-]+(?:\s+[A-Z][A-Z.'-]+){0,3}(?:,\s*[A-Z][\w.]*(?:\s+[A-Z][\w.]*)?)?\s*"
    r"\((?P<agency>[A-Za-z][A-Za-z./ -]{0,30})\)\s*[-–—]")
#: How much of the text's start those lines are looked for in.
_DATELINE_CHARS = 2000
_LINE_OR_CELL = re.compile(r"\s*(?:\n|\|)\s*")


#: How many of a story's last lines a closing credit may stand in, and how far back.
_CREDIT_LINES = 4
_CREDIT_CHARS = 1500
#: A line that is only a credit: "© AAP", "- Sapa", "Copyright 2008 The Associated Press.
#: All rights reserved.", "Copyright (c) Press Association Ltd. 2008", "Brought to you by
#: NZPA", "(c) 2008 AFP".
_CLOSING_CREDIT = re.compile(
    r"^[-–—\s]*(?:(?:copyright|©|\(c\))\s*)*(?:\d{4}(?:\s*-\s*\d{4})?,?\s+)?"
    r"(?:(?:brought to you by|courtesy of|by)\s+)?"
    r"(?P<agency>[A-Za-z][A-Za-z.\- ]{0,40}?)(?:,?\s+ltd\.?)?(?:,?\s+\d{4})?"
    r"(?:[.,]?\s*all rights reserved\b.*)?[.\s]*$",
    re.IGNORECASE)


#: The same credit after the story's last sentence on its line ("… after the hooter had
#: sounded. - Sapa", "… to deport him. — PTI").
_GLUED_CREDIT = re.compile(r"[.!?\"”’]\s*[-–—]\s*(?P<agency>[A-Za-z][A-Za-z.]{1,30})\.?\s*$")


def with_wire_agency(byline: Byline, text: str) -> Byline:
    """``byline``, or when it credits no person and no agency, the wire the story itself
    credits: its dateline ("LONDON (Reuters) - …", :func:`dateline_agency`), else its
    closing credit ("© AAP", :func:`credit_agency`), as wire copy a site runs without a
    byline does. It replaces an organisation credit, the fallback for a page that names
    no one."""
    if byline.people or byline.agencies:
        return byline
    agency = dateline_agency(text) or credit_agency(text)
    return Byline(agencies=(agency,)) if agency else byline


#: The credit a wire story closes with, naming who reported and who wrote it: "(Reporting
#: by Greg Stutchbury in Melbourne; Editing by John O'Brien)", "(Reporting by Adrian
#: Croft, Editing by Luke Baker)", "(Writing by …)": Reuters' house style, kept where
#: other sites run its copy.
_REPORTING_CREDIT = re.compile(r"\((?P<credit>(?:reporting|writing)\s+by\s[^()]{3,300})\)",
                               re.IGNORECASE)
#: Where one role of that credit ends and the next begins ("…; Editing by", "…, Editing by").
_CREDIT_ROLE = re.compile(r"\s*(?:;|,(?=\s*[\w ]{0,30}\bby\b))\s*", re.IGNORECASE)
_REPORTER_ROLE = re.compile(r"^(?:reporting|writing)\s+by\s+(?P<names>.+)$", re.IGNORECASE)


def with_reporting_credit(byline: Byline, text: str) -> Byline:
    """``byline``, or when it names no person, with the reporters and writer a closing wire
    credit names (:data:`_REPORTING_CREDIT`): the only place many syndicated stories name
    them. Its editors are not authors, nor are those of "Additional reporting by"."""
    if byline.people:
        return byline
    people: dict[str, str] = {}
    for match in _REPORTING_CREDIT.finditer(text[-_CREDIT_CHARS:]):
        for role in _CREDIT_ROLE.split(match["credit"]):
            reporters = _REPORTER_ROLE.match(role.strip())
            if reporters is None:
                continue
            for name in _SPLIT.split(_PLACE.sub("", reporters["names"])):
                name = name.strip(" .")
                if name and len(name.split()) <= MAX_NAME_WORDS and _looks_like_name(name):
                    people.setdefault(squash(name), name)
    if not people:
        return byline
    return Byline(tuple(people.values()), byline.agencies)


def credit_agency(text: str) -> str | None:
    """The agency credited by one of the story's last lines, a line of nothing but the
    credit (a copyright notice, "Brought to you by …", the agency's name)."""
    lines = [line for line in _LINE_OR_CELL.split(text[-_CREDIT_CHARS:]) if line]
    for line in reversed(lines[-_CREDIT_LINES:]):
        agency = _credit_line_agency(line)
        if agency:
            return agency
    return None


def dateline_agency(text: str) -> str | None:
    """The agency credited by the dateline that opens one of the story's first lines; the
    text trafilatura returns often starts with the headline, and a page laid out in tables
    puts cells before it."""
    lines = [line for line in _LINE_OR_CELL.split(text[:_DATELINE_CHARS]) if line]
    for line in lines[:_DATELINE_LINES]:
        match = _DATELINE_CREDIT.match(line) or _CAPITAL_DATELINE.search(line[:_GLUED_CHARS])
        if match and squash(match["agency"]) in AGENCIES:
            return match["agency"].strip()
    return None


def _credit_line_agency(line: str) -> str | None:
    match = _CLOSING_CREDIT.match(line) or _GLUED_CREDIT.search(line)
    if match and _is_agency(match["agency"]):
        return match["agency"].strip()
    return None


def with_visible_byline(byline: Byline, page: PageMarkup, sites: set[str]) -> Byline:
    """``byline``, or when it credits no one at all, the page's visible byline line.

    The last resort: a line that is a byline word and a name, nothing more ("von Andreas
    Kürten", "By Jane Doe", "Par Matthieu Hy"), which themes print without the ``author``
    or ``byline`` classes trafilatura looks for. A page that credits an organisation keeps
    it: there such a line is as often a column's name ("By Invitation") as a person; only
    a labelled credit line (:func:`credit_lines`: "Author : DPA") outranks it. A page with
    more than :data:`MAX_VISIBLE_BYLINES` such names lists other articles' authors, and
    gives none.
    """
    if byline.people or byline.agencies:
        return byline
    if byline.organisation:
        found = _clean(credit_lines(page, sites), sites)
        return Byline(found.people, found.agencies) if found.people or found.agencies else byline
    found = _clean(visible_bylines(page, sites), sites)
    return Byline(found.people, found.agencies)


#: Elements a story is signed in with a bare name in bold.
_BOLD = frozenset({"strong", "b"})
#: Lines at the story's start and end a signature may be among.
_SIGNED_FIRST, _SIGNED_LAST = 4, 3
_NAME_WORD = re.compile(r"^[^\W\d_][\w'’.-]*$")


def with_signature(byline: Byline, page: PageMarkup, text: str) -> Byline:
    """``byline``, or when it credits only an organisation (the site's own account, as many
    sites publish under), the reporters a paragraph of nothing but a name in bold signs the
    story with, among its first or last lines: "<p><strong>Mohloai Mpesi</strong></p>"
    under the standfirst, "<p style="text-align:right"><strong>Lê Phương</strong></p>" at
    the end. Only there: on a page that credits no one, such a paragraph is as often a
    subheading ("Accessibility Links", "NPC Map")."""
    if byline.people or byline.agencies or not byline.organisation:
        return byline
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    ends = {" ".join(line.split()) for line in lines[:_SIGNED_FIRST] + lines[-_SIGNED_LAST:]}
    for paragraph in page.tree.iter("p"):
        children = [child for child in paragraph if isinstance(child.tag, str)]
        if (len(children) != 1 or children[0].tag not in _BOLD
                or (paragraph.text or "").strip() or (children[0].tail or "").strip()):
            continue
        signed = clean_text(paragraph.text_content())
        names = [name for name in _SPLIT.split(signed) if name]
        if signed in ends and 0 < len(names) <= MAX_VISIBLE_BYLINES + 1 and all(
                2 <= len(name.split()) <= 4
                and all(_NAME_WORD.match(word) and word[0].isupper() for word in name.split())
                for name in names):
            return Byline(people=tuple(names))
    return byline


#: Lines the story's own byline may stand among, at its start (a standfirst, a date first).
_OPENING_LINES = 4


def with_opening_byline(byline: Byline, text: str, sites: set[str]) -> Byline:
    """``byline``, unless the story's own byline among its first lines names someone it
    does not: then the people that line names. "Von Leonora Holling" where the markup
    credits "Bund der Energieverbraucher e.V", "Von Volkmar Kabisch, Jan Lukas Strozyk und
    Benedikt Strunz, NDR" where it credits tagesschau.de, "Von Matthias Lauerer" where it
    credits the editor who posted the story: the markup's author is the account or the
    brand that published it, the line the story opens with is whom it is by. Elsewhere on
    the page such a line is as often a column's name ("By Invitation"), which is why
    :func:`with_visible_byline` keeps an organisation's credit there. The names end at the
    first part that is no person (an organisation, an agency, a place after it: "By Nada
    Tawfik, BBC News, New York"), each two to five capitalised words; the markup's agencies
    stay unless the line names its own."""
    lines = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
    for line in lines[:_OPENING_LINES]:
        found = _BYLINE_LINE.match(_PLACE.sub("", line))
        if found is None or not _looks_like_name(found.group("name")):
            continue
        people: list[str] = []
        agencies: list[str] = []
        for part in _SPLIT.split(found.group("name")):
            named = _clean([part], sites)
            if named.agencies or named.organisation or len(named.people) != 1:
                agencies += named.agencies
                break
            if not 2 <= len(named.people[0].split()) <= 5:
                break
            people.append(named.people[0])
        if people:
            if {squash(name) for name in people} <= {squash(name) for name in byline.people}:
                return byline
            return Byline(tuple(people), tuple(agencies) or byline.agencies)
    return byline


def credit_lines(page: PageMarkup, sites: set[str]) -> tuple[str, ...]:
    """The names of the page's labelled credit lines alone ("Author : DPA", "Autor: Jane
    Roe", "Text: …"), which say outright whom the story is by."""
    names = _line_names([n for n in _LINE_START_TEXT(page.tree) if _CREDIT_OR_DATE_START.match(n)],
                        sites, (_CREDIT_LINE,))
    return tuple(names.values()) if len(names) <= MAX_VISIBLE_BYLINES else ()


def visible_bylines(page: PageMarkup, sites: set[str]) -> tuple[str, ...]:
    """The names of :func:`with_visible_byline`'s lines, outside comments and captions,
    less a line that is the site's own name ("VON DER SEE Werbeagentur" on von-der-see.de).

    A line is a byline word and a name; failing any, a day, a byline word and a name;
    failing that, a credit label and a name, or a date and a name of two words or more (a
    single word after a date is as often a place, "12.03.2021 - Stuttgart", as a first
    name)."""
    nodes = _LINE_START_TEXT(page.tree)
    names = _line_names(
        [n for n in nodes if n.lstrip().casefold().startswith(_BYLINE_WORDS + _BYLINE_LEAD)],
        sites, (_BYLINE_LINE,))
    if not names:  # the day first, then the byline word ("Jan 14 2008 by Andy Howell")
        names = _line_names([n for n in _INNER_BY_TEXT(page.tree) if _LEADING_DAY.match(n)],
                            sites, (_BYLINE_LINE,))
    if not names:
        names = _line_names([n for n in nodes if _CREDIT_OR_DATE_START.match(n)],
                            sites, (_CREDIT_LINE, _DATED_LINE))
    return tuple(names.values()) if len(names) <= MAX_VISIBLE_BYLINES else ()


def _line_names(nodes: Iterable[etree._ElementUnicodeResult], sites: set[str],
                lines: tuple[re.Pattern[str], ...]) -> dict[str, str]:
    names: dict[str, str] = {}
    for node in nodes:
        element = node.getparent()
        if element is None:
            continue
        if node.is_tail:  # "<i class='icon'></i> von Jane Doe": the line is the parent
            element = element.getparent()
        if element is None or _IN_COMMENTS(element) or _IN_CAPTION(element):
            continue
        text = clean_text(node if _ends_at_break(node) else element.text_content())
        if not node.is_tail and text == clean_text(node) and element.tail:
            # "<h5>Autor: </h5>Peter Maahn", "<strong>Text:</strong> Klausmartin Friedrich"
            text = clean_text(text + " " + element.tail)
        text = _PLACE.sub("", _LINE_DAY.sub("", _BRACKETED.sub("", _LEADING_DAY.sub("", text))))
        for pattern in lines:
            line = pattern.match(text)
            if not line:
                continue
            name = line.group("name")
            if (_looks_like_name(name)
                    and (pattern is not _DATED_LINE or len(name.split()) >= 2)
                    and not any(squash(text).startswith(site) for site in sites if site)):
                names.setdefault(squash(name), name)
            break
    return names


def _ends_at_break(node: etree._ElementUnicodeResult) -> bool:
    """Whether a ``<br>`` ends the text node's line ("<p>By Azera Rahman<br>New Delhi,
    Jan 13 (IANS): …"): then the line is the node, not its element's whole text."""
    owner = node.getparent()
    if owner is None:
        return False
    following = owner.getnext() if node.is_tail else (owner[0] if len(owner) else None)
    return following is not None and following.tag == "br"


def _looks_like_name(value: str) -> bool:
    """Capitalised words, with name particles ("von der", "de la") and the words that join
    names ("A, B und C") between them; not a sorting or browsing label ("By Date")."""
    words = value.replace(",", " ").split()
    if len(words) == 1 and words[0].casefold() in _NOT_NAMES:
        return False
    return (words[0][:1].isupper() and words[-1][:1].isupper()
            and all(w[:1].isupper() or w in _NAME_PARTICLES or w in _NAME_JOINS
                    for w in words))


def as_written(names: str | None, page: PageMarkup) -> str | None:
    """trafilatura's byline with each name spelled as the page spells it.

    trafilatura drops the dots of initials ("T V Raman", "Günter W Kienitz"); the page's
    own text says "T. V. Raman". Only names with a bare initial are looked up, so most
    pages never read their text here.
    """
    if not names or not _BARE_INITIAL.search(names):
        return names
    text = " ".join(page.tree.itertext())  # text_content() runs paragraphs together
    return _NAME_LIST.sub(lambda m: _spelled(m.group(0), text), names)


def _spelled(name: str, text: str) -> str:
    words = name.split()
    if len(words) < 2 or not _BARE_INITIAL.search(name + " "):
        return name
    pattern = r"\s*".join(re.escape(w) + (r"\.?" if len(w) == 1 else "") for w in words)
    found = re.search(rf"(?<!\w){pattern}(?!\w)", text)
    if found is None:
        return name
    lead, trail = name[: len(name) - len(name.lstrip())], name[len(name.rstrip()):]
    return lead + " ".join(found.group(0).split()) + trail


def plain_byline(value: str) -> Byline:
    """The people and agencies a byline printed as text names ("By JANE DOE and John Roe,
    Associated Press"), cleaned as a page's are; no site to tell a publisher by."""
    return _clean([value], set())


def _clean(raw: Iterable[str], sites: set[str]) -> Byline:
    people: dict[str, str] = {}
    agencies: dict[str, str] = {}
    organisations: list[str] = []
    for value in raw:
        if isinstance(value, _Organisation):
            organisations.append(clean_text(value))
            continue
        for name in _split(clean_text(value), sites):
            key = squash(name)
            if not key or key in _PLACEHOLDERS or not _HAS_LETTER.search(name):
                continue
            agency = _agency(name)
            if agency:
                agencies.setdefault(squash(agency), agency)
            elif _REPORTER.match(name):  # "Jane Doe, Staff Writer": a title, no one's name
                continue
            elif (_names_publisher(key, sites) or _NEWSROOM.search(name)
                  # "The Earthtimes" on earthtimes.org
                  or (name[:4].casefold() == "the " and _names_publisher(squash(name[4:]), sites))
                  or _ORGANISATION.search(name)):
                organisations.append(name)
            else:
                people.setdefault(key, name)
    return Byline(tuple(people.values()), tuple(agencies.values()),
                  organisations[0] if organisations else None)


def _agency(name: str) -> str | None:
    """The agency ``name`` credits, as written: itself ("Reuters", "The Associated Press"),
    or the agency in a wire reporter's title ("AP Sports Writer" -> "AP", "Associated Press
    Writer" -> "Associated Press"), also written for it ("For The Associated Press")."""
    words = name.split()
    if len(words) > 1 and words[0].casefold() == "for":
        words = words[1:]
    for cut in range(len(words), 0, -1):
        head, role = " ".join(words[:cut]), " ".join(words[cut:])
        if (not role or _REPORTER.match(role)) and _is_agency(head):
            return head
    return None


def _is_agency(name: str) -> bool:
    """Whether ``name`` is a wire's, written with "The" or without."""
    return squash(name.removeprefix("The ").removeprefix("the ")) in AGENCIES


class _Organisation(str):
    """A name JSON-LD types as an organisation that is no agency."""


def _names_publisher(key: str, sites: set[str]) -> bool:
    """'Stuttgarter Zeitung', 'tagesschau.de', 'Nikkei Inc.' on their own sites."""
    return key in sites or any(key.removesuffix(suffix) in sites for suffix in _ORG_SUFFIXES)


def _split(value: str, sites: set[str]) -> Iterator[str]:
    if value.startswith(("http://", "https://", "www.")):
        return
    value = _SPECIAL_TO.sub("", _WEB_ADDRESS.sub(" ", _CONTACT.sub(" ", value)))
    for part in _SPLIT.split(value):
        if _DATE_ONLY.match(part.strip()):
            continue
        if _NOT_WRITER.search(part):
            continue
        part = _SUFFIX.sub("", _PREFIX.sub("", _TITLE_MONTH.sub("", part.strip())))
        part = part.strip(" .:-–")
        newsroom = _NEWSROOM_AGENCY.match(part)
        if newsroom and _is_agency(newsroom.group(1)):
            part = newsroom.group(1)
        if _PHOTO_CREDIT.search(part):
            continue
        bracketed = _BRACKETED.search(part)
        if bracketed:
            part = part[: bracketed.start()]
            if _is_agency(bracketed.group(1)):
                yield bracketed.group(1).strip()
        if _HANDLE.match(part) and not _names_publisher(squash(part), sites):
            part = part.replace(".", " ")
        elif _SLUG.match(part) and part.islower() and not _names_publisher(squash(part), sites):
            part = " ".join(word.capitalize() for word in part.split("-"))
        part = _without_role(_once(part), sites)
        if part and len(part.split()) <= MAX_NAME_WORDS and squash(part) not in _DEGREES:
            yield from _without_wire_title(part)


def _without_wire_title(name: str) -> Iterator[str]:
    """A name, and apart from it the wire a reporter's title glued to it credits
    ("JOSEPH WHITE AP Sports Writer" -> "JOSEPH WHITE", "AP Sports Writer")."""
    words = name.split()
    for cut in range(2, len(words)):
        title = " ".join(words[cut:])
        agency = _agency(title)
        if agency and agency != title:  # a title, not a bare agency ("Jane Doe AP")
            yield " ".join(words[:cut])
            yield title
            return
    yield name


def _without_role(name: str, sites: set[str]) -> str:
    """"Adam Aaronson PhillyVoice Staff" -> "Adam Aaronson": a job title after a name, and
    the site's name before it."""
    role = _ROLE.search(name)
    if role is None or len(name[: role.start()].split()) < 2:
        return name
    words = name[: role.start()].split()
    if len(words) > 2 and _names_publisher(squash(words[-1]), sites):
        words.pop()
    return " ".join(words)


def _once(name: str) -> str:
    """A name a byline widget prints twice ("jesusfreak jesusfreak", a profile link and its
    label read as one line), once."""
    words = name.split()
    half = len(words) // 2
    if half and len(words) % 2 == 0 and words[:half] == words[half:]:
        return " ".join(words[:half])
    return name


def _jsonld_authors(page: PageMarkup) -> Iterator[str]:
    """Names under ``author`` of the page's article item(s)."""
    for item in page.jsonld:
        kind = item.get("@type")
        kinds = kind if isinstance(kind, list) else [kind]
        if not any(isinstance(k, str) and k.casefold().endswith(_JSONLD_ARTICLES) for k in kinds):
            continue
        yield from _names(item.get("author"))


def _names(value: object) -> Iterator[str]:
    """Names of people and agencies; an organisation that is no agency is the publisher or
    a brand under another name, marked so that it is credited only when no one else is.
    An item serialised twice (``"author": "{ \\"@type\\": \\"Person\\", \\"name\\": …}"``)
    is read as the item it holds."""
    if isinstance(value, str):
        if value.lstrip().startswith(("{", "[")):
            try:
                item = json.loads(value)
            except (ValueError, RecursionError):  # a name in braces, not JSON: no name
                return
            yield from _names(item)
            return
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _names(item)
    elif isinstance(value, dict) and isinstance(value.get("name"), str):
        name = value["name"]
        if value.get("@type") != "Organization" or squash(name) in AGENCIES:
            yield name
        else:
            yield _Organisation(name)


def _meta_authors(page: PageMarkup) -> Iterator[str]:
    for key, value in page.metas:
        if key in AUTHOR_META_KEYS:
            yield value
