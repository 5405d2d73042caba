"""Word processors' documents of articles, read with the standard library's zipfile and
lxml: Word's (``.docx``) and LibreOffice's or any OpenDocument writer's (``.odt``, what
many public administrations publish): an analyst's clipping, a press release, a news
database's export.

The text is the document's paragraphs (Word's ``w:p``, OpenDocument's ``text:p`` and
``text:h``, its footnotes and text boxes left out) in order, a blank line between them, with
its title (the document's stated title, else its first paragraph) as the first line. A
news database's export holds many articles in one document, each closed by a line "End of
Document" (LexisNexis, Nexis Uni): each is an article of its own, its header read as its
metadata and its cover page and index left out (:mod:`extractors.news_exports`). A file
that is no Word document, or holds no text, is a named problem.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from extractors.news_exports import document_pages
from extractors.packed import ArchivedPage, ArchiveProblem
from newsmon.core.outcomes import RejectReason

WORD_SUFFIXES = frozenset({".docx", ".odt"})
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_ODF = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
#: What stands for a space in an OpenDocument paragraph, and what is not its text: a
#: footnote, a frame (a text box, an image's caption).
_ODF_SPACES = frozenset({f"{_ODF}s", f"{_ODF}tab", f"{_ODF}line-break"})
_ODF_NOT_TEXT = frozenset({f"{_ODF}note", "{urn:oasis:names:tc:opendocument:xmlns:"
                           "drawing:1.0}frame"})
_DC_TITLE = "{http://purl.org/dc/elements/1.1/}title"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


def is_word_document(path: Path) -> bool:
    return path.suffix.lower() in WORD_SUFFIXES


def docx_articles(
    path: Path, max_bytes: int, skipped: Counter[str] | None = None
) -> Iterator[ArchivedPage | ArchiveProblem]:
    """The articles of the Word or OpenDocument text at ``path``: one, or one for each "End of
    Document" an export closes its articles with. Never raises; nothing in a document is
    skipped (``skipped`` is there to read it as other packed files are read)."""
    yield from word_pages(path, path.resolve().as_uri(), max_bytes)


def word_pages(source: Path | bytes, base: str, max_bytes: int
               ) -> Iterator[ArchivedPage | ArchiveProblem]:
    """The articles of a Word document or an OpenDocument text (a file, or its bytes),
    known by ``base`` (and their places)."""
    try:
        with zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source
                             ) as packed:
            opendocument = "content.xml" in packed.namelist() and (
                "word/document.xml" not in packed.namelist())
            if opendocument:
                document = _part(packed, "content.xml", max_bytes)
                core = _part(packed, "meta.xml", 1_000_000, missing_ok=True)
            else:
                document = _part(packed, "word/document.xml", max_bytes)
                core = _part(packed, "docProps/core.xml", 1_000_000, missing_ok=True)
        paragraphs = _odf_paragraphs(document) if opendocument else _paragraphs(document)
        title = _title(core)
    except (zipfile.BadZipFile, OSError, KeyError, etree.XMLSyntaxError, ValueError, EOFError,
            zlib.error, NotImplementedError) as exc:  # damaged, or packed in a way zip lacks
        detail = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
        yield ArchiveProblem(0, None, RejectReason.UNREADABLE,
                             f"not a readable {_kind_named(base)}: {detail}", stops=True)
        return
    except _TooLarge as exc:
        yield ArchiveProblem(0, None, RejectReason.TOO_LARGE, str(exc), stops=True)
        return
    yield from document_pages(base, paragraphs, title,
                              "an OpenDocument text" if opendocument else "a Word document")


def _kind_named(base: str) -> str:
    """What a document that cannot be opened was meant to be, by its name: the zip that
    would say it is an OpenDocument text is the part that is damaged."""
    name = base.split("?", 1)[0].split("#", 1)[0].rstrip("/").lower()
    return "OpenDocument text" if name.endswith(".odt") else "Word document"


class _TooLarge(Exception):
    pass


def _part(packed: zipfile.ZipFile, name: str, max_bytes: int,
          missing_ok: bool = False) -> bytes | None:
    try:
        info = packed.getinfo(name)
    except KeyError:
        if missing_ok:
            return None
        raise KeyError(f"it has no {name}") from None
    if info.file_size > max_bytes:
        raise _TooLarge(f"its text ({name}) has {info.file_size:,} bytes, over the "
                        f"{max_bytes:,}-byte limit (NEWSMON_MAX_FILE_BYTES)")
    with packed.open(info) as part:
        return part.read(max_bytes + 1)


def _paragraphs(document: bytes | None) -> list[str]:
    root = etree.fromstring(document or b"", _PARSER)
    lines = []
    for paragraph in root.iter(f"{_W}p"):
        parts = []
        for node in paragraph.iter(f"{_W}t", f"{_W}tab", f"{_W}br"):
            parts.append(node.text or "" if node.tag == f"{_W}t" else " ")
        line = " ".join("".join(parts).split())
        if line:
            lines.append(line)
    return lines


def _odf_paragraphs(document: bytes | None) -> list[str]:
    root = etree.fromstring(document or b"", _PARSER)
    lines = []
    for paragraph in root.iter(f"{_ODF}p", f"{_ODF}h"):
        if any(node.tag in _ODF_NOT_TEXT for node in paragraph.iterancestors()):
            continue  # a footnote's paragraph, a text box's
        line = " ".join(_odf_text(paragraph).split())
        if line:
            lines.append(line)
    return lines


def _odf_text(node: etree._Element) -> str:
    """A paragraph's words, its spans' and links' included, its notes and frames not."""
    out = [node.text or ""]
    for child in node:
        if child.tag in _ODF_SPACES:
            out.append(" ")
        elif child.tag not in _ODF_NOT_TEXT:
            out.append(_odf_text(child))
        out.append(child.tail or "")
    return "".join(out)


def _title(core: bytes | None) -> str | None:
    if not core:
        return None
    found = etree.fromstring(core, _PARSER).find(f".//{_DC_TITLE}")
    text = " ".join((found.text or "").split()) if found is not None else ""
    return text or None


__all__ = ["WORD_SUFFIXES", "docx_articles", "is_word_document", "word_pages"]
