"""What a file of many inputs (a web archive, a zip file) yields, one input at a time: a
page or text to read, or a named problem with one of them or with the file."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Literal, Protocol

from newsmon.core.outcomes import RejectReason
from newsmon.core.records import EntryHints


@dataclass(frozen=True, slots=True)
class ArchivedPage:
    """One input a file holds, with the address it is known by: the page's own for a
    crawl's page, the file's with the member's name for a zip file's."""

    url: str
    record: int  # its number in the file, from 1
    content: bytes  # as it was served or saved, its transfer and content encodings undone
    charset: str | None  # the charset its Content-Type named
    fetched_at: datetime | None = None  # when it was fetched (a WARC-Date), naive UTC
    kind: Literal["text", "html"] = "html"
    name: str | None = None  # the member's name in a zip file, or "article 2" of a document
    #: what a news database's export states about the article (headline, byline, day)
    hints: EntryHints | None = None


@dataclass(frozen=True, slots=True)
class ArchiveProblem:
    """An input that could not be read, or where the file stopped being readable."""

    record: int  # 0: the file itself
    url: str | None  # the input's (``detail`` then says what is wrong with it), or None
    reason: RejectReason
    detail: str
    stops: bool = False  # the file could not be read from here on (or at all)


def article_url(base: str, number: int) -> str:
    """The address of a file's ``number``-th article: the file's with its place ("#article-2";
    "/article-2" when the file is itself a zip's member, known by "zip#member")."""
    return f"{base}{'/' if '#' in base else '#'}article-{number}"


def exported_pages(base: str, articles: Iterable[ExportedArticleLike], what: str
                   ) -> Iterator[ArchivedPage | ArchiveProblem]:
    """A file's articles as pages, each known by its place in the file; one problem naming
    ``what`` when it holds none."""
    found = False
    for number, article in enumerate(articles, 1):
        found = True
        yield ArchivedPage(article_url(base, number), number, article.text.encode("utf-8"),
                           "utf-8", kind="text", name=f"article {number}", hints=article.hints)
    if not found:
        yield ArchiveProblem(0, None, RejectReason.EMPTY, f"{what} without an article in it",
                             stops=True)


class ExportedArticleLike(Protocol):
    """An article read from a file of many (:class:`extractors.news_exports.ExportedArticle`)."""

    @property
    def text(self) -> str: ...

    @property
    def hints(self) -> EntryHints: ...


__all__ = ["ArchiveProblem", "ArchivedPage", "ExportedArticleLike", "article_url",
           "exported_pages"]
