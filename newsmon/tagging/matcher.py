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
* A term written in capitals (2 to 5 letters: UN, USA, WFP, ООН) is an acronym and
  matches only in capitals, so "UN" does not fire on every French "un".
* Chinese, Japanese and Thai put no spaces between words, so a term in those scripts
  (金正恩, 北朝鮮) is found anywhere in a run of letters, and its evidence is the term
  itself rather than the run. Korean separates words but attaches particles to them
  (북한의, 김정은이): a Hangul term must start a word and may end inside one.
* Names (``any`` terms) accept German and English inflections (Putins finds Putin). A
  Cyrillic or Greek name's last word takes the case endings of its ending as written
  (:data:`_CASE_ENDINGS`: Путин, Путина, Путиным; Россия, России; Україна, Україною;
  Ρωσία, Ρωσίας): Snowball's Russian stemmer is no judge of names (it stems Лавров and
  Лаврова, Корея and Кореи apart). An Arabic or Hebrew name may carry the words for
  "and", "in", "to" in front of it (وبوتين, במוסקבה). An entity's alias written with a
  capital needs one in the text: "Nato" is the alliance in German, "nato" is "born" in
  Italian.
* Combining marks (Hindi vowel signs) are part of their word, and letters written several
  ways are one: Arabic alif with or without hamza, Persian and Arabic yeh and kaf, Greek
  vowels with or without their accent (capitals drop it), final sigma.
* Offsets point into the original text, so evidence can be shown in place.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import replace

import ahocorasick
import snowballstemmer

from newsmon.core.scripts import WORD_CLASS
from newsmon.tagging.hits import Hit, Pattern
from newsmon.tagging.taxonomy import ANY_LANGUAGE, STEMMER_LANGUAGES

_NON_WORD = re.compile(r"[\W_]")
#: The same for a text with combining marks: a slower class, so only texts with a letter
#: of :data:`_MARKED_OR_FOLDED`'s blocks take it (two of 400 of the corpora's articles).
_NON_WORD_OR_MARK = re.compile(f"[^{WORD_CLASS}]|_")
#: Latin's combining marks, Greek, Cyrillic's marks, Hebrew to Arabic Extended, the Indic
#: and South-East Asian scripts, Mongolian, Greek Extended: where marks are part of words
#: and where the letters :data:`_FOLD` joins live.
_MARKED_OR_FOLDED = re.compile(
    "[\u0300-\u036f\u0370-\u03ff\u0483-\u0489\u0590-\u08ff\u0900-\u109f"
    "\u1780-\u18af\u1f00-\u1fff]")
#: Letters written several ways, as one (see above); one to one, so offsets hold.
_FOLD = str.maketrans("أإآٱىیکةάέήίόύώϊϋΐΰς", "ااااييكهαεηιουωιυιυσ")
_ACRONYM = re.compile(r"^[A-ZА-ЯЁΑ-Ω]{2,5}$")
#: Languages whose endings an ``any`` term (a name, an acronym) accepts where
#: :data:`_CASE_ENDINGS` does not decline it. A stemmer leaves words of another script as
#: they are, so Russian's only adds Cyrillic inflections.
_ANY_STEMMERS = ("de", "en", "ru")
_ADJECTIVE = ("ий", "ый", "ого", "ому", "им", "ым", "ом", "ім", "ая", "ой", "ую", "ие", "ые",
              "их", "ых", "ими", "ыми")
#: Russian and Ukrainian (Cyrillic) and Greek case endings, by how a name's last word ends
#: as written (its nominative): that end, and what may stand in its place in a text.
#: The first that fits decides; a word ending otherwise (Шойгу, НАТО) is found as written.
_CASE_ENDINGS: tuple[tuple[re.Pattern[str], int, frozenset[str]], ...] = tuple(
    (re.compile(end), cut, frozenset(endings)) for end, cut, endings in (
        ("(?:ск|цк|ськ|цьк|н)[иы]й$", 2, _ADJECTIVE),  # Зеленский, Зеленський, Восточный
        ("[а-яіїє]я$", 1, ("я", "и", "ї", "і", "ю", "ей", "ею", "єю", "е")),  # Россия, Росія
        ("[а-яіїє]а$", 1, ("а", "ы", "и", "і", "е", "у", "ой", "ою")),  # Москва, Україна
        ("[а-яіїє]ь$", 1, ("ь", "я", "ю", "ём", "ем", "е", "і", "и")),  # Кремль
        ("[а-яіїє]й$", 1, ("й", "я", "ю", "ем", "ём", "єм", "е", "і", "ї", "и")),  # Китай
        ("[бвгджзклмнпрстфхцчшщ]$", 0, ("", "а", "у", "ом", "ым", "им", "ем", "ём", "е", "і",
                                         "ові", "ы", "и", "ов", "ам", "ами", "ах")),  # Путин
        ("[α-ω]οσ$", 2, ("οσ", "ου", "ο", "ε")),  # Greek, its final sigma folded to σ
        ("[α-ω][αη]$", 0, ("", "σ")),  # Ρωσία, Ρωσίας
        ("[α-ω]ο$", 1, ("ο", "ου")),  # Κρεμλίνο, Κρεμλίνου
    )
)
#: The stem a declined name keeps: no shorter than this.
_MIN_STEM = 3
_ARABIC = re.compile(r"[\u0600-\u06ff]")
_HEBREW = re.compile(r"[\u0590-\u05ff]")
#: "and"/"so" then "in/with" or "to/for" (وبموسكو); "للكرملين" is ل + الكرملين without its
#: alif, matched by a second pattern that drops the alif. Not ك, "like": rare before a
#: name, and ك + سول (Seoul) is كسول, "lazy".
_ARABIC_PROCLITICS = re.compile("[وف]?[بل]?")
_ARABIC_LAM_LAM = re.compile("[وف]?ل")
#: and, the, in, like, to, from, that: up to three in a row (ובמוסקבה, שבמוסקבה).
_HEBREW_PROCLITICS = re.compile("[ובכלמשה]{0,3}")
#: Han, kana and Thai: scripts written without spaces between words.
_UNSPACED = re.compile(r"[\u0e00-\u0e7f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]")


