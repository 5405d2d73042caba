"""Evernote exports (``.enex``): the notes, clipped articles among them, as an archive.

Evernote's Web Clipper was for years how analysts kept articles, and Evernote, Joplin and
other note tools export a notebook as one ENEX file: an ``<en-export>`` of ``<note>``
elements, each with its ``title``, its text as ENML (XHTML inside a CDATA section),
``created`` and ``updated`` times (``20230912T080000Z``), and ``note-attributes`` that
name the clipped page's address (``source-url``) and the note's ``author``. Each note is
a record of an archive (:mod:`extractors.archive_feed`): a clipping is known by its page's
address, the time it was clipped (``created``) is when its text was read, never its date;
a note without text is named, not dropped. The images and files a note holds (base64
``resource`` elements) are skipped unread.

Read with lxml's ``iterparse``, entities not resolved and nothing fetched, each note
dropped from the tree once read, so the parse holds one note's images at a time (the file
is read whole, up to the size limit, as any archive is).
"""

from __future__ import annotations

import io
import re
from typing import Any

from lxml import etree

from extractors.headline import title_without_site
from newsmon.core.urls import site_of

#: The media type an ENEX file is served and read as.
ENEX_TYPE = "application/enex+xml"
#: The root element an ENEX file starts with.
_ENEX_ROOT = re.compile(rb"\A(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*>\s*)?(?:<!DOCTYPE[^>]*>\s*)?"
                        rb"<en-export\b")
#: The XML declaration and doctype an ENML document opens with, inside the CDATA section.
_ENML_PROLOGUE = re.compile(r"\A\s*(?:<\?xml[^>]*\?>\s*)?(?:<!DOCTYPE[^>]*>\s*)?", re.I)
_TAG = re.compile(r"<[^>]*>")
_EN_NOTE = re.compile(r"<(/?)en-note\b", re.I)
_EN_MEDIA = re.compile(r"<en-(?:media|crypt)\b[^>]*?(?:/>|>.*?</en-(?:media|crypt)>)",
                       re.I | re.S)


def is_enex(head: bytes) -> bool:
    """Whether a file that starts with ``head`` is an ENEX export."""
    return _ENEX_ROOT.match(head[:2048]) is not None


def enex_records(content: bytes) -> tuple[list[dict[str, Any]], list[str]]:
    """Each note of an ENEX export as a record (``url``, ``title``, ``text`` as HTML,
    ``author``, ``seen_at``), in its order; and what could not be read, named."""
    records: list[dict[str, Any]] = []
    problems: list[str] = []
    parser = etree.iterparse(io.BytesIO(content), events=("end",), tag="note",
                             resolve_entities=False, no_network=True, huge_tree=True,
                             load_dtd=False)
    number = 0
    try:
        for _, note in parser:
            number += 1
            records.append(_record(note))
            note.clear(keep_tail=False)
            while note.getprevious() is not None:  # the notes read: gone from the tree too
                del note.getparent()[0]
    except etree.XMLSyntaxError as exc:
        problems.append(f"after note {number}: not well-formed XML ({exc.msg})")
    return records, problems


def _record(note: Any) -> dict[str, Any]:
    attributes = note.find("note-attributes")
    record: dict[str, Any] = {
        "title": _text(note.find("title")),
        "text": _enml(_text(note.find("content")) or ""),
        "seen_at": _text(note.find("created")),
    }
    url = _text(attributes.find("source-url")) if attributes is not None else None
    if url:  # a clipping: its page's title without the site's name, the site its outlet
        record.update(url=url, source=site_of(url))
        if record["title"]:
            record["title"] = title_without_site(record["title"], url)
    elif attributes is not None:  # one's own note: its author wrote it (a clipping's
        record["author"] = _text(attributes.find("author"))  # clipped it, so is not kept)
    return {k: v for k, v in record.items() if v}


def _text(element: Any) -> str | None:
    return (element.text or "").strip() or None if element is not None else None


def _enml(content: str) -> str:
    """A note's ENML as HTML: its ``<en-note>`` a ``<div>``, its media and encrypted parts
    (which stand for resources and secrets, not words) left out; "" when no text is left."""
    body = _EN_NOTE.sub(lambda m: f"<{m[1]}div", _ENML_PROLOGUE.sub("", content, count=1))
    body = _EN_MEDIA.sub("", body)
    return body if _TAG.sub("", body).strip() else ""  # a note of images alone has no text


__all__ = ["ENEX_TYPE", "enex_records", "is_enex"]
