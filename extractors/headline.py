"""The headline a reader sees, chosen from what the page says about itself.

A page names its article in up to five places: the article's ``<h1>``, JSON-LD
``headline``, ``og:title``, ``twitter:title`` and ``<title>``. They disagree in known
ways: ``<title>`` (and often ``og:title``) carries a publisher suffix ("… | Euronews",
"…：東京新聞デジタル"); the ``<h1>`` sometimes carries a kicker ("Minderheit in Syrien -
Drusen fordern …"); a blog's only ``<h1>`` is the blog's name; social titles are shortened
variants written for sharing. So each candidate is cleaned (entities, soft hyphens,
a suffix or prefix that names the site), candidates that are the site's name (perhaps
with a word added, as a blog's "DimidoBlog") are dropped,
and the candidates vote: a headline scores for every source that states it, in full or
with a kicker or suffix around it. The headline the publisher declares in structured
markup (JSON-LD ``headline``, then ``og:title``) votes more than the ``<h1>``: it is the
one the publisher syndicates and indexes, where the ``<h1>`` is sometimes a teaser variant
or a live-ticker's running line. A page with none of these but ``<title>`` (common before
~2010) often wraps the headline in a site description no site name matches ("… -
SJSUSpartans.com-Official Web Site of …"): the part of ``<title>`` the page itself shows
on its own (a heading, a bold line, a table cell) votes as an ``<h1>`` would ("shown");
so it does where the page's only ``<h1>`` stands outside any article and ``<title>`` does
not state it, as a section's name there ("U.S. & World", "Opinion") is no headline.
The best-supported one wins; on a tie, the same order (JSON-LD, ``og:title``, ``h1``,
shown, ``twitter:title``, ``<title>``).
Last, once the text is extracted: a page that names its article nowhere but in a
``<title>`` its text does not open with gets the heading the text opens with
(:func:`with_opening_heading`), as many older pages laid out in tables show theirs.

Pure lxml and the standard library: the tree is trafilatura's, parsed once in
:mod:`extractors.html`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from difflib import SequenceMatcher

from lxml.html import HtmlElement

from extractors.markup import PageMarkup, clean_text, host_names, squash
from extractors.published import is_date_only

#: A source's vote; the social and ``<title>`` variants are the least reliable.
WEIGHTS = {"jsonld": 1.5, "og": 1.2, "h1": 1.0, "shown": 1.0, "twitter": 0.6, "title": 0.6}
ORDER = ("jsonld", "og", "h1", "shown", "twitter", "title")
#: How alike two texts must be to be one headline with a character decoded wrongly.
SAME_TEXT = 0.9
#: A vote through a kicker or suffix counts a little less than one for the text as it is.
PART_VOTE = 0.9
#: Separators between a headline and a kicker, section or site name.
_SEPARATOR = re.compile(
    r"\s+[|\-–—·•*»›/>]\s+|\s*[｜：|]\s*|\s*_\s*|:\s+|\s+::\s+|\s+--\s+"
    # a dash glued to the word before it ("… cold start- al.com"), unless it stands for
    # the end of a compound a conjunction completes ("Feuerwehr- und Katastrophenschutz…")
    r"|(?<=[^\s\-–—])[-–—]\s+(?!(?:und|oder|bzw|sowie|bis|and|or|to|&)\b)",
    re.IGNORECASE)
_TRUNCATED = ("...", "…")
#: Longer than this, a "headline" is markup gone wrong (an ``<h1>`` or ``<title>`` never
#: closed swallows the page), not a headline: the longest of 1,201 labelled titles has
#: 175 characters. Such a text neither votes nor is returned (and voting on its thousands
#: of kicker and suffix splits would take minutes).
MAX_HEADLINE_CHARS = 600
#: What WordPress's long-time default theme puts between a blog's name and a post's title
#: ("Four Years » Blog Archive » Interning of Small Integers"): a site segment, not a kicker.
_BLOG_SEGMENTS = frozenset({"blogarchive", "blogarchiv"})


def headline_candidates(page: PageMarkup) -> dict[str, str]:
    """Source -> the headline it states (``h1``, ``jsonld``, ``og``, ``twitter``, ``title``)."""
    return dict(_candidates(page))


def choose_headline(
    candidates: dict[str, str], sites: set[str], fallback: str | None
) -> str | None:
    """The article's headline, or ``fallback`` (trafilatura's title) when the page names none.

    ``sites`` are the names the site goes by (:func:`extractors.markup.site_names`).
    """
    raw = dict(candidates)
    if fallback:
        raw.setdefault("title", fallback)
    cleaned: dict[str, str] = {}
    for source, value in raw.items():
        if len(value) > 4 * MAX_HEADLINE_CHARS:  # not even worth cleaning
            continue
        text = _strip_site(_strip_stamp(clean_text(value)), sites)
        if text and len(text) <= MAX_HEADLINE_CHARS and not _is_site_name(text, sites):
            cleaned[source] = text
    if not cleaned:
        text = clean_text(fallback)
        return text if text and len(text) <= MAX_HEADLINE_CHARS else None
    return _vote(cleaned)


def title_without_site(title: str, url: str | None) -> str:
    """A page's title as a note tool saved it ("Kim arrives in Russia | Reuters"), without
    a leading or trailing part that names the site its address is on."""
    text = clean_text(title)
    return _strip_site(text, host_names(url)) or text


def _vote(cands: dict[str, str]) -> str:
    scores: dict[str, float] = {}
    for source, text in cands.items():
        for i, part in enumerate(_parts(text)):
            key = _key(part)
            scores[key] = scores.get(key, 0.0) + WEIGHTS[source] * (1.0 if i == 0 else PART_VOTE)
        if _is_cut(text, cands):  # a shortened copy still votes for the full text
            stem = _key(text.rstrip(".… "))
            for other in cands.values():
                if _key(other).startswith(stem) and len(_key(other)) > len(stem):
                    key = _key(other)
                    scores[key] = scores.get(key, 0.0) + WEIGHTS[source] * PART_VOTE
    stated = {_key(t) for t in cands.values()}
    best: tuple[float, str] | None = None
    for source in ORDER:
        if source not in cands:
            continue
        text = cands[source]
        # a part may win only where another source states it in full
        options = [text] + [p for p in _parts(text)[1:] if _key(p) in stated]
        for option in options:
            score = scores[_key(option)] - (0.5 if _is_cut(option, cands) else 0.0)
            if best is None or score > best[0] + 1e-9:
                best = (score, option)
    assert best is not None
    return best[1]


def _is_cut(text: str, cands: dict[str, str]) -> bool:
    """Whether ``text`` is a shortened copy: it ends in an ellipsis, or another source goes
    on from where it stops with a quotation (``og:title`` and ``twitter:title`` written
    into an attribute that the headline's own quotation mark ends: "… Sieger und" for
    '… Sieger und "royaler Besuch"')."""
    if text.endswith(_TRUNCATED):
        return True
    quoted = " ".join(text.split()) + ' "'  # the straight quote an attribute cannot hold
    return any(" ".join(other.split()).startswith(quoted) for other in cands.values())


def _parts(text: str) -> list[str]:
    """The text, then what is left of it without a leading kicker or a trailing suffix."""
    parts = [text]
    for match in _SEPARATOR.finditer(text):
        for piece in (text[: match.start()], text[match.end() :]):
            piece = piece.strip()
            if piece and len(squash(piece)) >= 3:
                parts.append(piece)
    return parts


_QUOTES = str.maketrans(
    {"‘": "'", "’": "'", "“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "–": "-", "—": "-"}
)


def _key(text: str) -> str:
    return " ".join(text.translate(_QUOTES).casefold().split())


def _strip_site(text: str, sites: set[str]) -> str:
    """Drop a leading or trailing segment that names the site ("… - La Stampa")."""
    changed = True
    while changed and text:
        changed = False
        matches = list(_SEPARATOR.finditer(text))
        if not matches:
            break
        head, tail = text[: matches[-1].start()].strip(), text[matches[-1].end() :].strip()
        if head and _names_site(tail, sites):
            text, changed = head, True
            continue
        head, tail = text[: matches[0].start()].strip(), text[matches[0].end() :].strip()
        if tail and _names_site(head, sites):
            text, changed = tail, True
    return text


#: A trailing separator with nothing after it ("… dabei -"), or a trailing segment that is
#: only a date and time ("… : 31.10.2023, 10.19 Uhr"): a CMS's, never the headline's.
_TRAILING_STAMP = re.compile(
    r"(?:\s+[|\-–—:·•]\s*(?:\d{1,4}[./-]\d{1,2}[./-]\d{2,4}(?:,?\s+\d{1,2}[.:]\d{2}"
    r"(?:\s*(?:uhr|h))?)?)?)\s*$",
    re.IGNORECASE)


def _strip_stamp(text: str) -> str:
    stripped = _TRAILING_STAMP.sub("", text)
    return stripped if squash(stripped) else text


def _is_site_name(text: str, sites: set[str]) -> bool:
    """A whole candidate that is the site's name, perhaps with a word added: a blog's only
    ``<h1>`` ("DimidoBlog" on dimido.de, "Four Years Remaining" on fouryears.eu). Stricter
    than a segment's test: "15 Jahre rete-mirabile.net" is a headline about the site."""
    squashed = squash(text)
    return squashed in sites or any(
        len(s) >= 4 and squashed.startswith(s) and len(squashed) <= 2 * len(s) for s in sites
    )