def normalise(text: str) -> str:
    """Lower-case, every non-letter/digit a space; same length as ``text``."""
    lower = text.lower()
    if len(lower) != len(text):  # a few characters lower-case to two (İ); keep offsets
        lower = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    if _MARKED_OR_FOLDED.search(lower) is None:
        return _NON_WORD.sub(" ", lower)
    return _NON_WORD_OR_MARK.sub(" ", lower.translate(_FOLD))


def compile_term(term: str, *, lang: str, owner: int, weight: float = 1.0,
                 proper: bool = False) -> list[Pattern]:
    """Patterns for one term (two when it has ß, which Swiss texts write as ss).

    ``proper``: the term is a name; written with a capital, it is found only where the
    text writes it with one (the alliance "Nato", not Italian "nato", born)."""
    lead, trail = term.startswith("*"), term.endswith("*")
    core = " ".join(normalise(term.strip("*")).split())
    case = term if _ACRONYM.match(term) else None
    unspaced = bool(_UNSPACED.search(core))
    if unspaced:
        lead = trail = True
    elif _HANGUL.search(core):
        trail = True
    cores = {core, core.replace("ß", "ss")}
    capital = proper and term[:1].isupper()
    patterns = [Pattern(term, c, lead, trail, lang, owner, weight, case, unspaced, capital)
                for c in sorted(cores)]
    if proper and case is None and not trail:
        patterns = [_declined(p) for p in patterns]
    if not lead and _ARABIC.match(core):
        patterns = [replace(p, proclitics=_ARABIC_PROCLITICS) for p in patterns]
        if core.startswith("ال") and len(core) > 3:
            patterns += [replace(p, core=p.core[1:], proclitics=_ARABIC_LAM_LAM)
                         for p in patterns]
    elif not lead and _HEBREW.match(core):
        patterns = [replace(p, proclitics=_HEBREW_PROCLITICS) for p in patterns]
    return patterns


def _declined(pattern: Pattern) -> Pattern:
    """A name whose last word declines: searched for by its stem, with the endings after."""
    for end, cut, endings in _CASE_ENDINGS:
        if end.search(pattern.core):
            stem = pattern.core[: len(pattern.core) - cut]
            if cut and len(stem.rsplit(" ", 1)[-1]) < _MIN_STEM:
                break
            return replace(pattern, core=stem, endings=endings)
    return pattern


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
        return any(self.stem(code, word) == self.stem(code, prefix)
                   for code in langs if code in self._stemmers)  # else: only as written


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
            clitics = pattern.proclitics
            if clitics is None or not clitics.fullmatch(
                    search, search.rfind(" ", 0, start) + 1, start):
                return None
        if pattern.case is not None and text[start - 1 : end - 1] != pattern.case:
            return None
        if pattern.capital and not text[start - 1].isupper():
            return None
        if pattern.unspaced:  # no word to widen to: the evidence is the term itself
            return Hit(pattern, start - 1, end - 1)
        word_end = search.find(" ", end)
        if pattern.endings is not None:
            if search[end:word_end] not in pattern.endings:
                return None
        elif not pattern.trail_wild and word_end != end:
            word_start = search.rfind(" ", 0, end) + 1
            word = search[word_start:word_end]
            if not self.stems.same_word(pattern.lang, word, search[word_start:end]):
                return None
        word_start = search.rfind(" ", 0, start) + 1
        # the search text has one leading space: positions shift by one
        return Hit(pattern, word_start - 1, word_end - 1)
