"""What a body is: a ``Content-Type`` header's parts (the media type and its ``charset``
parameter), read alike for fetched pages and for the feeds and archives they are parsed
as; and the document a body's own first bytes mark it as, read alike where a response is
fetched and where its bytes are extracted."""

from __future__ import annotations

from typing import Literal

#: How each document a feed may link in place of a page starts (an OpenDocument text is a
#: zip whose first member, stored as it is, names its media type).
PDF_MARK = b"%PDF-"
ZIP_MARK = b"PK\x03\x04"
RTF_MARK = b"{\\rtf"
ODT_MARK = b"application/vnd.oasis.opendocument.text"
#: A document's mark sits in its first bytes; looking no further costs nothing per page.
_HEAD = 512

Document = Literal["pdf", "docx", "odt", "rtf"]


def media_type(content_type: str) -> str:
    """The media type alone, lower case (``text/csv; charset=utf-8`` -> ``text/csv``)."""
    return content_type.split(";")[0].strip().lower()


def charset_of(content_type: str) -> str | None:
    """The ``charset`` parameter, lower case and unquoted, if any."""
    for param in content_type.split(";")[1:]:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset" and value.strip(" \"'"):
            return value.strip(" \"'").lower()
    return None


def document_mark(content: bytes) -> Document | None:
    """The document ``content`` is by its own marks (a PDF, a Word document, an OpenDocument
    text, an RTF file), None for a page or anything else: what a server or a name calls it
    is another matter, and a server that sends its error page as a PDF sends no PDF."""
    head = content[:_HEAD]  # every page passes here: never copy its whole body
    if head.startswith(PDF_MARK):
        return "pdf"
    if head.startswith(ZIP_MARK):
        if ODT_MARK in head[:100]:
            return "odt"
        return "docx" if b"word/document.xml" in content else None
    return "rtf" if head.lstrip().startswith(RTF_MARK) else None


__all__ = ["ODT_MARK", "PDF_MARK", "RTF_MARK", "ZIP_MARK", "Document", "charset_of",
           "document_mark", "media_type"]
