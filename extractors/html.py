"""HTML pages: main text and metadata with trafilatura (the only module that imports it).

trafilatura finds the main text, sitename and canonical URL well. Three fields are
decided with what the page states about itself, read from the same parsed tree, with
trafilatura's value as the fallback: the headline a reader sees
(:mod:`extractors.headline`), the authors and agencies (:mod:`extractors.byline`) and the
publication time of day (:mod:`extractors.published`).

The main text comes from trafilatura's fast, precision-favouring pass: boilerplate left
in an article inflates topic counts, and that pass is about twice as fast as the full
one. Precision sometimes drops real paragraphs, though, and then the text comes out
short; so when it found fewer than ``RECHECK_WORDS`` words, the full extraction (with
its readability/jusText comparisons) runs too and the longer text wins. On the
article-extraction benchmark this scores F1 0.965 against 0.960 for bare
``trafilatura.extract``, and 0.9262 against 0.9261 on trafilatura's own evaluation set
(``python -m bench.extraction``; the threshold was chosen on both sets together).

A page whose markup holds no main text may still ship the article as data, escaped markup
in a script or a JSON-LD ``articleBody`` (:mod:`extractors.embedded`); that is read last.
A page laid out in tables, whose text comes out as cells and navigation that read as
markup, is read once more without tables (:func:`_without_layout_tables`).
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import trafilatura
from htmldate import extractors as htmldate_extractors
from lxml import etree
from lxml import html as lxml_html
from trafilatura import metadata as trafilatura_metadata
from trafilatura import utils as trafilatura_utils
from trafilatura import xpaths as trafilatura_xpaths

from extractors.byline import (
    as_written,
    byline_candidates,
    choose_byline,
    with_opening_byline,
    with_reporting_credit,
    with_signature,
    with_visible_byline,
    with_wire_agency,
)
from extractors.embedded import article_body, script_markup
from extractors.encoding import decode_page
from extractors.furniture import split_furniture
from extractors.headline import choose_headline, headline_candidates, with_opening_heading
from extractors.markup import outlet, paywalled, read_markup, site_names
from extractors.not_found import says_not_found
from extractors.notices import split_notices
from extractors.pointers import split_pointers
from extractors.published import (
    choose_date,
    headline_day,
    opening_day,
    stated_publication_time,
)
from extractors.quality import reads_as_markup, word_count
from extractors.xpath_twins import TWINS, Finder, match
from newsmon.core.control_chars import without_controls
from newsmon.core.errors import RejectedInput
from newsmon.core.outcomes import RejectReason
from newsmon.core.records import Dated

_WARM_UP_PAGE = (
    "<html lang='en'><head><meta charset='utf-8'><title>Council approves plan | Example</title>"
    "<meta property='og:title' content='Council approves plan'>"
    "<meta property='article:published_time' content='2026-01-05T09:30:00+01:00'>"
    "<meta name='author' content='Jane Doe'><link rel='canonical' "
    "href='https://example.org/2026/01/05/warm-up'><script type='application/ld+json'>"
    '{"@type": "NewsArticle", "datePublished": "2026-01-05T09:30:00+01:00"}</script>'
    "</head><body><nav><a href='/'>Home</a></nav><article><h1>Council approves plan</h1>"
    "<p class='byline'>By Jane Doe, <time datetime='2026-01-05'>5 January 2026</time></p>"
    "<p>The city council approved the new cycling plan on Monday after a long debate.</p>"
    "<p>Der Stadtrat hat den neuen Radverkehrsplan am Montag nach langer Debatte "
    "beschlossen. Zwölf Kilometer geschützter Radwege werden im nächsten Jahr gebaut.</p>"
    "</article><footer>© 2026 Example, updated 6 Jan. 2026</footer></body></html>"
)

#: Some of trafilatura's steps are narrowed inside newsmon's own extraction only (context
#: flags), so any other caller in the process, such as the benchmarks' bare-library
#: contenders, still gets trafilatura and htmldate as they ship.
_IN_NEWSMON: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "newsmon_extraction", default=False)
_BYLINE_KNOWN: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "newsmon_byline_known", default=False)

#: newsmon stores neither the categories, the tags nor the licence trafilatura's metadata
#: step collects; collecting categories and tags tries every link of the page against two
#: lists of XPath expressions (~5% of a worker's time), the licence every footer link
#: (0.97 s of 41.3 s of CPU over the 1,171 pages of the two page corpora). They are skipped.
_trafilatura_catstags = trafilatura_metadata.extract_catstags
_trafilatura_license = trafilatura_metadata.extract_license
#: trafilatura's own byline search prunes a copy of the page tree and runs a dozen regex
#: XPath expressions over it (5.0 s of the same 41.3 s, on 625 pages). newsmon uses that
#: byline only when the page's markup names no person and no agency
#: (:func:`extractors.byline.choose_byline`), so it is skipped when it does: the result is
#: the same, by construction. (trafilatura itself searches only when the page's meta tags
#: and JSON-LD name no author, so this spares few pages: 29 of the 625, 0.25 s.)
_trafilatura_author = trafilatura_metadata.extract_author


def _categories_and_tags(metatype: str, tree: Any) -> list[str]:
    return [] if _IN_NEWSMON.get() else list(_trafilatura_catstags(metatype, tree))


def _license(tree: Any) -> str | None:
    return None if _IN_NEWSMON.get() else _trafilatura_license(tree)


def _author(tree: Any) -> str | None:
    return None if _BYLINE_KNOWN.get() else _trafilatura_author(tree)


trafilatura_metadata.extract_catstags = _categories_and_tags
trafilatura_metadata.extract_license = _license
trafilatura_metadata.extract_author = _author

#: htmldate's last-resort date parser is dateparser over all of its 205 locales; the first
#: date string no locale recognises at a glance compiles every locale's expressions:
#: ~1.7 s and ~40 MB in each process (the forkserver preloads it for the workers, before
#: the first worker can start). Over the languages news is written in it costs ~0.7 s and
#: ~17 MB. On the 38 date strings that reached it over the shared corpora's 2,375 pages
#: (Spanish, Polish, Russian, German, English) both return the same dates (htmldate keeps
#: a cache of parsed strings that both share; they agree where it was measured).
DATE_LANGUAGES = (
    "de", "en", "fr", "es", "it", "nl", "pt", "pl", "ru", "uk", "sv", "da", "nb", "fi", "cs",
    "tr", "ar", "zh", "ja", "ko", "hi", "el", "he", "th", "ro", "hu", "bg", "hr", "sk", "sl",
    "sr", "lt", "lv", "et", "fa", "id", "ms", "vi", "bn", "ur", "ta", "ca",
)
_htmldate_date_parser = htmldate_extractors.get_external_parser  # every locale, as it ships


@functools.lru_cache(maxsize=1)
def _news_date_parser() -> Any:
    """htmldate's external parser (same settings) over :data:`DATE_LANGUAGES` only."""
    from dateparser import DateDataParser

    return DateDataParser(languages=list(DATE_LANGUAGES), settings={
        "NORMALIZE": True,
        "PARSERS": ["custom-formats", "absolute-time"],
        "PREFER_DATES_FROM": "past",
        "PREFER_LOCALE_DATE_ORDER": True,
        "RETURN_AS_TIMEZONE_AWARE": False,
        "STRICT_PARSING": True,
    })


