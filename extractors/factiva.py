"""Factiva's saved result pages: one HTML file (``<title>Factiva</title>``) holding up to a
hundred articles, each a ``div.article`` with its header in ``div`` lines (the headline in
``#hd``, the author, the word count, the day, the publication, its code, page and language,
the copyright), its paragraphs (``p.articleParagraph``) and a closing "Document ..." line.

Read as one page, trafilatura made one article of them all: a hundred articles' words, tags
and spikes under the first one's headline and the day it was read. Each is an article of
its own here, its header read as its metadata (:class:`extractors.news_exports.ExportedArticle`).
Pure lxml, on the file as saved.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from lxml import etree, html

from extractors.byline import plain_byline
from extractors.files import HTML_SUFFIXES, file_head, last_suffix
from extractors.news_exports import ExportedArticle, day_line, exported_pages, headline_and_deck
from extractors.packed import ArchivedPage, ArchiveProblem, file_pages
from newsmon.core.outcomes import RejectReason

_TITLE = re.compile(rb"<title>\s*Factiva\s*</title>", re.IGNORECASE)
_ARTICLES = etree.XPath("//div[contains(concat(' ', normalize-space(@class), ' '), ' article ')]")
_WORDS = re.compile(r"^[\d,.]+\s+(?:words|wörter|mots|woorden|palabras|parole)$", re.IGNORECASE)
_CLOCK = re.compile(r"^\d{1,2}:\d{2}(?:\s*(?:GMT|UTC|ET))?$")
#: Factiva joins a headline and its deck with " ; ".
_DECK = re.compile(r"\s+;\s+")


def is_factiva_file(path: Path) -> bool:
    """Whether ``path`` is a page of Factiva's results saved as HTML."""
    if last_suffix(path) not in HTML_SUFFIXES or not path.is_file():
        return False
    try:
        return is_factiva_page(file_head(path))
    except OSError:
        return False  # read as a page, which names the problem


def factiva_articles(path: Path, max_bytes: int, skipped: Counter[str] | None = None
                     ) -> Iterator[ArchivedPage | ArchiveProblem]:
    """The articles of the saved Factiva page at ``path``, each known by the file's address
    and its place in it. Never raises; nothing is skipped (``skipped`` is there to read it
    as other packed files are read)."""
    return file_pages(path, max_bytes, factiva_pages)


def is_factiva_page(head: bytes) -> bool:
    """Whether a page's first bytes are a saved Factiva page's."""
    return bool(_TITLE.search(head))


def factiva_pages(content: bytes, base: str) -> Iterator[ArchivedPage | ArchiveProblem]:
    """The articles of a saved Factiva page's bytes, known by ``base`` and their places."""
    try:
        tree = html.fromstring(content)
    except (etree.ParserError, ValueError) as exc:
        yield ArchiveProblem(0, None, RejectReason.UNREADABLE,
                             f"not a readable Factiva page: {exc}", stops=True)
        return
    yield from exported_pages(base, map(factiva_article, _ARTICLES(tree)), "a Factiva page")


def factiva_article(node: html.HtmlElement) -> ExportedArticle:
    """One ``div.article``: its header lines after the headline are the author, the word
    count, the day (perhaps a time), the publication and Factiva's codes for it."""
    lines = node.xpath("./div")
    headline_at = next((i for i, line in enumerate(lines) if line.get("id") == "hd"), None)
    title = deck = author = source = None
    published = None
    if headline_at is not None:
        title, deck = headline_and_deck(_DECK.sub(";", _text(lines[headline_at])))
        header = lines[headline_at + 1:]
        for i, line in enumerate(header):
            text = _text(line)
            if "author" in (line.get("class") or "").split():
                byline = plain_byline(text)
                author = "; ".join(byline.people or byline.agencies) or byline.organisation
            elif published is None and not _WORDS.match(text):
                published = day_line(text)
                if published is not None:
                    rest = [_text(later) for later in header[i + 1:]]
                    source = next((value for value in rest if value and not _CLOCK.match(value)),
                                  None)
                    break
    paragraphs = [_text(p) for p in node.xpath(
        "./p[contains(concat(' ', normalize-space(@class), ' '), ' articleParagraph ')]")]
    return ExportedArticle(tuple(filter(None, (deck, *paragraphs))), title, source, author,
                           published)


def _text(node: html.HtmlElement) -> str:
    return " ".join(node.text_content().split())


__all__ = ["factiva_article", "factiva_articles", "factiva_pages", "is_factiva_file",
           "is_factiva_page"]
