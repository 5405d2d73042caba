"""Is this text an article? Cheap shape checks shared by every extractor.

A monitoring pipeline that counts coverage must not count CSV dumps, log files or
navigation menus as articles, and it must say why it dropped them.
"""

from __future__ import annotations

import re

from newsmon.errors import RejectedInput
from newsmon.outcomes import RejectReason

_WORD = re.compile(r"\w+", re.UNICODE)
_LETTER_WORD = re.compile(r"[^\W\d_]{2,}", re.UNICODE)
_SENTENCE_END = re.compile(r"[.!?…»“\"')]\s")
_STRUCTURE = re.compile(r"[{}<>=|;\t\\]")


def word_count(text: str) -> int:
    return len(_WORD.findall(text))


def check_article_text(text: str, *, min_words: int) -> None:
    """Raise :class:`RejectedInput` unless ``text`` reads like an article.

    Three signals, each loose enough for real news (lists of quotes, tables inside
    articles) and strict enough for data files: enough words, mostly words made of
    letters, and sentences of human length.
    """
    words = _WORD.findall(text)
    if len(words) < min_words:
        raise RejectedInput(RejectReason.TOO_SHORT, f"{len(words)} words, fewer than {min_words}")
    letter_words = len(_LETTER_WORD.findall(text))
    if letter_words / len(words) < 0.6:
        raise RejectedInput(
            RejectReason.NOT_ARTICLE,
            f"only {letter_words / len(words):.0%} of its tokens are words",
        )
    structure = len(_STRUCTURE.findall(text)) / max(len(text), 1)
    if structure > 0.02:
        raise RejectedInput(
            RejectReason.NOT_ARTICLE, f"looks like data or code ({structure:.1%} markup characters)"
        )
    sentences = len(_SENTENCE_END.findall(text + " "))
    if sentences == 0 or len(words) / sentences > 80:
        raise RejectedInput(
            RejectReason.NOT_ARTICLE, "no sentences: words without sentence punctuation"
        )
