"""Article text a page ships as data instead of markup.

Some pages render the article in the browser: the HTML holds it only inside scripts, as
escaped markup in a JavaScript string (Next.js's flight data,
``self.__next_f.push([1, "…\\u003cp\\u003e…"])``, and the state blobs of other frameworks),
as a parsed element tree in JSON (``{"type": "p", "children": [{"type": "text", "data":
"…"}]}``, the htmlparser2 DOM an Apollo state holds), or as plain text in a JSON-LD
``articleBody``. trafilatura reads markup and skips scripts,
so such a page has "no main text" although a reader sees an article. When the markup has
none, :mod:`extractors.html` reads these instead.

Pure standard library: the caller hands in the scripts' texts and the JSON-LD items.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from html import escape

#: A double-quoted JSON / JavaScript string literal.
_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')
_PARAGRAPH = re.compile(r"<p[\s>]", re.IGNORECASE)
#: Escaped markup is an article only with this many paragraphs: a caption or a teaser
#: string with one or two is not.
MIN_PARAGRAPHS = 3
#: An ``articleBody`` shorter than this many characters is a teaser, not the article.
MIN_BODY_CHARS = 200


#: Where a JSON element tree's paragraph starts (htmlparser2 / domhandler's shape).
_DOM_PARAGRAPH = re.compile(r'\{\s*"type"\s*:\s*"p"\s*,\s*"children"\s*:')
#: Elements a JSON element tree's markup keeps; of any other (embeds, widgets) the text is kept.
_DOM_TAGS = frozenset({"p", "a", "b", "strong", "i", "em", "u", "span", "br", "sub", "sup",
                       "h2", "h3", "h4", "blockquote", "ul", "ol", "li", "q", "cite"})
_DECODER = json.JSONDecoder()
_WORD = re.compile(r"\w{3,}")


def script_markup(scripts: Iterable[str], headline: str = "") -> str | None:
    """The paragraph markup held in the scripts, as one HTML document.

    String literals are decoded as JSON strings and kept when they hold a paragraph;
    repeats (frameworks often ship the same payload twice) are kept once, in page order.
    When the literals hold no article, of the stories a state holds as JSON element trees
    (the article, its teaser, related stories) the one sharing most words with the page's
    ``headline`` is taken (the first on a tie): one story, not two copies of it.
    """
    parts: list[str] = []
    bodies: list[str] = []
    for script in scripts:
        parts += [value for value in _literal_markup(script) if value not in parts]
        bodies += _dom_bodies(script)
    if _paragraphs(parts) < MIN_PARAGRAPHS and bodies:
        parts = [max(bodies, key=lambda body: _shared_words(body, headline))]
    if _paragraphs(parts) < MIN_PARAGRAPHS:
        return None
    return "<html><body><article>" + "".join(parts) + "</article></body></html>"


def _paragraphs(parts: list[str]) -> int:
    return sum(len(_PARAGRAPH.findall(part)) for part in parts)


def _shared_words(markup: str, headline: str) -> int:
    words = set(_WORD.findall(headline.casefold()))
    return len(words & set(_WORD.findall(markup.casefold())))


def _literal_markup(script: str) -> Iterator[str]:
    if "\\u003cp" not in script and "<p" not in script:
        return
    for literal in _STRING.finditer(script):
        raw = literal.group(1)
        if "\\u003c" not in raw and "<" not in raw:
            continue
        try:
            value = json.loads(f'"{raw}"')
        except ValueError:  # a JavaScript escape JSON lacks: not one of these payloads
            continue
        if _PARAGRAPH.search(value):
            yield value


def _dom_bodies(script: str) -> Iterator[str]:
    """Each run of sibling nodes that starts with a ``{"type": "p", "children": [...]}``
    element, as markup: one story's body (a state also holds teasers and related stories,
    each its own run)."""
    end = 0
    for start in _DOM_PARAGRAPH.finditer(script):
        if start.start() < end:  # inside a run already rendered
            continue
        nodes, end = _siblings(script, start.start())
        body = "".join(map(_render, nodes))
        if body.strip():
            yield body


def _siblings(script: str, at: int) -> tuple[list[object], int]:
    """The JSON values from ``at`` to the end of the array they are items of."""
    nodes: list[object] = []
    while at < len(script) and script[at] == "{":
        try:
            node, at = _DECODER.raw_decode(script, at)
        except ValueError:
            break
        nodes.append(node)
        while at < len(script) and script[at] in " \t\r\n,":
            at += 1
    return nodes, at


def _render(node: object) -> str:
    """One node of a JSON element tree as markup: text escaped, known elements kept, the
    text of others kept without their element."""
    if not isinstance(node, dict):
        return ""
    if node.get("type") == "text":
        data = node.get("data")
        return escape(data, quote=False) if isinstance(data, str) else ""
    tag = node.get("type")
    if tag in ("script", "style"):  # htmlparser2 gives their code as text children
        return ""
    children = node.get("children")
    inner = "".join(map(_render, children)) if isinstance(children, list) else ""
    if tag == "br":
        return "<br>"
    if isinstance(tag, str) and tag in _DOM_TAGS:
        return f"<{tag}>{inner}</{tag}>"
    return inner


def article_body(jsonld: Iterable[dict[str, object]]) -> str | None:
    """The longest JSON-LD ``articleBody`` that is more than a teaser."""
    bodies = [body.strip() for item in jsonld if isinstance(body := item.get("articleBody"), str)]
    longest = max(bodies, key=len, default="")
    return longest if len(longest) >= MIN_BODY_CHARS else None
