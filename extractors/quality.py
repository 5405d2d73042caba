"""Is this text an article? Cheap shape checks shared by every extractor.

A monitoring pipeline that counts coverage must not count CSV dumps, log files or
navigation menus as articles, and it must say why it dropped them.

The checks count words and sentences, and scripts do both differently:

* Chinese and Japanese (Han, kana) and Thai, Lao, Khmer and Burmese write words without
  spaces. Their characters are counted as words at a per-script rate
  (:data:`CHARS_PER_WORD`: 2 for Han and kana, whose words average 1.5-2 characters; 4
  for the South-East Asian scripts, counted without their vowel marks), so the same
  ``min_words`` asks for about as much text in every script (40 words = 80 Japanese
  characters). Combining marks (Devanagari vowel signs, Arabic harakat) belong to their
  word. Korean, Cyrillic, Greek,
  Arabic, Hebrew and Devanagari separate words with spaces and count as written; Tibetan
  separates syllables with a tsheg, and each syllable counts (a word has one or two).
* Sentences end with ``. ! ?`` and their typographic kin, with the CJK full stop and
  marks ``。！？`` (no space follows them), the Devanagari danda ``। ॥``, the Arabic
  question mark and full stop ``؟ ۔``, the Ethiopic ``።``, the Armenian ``։``, the
  Burmese ``။``, the Khmer ``។ ៕`` and the Tibetan shad ``། ༎``. Thai ends sentences with
  a space, so a space between Thai letters counts as one.
* The share of markup characters is taken over the text's length with each unspaced
  character counted as :data:`LATIN_CHARS_PER_UNSPACED` Latin ones (a two-character
  Japanese word says as much as a five-letter word and its space), so the tabs a page
  indents its paragraphs with weigh the same in every script.
"""

from __future__ import annotations

import re
from functools import lru_cache

from newsmon.core.errors import RejectedInput
from newsmon.core.outcomes import RejectReason
from newsmon.core.scripts import CJK, MARK_CHARS, MARKS, SOUTHEAST_ASIAN

#: Characters per word for scripts written without spaces between words.
CHARS_PER_WORD = {"cjk": 2.0, "southeast_asian": 4.0}
_UNSPACED = {"cjk": re.compile(f"[{CJK}]"), "southeast_asian": re.compile(f"[{SOUTHEAST_ASIAN}]")}
_WORD = re.compile(r"\w+", re.UNICODE)
_LETTER_WORD = re.compile(r"[^\W\d_]{2,}", re.UNICODE)
_SENTENCE_END = re.compile(
    r"[.!?…»“\"')]\s"  # Latin, Cyrillic, Greek ...: a mark, then a space
    r"|[。！？｡]"  # CJK: no space follows
    r"|[।॥؟۔።։။។៕།༎]"  # Devanagari, Arabic and Urdu, Ethiopic, Armenian, Burmese, Khmer, Tibetan
    r"|(?<=[\u0e00-\u0e7f])\s+(?=[\u0e00-\u0e7f])"  # Thai: a space between sentences
)
_STRUCTURE = re.compile(r"[{}<>=|;\t\\]")
LATIN_CHARS_PER_UNSPACED = 3.0
#: More markup characters than this share of the text: data or code, not prose.
MAX_MARKUP_SHARE = 0.02


def _without_marks(text: str) -> str:
    """``text`` without its combining marks. Most texts have none (precomposed accents are
    letters), and asking the set is ~5x quicker than translating through a 2,000-key table."""
    return text if MARK_CHARS.isdisjoint(text) else text.translate(MARKS)


def _unspaced(text: str) -> tuple[dict[str, int], str]:
    """Characters of each unspaced script, and the text with them blanked out."""
    counts = {}
    for script, pattern in _UNSPACED.items():
        counts[script] = len(pattern.findall(text))
        if counts[script]:
            text = pattern.sub(" ", text)
    return counts, text


