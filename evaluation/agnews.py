"""World-desk briefs of 2004 from the AG News corpus, read for topics.

AG News (Zhang, Zhao and LeCun, 2015, from Antonio Gulli's collection of news articles)
gives each story as the headline and the first sentence or two its feed carried; its
``test.csv`` holds 7,600 of them, 1,900 per class (1 World, 2 Sports, 3 Business,
4 Sci/Tech). The World class is where the topics live: Iran's and North Korea's nuclear
programmes, the six-party talks, Darfur's famine, the EU's arms embargo on China. Every
text is a brief, the case the spec's "a clear statement in the lead" is written for.
``../shared`` does not hold it: the set is read from the folder holding ``test.csv`` named
by ``AG_NEWS`` (with or without its header row), and without one its rows are left out
(CI has none).

Each brief's topics were read against ``../shared/spec/topics.md`` by helpers
(``bench/labels/topics-outside.jsonl``, ids ``ag-news/HASH``); the id is a hash of the
headline and description as the file gives them, so another copy, in another order, finds
the same briefs. Briefs are dealt into a tuning and a held-out half by a seeded hash of the
id (:func:`part`).
"""

from __future__ import annotations

import csv
import hashlib
import html
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from evaluation import checkout_file
from evaluation.metadata_pages import hashed_part

VARIABLE = "AG_NEWS"
ID_PREFIX = "ag-news/"
DATASET = "ag-news"
FILE = "test.csv"
#: The class of world news in AG News's numbering.
WORLD = "1"
_HEADERS = frozenset({"label", "class index", "class"})
#: The corpus wrote entities with a space for their ampersand ("up to  #36;50 million",
#: "In  quot;helping themselves, quot; Ricky"); a backslash stands for a line break.
_BARE_NUMERIC = re.compile(r"[& ]?#(\d{2,5});")
_BARE_NAMED = re.compile(r"[& ]?\b(quot|amp|lt|gt);")


@dataclass(frozen=True)
class Brief:
    id: str
    title: str
    description: str

    @property
    def text(self) -> str:
        """What a reader reads: the headline, then the description."""
        return f"{clean(self.title)}\n{clean(self.description)}"


def brief_id(title: str, description: str) -> str:
    """The stable id of a brief: a hash of its headline and description as given."""
    digest = hashlib.sha256(f"{title.strip()}\n{description.strip()}".encode()).hexdigest()
    return ID_PREFIX + digest[:16]


def clean(text: str) -> str:
    """The corpus's escapes undone: bare entities, backslashed line breaks."""
    text = _BARE_NUMERIC.sub(lambda m: f"&#{m.group(1)};", text)
    text = _BARE_NAMED.sub(lambda m: f"&{m.group(1)};", text)
    return " ".join(html.unescape(text.replace("\\", " ")).split())


@cache
def read_briefs(root: Path) -> dict[str, Brief]:
    """The World-class briefs of ``root/test.csv`` by id (a brief repeated is one brief);
    a folder without the file stops the run with a one-line error."""
    path = checkout_file(root, FILE, VARIABLE)
    briefs: dict[str, Brief] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.reader(handle):
            if len(row) < 3 or row[0].strip().casefold() in _HEADERS:
                continue
            label, title, description = row[0].strip(), row[1].strip(), row[2].strip()
            if label == WORLD and title and description:
                key = brief_id(title, description)
                briefs.setdefault(key, Brief(key, title, description))
    return briefs


def part(doc_id: str) -> str:
    """The half a brief falls in (``tune`` or ``heldout``), fixed by its id."""
    return hashed_part(DATASET, doc_id)
