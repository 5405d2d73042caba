"""Links saved as files, read with the standard library: a browser's address dragged to a
folder or the desktop becomes a shortcut holding it, and an analyst's folder of articles
to read is often such files.

* Windows (and Edge, Chrome, Firefox there): ``.url``, an INI file with ``URL=`` under
  ``[InternetShortcut]``.
* macOS (Safari, Chrome): ``.webloc``, a property list with the key ``URL``, as XML or
  as a binary property list (``bplist00``).
* Linux desktops: ``.desktop`` with ``Type=Link`` and ``URL=`` under ``[Desktop Entry]``
  (one that starts a program is no link).

Each is the page at its address, fetched as a feed's link is.
"""

from __future__ import annotations

import configparser
import plistlib
import re

SHORTCUT_SUFFIXES = frozenset({".url", ".webloc", ".desktop"})
_WEB = re.compile(r"https?://\S+", re.IGNORECASE)


def shortcut_url(content: bytes) -> str | None:
    """The http(s) address a shortcut file holds; None when it holds none (another kind of
    ``.desktop`` file, a damaged file, a link to a local file)."""
    return _web(saved_address(content))


def saved_address(content: bytes) -> str | None:
    """The address a shortcut file holds, whatever its scheme (``file:``, ``javascript:``),
    to name it when it is no web page's."""
    if content.startswith((b"bplist00", b"<?xml", b"<!DOCTYPE plist", b"<plist")):
        return _plist_url(content)
    return _ini_url(content.decode("utf-8", "replace").removeprefix("\ufeff"))


def _plist_url(content: bytes) -> str | None:
    try:
        found = plistlib.loads(content)
    except (plistlib.InvalidFileException, ValueError, TypeError, IndexError, OverflowError):
        return None
    value = found.get("URL") if isinstance(found, dict) else None
    return value if isinstance(value, str) else None


def _ini_url(text: str) -> str | None:
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys as written
    try:
        parser.read_string(text)
    except configparser.Error:
        return None
    if parser.has_section("InternetShortcut"):
        return parser.get("InternetShortcut", "URL", fallback=None)
    if parser.has_section("Desktop Entry"):
        entry = parser["Desktop Entry"]
        return entry.get("URL") if entry.get("Type") == "Link" else None
    return None


def _web(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    return value if _WEB.fullmatch(value) else None


__all__ = ["SHORTCUT_SUFFIXES", "saved_address", "shortcut_url"]
