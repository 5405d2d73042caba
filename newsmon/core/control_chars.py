"""Control characters in what newsmon stores and prints.

A feed's title, an archive's record or a text file can hold terminal control sequences
("\\x1b]0;...\\x07" retitles the analyst's terminal window, "\\x1b[2J" clears it) and stray
control characters (a NUL, a backspace). None of them is part of what a reader sees on
the publisher's page, and printed by ``newsmon sql`` they act on the analyst's terminal.
So extraction stores text without them, and what newsmon prints to a terminal (a
table's cells, its messages and errors) shows any there is (a query's ``chr(27)``, a file
named with a line break) as an escape, never raw.

C1 controls (U+0080-U+009F) in decoded text are almost always Windows-1252 bytes read as
Latin-1 (U+0093 for a left double quote): they become the Windows-1252 character, as
browsers read such a page.
"""

from __future__ import annotations

import re

#: An escape sequence as a terminal reads it: a control sequence ("ESC [ 31 m"), an
#: operating-system command ("ESC ] 0 ; title BEL" or ending in "ESC \\"), or ESC and one
#: character (an unended command loses only its "ESC ]", not the text after it).
_SEQUENCE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"
    r"|\x1b[@-_]?"
)
#: C0 controls but tab, line feed and carriage return; DEL; C1 controls.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f-\x9f]")


def _replacement(match: re.Match[str]) -> str:
    char = match.group()
    if char in "\x0b\x0c":  # a vertical tab, a form feed (a PDF's page break) end a line
        return "\n"
    if "\x80" <= char <= "\x9f":
        try:
            return bytes([ord(char)]).decode("cp1252")
        except UnicodeDecodeError:  # 0x81, 0x8d, 0x8f, 0x90, 0x9d name no character
            return ""
    return ""


def without_controls(text: str) -> str:
    """``text`` without terminal escape sequences and control characters; tabs and line
    breaks kept (a form feed or a vertical tab made one), C1 controls read as
    Windows-1252."""
    if not _CONTROL.search(text):
        return text
    return _CONTROL.sub(_replacement, _SEQUENCE.sub("", text))


#: What a terminal is shown instead of a control character (tabs aside): the escape
#: Python writes for it ("\\x1b", "\\n", "\\u2028", a line separator that would break a
#: one-line message in two).
_SHOWN = {c: repr(chr(c))[1:-1] for c in (*range(0x20), *range(0x7F, 0xA0), 0x2028, 0x2029)
          if c != ord("\t")}


def shown(text: str) -> str:
    """``text`` with every control character but a tab written as an escape
    (``\\x1b``), as a terminal must be shown it: printed raw, it would act on the
    terminal (clear it, retitle it, start a line)."""
    return text.translate(_SHOWN)
