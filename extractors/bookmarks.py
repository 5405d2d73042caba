"""Bookmarks exported from a browser or a read-it-later service: the pages to fetch.

Every browser exports its bookmarks, and read-it-later and bookmarking services theirs
(Raindrop, Pinboard, Instapaper, Pocket until 2025), as the Netscape bookmark file: an
HTML page whose doctype is ``NETSCAPE-Bookmark-file-1``, its links ``<A HREF=...
ADD_DATE=...>title</A>`` in nested ``<DL>`` folders. Pocket's own HTML export ("Pocket
Export") and Instapaper's ("Instapaper: Export") list their links the same way without that
doctype. An analyst's reading list kept so is read as a list of links is: each bookmarked
page fetched and read as an article, its bookmark's title a hint beside the page's own. The
day a page was bookmarked is not when it was published, so it is not kept as a date.

Read with the standard library's :mod:`html.parser`: the format leaves its ``<DT>`` and
``<p>`` elements unclosed, which a tolerant parser reads as it is meant.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from extractors.encoding import decode_text
from newsmon.core.wording import clipped

#: How a bookmark file starts: the Netscape doctype (every browser's export), or the
#: title of Pocket's and Instapaper's HTML exports.
_BOOKMARK_FILE = re.compile(
    rb"\A(?:\xef\xbb\xbf)?\s*(?:<!DOCTYPE\s+NETSCAPE-Bookmark-file-1\s*>"
    rb"|(?:<!DOCTYPE[^>]*>\s*)?(?:<!--.*?-->\s*)*<html[^>]*>\s*(?:<!--.*?-->\s*)*<head>"
    rb"(?:(?!</head>).)*?<title>\s*(?:Pocket Export|Instapaper: Export)\s*</title>)",
    re.IGNORECASE | re.DOTALL)
#: Bytes of a file looked at to tell whether it is a bookmark file.
HEAD_BYTES = 2048


def is_bookmark_file(head: bytes) -> bool:
    """Whether a file that starts with ``head`` is a bookmark file."""
    return _BOOKMARK_FILE.match(head[:HEAD_BYTES]) is not None


def bookmark_records(content: bytes, charset: str | None = None
                     ) -> tuple[list[dict[str, str]], list[str]]:
    """The web pages a bookmark file lists (``url`` and ``title``), in its order, each
    once; and each bookmark left out, named (a bookmarklet, a browser's saved search such
    as Firefox's ``place:`` queries, a local file)."""
    reader = _Links()
    reader.feed(decode_text(content, charset).text)
    reader.close()
    records: list[dict[str, str]] = []
    problems: list[str] = []
    seen: set[str] = set()
    for href, title in reader.links:
        if not href.lower().startswith(("http://", "https://")):
            scheme = href.split(":", 1)[0][:20] if ":" in href else "no address"
            problems.append(f"{clipped(title or href, 60)!r}: no web page ({scheme})")
        elif href not in seen:
            seen.add(href)
            records.append({"url": href, "title": title} if title else {"url": href})
    return records, problems


class _Links(HTMLParser):
    """Each ``<a href>``'s address and text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []
        self._open: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self._close()
            href = next((v for k, v in attrs if k == "href" and v), None)
            self._open = (href.strip(), []) if href and href.strip() else None

    def handle_endtag(self, tag: str) -> None:
        if tag in ("a", "dt", "dl", "li"):
            self._close()

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._open[1].append(data)

    def close(self) -> None:
        super().close()
        self._close()

    def _close(self) -> None:
        if self._open is not None:
            href, words = self._open
            self.links.append((href, " ".join("".join(words).split())))
            self._open = None


__all__ = ["HEAD_BYTES", "bookmark_records", "is_bookmark_file"]
