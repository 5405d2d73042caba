"""An article its site splits over pages: the pages after the first, fetched with it.

Some outlets split a long story over pages (Die Zeit's ``.../seite-2``, the FAZ's
``...-p2.html``, heise's ``?seite=2``), each page naming the next in ``<link rel="next">``
(or an ``<a rel="next">``). A feed links the first page, and the article stored was that
page's text alone: the rest of the story, and the words its topics and search would find
there, were never read.

A next link is followed only when it is this article's own next page: its address is the
first page's with the next page number added (``/seite-2``, ``/page/2``, ``/2``, ``-p2``
or ``-2`` before the file's extension, ``?page=2``, ``?seite=2``), on the same site. A
blog's ``rel="next"`` names its next post, another article, and is not followed. At most
:data:`MAX_PAGES` pages are read; a page that cannot be fetched ends the article where it
is (its pages so far are kept), named in the log.
"""

from __future__ import annotations

import logging
import re
from urllib.parse import parse_qsl, urljoin, urlsplit

from newsmon.core.errors import FetchPermanentError, FetchTransientError
from newsmon.fetch import HTML_TYPES, Fetcher, FetchResult

log = logging.getLogger(__name__)

#: An article's pages read at most (a story of ten pages is long; more is a gallery).
MAX_PAGES = 10
#: How far into a page its links are searched for the next page's (the head, or the pager
#: at the end of the story on long pages).
_SCAN_BYTES = 2_000_000
_NEXT = re.compile(
    rb"<(?:link|a)\b[^>]*?\brel\s*=\s*(?:[\"'][^\"'>]*?\bnext\b|next\b)[^>]*>", re.IGNORECASE)
_HREF = re.compile(rb"\bhref\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>]+))", re.IGNORECASE)
#: A query key that numbers an article's pages.
_PAGE_KEYS = frozenset({"page", "seite", "pg", "pagina", "strona", "sida"})
#: A page number added to an address's path, before its file's extension if it has one.
_PATH_SUFFIXES = ("/seite-{n}", "/seite/{n}", "/page/{n}", "/page-{n}", "/{n}")
_STEM_SUFFIXES = ("-p{n}", "-{n}", "_{n}", ",{n}")
_EXTENSION = re.compile(r"(\.(?:s?html?|php|aspx?|jsp|cms))$", re.IGNORECASE)


def next_page_link(page: FetchResult, first: str, number: int) -> str | None:
    """The address ``page`` names as the next page (``number``) of the article that
    begins at ``first``, if it names one (its other ``rel="next"`` links, such as a blog's
    next post, are passed over)."""
    for tag in _NEXT.finditer(page.content[:_SCAN_BYTES]):
        href = _HREF.search(tag.group(0))
        if href:
            value: bytes = next(group for group in href.groups() if group is not None)
            link = urljoin(page.url, value.decode("utf-8", "replace").replace("&amp;", "&")
                           .strip())
            if is_next_page(first, link, number):
                return link
    return None


def is_next_page(first: str, candidate: str, number: int) -> bool:
    """Whether ``candidate`` is page ``number`` of the article whose first page is at
    ``first``: the same address with that page number added."""
    one, other = urlsplit(first), urlsplit(candidate)
    if (one.scheme, one.netloc.lower()) != (other.scheme, other.netloc.lower()):
        return False
    if one.path == other.path:  # ?page=2: the same page, its number in the query
        added = set(parse_qsl(other.query)) - set(parse_qsl(one.query))
        kept = set(parse_qsl(one.query)) <= set(parse_qsl(other.query))
        return kept and len(added) == 1 and _numbers_page(added.pop(), number)
    if one.query != other.query:
        return False
    path = one.path.rstrip("/")
    wanted = {path + suffix.format(n=number) for suffix in _PATH_SUFFIXES}
    extension = _EXTENSION.search(path)
    if extension:
        stem = path[: extension.start()]
        wanted |= {stem + suffix.format(n=number) + extension.group(1)
                   for suffix in _STEM_SUFFIXES}
    return other.path.rstrip("/") in wanted


def _numbers_page(pair: tuple[str, str], number: int) -> bool:
    key, value = pair
    return key.lower() in _PAGE_KEYS and value == str(number)


def continued_pages(fetcher: Fetcher, first: FetchResult) -> tuple[bytes, ...]:
    """The pages after ``first`` of the article it begins, as their sites sent them (none
    for an article of one page)."""
    pages: list[bytes] = []
    current = first
    for number in range(2, MAX_PAGES + 1):
        link = next_page_link(current, first.url, number)
        if link is None:
            break
        try:
            fetcher.check(link)
            current = fetcher.get_page(link)
        except (FetchPermanentError, FetchTransientError) as exc:
            log.info("%s: its page %d (%s) not read: %s; stored with its first %d",
                     first.url, number, link, exc.detail, number - 1)
            break
        if not current.content_type.startswith(HTML_TYPES) and current.content_type:
            break  # a document in place of a page: not this article's next page
        pages.append(current.content)
    return tuple(pages)


__all__ = ["MAX_PAGES", "continued_pages", "is_next_page", "next_page_link"]
