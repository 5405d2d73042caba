"""Reuters articles of 2017 from the ISOT fake-news dataset, read for topics.

The ISOT dataset (Ahmed, Traore and Saad, University of Victoria, 2017) pairs fake stories
with real ones; its ``True.csv`` holds Reuters articles of 2016-2017 (``title, text,
subject, date``): US politics and world news, the years of North Korea's missile and
nuclear tests, the Russia sanctions acts and the war in eastern Ukraine. ``../shared``
does not hold it: the set is read from the folder holding ``True.csv`` named by
``ISOT_TRUE`` (for instance the copy in Vatshayan/Fake-News-Prediction, 989 articles of
October to December 2017), and without one its rows are left out (CI has none).

Each article's topics were read against ``../shared/spec/topics.md`` by helpers
(``bench/labels/topics-outside.jsonl``, ids ``isot-reuters/HASH``); the id is a hash of
the title and text, so another copy of the file, in another order or with more rows,
finds the same articles. Articles are dealt into a tuning and a held-out half by a seeded
hash of the id (:func:`part`): rules may be written from the tuning half's errors, never
from the held-out half's.
"""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from evaluation import checkout_file
from evaluation.metadata_pages import hashed_part

VARIABLE = "ISOT_TRUE"
ID_PREFIX = "isot-reuters/"
DATASET = "isot-reuters"
FILE = "True.csv"


@dataclass(frozen=True)
class Article:
    id: str
    title: str
    text: str
    date: str


def article_id(title: str, text: str) -> str:
    """The stable id of an article: a hash of its title and text."""
    digest = hashlib.sha256(f"{title.strip()}\n{text.strip()}".encode()).hexdigest()
    return ID_PREFIX + digest[:16]


@cache
def read_articles(root: Path) -> dict[str, Article]:
    """The articles of ``root/True.csv`` by id (a text repeated under the same title is
    one article); a folder without the file stops the run with a one-line error."""
    path = checkout_file(root, FILE, VARIABLE)
    articles: dict[str, Article] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            title, text = (row.get("title") or "").strip(), (row.get("text") or "").strip()
            if title and text:
                key = article_id(title, text)
                articles.setdefault(key, Article(key, title, text, (row.get("date") or "").strip()))
    return articles


def part(doc_id: str) -> str:
    """The half an article falls in (``tune`` or ``heldout``), fixed by its id."""
    return hashed_part(DATASET, doc_id)
