"""Text files that are a news database's export (LexisNexis Academic's "1 of 25
DOCUMENTS"): read as the articles they hold, one each, not as one article of all of them.

Told from a text file's first bytes, so a folder of clippings costs one small read per
file; the articles themselves are read by :mod:`extractors.news_exports`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from extractors.encoding import decode_text
from extractors.files import TEXT_SUFFIXES, file_head, last_suffix, read_bytes
from extractors.news_exports import is_text_export, text_export_articles
from extractors.packed import ArchivedPage, ArchiveProblem
from newsmon.core.errors import RejectedInput
from newsmon.core.outcomes import RejectReason


def is_text_export_file(path: Path) -> bool:
    """Whether ``path`` is a text file (``.txt``, perhaps gzipped) that a news database
    exported many articles into."""
    if last_suffix(path) not in TEXT_SUFFIXES or not path.is_file():
        return False
    try:
        head = file_head(path)
    except OSError:
        return False  # read as a text file, which names the problem
    return is_text_export(head.decode("utf-8", "replace"))


def text_export_pages(path: Path, max_bytes: int, skipped: Counter[str] | None = None
                      ) -> Iterator[ArchivedPage | ArchiveProblem]:
    """The articles of the export at ``path``, each known by the file's address and its
    place in it. Never raises; nothing in an export is skipped (``skipped`` is there to
    read it as other packed files are read)."""
    try:
        text = decode_text(read_bytes(path, max_bytes=max_bytes)).text
    except RejectedInput as exc:
        yield ArchiveProblem(0, None, exc.reason, exc.detail, stops=True)
        return
    base = path.resolve().as_uri()
    found = False
    for number, article in enumerate(text_export_articles(text), 1):
        found = True
        yield ArchivedPage(f"{base}#article-{number}", number, article.text.encode("utf-8"),
                           "utf-8", kind="text", name=f"article {number}", hints=article.hints)
    if not found:  # the file changed since it was told an export
        yield ArchiveProblem(0, None, RejectReason.EMPTY,
                             "no article of a news database's export in it", stops=True)


__all__ = ["is_text_export_file", "text_export_pages"]
