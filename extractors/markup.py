"""What a page says about itself (meta tags, JSON-LD), read once per page and shared by the
headline, byline and publication-time readers.

Pure lxml and the standard library: the tree is trafilatura's, parsed once in
:mod:`extractors.html`; JSON-LD is decoded once here, not by each reader.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

from lxml.html import HtmlElement

_NON_WORD = re.compile(r"\W+")
#: A web archive's copy of a page: ``https://web.archive.org/web/20140226054445/http://…``
#: (the timestamp may carry a mode such as ``id_``); the site is the archived page's.
_ARCHIVED = re.compile(r"^https?://web\.archive\.org/web/\d{4,14}[a-z_]*/(.+)$", re.I)
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


@dataclass(frozen=True, slots=True)
class PageMarkup:
    """The parsed page and what its markup states, each read once."""

    tree: HtmlElement
    metas: tuple[tuple[str, str], ...]  # (property or name, lower case; content), page order
    jsonld: tuple[dict[str, object], ...]  # every JSON-LD object, nested ones too, page order
    canonical: str | None


def read_markup(tree: HtmlElement) -> PageMarkup:
    return PageMarkup(tree, tuple(_metas(tree)), tuple(_jsonld_items(tree)), _canonical(tree))


def site_names(page: PageMarkup, url: str | None) -> set[str]:
    names: set[str] = set()
    for key, value in page.metas:
        if key in ("og:site_name", "application-name", "twitter:site", "publisher"):
            names.add(squash(value))
    for item in page.jsonld:
        publisher = item.get("publisher")
        if isinstance(publisher, dict):
            name = publisher.get("name")
            if isinstance(name, str):
                names.add(squash(name))
        name = item.get("name")
        if item.get("@type") == "WebSite" and isinstance(name, str):
            names.add(squash(name))
    for link in (url, page.canonical):
        names.update(host_names(link))
    return {n for n in names if len(n) >= 3}


def host_names(url: str | None) -> set[str]:
    """The names an address's host gives its site, squashed: ``www.reuters.com`` ->
    ``reuters`` and ``wwwreuters``; a web archive's copy names the archived page's site."""
    link = archived_url(url) if url else url
    try:
        host = (urlsplit(link).hostname or "") if link else ""
    except ValueError:  # "http://[::1/x": no host to name the site by
        host = ""
    labels = host.split(".")[:-1]  # without the top-level domain
    names = {squash(label) for label in labels if label not in _HOSTING_LABELS}
    names.add(squash("".join(labels)))
    return {n for n in names if len(n) >= 3}


#: Hosts whose address, stated as a page's site name, names an account there, not the site.
_SOCIAL_HOSTS = frozenset({
    "facebook.com", "twitter.com", "x.com", "instagram.com", "youtube.com", "linkedin.com",
    "t.me", "tiktok.com", "threads.net", "mastodon.social", "bsky.app",
})
#: The fewest words of a headline that, stated as the site's name, show it is none: a
#: portal that puts each story's headline in ``application-name``, or a site name
#: trafilatura read from a ``<title>`` whose site comes first ("Bundespolizei - Aktuelles -
#: Illegale Migration aus Belarus ..."). A short one is often both ("ICON").
HEADLINE_AS_SITE_WORDS = 4


def outlet(stated: str | None, host: str | None, headline: str | None) -> str | None:
    """The outlet's name: the site name a page states (``stated``, as trafilatura read
    it), unless that is an address or the headline, else the page's ``host`` (as
    trafilatura gives it, without "www."). An address is the host it names
    ("https://www.hawaiinewsnow.com" -> "hawaiinewsnow.com"), and an account on a social
    network (``article:publisher`` taken for a name) no name at all; a name written as a
    host ("www.chocolate.com") is the site's own."""
    fallback = host or None
    if not stated:
        return fallback
    if stated.lower().startswith(("http://", "https://")):
        try:
            named = (urlsplit(stated).hostname or "").removeprefix("www.")
        except ValueError:
            named = ""
        return named if named and named not in _SOCIAL_HOSTS else fallback
    if (headline and len(headline.split()) >= HEADLINE_AS_SITE_WORDS
            and squash(stated) == squash(headline)):
        return fallback
    return stated


def archived_url(url: str) -> str:
    """The address a web-archive copy was taken from, else ``url`` as it is."""
    match = _ARCHIVED.match(url)
    if not match:
        return url
    inner = match[1]
    return inner if "://" in inner else "http://" + inner


def _canonical(tree: HtmlElement) -> str | None:
    for link in tree.iterfind(".//link"):
        href = link.get("href")
        if (link.get("rel") or "").lower() == "canonical" and isinstance(href, str):
            return href
    return None


def _metas(tree: HtmlElement) -> Iterator[tuple[str, str]]:
    for meta in tree.iterfind(".//meta"):
        key = (meta.get("property") or meta.get("name") or "").lower()
        content = meta.get("content")
        if key and content and content.strip():
            yield key, content


#: What a CMS wraps a script's content in for old parsers ("//<![CDATA[" … "//]]>", "<!--"
#: … "-->"): not JSON, so JSON-LD inside it was lost whole.
_SCRIPT_WRAPPER = re.compile(r"^\s*(?://\s*)?(?:<!\[CDATA\[|<!--)|(?://\s*)?(?:\]\]>|-->)\s*$")
_JSON = json.JSONDecoder(strict=False)  # raw line breaks and tabs inside strings are common


def json_values(text: str) -> list[object]:
    """The JSON values of a script, in order: one, several written one after another
    ("[…][…]", as some CMSs print their blocks), or none when it is not JSON (what was
    read before a syntax error is kept)."""
    text = _SCRIPT_WRAPPER.sub("", text).strip()
    values: list[object] = []
    position = 0
    while position < len(text):
        try:
            value, position = _JSON.raw_decode(text, position)
        except (ValueError, RecursionError):  # nested past the parser's depth: not data
            break
        values.append(value)
        while position < len(text) and (text[position].isspace() or text[position] == ";"):
            position += 1
    return values


def _jsonld_items(tree: HtmlElement) -> Iterator[dict[str, object]]:
    for script in tree.iterfind(".//script"):
        if (script.get("type") or "").lower() != "application/ld+json" or not script.text:
            continue
        stack: list[object] = list(reversed(json_values(script.text)))
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(reversed(item))
            elif isinstance(item, dict):
                yield item
                stack.extend(v for v in item.values() if isinstance(v, dict | list))


def paywalled(page: PageMarkup) -> bool | None:
    """Whether the publisher marks the page as not free to read (schema.org
    ``isAccessibleForFree``, the markup Google asks paywalled news to carry: on the article
    or on a section of it), None when the page does not say. The stored text may still be
    whole: many such pages send it all and hide it in the browser."""
    said = [stated_flag(item["isAccessibleForFree"]) for item in page.jsonld
            if "isAccessibleForFree" in item]
    if False in said:
        return True
    return False if True in said else None


def stated_flag(value: object) -> bool | None:
    """A yes or no as publishers and archives write it: a boolean, or "true"/"false" in
    any case (JSON-LD's "False", a CSV cell); None for anything else."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    return None