def _date_parser() -> Any:
    return _news_date_parser() if _IN_NEWSMON.get() else _htmldate_date_parser()


htmldate_extractors.get_external_parser = _date_parser  # type: ignore[assignment]  # uncached


def _html_parser() -> lxml_html.HTMLParser:
    """trafilatura's HTML parser (same options) choosing lxml.html's element classes in C.

    lxml.html picks each element's Python class (``FormElement`` for ``<form>`` …) through
    a lookup written in Python, called every time lxml hands trafilatura an element: ~4,500
    calls a page, 8% of ``bare_extraction``'s time in a profile of 300 pages. A namespace
    lookup filled with the same tag-to-class table gives every element the same class
    without calling back into Python: over the 1,171 pages of the two page corpora,
    ``bare_extraction``'s results were identical field for field, in 3.5% less time
    (two runs). ``tests/extractors/test_html.py`` pins both the options and the classes.
    """
    fallback = etree.ElementDefaultClassLookup(
        element=lxml_html.HtmlElement, comment=lxml_html.HtmlComment,
        pi=lxml_html.HtmlProcessingInstruction, entity=lxml_html.HtmlEntity)
    lookup = etree.ElementNamespaceClassLookup(fallback)
    lookup.get_namespace(None).update(lxml_html.HtmlElementClassLookup()._element_classes)
    parser = lxml_html.HTMLParser(collect_ids=False, default_doctype=False, encoding="utf-8",
                                  remove_comments=True, remove_pis=True)
    parser.set_element_class_lookup(lookup)
    return parser


_PARSER = _html_parser()
_TRAFILATURA_PARSER = trafilatura_utils.HTML_PARSER
_PARSING = threading.Lock()


