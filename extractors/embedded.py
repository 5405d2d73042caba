"""Article text a page ships as data instead of markup.

Some pages render the article in the browser: the HTML holds it only inside scripts, as
escaped markup in a JavaScript string (Next.js's flight data,
``self.__next_f.push([1, "…\\u003cp\\u003e…"])``, and the state blobs of other frameworks),
or as plain text in a JSON-LD ``articleBody``. trafilatura reads markup and skips scripts,
so such a page has "no main text" although a reader sees an article. When the markup has
none, :mod:`extractors.html` reads these instead.

Pure standard library: the caller hands in the scripts' texts and the JSON-LD items.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

#: A double-quoted JSON / JavaScript string literal.
_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')
_PARAGRAPH = re.compile(r"<p[\s>]", re.IGNORECASE)
#: Escaped markup is an article only with this many paragraphs: a caption or a teaser
#: string with one or two is not.
MIN_PARAGRAPHS = 3
#: An ``articleBody`` shorter than this many characters is a teaser, not the article.
MIN_BODY_CHARS = 200


def script_markup(scripts: Iterable[str]) -> str | None:
    """The paragraph markup held in the scripts' string literals, as one HTML document.

    Literals are decoded as JSON strings and kept when they hold a paragraph; repeats
    (frameworks often ship the same payload twice) are kept once, in page order.
    """
    parts: list[str] = []
    for script in scripts:
        if "\\u003cp" not in script and "<p" not in script:
            continue
        for literal in _STRING.finditer(script):
            raw = literal.group(1)
            if "\\u003c" not in raw and "<" not in raw:
                continue
            try:
                value = json.loads(f'"{raw}"')
            except ValueError:  # a JavaScript escape JSON lacks: not one of these payloads
                continue
            if _PARAGRAPH.search(value) and value not in parts:
                parts.append(value)
    if sum(len(_PARAGRAPH.findall(part)) for part in parts) < MIN_PARAGRAPHS:
        return None
    return "<html><body><article>" + "".join(parts) + "</article></body></html>"


def article_body(jsonld: Iterable[dict[str, object]]) -> str | None:
    """The longest JSON-LD ``articleBody`` that is more than a teaser."""
    bodies = [body.strip() for item in jsonld if isinstance(body := item.get("articleBody"), str)]
    longest = max(bodies, key=len, default="")
    return longest if len(longest) >= MIN_BODY_CHARS else None