def _names_site(segment: str, sites: set[str]) -> bool:
    squashed = squash(segment)
    if not squashed or squashed in _BLOG_SEGMENTS:
        return True
    return any(
        squashed == s
        or (len(s) >= 4 and s in squashed and len(squashed) <= 2 * len(s))
        or (len(squashed) >= 4 and squashed in s)
        for s in sites
    )


def _candidates(page: PageMarkup) -> Iterator[tuple[str, str]]:
    seen: set[str] = set()
    for key, value in page.metas:
        source = {"og:title": "og", "twitter:title": "twitter"}.get(key)
        if source and source not in seen:
            seen.add(source)
            yield source, value
    for item in page.jsonld:
        headline = item.get("headline")
        if isinstance(headline, str) and headline.strip():
            yield "jsonld", headline
            break
    h1, in_article = _article_h1(page.tree)
    if h1:
        yield "h1", h1
    title = page.tree.findtext(".//title")
    if title and title.strip():
        yield "title", title
        # a lone <h1> outside the article that <title> does not state may be a section's
        # name ("U.S. & World", "Opinion"): the part of <title> the page shows rivals it
        rival = h1 and not in_article and not _states(title, h1)
        if not h1 or rival:
            shown = _shown_part(page.tree, clean_text(title))
            if shown and not (h1 and _key(shown) in _key(h1)):
                yield "shown", shown


