"""Text and pages in legacy encodings (wraps charset-normalizer, which trafilatura also
uses to guess a page's encoding).

Text files are read as UTF-8 (UTF-16 and UTF-32 with a byte-order mark are turned into
UTF-8 when the file is read). Archives and older exports are often in a legacy encoding
instead: Windows-1252 or Latin-1 German, Windows-1251 or KOI8-R Russian, Shift_JIS
Japanese. They are real articles, so their encoding is guessed the way a page's is, from
the bytes, and only text that no encoding decodes is a ``bad_encoding`` reject. A wrong
guess among close single-byte encodings garbles a few letters, not the text.

Pages are decoded here too, before trafilatura parses them: it guesses from the bytes
alone (a ``<meta charset>`` is not read) and takes charset-normalizer's first guess,
which for a short Latin-1 German page was HP Roman-8.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from charset_normalizer import from_bytes

from newsmon.core.errors import RejectedInput
from newsmon.core.outcomes import RejectReason

#: Bytes read to guess from, at each end of a long text (as trafilatura reads pages).
_SAMPLE = 5000
#: Encodings of text on the web and in news archives (Windows and ISO code pages, KOI8,
#: the CJK ones). charset-normalizer ranks encodings that decode a text equally cleanly
#: in an order of its own, and on a short or repetitive German text put HP Roman-8 first
#: ("Gr—Ôere" for "Größere"): among the cleanest decodings, these come first (in its
#: order, which does tell Polish cp1250 from Lithuanian cp1257), DOS, Mac and the like
#: after them.
COMMON = re.compile(r"cp125\d|cp874|cp932|cp949|cp950|koi8_\w|iso8859_\d+|latin_1|shift_jis"
                    r"|euc_\w+|gb\d+|gbk|big5\w*|iso2022_\w+")
#: How much more garbled (charset-normalizer's "chaos", 0-1) than the cleanest decoding a
#: common encoding may be and still win.
_CHAOS_SLACK = 0.01
#: Code pages of their own for a language charset-normalizer names, which win within a
#: wider slack: a Turkish Windows-1254 text decodes as cleanly in Windows-1252 by its
#: measure (0.0 against 0.055) and loses ş, ğ and ı there. Only Turkish: its names for
#: other languages are unreliable (a Czech text was "Portuguese", a German one "Dutch"),
#: and Windows-1254 differs from Windows-1252 in six letters no other such language uses.
_OWN_CODE_PAGES = {"Turkish": ("cp1254", "iso8859_9")}
_OWN_SLACK = 0.1


@dataclass(frozen=True, slots=True)
class DecodedText:
    text: str
    encoding: str  # "utf-8", or the legacy encoding guessed


def decode_text(content: bytes, charset: str | None = None) -> DecodedText:
    """``content`` as text: UTF-8, else in ``charset`` (what a server or a caller names)
    when that decodes it, else the first guessed encoding that decodes all of it."""
    try:
        return DecodedText(content.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as exc:
        why = f"byte {exc.start}: {exc.reason}"
    encoding = _SUPERSETS.get(charset.lower(), charset.lower()) if charset else None
    if encoding and encoding not in ("utf-8", "utf8"):
        try:
            return DecodedText(content.decode(encoding), encoding)
        except (LookupError, ValueError):  # ValueError: a label with a NUL ("utf-8\0")
            pass
    return _not_utf8(content, why)


def _not_utf8(content: bytes, why: str) -> DecodedText:
    """Bytes that are not valid UTF-8 (``why``: where they fail): mostly UTF-8 after all,
    else the first guessed encoding that decodes all of them."""
    mostly = _mostly_utf8(content)
    if mostly is not None:
        return DecodedText(mostly, "utf-8")
    sample = content if len(content) <= 2 * _SAMPLE else content[:_SAMPLE] + content[-_SAMPLE:]
    for encoding in _ranked(sample):
        try:
            return DecodedText(content.decode(encoding), encoding)
        except (LookupError, UnicodeDecodeError):
            continue
    raise RejectedInput(RejectReason.BAD_ENCODING,
                        f"not valid UTF-8 ({why}) and no other encoding fits")


#: Valid UTF-8 characters beyond ASCII for each broken byte sequence, at least, for bytes
#: to be UTF-8 with a few broken sequences rather than another encoding.
_UTF8_MARGIN = 3


def _mostly_utf8(content: bytes) -> str | None:
    """``content`` as UTF-8 with U+FFFD for its few broken sequences (a copy cut inside a
    character, one Windows-1252 dash pasted in), as browsers read it; None when the bytes
    are in another encoding, where almost no byte beyond ASCII starts a valid sequence.
    Guessed instead, a German UTF-8 text with one stray byte came out as Windows-1250
    ("GrĂ¶Ăźere")."""
    text = content.decode("utf-8", errors="replace")
    broken = text.count("\ufffd")
    valid = sum(1 for char in text if char > "\x7f" and char != "\ufffd")
    return text if valid >= _UTF8_MARGIN * broken else None


def _ranked(sample: bytes) -> list[str]:
    """Candidate encodings, best first: the cleanest decodings, common ones first among
    them, then the rest in charset-normalizer's order."""
    matches = list(from_bytes(sample))
    if not matches:
        return []
    cleanest = min(m.chaos for m in matches)
    own = _OWN_CODE_PAGES.get(matches[0].language, ())
    first = [m.encoding for m in matches
             if m.encoding in own and m.chaos <= cleanest + _OWN_SLACK]
    clean = sorted((m.encoding for m in matches if m.chaos <= cleanest + _CHAOS_SLACK),
                   key=lambda e: not COMMON.fullmatch(e))  # stable: keeps its order within
    ranked = first + [e for e in clean if e not in first]
    return ranked + [m.encoding for m in matches if m.encoding not in ranked]


