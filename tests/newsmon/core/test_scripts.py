"""Which scripts count as written without spaces."""

from __future__ import annotations

import re

from newsmon.core.scripts import CJK, SOUTHEAST_ASIAN, UNSPACED

_IN = re.compile(f"[{UNSPACED}]")


def test_chinese_japanese_and_south_east_asian_letters_are_unspaced() -> None:
    for text in ("金正恩", "ひらがな", "カタカナ", "ｶﾀｶﾅ", "普京总统", "ประธานาธิบดี",
                 "ປະທານາທິບໍດີ", "ပုတင်", "ប្រធានាធិបតី"):
        assert all(_IN.match(c) for c in text), text
    assert re.fullmatch(f"[{CJK}]+", "北朝鮮の金正恩") and re.fullmatch(
        f"[{SOUTHEAST_ASIAN}]+", "ปูติน")


def test_scripts_that_space_their_words_are_not() -> None:
    # Korean, Cyrillic, Devanagari, Arabic, Latin: words are split at spaces as written;
    # the CJK full stop and comma are punctuation, not letters of a word
    for text in ("김정은", "Путин", "पुतिन", "بوتين", "Putin", "。、"):
        assert not any(_IN.match(c) for c in text), text