def load_html(html: bytes | str, charset: str | None = None) -> Any:
    """``trafilatura.load_html`` (its repairs and checks) with :data:`_PARSER`, of bytes
    decoded by :func:`extractors.encoding.decode_page`, without control characters
    (:func:`newsmon.core.control_chars.without_controls`: the parser drops a terminal
    escape's ESC but keeps the rest, "[31m", as words).

    trafilatura reads its parser from a module global at each call, so it is swapped in
    for the call. Another thread parsing meanwhile would get the same tree, element for
    element; it would only be parsed faster."""
    if isinstance(html, bytes):  # decoded here: trafilatura ignores a declared charset
        html = decode_page(html, charset).text
    html = without_controls(html)
    with _PARSING:
        trafilatura_utils.HTML_PARSER = _PARSER
        try:
            return trafilatura.load_html(html)
        finally:
            trafilatura_utils.HTML_PARSER = _TRAFILATURA_PARSER


class _Either:
    """One of trafilatura's XPath expressions outside newsmon's extraction, its Python
    twin (:mod:`extractors.xpath_twins`: same elements, same order) inside it."""

    def __init__(self, xpath: Any, twin: Finder) -> None:
        self.xpath, self.twin, self.path = xpath, twin, xpath.path

    def __call__(self, tree: Any, **variables: Any) -> Any:
        if variables or not _IN_NEWSMON.get() or not hasattr(tree, "iterdescendants"):
            return self.xpath(tree, **variables)
        return self.twin(tree)


def _install_twins() -> tuple[str, ...]:
    """Put each twin beside the expression it was written for, where trafilatura's text of
    that expression is still the same (see :func:`extractors.xpath_twins.match`)."""
    installed = []
    for twin in TWINS:
        name, index = twin.where
        expressions = getattr(trafilatura_xpaths, name, None)
        if not isinstance(expressions, list) or index >= len(expressions):
            continue
        xpath = expressions[index]
        patterns = match(twin.template, str(getattr(xpath, "path", "")))
        if patterns is not None:
            expressions[index] = _Either(xpath, twin.build(patterns))
            installed.append(f"{name}[{index}]")
    return tuple(installed)


#: The expressions whose twins stand in for them in newsmon's extraction.
TWINNED = _install_twins()


@contextlib.contextmanager
def _as_newsmon(*, byline_known: bool = False) -> Iterator[None]:
    token, known = _IN_NEWSMON.set(True), _BYLINE_KNOWN.set(byline_known)
    try:
        yield
    finally:
        _BYLINE_KNOWN.reset(known)
        _IN_NEWSMON.reset(token)


#: Below this many words the precise pass may have dropped paragraphs: run the full one too.
RECHECK_WORDS = 200
#: The full pass replaces the precise one when the precise text is under this share of it.
RECHECK_SHARE = 1.0
#: Under this many words after both passes (newsmon's default minimum for an article),
#: trafilatura's recall mode is tried last.
RECALL_WORDS = 40


@dataclass(frozen=True, slots=True)
class PageMetadata:
    """The fields newsmon takes from a page, besides the text."""

    text: str
    title: str | None
    author: str | None  # people, "; "-separated; else the organisation credited
    sitename: str | None
    canonical_url: str | None
    published: Dated | None
    agencies: str | None = None  # news agencies credited, "; "-separated
    notices: tuple[str, ...] = ()  # the site notices taken out of the text (cookies, ...)
    #: the site's furniture taken out of the text (its copyright line, policy links, ...)
    furniture: tuple[str, ...] = ()
    #: links to the site's other stories taken out of the text ("Read more: ...")
    pointers: tuple[str, ...] = ()
    #: the site's wall taken out of the text ("La suite est réservée aux abonnés")
    wall: tuple[str, ...] = ()
    #: the publisher marks the page as not free to read, or its text ends at the site's
    #: wall (None: neither says)
    paywalled: bool | None = None


def warm_up() -> None:
    """Load now what trafilatura loads on first use: justext's stop lists of every language
    and the set justext makes of them (~30 MB), built when the full pass falls back to
    justext; and the word-splitting expressions of dateparser's locales (see
    :data:`DATE_LANGUAGES`), compiled by htmldate's fallback date parser the first time a
    page's date string is one no locale knows at a glance. A process that forks workers
    calls this first, so the workers share one copy instead of each building (and, when
    workers are replaced, rebuilding) its own: over 1,171 pages that was ~13 s of the
    workers' CPU."""
    from justext.core import define_stoplist
    from trafilatura.external import jt_stoplist_init

    define_stoplist(jt_stoplist_init())
    # Words no locale has: every locale is tried, so every locale's expressions compile.
    _news_date_parser().get_date_data("zzqx 0")
    htmldate_extractors.month_words()  # every locale's month names, for htmldate's date cue
    # One short page through both passes: compiles the regular expressions and XPath
    # queries, and imports the modules, that trafilatura and htmldate set up on first use.
    with contextlib.suppress(RejectedInput):
        extract_page(_WARM_UP_PAGE, url="https://example.org/2026/01/05/warm-up")


