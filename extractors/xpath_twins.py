"""Python twins of trafilatura's costliest XPath expressions: same elements, same order.

In newsmon's extraction a third of the time per page goes to libxml2 evaluating
trafilatura's XPath expressions, each a scan of the whole tree that builds attribute
node-sets and strings for every element: 6.0 s of 16.4 s over 391 pages, of which the
twelve twinned here took 5.4 s. The same question asked in Python is two to three and a
half times faster: lxml's ``iterdescendants`` filters by tag in C, and the attribute tests
are dictionary lookups and the very regular expressions the XPath hands to ``re``
(lxml's ``re:test`` is Python's ``re.search``). Over the 2,387 pages of the three page
corpora every twin returned the elements its expression returned, in the same order.

A twin stands in for an expression only when that expression's text is the one it was
written for (:func:`match`: whitespace aside, every token equal, the regular expressions
taken from the text itself), so a trafilatura release that changes an expression's logic
gets its own expression back, not a twin that answers a different question.
``tests/extractors/test_xpath_twins.py`` checks on real pages that each twin returns the
elements its expression returns, in the same order.

Pure lxml and the standard library; :mod:`extractors.html` installs the twins.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from lxml import etree

Finder = Callable[[Any], list[Any]]

_LITERAL = re.compile(r"'[^']*'|\"[^\"]*\"")
_AROUND_PUNCTUATION = re.compile(r"\s*([\[\]()=,|])\s*")


def normalise(xpath: str) -> list[str]:
    """An XPath's tokens: quoted literals verbatim, the rest with whitespace collapsed."""
    tokens: list[str] = []
    position = 0
    for literal in _LITERAL.finditer(xpath):
        tokens.append(_squeeze(xpath[position:literal.start()]))
        tokens.append(literal.group())
        position = literal.end()
    tokens.append(_squeeze(xpath[position:]))
    return [t for t in tokens if t]


def _squeeze(code: str) -> str:
    return _AROUND_PUNCTUATION.sub(r"\1", re.sub(r"\s+", " ", code)).strip()


def match(template: str, xpath: str) -> list[str] | None:
    """The literals standing where ``template`` has ``'{}'``, if ``xpath`` is ``template``
    with literals there; else None."""
    want, have = normalise(template), normalise(xpath)
    if len(want) != len(have):
        return None
    found = []
    for expected, actual in zip(want, have, strict=True):
        if expected == "'{}'" and actual.startswith("'"):
            found.append(actual[1:-1])
        elif expected != actual:
            return None
    return found


@dataclass(frozen=True)
class Twin:
    """Where the expression lives (``list name``, index), its text with its regular
    expressions left out, and how to build the finder from those expressions."""

    where: tuple[str, int]
    template: str
    build: Callable[[Sequence[str]], Finder]


def _search(pattern: str) -> Callable[[str | None], bool]:
    """``re:test(@attr, pattern)``: lxml tests the attribute's string value, '' if absent."""
    compiled = re.compile(pattern)
    return lambda value: compiled.search(value or "") is not None


def _first(attrib: Any, names: tuple[str, str]) -> str | None:
    """``string(@a|@b)``: the value of whichever of the two comes first in the tag."""
    for key, value in attrib.items():
        if key in names:
            return str(value)
    return None


_ELEMENT = etree.Element  # as a tag filter: elements only, no comments or entities
Keep = Callable[[Any], bool]


def _below(*tags: Any) -> Callable[[Any], Iterator[Any]]:
    """``.//*[self::a or self::b]``: the context element's descendants with those tags
    (any element when none are named), in document order."""
    return lambda tree: tree.iterdescendants(*(tags or (_ELEMENT,)))


def _everywhere(tree: Any) -> Iterator[Any]:
    """``//*``: every element of the tree's document in document order, the root included,
    and any top-level element after it (libxml2 keeps markup after ``</html>`` there)."""
    root = tree.getroottree().getroot()
    for top in (root, *root.itersiblings()):
        yield from top.iter(_ELEMENT)


def _keeping(elements: Callable[[Any], Iterator[Any]], keep: Keep) -> Finder:
    return lambda tree: [element for element in elements(tree) if keep(element)]


def _string_is(element: Any, tag: str, value: str) -> bool:
    """``tag='value'`` in a predicate: a child ``<tag>`` whose text content is ``value``."""
    return any(child.tag == tag and "".join(child.itertext()) == value for child in element)


def _comment_sections(tags: tuple[str, ...], lists: bool) -> Callable[[Sequence[str]], Finder]:
    def build(patterns: Sequence[str]) -> Finder:
        by_id, by_class = _search(patterns[0]), _search(patterns[1])
        list_id, list_class = (_search(p) for p in patterns[2:4]) if lists else (None, None)

        def keep(element: Any) -> bool:
            ident, cls = element.get("id"), element.get("class")
            if not (by_id(ident) or by_class(cls)):
                return False
            if list_id is None or list_class is None or element.tag not in ("ol", "ul"):
                return True
            return list_id(ident) or list_class(cls)

        return _keeping(_below(*tags), keep)

    return build