#: A charset the page declares in its first bytes (``<meta charset>``, or the
#: ``http-equiv`` Content-Type's ``charset=``).
_DECLARED = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([\w.:-]+)""", re.I)
_HEAD = 4096
#: Labels that browsers decode with a superset (the WHATWG encoding standard), so must we:
#: a page labelled ISO-8859-1 is Windows-1252, curly quotes and euro sign included.
_SUPERSETS = {"iso-8859-1": "cp1252", "iso8859-1": "cp1252", "latin1": "cp1252",
              "latin-1": "cp1252", "us-ascii": "cp1252", "ascii": "cp1252",
              "iso-8859-9": "cp1254", "gb2312": "gb18030", "gbk": "gb18030",
              "x-gbk": "gb18030", "shift_jis": "cp932", "shift-jis": "cp932",
              "sjis": "cp932", "euc-kr": "cp949", "tis-620": "cp874", "iso-8859-11": "cp874"}


def decode_page(content: bytes, charset: str | None = None) -> DecodedText:
    """A page's bytes as text: UTF-8 when they are valid UTF-8 (a UTF-8 page labelled
    Latin-1 is a common slip), else the charset its server (``charset``) or the page
    declares if it decodes them, else the encoding guessed as for text files. A page
    nothing decodes is read with replacement characters and left to the article checks,
    as trafilatura would."""
    try:
        return DecodedText(content.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as exc:
        why = f"byte {exc.start}: {exc.reason}"
    found = _DECLARED.search(content[:_HEAD])
    declared = found.group(1).decode("ascii", "replace") if found else None
    for label in (charset, declared):
        if not label:
            continue
        encoding = _SUPERSETS.get(label.lower(), label.lower())
        if encoding in ("utf-8", "utf8"):  # declared, yet broken in places: as browsers do
            return DecodedText(content.decode("utf-8", errors="replace"), "utf-8")
        try:
            return DecodedText(content.decode(encoding), encoding)
        except (LookupError, ValueError):  # ValueError: a label with a NUL ("utf-8\0")
            continue
    try:
        return _not_utf8(content, why)
    except RejectedInput:
        return DecodedText(content.decode("utf-8", errors="replace"), "utf-8")