def extract_page(html: bytes | str, url: str | None = None, charset: str | None = None,
                 *, wrapped: bool = False) -> PageMetadata:
    """Main text and metadata of one page (``charset``: the one its server declared);
    raises :class:`RejectedInput` when there is none.

    A ``wrapped`` page is an entry's text that newsmon wrapped as one: its date is what its
    markup states or its opening date line shows, never htmldate's guess from its words,
    which on a text without a page around it is any year the story mentions ("the Games
    of 2004" made a story of 2016 one of 2004-01-01); and its outlet is the entry's, not
    one read from its headline."""
    tree = load_html(html, charset)
    if tree is None:
        raise RejectedInput(RejectReason.NOT_HTML, "not parseable as HTML")
    # trafilatura works on a copy of the tree it is given (pinned by a test), so this one
    # stays whole for the markup read here and for the fallback passes below.
    page = read_markup(tree)
    stated_time = stated_publication_time(page)
    headline_sources = headline_candidates(page)
    byline_sources = byline_candidates(page)
    sites = site_names(page, url)
    named = choose_byline(byline_sources, sites, None)
    byline_known = bool(named.people or named.agencies)
    with _as_newsmon(byline_known=byline_known):
        doc = trafilatura.bare_extraction(
            tree,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            favor_precision=True,
            fast=True,
        )
        text = _text_of(doc)
        if word_count(text) < RECHECK_WORDS:
            text, doc = _fuller(tree, url, text, doc)
        if word_count(text) < RECALL_WORDS:
            text, doc = _recalled(tree, url, text, doc)
        if word_count(text) < RECALL_WORDS:
            headline = next(iter(headline_sources.values()), "")
            shipped, shipped_doc = _embedded(tree, url, page.jsonld, doc, headline)
            if not text or word_count(shipped) >= RECALL_WORDS:
                text, doc = shipped, shipped_doc
        if reads_as_markup(text):
            text, doc = _without_layout_tables(tree, url, text, doc)
    text, notices = split_notices(text)
    # the footer's words still credit the story: "© Reuters 2008 All rights reserved" names
    # its wire, "(Reporting by ...)" above it its reporter
    credited = text
    text, furniture = split_furniture(text)
    text, pointers, wall = split_pointers(text)
    if not text:
        raise RejectedInput(RejectReason.NO_CONTENT,
                            _nothing_left(notices, furniture, pointers, wall))
    gone = says_not_found([*headline_sources.values(), _clean(getattr(doc, "title", None))], text)
    if gone is not None:
        raise RejectedInput(RejectReason.HTTP_404,
                            f"a site's 'page not found' page, no article: {gone[:100]!r}")
    byline = named if byline_known else with_visible_byline(choose_byline(
        byline_sources, sites, as_written(_clean(getattr(doc, "author", None)), page)),
        page, sites)
    # what the story's own text credits: its wire, and the reporters a wire's credit names
    byline = with_reporting_credit(with_wire_agency(with_opening_byline(
        with_signature(byline, page, credited), text, sites), credited), credited)
    title = with_opening_heading(
        choose_headline(headline_sources, sites, _clean(getattr(doc, "title", None))),
        headline_sources, page.tree, text)
    return PageMetadata(
        text=text,
        title=title,
        author="; ".join(byline.people) or (None if byline.agencies else byline.organisation),
        agencies="; ".join(byline.agencies) or None,
        # a wrapped entry's outlet is its feed's or record's (the hints): trafilatura would
        # take the end of a headline after a dash for one ("A – B" names outlet "B")
        sitename=None if wrapped else outlet(_clean(getattr(doc, "sitename", None)),
                                             _clean(getattr(doc, "hostname", None)), title),
        canonical_url=_clean(getattr(doc, "url", None)),
        published=choose_date(stated_time,
                              None if wrapped else _clean(getattr(doc, "date", None)),
                              lambda: opening_day(text) or headline_day(page.tree, title)),
        notices=notices,
        furniture=furniture,
        pointers=pointers,
        wall=wall,
        # a wall in the text says what the markup often does not: the text is a teaser
        paywalled=stated if (stated := paywalled(page)) is not None else (True if wall else None),
    )


