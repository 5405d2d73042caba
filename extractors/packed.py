"""What a file of many inputs (a web archive, a zip file) yields, one input at a time: a
page or text to read, or a named problem with one of them or with the file."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Literal

from extractors.files import read_bytes
from newsmon.core.errors import RejectedInput
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
    kind: Literal["text", "html", "entry"] = "html"
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


def file_pages(path: Path, max_bytes: int,
               pages_of: Callable[[bytes, str], Iterator[ArchivedPage | ArchiveProblem]],
               *, text: bool = True) -> Iterator[ArchivedPage | ArchiveProblem]:
    """The inputs ``pages_of`` reads in the file at ``path`` (its bytes and its address), or
    one problem stopping the file when it cannot be read (missing, over ``max_bytes``,
    empty; with ``text``, binary)."""
    try:
        content = read_bytes(path, max_bytes=max_bytes, text=text)
    except RejectedInput as exc:
        yield ArchiveProblem(0, None, exc.reason, exc.detail, stops=True)
        return
    yield from pages_of(content, path.resolve().as_uri())


__all__ = ["ArchiveProblem", "ArchivedPage", "file_pages"]
