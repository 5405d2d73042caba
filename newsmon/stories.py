"""Stories: articles about one event, across sources and languages, within a time window.

A near-duplicate cluster (:mod:`newsmon.clustering`) is one text and its copies. A story is
one *event* as several outlets report it in their own words, in German or in English:
the Europe Media Monitor's "top stories" unit. Two reports of one event share little
wording but share who and where (Kim Jong-un, Putin, Wladiwostok/Vladivostok), the
figures they quote and, less tellingly, the topic. So each article is reduced to a few
dozen *story terms* in the worker (:func:`story_terms`), language-neutral where it
matters:

* ``e:`` tracked entities the tagger found (aliases in any language map to one id);
* ``n:`` names: capitalised words not at the start of a sentence, in the headline and the
  lead, folded so that German and English spellings of a transliterated name meet
  (w->v, j->y, tsch->ch, sch->sh, doubled letters single, diacritics and a genitive -s
  dropped: Wladiwostok and Vladivostok are both ``vladivostok``);
* ``d:`` numbers of two or more digits (figures are the same in every language);
* ``t:`` topics, weighted low: a shared topic alone never makes a story.

The writer (:class:`StoryIndex`, one per cycle, like the cluster index) compares a new
article with the stories active around its time: the cosine between its term weights
and the story's term profile, terms weighted by their rarity among the articles of the
window (a name in every article that week says little; a prior of unseen articles keeps
a small window from calling everything rare); or, if higher, the cosine with the closest
of the story's latest articles. Above ``threshold`` it joins the
most similar story, else it opens a new one whose id is its own article id. A copy of an
article already in a story joins that story without a vote. A story accepts articles
only within ``window_hours`` of its first and last article, so a week-long subject
(Kim's whole visit) splits into its events and ids never grow without bound.

The threshold and weights were chosen on the tuning half of ``bench/labels/
story-pairs.jsonl``; ``python -m bench.stories`` reports pair precision and recall on the
held-out half. Terms are stored with each article (``articles.story_terms``) so the index
of the window is rebuilt from the warehouse without re-reading any text.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter, defaultdict, deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache

from newsmon.core.records import Tags

#: How much of the text after the headline counts: the lead says what happened.
LEAD_CHARS = 1500
MAX_NAMES = 40
WEIGHTS = {"e": 2.0, "n": 1.0, "d": 0.5, "t": 0.3}
#: Rarity is counted as if the window also held this many articles without the term: a
#: window of a handful of articles cannot tell a rare name from a common one, and would
#: otherwise call every shared word rare (a quiet first cycle) or none (a busy one).
PRIOR_ARTICLES = 1000
#: A story's latest articles an article is also compared with one by one.
RECENT = 20
#: Open stories scored in full for each new article (the rest share too little).
CANDIDATES = 10
#: A term in more of the window's articles than this (count, or share) is too common to
#: nominate candidate stories: looking them up would visit most of the window.
CANDIDATE_DF = 20
CANDIDATE_SHARE = 0.01

_TOKEN = re.compile(r"[^\W\d_][\w'’-]*|\d[\d.,]*\d|\d{2,}")
_SENTENCE_END = frozenset(".!?:;\"„“”«»()[]—–-|")
# capitalised words that start clauses or name days and months: too common to tell
# events apart, and not names
_NOT_NAMES_TEXT = """the a an and but or if in on at to of for by with from as this that these those
    he she it we they i you his her its our their there here when where what who how why
    mr mrs ms dr prof der die das den dem des ein eine einer eines einem und oder aber
    wenn als auch so wie wo was wer im am zum zur vom beim es er sie wir ihr ich man sein
    seine nach vor bei mit von für über unter durch gegen ohne um bis seit doch noch nur
    monday tuesday wednesday thursday friday saturday sunday montag dienstag mittwoch
    donnerstag freitag samstag sonntag january february march april may june july august
    september october november december januar februar märz juni juli oktober dezember
    photo foto bild video reuters dpa afp ap apa"""
_NOT_NAMES = frozenset(_NOT_NAMES_TEXT.split())
_FOLDS = (("tsch", "ch"), ("sch", "sh"), ("ph", "f"), ("w", "v"), ("j", "y"), ("ck", "k"))
_DOUBLE = re.compile(r"(\w)\1+")


@lru_cache(maxsize=1 << 16)  # names recur from article to article: fold each once
def fold_name(word: str) -> str:
    """One spelling for a name's German and English transliterations."""
    plain = unicodedata.normalize("NFKD", word.casefold())
    plain = "".join(c for c in plain if c.isalnum() and not unicodedata.combining(c))
    if len(plain) > 3 and plain.endswith("s") and not plain.endswith("ss"):
        plain = plain[:-1]  # Kims, Putins, Russlands: the genitive
    for old, new in _FOLDS:
        plain = plain.replace(old, new)
    return _DOUBLE.sub(r"\1", plain)