def _ad_boxes(patterns: Sequence[str]) -> Finder:
    by_id, by_class, box_id, box_class = (_search(p) for p in patterns)

    def keep(element: Any) -> bool:
        ident, cls = element.get("id"), element.get("class")
        return (by_id(ident) or by_class(cls)) and (
            next(element.iterdescendants("h1"), None) is None
            or box_id(ident) or box_class(cls))

    return _keeping(_below("div", "section", "aside"), keep)


def _boilerplate_blocks(patterns: Sequence[str]) -> Finder:
    cookie, by_id, by_class = (_search(p) for p in patterns)
    bare = cookie(None) or by_id(None) or by_class(None)  # an element with no attributes

    def keep(element: Any) -> bool:
        attrib = element.attrib
        if not attrib:
            return bare
        return ("data-lp-replacement-content" in attrib
            or "nav" in (attrib.get("role") or "").replace("N", "n")
            or "MostPopularStories" in (attrib.get("data-component") or "")
            or cookie(_first(attrib, ("id", "class")))
            or by_id(attrib.get("id")) or by_class(attrib.get("class")))

    return _keeping(_below("div", "item", "list", "p", "section", "span"), keep)


def _hidden_blocks(patterns: Sequence[str]) -> Finder:
    hidden, by_id, by_class = (_search(p) for p in patterns)
    bare = hidden(None) or by_id(None) or by_class(None)  # an element with no attributes

    def keep(element: Any) -> bool:
        attrib = element.attrib
        if not attrib:
            return bare
        style = attrib.get("style") or ""
        return (attrib.get("class") == "comments-title"
                or (_first(attrib, ("id", "class")) or "").startswith("reply-")
                or hidden(_first(attrib, ("id", "style")))
                or "display:none" in style or "display: none" in style
                or by_id(attrib.get("id")) or by_class(attrib.get("class"))
                or attrib.get("aria-hidden") == "true")

    return _keeping(_below(), keep)


def _byline_noise(patterns: Sequence[str]) -> Finder:
    by_id, by_class = (_search(p) for p in patterns)

    def keep(element: Any) -> bool:
        ident, cls = element.get("id"), element.get("class")
        return (ident == "comments" or cls in ("comments", "title", "date")
                or by_id(ident) or by_class(cls)
                or "Figure" in (element.get("data-component") or ""))

    return _keeping(_below("a", "div", "section", "span"), keep)


def _named_authors(patterns: Sequence[str]) -> Finder:
    by_class = _search(patterns[0])
    tags = frozenset({"a", "address", "div", "link", "p", "span", "strong"})

    def keep(element: Any) -> bool:
        if element.tag == "author":
            return True
        if element.tag not in tags:
            return False
        attrib = element.attrib
        cls = attrib.get("class")
        return (attrib.get("rel") == "author" or attrib.get("id") == "author"
                or cls == "author" or attrib.get("itemprop") == "author name"
                or _string_is(element, "rel", "me")
                or attrib.get("data-testid") in ("AuthorCard", "AuthorURL")
                or by_class(cls))

    return _keeping(_everywhere, keep)


def _byline_blocks(patterns: Sequence[str]) -> Finder:
    by_id, by_class = (_search(p) for p in patterns)
    tags = frozenset({"a", "div", "h3", "h4", "p", "span"})

    def keep(element: Any) -> bool:
        if element.tag not in tags:
            return False
        cls = element.get("class")
        return (cls in ("byline", "username", "byl", "BBL")
                or "author" in (element.get("itemprop") or "")
                or by_id(element.get("id")) or by_class(cls))

    return _keeping(_everywhere, keep)


def _any_byline(patterns: Sequence[str]) -> Finder:
    by_id, by_class = (_search(p) for p in patterns)

    def keep(element: Any) -> bool:
        return ("Byline" in (element.get("data-component") or "")
                or "author" in (element.get("itemprop") or "")
                or by_id(element.get("id")) or by_class(element.get("class")))

    return _keeping(_everywhere, keep)


def _share_buttons(_patterns: Sequence[str]) -> Finder:
    return _keeping(_below("div", "section", "aside"),
                    lambda element: "elementor-share-buttons" in (element.get("class") or ""))


def _bottom_blocks(patterns: Sequence[str]) -> Finder:
    bottom, link = (_search(p) for p in patterns)

    def keep(element: Any) -> bool:
        named = _first(element.attrib, ("id", "class"))
        return bottom(named) or link(named) or "border" in (element.get("style") or "")

    return _keeping(_below("div", "item", "list", "p", "section", "span"), keep)


