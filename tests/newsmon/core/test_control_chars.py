"""Control characters: stored text without them, printed cells with them escaped."""

from __future__ import annotations

import pytest

from newsmon.core.control_chars import shown, without_controls


@pytest.mark.parametrize(("raw", "clean"), [
    ("Gipfel\x1b]0;pwned\x07 in Rom", "Gipfel in Rom"),  # retitles the terminal
    ("Gipfel\x1b]8;;http://x\x1b\\ in Rom", "Gipfel in Rom"),  # ends with ESC \
    ("Gipfel\x1b[2J in Wien", "Gipfel in Wien"),  # clears the screen
    ("rot\x1b[1;31m!\x1b[0m", "rot!"),
    ("a\x1b]no end in sight", "ano end in sight"),  # an unended command keeps its text
    ("bell\x07 and back\x08space and nul\x00 and del\x7f", "bell and backspace and nul and del"),
    ("\x93Zitat\x94 \x96 Gedanke\x85", "“Zitat” – Gedanke…"),  # Windows-1252 read as Latin-1
    ("undefined\x81\x8d\x8f\x90\x9d", "undefined"),
    ("page one\x0cpage two\x0bline", "page one\npage two\nline"),
    ("tab\tline\nreturn\r\n", "tab\tline\nreturn\r\n"),
    ("Мир 和平 שלום", "Мир 和平 שלום"),
])
def test_without_controls(raw: str, clean: str) -> None:
    assert without_controls(raw) == clean


def test_text_without_controls_is_the_same_object() -> None:
    text = "Ein ganz gewöhnlicher Satz.\n\nUnd noch einer."
    assert without_controls(text) is text


def test_shown_escapes_every_control_but_a_tab_and_nothing_else() -> None:
    assert shown("Gipfel\x1b[2J in Wien\x07") == "Gipfel\\x1b[2J in Wien\\x07"
    assert shown("a\tb\x9bc\nd\u2028e") == "a\tb\\x9bc\\nd\\u2028e"  # 0x9b: a C1 CSI
    assert shown("“Zitat” 和平") == "“Zitat” 和平"