def _nothing_left(notices: tuple[str, ...], furniture: tuple[str, ...],
                  pointers: tuple[str, ...], wall: tuple[str, ...]) -> str:
    """What a page held in place of an article, for its reject."""
    if notices:
        return f"only a site notice, no article: {notices[0][:100]!r}"
    if wall:
        return f"only the site's wall, no article: {wall[0][:100]!r}"
    if furniture:
        return f"only the site's footer, no article: {furniture[0][:100]!r}"
    if pointers:
        return f"only links to the site's other stories, no article: {pointers[0][:100]!r}"
    return "no main text found in the page"


def _fuller(tree: Any, url: str | None, precise: str, doc: Any) -> tuple[str, Any]:
    """The full extraction's text when it finds clearly more than the precise pass did.

    When the precise pass found nothing, trafilatura returned no document and so no
    metadata: the full pass then extracts the metadata too.
    """
    full_doc = trafilatura.bare_extraction(
        tree, url=url, include_comments=False, include_tables=True, fast=False,
        with_metadata=doc is None,
    )
    full = _text_of(full_doc)
    if word_count(precise) < RECHECK_SHARE * word_count(full):
        return full, doc if doc is not None else full_doc
    return precise, doc


def _text_of(doc: Any) -> str:
    """A trafilatura document's text, '' when it found none."""
    return (getattr(doc, "text", None) or "").strip() if doc is not None else ""


def _recalled(tree: Any, url: str | None, found: str, doc: Any) -> tuple[str, Any]:
    """trafilatura's recall mode's text when the other passes found too little to be an
    article and it finds enough: some templates hide the article from both (a page whose
    precise and full passes give the site's slogan, and recall its 257-word report)."""
    recall_doc = trafilatura.bare_extraction(
        tree, url=url, include_comments=False, include_tables=True, favor_recall=True,
        with_metadata=doc is None,
    )
    recalled = _text_of(recall_doc)
    if word_count(recalled) >= RECALL_WORDS:
        return recalled, doc if doc is not None else recall_doc
    return found, doc


def _without_layout_tables(tree: Any, url: str | None, found: str, doc: Any
                           ) -> tuple[str, Any]:
    """The text without tables, for a page laid out in them (as many were before ~2010):
    with tables, trafilatura renders the whole layout as cells, navigation and all, and the
    text reads as markup (a BBC story of 2007 with 25 cell bars and 83 tabs); without, it
    finds the story's paragraphs, in the quick pass or else in the full one (which one
    finds them differs by template). Kept only when that reads as prose and is an
    article's length, so a page that is data stays data."""
    for fast in (True, False):
        plain_doc = trafilatura.bare_extraction(
            tree, url=url, include_comments=False, include_tables=False, fast=fast,
            with_metadata=doc is None,
        )
        plain = _text_of(plain_doc)
        if word_count(plain) >= RECALL_WORDS and not reads_as_markup(plain):
            return plain, doc if doc is not None else plain_doc
    return found, doc


def _embedded(tree: Any, url: str | None, jsonld: tuple[dict[str, object], ...],
              doc: Any, headline: str) -> tuple[str, Any]:
    """The article a page ships as data (its scripts' escaped markup or element trees,
    else a JSON-LD ``articleBody``) when its markup has none, or too little to be an
    article (an app shell whose markup holds a teaser of 26 words and whose script state
    the 700-word story); with the page's metadata, which trafilatura returns only with a
    text. A page with neither is left without metadata: it is rejected. ``headline``
    picks the page's own story among those a state holds."""
    markup = script_markup(
        (script.text for script in tree.iterfind(".//script") if script.text), headline)
    text = ""
    if markup is not None:
        found = trafilatura.bare_extraction(markup, url=url, include_comments=False,
                                            include_tables=True, fast=True, with_metadata=False)
        text = _text_of(found)
    text = text or article_body(jsonld) or ""
    if text and doc is None:
        doc = trafilatura.extract_metadata(tree, default_url=url)
    return text, doc


def _clean(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    return value or None


def feed_links(html: bytes | str, page_url: str) -> list[str]:
    """The feeds a web page links to (``<link rel="alternate">`` of a feed type, else
    ``<a>`` links that look like feeds), absolute, comment feeds left out.

    trafilatura's feed finder, given the page we fetched: it never fetches anything here.
    """
    from urllib.parse import urlsplit

    from trafilatura.feeds import FeedParameters, determine_feed

    text = html.decode("utf-8", errors="replace") if isinstance(html, bytes) else html
    host = urlsplit(page_url).hostname or ""
    try:
        return list(determine_feed(text, FeedParameters(page_url, host, page_url)))
    except Exception:  # a page the finder cannot read has no feed links for us
        return []
