"""Finding taxonomy terms in text: Aho-Corasick for the search, Snowball for inflections.

Why this shape:

* One pass per article. All terms of all topics and entities go into one
  pyahocorasick automaton, which scans the lower-cased text in C; Python only looks at
  the candidate hits, which are few.
* German compounds are the rule, not the exception (Artilleriemunition,
  Spionagesatelliten). A term says where it may sit inside a word with ``*``:
  ``sanktion*`` starts a word (Sanktionen, Sanktionsregime), ``*munition`` ends one
  (Artilleriemunition), ``*atomwaffe*`` may sit anywhere. Without ``*`` a term must be
  the whole word.
* Inflections are judged by a Snowball stemmer of the term's language: where a term
  ends without ``*``, the word it ends in must have the same stem as the text up to
  the term's end. So ``Waffenlieferung`` matches Waffenlieferungen and ``*satellit``
  matches Spionagesatelliten, while ``Waffe`` does not match Waffenstillstand and
  ``Gipfel`` does not match Gipfelstürmer. Terms that change their stem vowel
  (Vertrag/Verträge) are listed in each form.
* Phrases are words separated by spaces; in the text any single non-letter
  separates words, so ``Kim Jong Un`` also finds ``Kim Jong-un``.
* A term written in capitals (2 to 5 letters: UN, USA, WFP) is an acronym and matches
  only in capitals, so "UN" does not fire on every French "un".
* Offsets point into the original text, so evidence can be shown in place.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import ahocorasick
import snowballstemmer

from newsmon.tagging.hits import Hit, Pattern
from newsmon.tagging.taxonomy import ANY_LANGUAGE, STEMMER_LANGUAGES

_NON_WORD = re.compile(r"[\W_]")
_ACRONYM = re.compile(r"^[A-Z]{2,5}$")
#: Languages whose endings an ``any`` term (a name, an acronym) accepts.
_ANY_STEMMERS = ("de", "en")


def normalise(text: str) -> str:
    """Lower-case, every non-letter/digit a space; same length as ``text``."""
    lower = text.lower()
    if len(lower) != len(text):  # a few characters lower-case to two (İ); keep offsets
        lower = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    return _NON_WORD.sub(" ", lower)


def compile_term(term: str, *, lang: str, owner: int, weight: float = 1.0) -> list[Pattern]:
    """Patterns for one term (two when it has ß, which Swiss texts write as ss)."""
    lead, trail = term.startswith("*"), term.endswith("*")
    core = " ".join(normalise(term.strip("*")).split())
    case = term if _ACRONYM.match(term) else None
    cores = {core, core.replace("ß", "ss")}
    return [Pattern(term, c, lead, trail, lang, owner, weight, case) for c in sorted(cores)]


class Stems:
    """Snowball stemmers with a cache: news text repeats its words (Zipf), stems are pure."""

    def __init__(self) -> None:
        self._stemmers = {
            code: snowballstemmer.stemmer(name) for code, name in STEMMER_LANGUAGES.items()
        }
        self._cache: dict[tuple[str, str], str] = {}

    def stem(self, lang: str, word: str) -> str:
        key = (lang, word)
        found = self._cache.get(key)
        if found is None:
            found = self._stemmers[lang].stemWord(word)
            if len(self._cache) < 500_000:
                self._cache[key] = found
        return found

    def same_word(self, lang: str, word: str, prefix: str) -> bool:
        """Is ``word`` an inflected form of ``prefix`` (its stem) in ``lang``?"""
        if word == prefix:
            return True
        langs = _ANY_STEMMERS if lang == ANY_LANGUAGE else (lang,)
        return any(self.stem(code, word) == self.stem(code, prefix) for code in langs)


class Matcher:
    """All patterns of a taxonomy in one automaton."""

    def __init__(self, patterns: Iterable[Pattern]) -> None:
        self.patterns: list[Pattern] = list(patterns)
        self.stems = Stems()
        self._automaton = ahocorasick.Automaton()
        by_core: dict[str, list[int]] = {}
        for index, pattern in enumerate(self.patterns):
            by_core.setdefault(pattern.core, []).append(index)
        for core, indexes in by_core.items():
            self._automaton.add_word(core, (len(core), tuple(indexes)))
        if by_core:
            self._automaton.make_automaton()
        self._empty = not by_core

    def find(self, text: str, languages: Sequence[str] | None = None) -> list[Hit]:
        """Every accepted hit in ``text``, in text order.

        ``languages``: only terms of these languages (and ``any``) are tried; ``None``
        tries all, for texts whose language is unknown.
        """
        if self._empty or not text:
            return []
        search = f" {normalise(text)} "
        allowed = None if languages is None else {*languages, ANY_LANGUAGE}
        hits: list[Hit] = []
        for last, (length, indexes) in self._automaton.iter(search):
            start, end = last - length + 1, last + 1
            for index in indexes:
                pattern = self.patterns[index]
                if allowed is not None and pattern.lang not in allowed:
                    continue
                hit = self._accept(search, text, pattern, start, end)
                if hit is not None:
                    hits.append(hit)
        hits.sort(key=lambda h: (h.start, h.end))
        return hits

    def _accept(
        self, search: str, text: str, pattern: Pattern, start: int, end: int
    ) -> Hit | None:
        if not pattern.lead_wild and search[start - 1] != " ":
            return None
        if pattern.case is not None and text[start - 1 : end - 1] != pattern.case:
            return None
        word_end = search.find(" ", end)
        if not pattern.trail_wild and word_end != end:
            word_start = search.rfind(" ", 0, end) + 1
            word = search[word_start:word_end]
            if not self.stems.same_word(pattern.lang, word, search[word_start:end]):
                return None
        word_start = search.rfind(" ", 0, start) + 1
        # the search text has one leading space: positions shift by one
        return Hit(pattern, word_start - 1, word_end - 1)