@lru_cache(maxsize=4)  # one page's texts are counted more than once (fallback, checks)
def counted_words(text: str) -> tuple[float, float]:
    """(words, words made of letters) of ``text``, unspaced scripts by their rate."""
    counts, rest = _unspaced(_without_marks(text))
    unspaced = sum(n / CHARS_PER_WORD[script] for script, n in counts.items())
    return (unspaced + len(_WORD.findall(rest)),
            unspaced + len(_LETTER_WORD.findall(rest)))


def word_count(text: str) -> int:
    return round(counted_words(text)[0])


#: A table row as trafilatura writes tables into the text ("| cell | cell |").
_TABLE_ROW = re.compile(r"^[ \t]*\|.*\|[ \t]*$", re.MULTILINE)
#: A table cell longer than this holds prose (a page laid out in a table), not a datum.
DATA_CELL_CHARS = 80


def _is_data_row(row: str) -> bool:
    """A row of short cells (or a ``|---|---|`` rule): data. A row with a long cell is
    prose that a page lays out in a table, and stays text."""
    cells = [cell.strip() for cell in row.strip().strip("|").split("|")]
    return max(map(len, cells), default=0) <= DATA_CELL_CHARS


def _without_data_tables(text: str) -> tuple[str, int]:
    """``text`` without its rows of data, and how many there were."""
    if "|" not in text:
        return text, 0
    rows = 0

    def drop(match: re.Match[str]) -> str:
        nonlocal rows
        if _is_data_row(match.group()):
            rows += 1
            return ""
        return match.group()

    return _TABLE_ROW.sub(drop, text), rows


def _markup_share(text: str) -> float:
    unspaced = sum(_unspaced(text)[0].values())
    length = len(text) + unspaced * (LATIN_CHARS_PER_UNSPACED - 1)
    return len(_STRUCTURE.findall(text)) / max(length, 1)


def reads_as_markup(text: str) -> bool:
    """Whether :func:`check_article_text` would call ``text`` data or code for its markup
    characters (its prose, data tables aside): what an extractor gets when it renders a
    page laid out in tables as table cells, navigation and all."""
    prose, _ = _without_data_tables(text)
    return _markup_share(prose) > MAX_MARKUP_SHARE


def check_article_text(text: str, *, min_words: int) -> None:
    """Raise :class:`RejectedInput` unless ``text`` reads like an article.

    Three signals, each loose enough for real news (lists of quotes, tables inside
    articles) and strict enough for data files: enough words, mostly words made of
    letters, and sentences of human length (see the module doc for other scripts).

    The prose is judged, not the data tables in it: a report followed by a table of 360
    MPs and their e-mail addresses is an article, and the table's cell bars alone made it
    4% "markup". A text that is a data table with little prose besides is not an article.
    """
    words, letter_words = counted_words(text)
    if words < min_words:
        count = round(words)
        raise RejectedInput(RejectReason.TOO_SHORT,
                            f"{count} {'word' if count == 1 else 'words'}, fewer than {min_words}")
    prose, rows = _without_data_tables(text)
    if rows:
        words, letter_words = counted_words(prose)
        if words < min_words:
            raise RejectedInput(
                RejectReason.NOT_ARTICLE,
                f"a table ({rows} rows) with {round(words)} words besides, fewer than {min_words}")
        text = prose
    if letter_words / words < 0.6:
        raise RejectedInput(
            RejectReason.NOT_ARTICLE, f"only {letter_words / words:.0%} of its tokens are words"
        )
    structure = _markup_share(text)
    if structure > MAX_MARKUP_SHARE:
        raise RejectedInput(
            RejectReason.NOT_ARTICLE, f"looks like data or code ({structure:.1%} markup characters)"
        )
    sentences = len(_SENTENCE_END.findall(text + " "))
    if sentences == 0 or words / sentences > 80:
        raise RejectedInput(
            RejectReason.NOT_ARTICLE, "no sentences: words without sentence punctuation"
        )