def _article_bodies(patterns: Sequence[str]) -> Finder:
    """``.//*[...][1]``: the ``[1]`` is per parent, the first match among each element's
    children, not the first match in the tree."""
    by_id, by_class = _search(patterns[0]), _search(patterns[1])

    def find(tree: Any) -> list[Any]:
        found, parents = [], set()
        for element in tree.iterdescendants("article", "div", "main", "section"):
            attrib = element.attrib
            ident, cls = attrib.get("id"), attrib.get("class")
            if not (cls in ("post", "entry") or attrib.get("itemprop") == "articleBody"
                    or ident == "articleContent" or by_id(ident) or by_class(cls)):
                continue
            parent = element.getparent()
            if parent not in parents:
                parents.add(parent)
                found.append(element)
        return found

    return find


TWINS = (
    Twin(("REMOVE_COMMENTS_AND_LISTS_XPATH", 0), """
        .//*[self::div or self::list or self::section or self::details or self::ol or self::ul][
        re:test(@id, '{}') or re:test(@class, '{}')][
        not(self::ol or self::ul) or re:test(@id, '{}') or re:test(@class, '{}')]
        """, _comment_sections(("div", "list", "section", "details", "ol", "ul"), lists=True)),
    Twin(("REMOVE_COMMENTS_XPATH", 0), """
        .//*[self::div or self::list or self::section or self::details][
        re:test(@id, '{}') or re:test(@class, '{}')]
        """, _comment_sections(("div", "list", "section", "details"), lists=False)),
    Twin(("RAW_TREE_PRUNE_XPATH", 0), """
        .//*[self::div or self::section or self::aside][
        re:test(@id, '{}') or re:test(@class, '{}')][
        not(.//h1) or re:test(@id, '{}') or re:test(@class, '{}')]
        """, _ad_boxes),
    Twin(("OVERALL_DISCARD_XPATH", 0), """
        .//*[self::div or self::item or self::list or self::p or self::section or self::span][
        @data-lp-replacement-content or
        contains(translate(@role, 'N', 'n'), 'nav') or
        contains(@data-component, 'MostPopularStories') or
        re:test(@id|@class, '{}') or re:test(@id, '{}') or re:test(@class, '{}')]
        """, _boilerplate_blocks),
    Twin(("OVERALL_DISCARD_XPATH", 1), """
        .//*[@class='comments-title' or
        starts-with(@id|@class, 'reply-') or
        re:test(@id|@style, '{}') or
        contains(@style, 'display:none') or contains(@style, 'display: none') or
        re:test(@id, '{}') or re:test(@class, '{}') or @aria-hidden='true']
        """, _hidden_blocks),
    Twin(("RAW_TREE_PRUNE_XPATH", 1), """
        .//*[self::div or self::section or self::aside][contains(@class, 'elementor-share-buttons')]
        """, _share_buttons),
    Twin(("PRECISION_DISCARD_XPATH", 1), """
        .//*[self::div or self::item or self::list or self::p or self::section or self::span][
        re:test(@id|@class, '{}') or re:test(@id|@class, '{}') or
        contains(@style, 'border')]
        """, _bottom_blocks),
    Twin(("BODY_XPATH", 0), """
        .//*[self::article or self::div or self::main or self::section][
        @class='post' or @class='entry' or
        @itemprop='articleBody' or @id='articleContent' or
        re:test(@id, '{}') or re:test(@class, '{}')
        ][1]
        """, _article_bodies),
    Twin(("AUTHOR_XPATHS", 0), """
        //*[self::a or self::address or self::div or self::link or self::p or self::span
        or self::strong][
        @rel='author' or @id='author' or @class='author' or @itemprop='author name' or rel='me' or
        @data-testid='AuthorCard' or @data-testid='AuthorURL' or
        re:test(@class, '{}')]|//author
        """, _named_authors),
    Twin(("AUTHOR_XPATHS", 1), """
        //*[self::a or self::div or self::h3 or self::h4 or self::p or self::span][
        @class='byline' or @class='username' or @class='byl' or @class='BBL' or
        contains(@itemprop, 'author') or
        re:test(@id, '{}') or re:test(@class, '{}')]
        """, _byline_blocks),
    Twin(("AUTHOR_XPATHS", 2), """
        //*[
        contains(@data-component, 'Byline') or contains(@itemprop, 'author') or
        re:test(@id, '{}') or re:test(@class, '{}')]
        """, _any_byline),
    Twin(("AUTHOR_DISCARD_XPATHS", 0), """
        .//*[self::a or self::div or self::section or self::span][
        @id='comments' or @class='comments' or @class='title' or @class='date' or
        re:test(@id, '{}') or re:test(@class, '{}') or
        contains(@data-component, 'Figure')]
        """, _byline_noise),
)
