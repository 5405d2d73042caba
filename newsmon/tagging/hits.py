"""What the matcher finds: a taxonomy term (:class:`Pattern`) at a place in a text (:class:`Hit`).

Its own module because both the matcher and the evidence features use it, and the
features sit below the taxonomy (which validates scorers by their names).
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Pattern:
    """One term of one owner (a topic, an exclusion list, an entity)."""

    term: str  # as written in the taxonomy
    core: str  # normalised literal searched for
    lead_wild: bool
    trail_wild: bool
    lang: str
    owner: int
    weight: float = 1.0
    case: str | None = None  # acronyms (UN, USA) must appear in capitals, as written
    unspaced: bool = False  # Chinese, Japanese, Thai: found inside words, evidence is itself
    capital: bool = False  # a name written with a capital: the text must have one there
    #: a name's last word declines (Путин: Путина, Путиным): what may follow ``core`` in
    #: its word, in place of the ending the alias was written with
    endings: frozenset[str] | None = None
    #: Arabic and Hebrew attach "and", "in", "to" to the word: what may precede ``core``
    proclitics: re.Pattern[str] | None = None


@dataclass(frozen=True, slots=True)
class Hit:
    """A pattern found in a text; ``start``/``end`` cover the whole words it sits in."""

    pattern: Pattern
    start: int
    end: int
    #: for a pair: the spans of its two terms (the words between them stay free)
    parts: tuple[tuple[int, int], ...] = ()

    def spans(self) -> tuple[tuple[int, int], ...]:
        return self.parts or ((self.start, self.end),)

    def overlaps(self, other: Hit) -> bool:
        return any(
            s1 < e2 and s2 < e1 for s1, e1 in self.spans() for s2, e2 in other.spans()
        )
