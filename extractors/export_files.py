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
from extractors.files import TEXT_SUFFIXES, file_head, last_suffix
from extractors.news_exports import exported_pages, is_text_export, text_export_articles
from extractors.packed import ArchivedPage, ArchiveProblem, file_pages
from newsmon.core.errors import RejectedInput


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
    return file_pages(path, max_bytes, export_text_pages)


def export_text_pages(content: bytes, base: str) -> Iterator[ArchivedPage | ArchiveProblem]:
    """The articles of a text export's bytes, known by ``base`` and their places; one
    problem stopping the file when no encoding decodes it."""
    try:
        text = decode_text(content).text
    except RejectedInput as exc:
        yield ArchiveProblem(0, None, exc.reason, exc.detail, stops=True)
        return
    yield from exported_pages(base, text_export_articles(text), "a news database's export")


__all__ = ["export_text_pages", "is_text_export_file", "text_export_pages"]