def _starts_sentence(text: str, at: int) -> bool:
    """Whether the word at ``at`` opens the text or follows sentence punctuation."""
    i = at - 1
    while i >= 0 and text[i].isspace():
        i -= 1
    return i < 0 or text[i] in _SENTENCE_END


def _names_and_numbers(text: str) -> list[str]:
    terms: list[str] = []
    seen: set[str] = set()
    for match in _TOKEN.finditer(text):
        token = match.group()
        if token[0].isdigit():
            digits = re.sub(r"\D", "", token)
            if len(digits) < 2:
                continue
            term = "d:" + digits
        else:
            if not token[0].isupper() or _starts_sentence(text, match.start()):
                continue
            if token.casefold() in _NOT_NAMES:
                continue
            folded = fold_name(token.split("-")[0] if token.isupper() else token)
            if len(folded) < 3:
                continue
            term = "n:" + folded
        if term not in seen:
            seen.add(term)
            terms.append(term)
    return terms


def story_terms(text: str, title: str | None, tags: Tags | None) -> tuple[str, ...]:
    """The terms a story vote compares (see the module docstring), sorted."""
    found = _names_and_numbers(f"{title or ''}.\n{text[:LEAD_CHARS]}")
    names = [t for t in found if t.startswith("n:")][:MAX_NAMES]
    numbers = [t for t in found if t.startswith("d:")][:MAX_NAMES // 4]
    terms = set(names) | set(numbers)
    if tags is not None:
        terms |= {f"e:{e.entity}" for e in tags.entities}
        terms |= {f"t:{t.topic}" for t in tags.topics}
    return tuple(sorted(terms))


def story_time(published_at: datetime | None, precision: str | None,
               now: datetime) -> tuple[datetime, timedelta]:
    """When an article happened as far as its story is concerned: the earliest moment and
    how long after it the article may have happened. A stated date counts at the precision
    it was stated (a whole month, a whole day); no date, or one after ``now`` (a wrong
    one), means the article happened when it was read."""
    if published_at is None or published_at > now + timedelta(days=1):
        return now, timedelta(0)
    if precision == "month":
        return published_at, timedelta(days=31)
    if precision == "day":
        return published_at, timedelta(days=1)
    return published_at, timedelta(0)


@dataclass(slots=True)
class _Story:
    story_id: int
    first: datetime
    last: datetime
    members: int = 0
    terms: Counter[str] = field(default_factory=Counter)
    recent: deque[tuple[str, ...]] = field(default_factory=lambda: deque(maxlen=RECENT))


@dataclass(frozen=True, slots=True)
class StoryMember:
    """One stored article as the index needs it (from the warehouse)."""

    article_id: int
    story_id: int
    at: datetime
    slack: timedelta
    terms: Sequence[str]


class StoryIndex:
    """Assigns story ids; holds the stories of the window and the document frequency of
    their terms. One per cycle, used by the single writer only."""

    def __init__(self, threshold: float, window_hours: float) -> None:
        self.threshold = threshold
        self.window = timedelta(hours=window_hours)
        self._stories: dict[int, _Story] = {}
        self._by_term: dict[str, set[int]] = defaultdict(set)
        self._story_of: dict[int, int] = {}  # article id -> story id
        self._df: Counter[str] = Counter()
        self._articles = 0
        self._weights: dict[str, float] = {}
        self._cached_at = 0

    def __len__(self) -> int:
        return len(self._stories)

    def story_of(self, article_id: int) -> int | None:
        return self._story_of.get(article_id)

    def _idf(self, term: str) -> float:
        unseen = self._articles + PRIOR_ARTICLES + 1
        return math.log(unseen / (self._df[term] + 1)) + 1.0

    def _weight(self, term: str) -> float:
        """The term's weight, cached: a term's own count changes only when an article
        with it arrives (its entry is dropped then), and the window's size moves every
        weight by less than 1% before the whole cache is dropped."""
        if self._articles > self._cached_at * 1.01 + 10:
            self._weights.clear()
            self._cached_at = self._articles
        found = self._weights.get(term)
        if found is None:
            found = self._weights[term] = WEIGHTS.get(term[0], 1.0) * self._idf(term)
        return found

    def _join(self, story: _Story, article_id: int, at: datetime, slack: timedelta,
              terms: Iterable[str]) -> int:
        terms = list(terms)
        story.members += 1
        story.first, story.last = min(story.first, at), max(story.last, at + slack)
        story.terms.update(terms)
        story.recent.append(tuple(terms))
        for term in terms:
            self._by_term[term].add(story.story_id)
        self._story_of[article_id] = story.story_id
        return story.story_id

    def _count(self, terms: Iterable[str]) -> None:
        terms = list(terms)
        self._articles += 1
        self._df.update(terms)
        for term in terms:
            self._weights.pop(term, None)

    def add(self, member: StoryMember) -> None:
        """An article already stored, with its story id (rebuilding the window)."""
        if member.article_id in self._story_of:
            return
        self._count(member.terms)
        story = self._stories.get(member.story_id)
        if story is None:
            story = self._stories[member.story_id] = _Story(member.story_id, member.at,
                                                            member.at)
        self._join(story, member.article_id, member.at, member.slack, member.terms)

    def _open(self, story: _Story, at: datetime, slack: timedelta) -> bool:
        """Whether an article that happened between ``at`` and ``at + slack`` is within a
        window of the story's span."""
        return story.first - self.window <= at + slack and at <= story.last + self.window

    def _cosine(self, mine: dict[str, float], theirs: dict[str, float]) -> float:
        dot = sum(w * theirs[t] for t, w in mine.items() if t in theirs)
        if not dot:
            return 0.0
        return dot / (math.sqrt(sum(w * w for w in mine.values()))
                      * math.sqrt(sum(w * w for w in theirs.values())))

    def similarity(self, terms: Sequence[str], story: _Story) -> float:
        """The better of two cosines: with the story's term profile (each term weighted by
        the share of the story's articles that have it), and with its closest recent
        article (a report that retells one earlier report closely but not the rest)."""
        weight = self._weight
        mine = {t: weight(t) for t in terms}
        profile = {t: weight(t) * n / story.members for t, n in story.terms.items()}
        best = self._cosine(mine, profile)
        if story.members > 1:
            for member in story.recent:
                best = max(best, self._cosine(mine, {t: weight(t) for t in member}))
        return best

    def best(self, terms: Sequence[str], at: datetime,
             slack: timedelta = timedelta(0)) -> tuple[float, int | None]:
        """The most similar open story, and the score. Only the few open stories that share
        the most weight of names, entities and numbers with the article are scored in
        full (a topic alone never makes two articles one event)."""
        shared: dict[int, float] = defaultdict(float)
        common = max(CANDIDATE_DF, CANDIDATE_SHARE * self._articles)
        for term in terms:
            # common words still weigh in the cosine; they only do not nominate stories
            if term[0] != "t" and self._df[term] <= common:
                weight = self._weight(term)
                for story_id in self._by_term.get(term, ()):
                    shared[story_id] += weight
        best: tuple[float, int | None] = (0.0, None)
        scored = 0
        for story_id, _ in sorted(shared.items(), key=lambda kv: (-kv[1], kv[0])):
            story = self._stories[story_id]
            if not self._open(story, at, slack):
                continue
            score = self.similarity(terms, story)
            if score > best[0]:
                best = (score, story_id)
            scored += 1
            if scored == CANDIDATES:
                break
        return best

    def assign(self, article_id: int, cluster_id: int, at: datetime, terms: Sequence[str],
               slack: timedelta = timedelta(0)) -> int:
        """The article's story: its near-duplicate's, else the most similar open story
        above the threshold, else a new one (its own id). The article joins it."""
        known = self._story_of.get(article_id)
        if known is not None:
            return known
        story_id = self._story_of.get(cluster_id) if cluster_id != article_id else None
        if story_id is None or not self._open(self._stories[story_id], at, slack):
            score, found = self.best(terms, at, slack)
            story_id = found if found is not None and score >= self.threshold else None
        self._count(terms)
        if story_id is None:
            story = self._stories[article_id] = _Story(article_id, at, at)
        else:
            story = self._stories[story_id]
        return self._join(story, article_id, at, slack, terms)
