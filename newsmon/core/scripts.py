"""Scripts written without spaces between words, and the marks that belong to words.

Chinese and Japanese (Han, kana) and the South-East Asian scripts (Thai, Lao, Khmer,
Burmese) write no spaces between words. Word counts, near-duplicate shingles and the
search index split text into words at spaces and punctuation; in these scripts a whole
sentence is one such "word", so each of them treats their characters apart.

Combining marks (Devanagari and Bengali vowel signs, Arabic harakat, Hebrew points, a
decomposed accent) are not word characters to ``re``'s ``\\w``: split at them, "पुतिन"
(Putin) is the three fragments "प त न". :data:`WORD_CLASS` is ``\\w`` with them.

The character classes are named once, here.
"""

from __future__ import annotations

import unicodedata

#: Hiragana, katakana, CJK ideographs (extension A, unified, compatibility), half-width
#: katakana: regular-expression class contents.
CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f"
#: Thai and Lao, Burmese, Khmer.
SOUTHEAST_ASIAN = "\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff"
UNSPACED = CJK + SOUTHEAST_ASIAN

#: Every combining mark (Unicode category M), for ``str.translate`` and set tests. Marks
#: live in planes 0 and 1 and among the variation selectors at U+E0100: scanning only
#: those keeps the import quick (~20 ms; every newsmon process imports this).
MARKS: dict[int, None] = {
    cp: None for cp in (*range(0x300, 0x20000), *range(0xE0100, 0xE01F0))
    if unicodedata.category(chr(cp)).startswith("M")
}
MARK_CHARS = frozenset(map(chr, MARKS))


def _class_ranges(codepoints: list[int]) -> str:
    """Sorted code points as regular-expression class contents (``a-z`` runs)."""
    runs: list[list[int]] = []
    for cp in codepoints:
        if runs and runs[-1][1] == cp - 1:
            runs[-1][1] = cp
        else:
            runs.append([cp, cp])
    return "".join(chr(a) if a == b else f"{chr(a)}-{chr(b)}" for a, b in runs)


#: Regular-expression class contents for a word character: ``\w`` and the marks.
WORD_CLASS = "\\w" + _class_ranges(sorted(MARKS))
