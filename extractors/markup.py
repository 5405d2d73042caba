"""Small readers of a page's own markup, shared by the headline and byline choosers.

Pure lxml and the standard library: the tree is trafilatura's, parsed once in
:mod:`extractors.html`.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from urllib.parse import urlsplit

from lxml.html import HtmlElement

_NON_WORD = re.compile(r"\W+")
#: Host labels that name a hosting service or a subdomain role, not the site.
_HOSTING_LABELS = frozenset({
    "www", "m", "amp", "mobile", "co", "com", "org", "net", "ac", "gov", "wordpress",
    "blogspot", "wikidot", "github", "medium", "archive", "web", "news", "blog", "blogs",
})


def clean_text(value: str | None) -> str:
    if not value:
        return ""
    return " ".join(html.unescape(value).replace("\xad", "").split())


def squash(text: str) -> str:
    """Letters and digits only, lower case: 'La Stampa' and 'lastampa.it' meet as 'lastampa'."""
    return _NON_WORD.sub("", text.casefold())


def site_names(tree: HtmlElement, url: str | None) -> set[str]:
    names: set[str] = set()
    for key, value in metas(tree):
        if key in ("og:site_name", "application-name", "twitter:site", "publisher"):
            names.add(squash(value))
    for item in jsonld_items(tree):
        publisher = item.get("publisher")
        if isinstance(publisher, dict):
            name = publisher.get("name")
            if isinstance(name, str):
                names.add(squash(name))
        name = item.get("name")
        if item.get("@type") == "WebSite" and isinstance(name, str):
            names.add(squash(name))
    for link in (url, canonical(tree)):
        host = (urlsplit(link).hostname or "") if link else ""
        labels = host.split(".")[:-1]  # without the top-level domain
        names.update(squash(label) for label in labels if label not in _HOSTING_LABELS)
        names.add(squash("".join(labels)))
    return {n for n in names if len(n) >= 3}


def canonical(tree: HtmlElement) -> str | None:
    for link in tree.iterfind(".//link"):
        href = link.get("href")
        if (link.get("rel") or "").lower() == "canonical" and isinstance(href, str):
            return href
    return None


def metas(tree: HtmlElement) -> Iterator[tuple[str, str]]:
    for meta in tree.iterfind(".//meta"):
        key = (meta.get("property") or meta.get("name") or "").lower()
        content = meta.get("content")
        if key and content and content.strip():
            yield key, content


def jsonld_items(tree: HtmlElement) -> Iterator[dict[str, object]]:
    for script in tree.iterfind(".//script"):
        if (script.get("type") or "").lower() != "application/ld+json" or not script.text:
            continue
        try:
            stack: list[object] = [json.loads(script.text)]
        except ValueError:
            continue
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(reversed(item))
            elif isinstance(item, dict):
                yield item
                stack.extend(v for v in item.values() if isinstance(v, dict | list))
