"""Scripts written without spaces between words: Chinese and Japanese (Han, kana) and
the South-East Asian scripts (Thai, Lao, Khmer, Burmese).

Word counts, near-duplicate shingles and the search index split text into words at
spaces and punctuation; in these scripts a whole sentence is one such "word", so each of
them treats their characters apart. The character classes are named once, here.
"""

from __future__ import annotations

#: Hiragana, katakana, CJK ideographs (extension A, unified, compatibility), half-width
#: katakana: regular-expression class contents.
CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f"
#: Thai and Lao, Burmese, Khmer.
SOUTHEAST_ASIAN = "\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff"
UNSPACED = CJK + SOUTHEAST_ASIAN