def _states(title: str, headline: str) -> bool:
    """Whether ``<title>`` or a part of it is ``headline``, allowing for a character
    decoded wrongly in one of them ("NPCÂ´s" for "NPC’s"). A text too long to be a
    headline is not compared (see :data:`MAX_HEADLINE_CHARS`) and counts as stating it."""
    title = clean_text(title)
    if len(title) > MAX_HEADLINE_CHARS or len(headline) > MAX_HEADLINE_CHARS:
        return True
    key = _key(headline)
    for part in _parts(title):
        matcher = SequenceMatcher(None, key, _key(part))
        if matcher.real_quick_ratio() >= SAME_TEXT and matcher.ratio() >= SAME_TEXT:
            return True
    return False


#: Elements a page of any age shows its headline in, besides an article ``<h1>``.
_HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_HEADING_CLASS = re.compile(r"headline|title|heading", re.IGNORECASE)
_NOT_SHOWN = frozenset({"title", "head", "script", "style", "meta", "option", "noscript"})


def _shown_part(tree: HtmlElement, title: str) -> str | None:
    """The longest part of ``<title>`` (the text around a site name or section) that the
    page shows on its own: the whole text of a heading, or an element's own text (a
    ``<b>``, a table cell, a link). On a page with neither structured markup nor an article
    ``<h1>``, what the reader sees as the headline, where the rest of ``<title>`` names the
    site or the section ("White Scores 22 Points … - SJSUSpartans.com-Official Web Site …").
    Headings are read whole, other elements by their own text only: one pass over the
    page, never a subtree's text per element."""
    if len(title) > MAX_HEADLINE_CHARS:
        return None
    parts = {_key(part): part for part in _parts(title)[1:] if len(part.split()) >= 2}
    if not parts:
        return None
    found: str | None = None
    for element in tree.iter():
        if not isinstance(element.tag, str) or element.tag in _NOT_SHOWN:
            continue
        if element.tag in _HEADING_TAGS or _HEADING_CLASS.search(
                f"{element.get('class', '')} {element.get('id', '')}"):
            text = element.text_content()
        else:
            text = element.text or ""
        if not text.strip() or len(text) > MAX_HEADLINE_CHARS:
            continue
        part = parts.get(_key(clean_text(text)))
        if part and (found is None or len(part) > len(found)):
            found = part
    return found


