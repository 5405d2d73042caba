"""Pages Safari saved as one file (``.webarchive``), read with the standard library's
:mod:`plistlib`.

Safari's "Save As... Web Archive" (its default for a page) writes a property list: the page
as ``WebMainResource`` (its bytes, address, MIME type and text encoding), the images,
styles and frames it shows as ``WebSubresources``. Each is read as the HTML page it holds,
known by the address it was saved from, as a page saved as MHTML is
(:mod:`extractors.mhtml`); the file stays the article's ``origin``.
"""

from __future__ import annotations

import plistlib
from typing import Any

from extractors.mhtml import SavedPage
from newsmon.core.errors import RejectedInput
from newsmon.core.outcomes import RejectReason

WEBARCHIVE_SUFFIXES = frozenset({".webarchive"})
#: The MIME types of a main resource that is a page.
_PAGE_TYPES = frozenset({"text/html", "application/xhtml+xml"})


def webarchive_page(content: bytes, *, max_bytes: int) -> SavedPage:
    """The page a Safari web archive holds; :class:`RejectedInput` naming why there is none
    (not a property list, no page in it, a page of another type, a page over
    ``max_bytes``)."""
    try:
        archive: Any = plistlib.loads(content)
    except (plistlib.InvalidFileException, ValueError, TypeError, IndexError, OverflowError,
            KeyError, AttributeError) as exc:
        raise RejectedInput(RejectReason.UNREADABLE, "not a readable Safari web archive "
                            f"({type(exc).__name__})") from None
    main = archive.get("WebMainResource") if isinstance(archive, dict) else None
    if not isinstance(main, dict):
        main = {}
    data = main.get("WebResourceData")
    if not isinstance(data, bytes):
        raise RejectedInput(RejectReason.NO_CONTENT, "a Safari web archive without its page")
    kind = _text(main.get("WebResourceMIMEType")) or "text/html"
    if kind.lower() not in _PAGE_TYPES:
        raise RejectedInput(RejectReason.NOT_HTML, f"a Safari web archive of {kind}, no page")
    if len(data) > max_bytes:
        raise RejectedInput(RejectReason.TOO_LARGE, f"its page has {len(data):,} bytes, over "
                                                    f"the {max_bytes:,}-byte limit "
                                                    "(NEWSMON_MAX_FILE_BYTES)")
    if not data.strip():
        raise RejectedInput(RejectReason.EMPTY, "a Safari web archive whose page is empty")
    address = _text(main.get("WebResourceURL"))
    web = address if address and address.lower().startswith(("http://", "https://")) else None
    return SavedPage(data, _text(main.get("WebResourceTextEncodingName")), web)


def _text(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


__all__ = ["WEBARCHIVE_SUFFIXES", "webarchive_page"]
