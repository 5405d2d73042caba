"""Articles saved as RTF (``.rtf``): a clipping, a press release, a news database's export
(Nexis Uni writes its exports as RTF as well as Word documents; LexisNexis Academic did
too), read with striprtf.

The text is the file's paragraphs, read as a Word document's are
(:func:`extractors.news_exports.document_pages`): one article, under the title the file's
``\\info`` states, or one for each "End of Document" of an export, its header read as its
metadata; LexisNexis Academic's "1 of 25 DOCUMENTS" exports as its text files are. A file
that is no RTF, or holds no text, is a named problem.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from extractors.news_exports import (
    document_pages,
    exported_pages,
    is_text_export,
    text_export_articles,
)
from extractors.packed import ArchivedPage, ArchiveProblem, file_pages
from newsmon.core.media_types import RTF_MARK
from newsmon.core.outcomes import RejectReason

RTF_SUFFIXES = frozenset({".rtf"})
#: The title an RTF file's ``\info`` group states (striprtf leaves the group out).
_INFO_TITLE = re.compile(rb"\{\\title\s+([^{}\\]*)\}")


def is_rtf(path: Path) -> bool:
    return path.suffix.lower() in RTF_SUFFIXES


def rtf_articles(path: Path, max_bytes: int, skipped: Counter[str] | None = None
                 ) -> Iterator[ArchivedPage | ArchiveProblem]:
    """The articles of the RTF file at ``path``. Never raises; nothing in a file is skipped
    (``skipped`` is there to read it as other packed files are read)."""
    return file_pages(path, max_bytes, rtf_pages, text=False)


def rtf_pages(content: bytes, base: str) -> Iterator[ArchivedPage | ArchiveProblem]:
    """The articles of an RTF file's bytes, known by ``base`` (and their places)."""
    if not content.lstrip().startswith(RTF_MARK):
        yield ArchiveProblem(0, None, RejectReason.UNREADABLE,
                             "not an RTF file (it does not start with {\\rtf)", stops=True)
        return
    text = rtf_text(content)
    if is_text_export(text[:16_384]):
        yield from exported_pages(base, text_export_articles(text), "a news database's export")
        return
    paragraphs = [" ".join(line.split()) for line in text.split("\n")]
    title = _INFO_TITLE.search(content)
    stated = _decoded(title[1]).strip() if title else None
    yield from document_pages(base, [p for p in paragraphs if p], stated or None,
                              "an RTF file")


def rtf_text(content: bytes) -> str:
    """The text of an RTF file, its paragraphs on lines of their own. RTF is 7-bit text
    whose other characters are escaped; some writers put UTF-8 in it unescaped."""
    from striprtf.striprtf import rtf_to_text  # imported when an RTF file comes

    return str(rtf_to_text(_decoded(content), errors="replace"))  # type: ignore[no-untyped-call]


def _decoded(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


__all__ = ["RTF_SUFFIXES", "is_rtf", "rtf_articles", "rtf_pages", "rtf_text"]
