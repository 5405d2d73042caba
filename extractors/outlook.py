"""E-mails Outlook saved as files (``.msg``: what dragging a mail out of Outlook onto a
folder leaves), read with olefile.

A ``.msg`` is an OLE compound file of MAPI properties, one stream each: the subject, the
sender's name, the body as text and (when the mail was HTML) as HTML, the internet headers
it arrived with; the time it was sent is a fixed-size property in its property stream. It
becomes the same mail an ``.eml`` does, so both are read alike
(:mod:`extractors.email_message`).
"""

from __future__ import annotations

import io
import struct
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from newsmon.core.errors import RejectedInput
from newsmon.core.outcomes import RejectReason
from newsmon.core.wording import clipped

MSG_SUFFIXES = frozenset({".msg"})
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_SUBJECT, _SENDER_NAME, _SENDER_ADDRESS = 0x0037, 0x0C1A, 0x0C1F
_BODY, _HTML, _HEADERS, _CODEPAGE = 0x1000, 0x1013, 0x007D, 0x3FFD
#: When it was sent, else when it arrived (PT_SYSTIME properties).
_SENT_TIMES = (0x0039, 0x0E06)
_UNICODE, _STRING8, _BINARY, _SYSTIME, _LONG = 0x001F, 0x001E, 0x0102, 0x0040, 0x0003
#: The top-level property stream: the fixed-size properties (code page, times).
_PROPERTIES = "__properties_version1.0"
#: FILETIME counts 100-nanosecond ticks from 1601.
_FILETIME_EPOCH = datetime(1601, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class OutlookMail:
    """What a ``.msg`` holds that an article needs."""

    subject: str | None
    sender_name: str | None
    sender_address: str | None
    sent: datetime | None  # aware, UTC
    text: str | None
    html: bytes | None
    headers: str | None  # the internet headers it arrived with (its Date, Message-ID)


def is_outlook(content: bytes) -> bool:
    return content.startswith(OLE_MAGIC)


def outlook_mail(content: bytes) -> OutlookMail:
    """The mail a ``.msg`` holds; :class:`RejectedInput` when it is no readable one.

    olefile trusts the sizes a file states, so a damaged one fails in many ways (OSError,
    ValueError from a sector size of 2 to a huge power, IndexError, struct.error ...): any
    of them is the file's problem, named, not the run's."""
    import olefile  # imported when an Outlook mail comes: most runs never meet one

    try:
        ole = olefile.OleFileIO(io.BytesIO(content))
    except Exception as exc:
        raise RejectedInput(RejectReason.UNREADABLE, f"not a readable Outlook message: "
                                                     f"{_short(exc)}") from None
    try:
        return _read(ole)
    except RejectedInput:
        raise
    except Exception as exc:
        raise RejectedInput(RejectReason.UNREADABLE, f"a damaged Outlook message: "
                                                     f"{_short(exc)}") from None
    finally:
        ole.close()


def _short(exc: Exception) -> str:
    return clipped(str(exc) or type(exc).__name__, 160)


def _read(ole: Any) -> OutlookMail:
    if not ole.exists(_PROPERTIES):
        raise RejectedInput(RejectReason.UNREADABLE, "an OLE file that is no Outlook "
                                                     "message (a Word 97 or Excel file?)")
    properties = ole.openstream(_PROPERTIES).read()
    codepage = _fixed(properties, _CODEPAGE, _LONG)
    encoding = f"cp{codepage}" if codepage and codepage not in (1200, 65001) else "cp1252"

    def string(prop: int) -> str | None:
        raw = _stream(ole, prop, _UNICODE)
        if raw is not None:
            return raw.decode("utf-16-le", errors="replace").rstrip("\x00") or None
        raw = _stream(ole, prop, _STRING8)
        if raw is None:
            return None
        try:
            return raw.decode(encoding, errors="replace").rstrip("\x00") or None
        except LookupError:
            return raw.decode("cp1252", errors="replace").rstrip("\x00") or None

    sent = next((at for at in (_fixed(properties, prop, _SYSTIME) for prop in _SENT_TIMES)
                 if at), None)
    return OutlookMail(
        subject=string(_SUBJECT), sender_name=string(_SENDER_NAME),
        sender_address=string(_SENDER_ADDRESS),
        sent=_filetime(sent) if sent else None,
        text=string(_BODY), html=_stream(ole, _HTML, _BINARY), headers=string(_HEADERS))


def _filetime(ticks: int) -> datetime | None:
    """A FILETIME as a time; None for one past the year 9999 (a damaged property)."""
    try:
        return _FILETIME_EPOCH + timedelta(microseconds=ticks // 10)
    except OverflowError:
        return None


def _stream(ole: Any, prop: int, kind: int) -> bytes | None:
    name = f"__substg1.0_{prop:04X}{kind:04X}"
    if not ole.exists(name):
        return None
    data: bytes = ole.openstream(name).read()
    return data


def _fixed(data: bytes, prop: int, kind: int) -> int | None:
    """A fixed-size property of the message (its value's first 8 bytes as an integer) in
    its property stream ``data``: a 32-byte header, then 16 bytes a property (tag, flags,
    value)."""
    wanted = (prop << 16) | kind
    for at in range(32, len(data) - 15, 16):
        tag, _flags, value = struct.unpack_from("<IIQ", data, at)
        if tag == wanted:
            return int(value & 0xFFFFFFFF) if kind == _LONG else int(value)
    return None


__all__ = ["MSG_SUFFIXES", "OLE_MAGIC", "OutlookMail", "is_outlook", "outlook_mail"]