def _article_h1(tree: HtmlElement) -> tuple[str | None, bool]:
    """The article's ``<h1>``: the one inside ``<article>`` or ``<main>``, else the only one;
    and whether it stands inside the article."""
    h1s = [h for h in tree.iterfind(".//h1") if clean_text(h.text_content())]
    inside = [h for h in h1s if any(a.tag in ("article", "main") for a in h.iterancestors())]
    chosen = inside[:1] or (h1s if len(h1s) == 1 else [])
    return (clean_text(chosen[0].text_content()) if chosen else None), bool(inside)


#: Sources that name the article itself; a page with none of them has only ``<title>``.
_ARTICLE_SOURCES = frozenset({"jsonld", "og", "h1", "shown"})
#: How much of the extracted text's start a headline is looked for in: pages laid out in
#: tables glue navigation cells, the headline and the byline into the text's first lines.
_OPENING_CHARS = 1000
_HEADING_WORDS = (3, 25)
_INLINE_HEADINGS = frozenset({"b", "strong", "big", "font"})
#: A line that is a fragment, a sentence, an appeal or a dateline, not a headline: it
#: ends mid-sentence, with a full stop (a standfirst: "Jamie Carragher has defended his
#: actions …") or with "!" ("Please support local business!"), or carries a time stamp
#: ("新华网河北频道 ( 2012-06-04 09:20:26 )").
_NOT_A_HEADING = re.compile(r"[,:;!]$|(?<!\.)\.$|\d{1,2}:\d{2}|\d{4}-\d{2}-\d{2}")


def with_opening_heading(title: str | None, candidates: dict[str, str], tree: HtmlElement,
                         text: str) -> str | None:
    """``title``, or on a page that names its article nowhere but in ``<title>`` (no
    JSON-LD, ``og:title``, article ``<h1>`` or shown part), and whose ``<title>`` the text
    does not open with, the first heading the page shows that the text opens with.

    Such a ``<title>`` is often the site's or the section's ("Summit Daily News for
    Breckenridge … - Arts and Entertainment", "The Sports Network - National Hockey
    League") while the story's headline stands in a heading (``<h3>``, ``<span
    class="headingstory">``, ``<b>``) just above its first paragraph, which trafilatura
    keeps as the text's first line."""
    if _ARTICLE_SOURCES & candidates.keys():
        return title
    opening = _key(text[:_OPENING_CHARS])
    if title and any(_key(part) in opening for part in _parts(title) if len(part.split()) >= 2):
        return title
    return _opening_heading(tree, opening) or title


def _opening_heading(tree: HtmlElement, opening: str) -> str | None:
    low, high = _HEADING_WORDS
    for element in tree.iter():
        if not isinstance(element.tag, str) or element.tag in _NOT_SHOWN or element.tag == "a":
            continue
        if not (element.tag in _HEADING_TAGS or element.tag in _INLINE_HEADINGS
                or _HEADING_CLASS.search(f"{element.get('class', '')} {element.get('id', '')}")):
            continue
        raw = _text_up_to(element, MAX_HEADLINE_CHARS)
        if raw is None:
            continue
        heading = clean_text(raw)
        if (heading and low <= len(heading.split()) <= high
                and not _NOT_A_HEADING.search(heading) and not is_date_only(heading)
                and _key(heading) in opening):
            return heading
    return None


def _text_up_to(element: HtmlElement, limit: int) -> str | None:
    """The element's text, or None once it passes ``limit`` characters: read no further,
    as a ``<font>`` or ``<b>`` of an old page may wrap the whole of it, many times nested."""
    pieces, size = [], 0
    for piece in element.itertext():
        size += len(piece)
        if size > limit:
            return None
        pieces.append(piece)
    return "".join(pieces)
