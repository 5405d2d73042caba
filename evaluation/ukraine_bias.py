"""English news on the Ukraine crisis of 2014-2015 from the news-bias dataset, read for topics.

Färber, Burkard, Jatowt and Lim (CIKM 2020) had crowdworkers judge the bias of 2,057
sentences of 90 English articles on the Ukraine crisis, published in 33 countries and drawn
from Cremisini, Aguilar and Finlayson's (2019) collection: the seizure of Crimea, the war in
the Donbas, MH17, the sanctions and the talks around them. That is the one stretch of news
the other labelled sets barely hold (``war_ukraine`` had 34 positive documents), and a hard
test for the topics that crowd around it. ``../shared`` does not hold it: the set is read from a
checkout of michaelfaerber/ukraine-news-bias named by ``UKRAINE_NEWS_BIAS`` (the folder
with ``all-data-as-json/``), and without one its rows are left out (CI has none).

An article's text is its headline (the first sentence), then the rest of its sentences in
their order on one line. The dataset keeps sentences, not paragraphs: given a sentence a
line, newsmon would read each as a paragraph (20 to 80 one-sentence paragraphs, unlike any
page it meets), which halves the share of paragraphs a subject fills; on one line it reads
the text in windows of about 80 words, as it reads ISOT's and 10kGNAD's wire copy.
Each article's topics were read against ``../shared/spec/topics.md`` by helpers after every
term and weight was fixed (``bench/labels/topics-outside.jsonl``, ids
``ukraine-news-bias/article_N``, the dataset's own ids); articles under 60 words (the dataset
keeps only the first sentences of a few) were not labelled. Articles are dealt into a tuning
and a held-out half by a seeded hash of the id (:func:`part`): after the whole set was
measured once, terms for the war of 2014 were written from the tuning half's errors, never
from the held-out half's. The word model does not learn from either half: 43 articles on one
crisis would teach it the English words of one story.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from evaluation.metadata_pages import hashed_part

VARIABLE = "UKRAINE_NEWS_BIAS"
ID_PREFIX = "ukraine-news-bias/"
DATASET = "ukraine-news-bias"
FOLDER = "all-data-as-json"


@dataclass(frozen=True)
class Article:
    id: str
    text: str


@cache
def read_articles(root: Path) -> dict[str, Article]:
    """The articles of ``root/all-data-as-json`` by id; a folder without it, or a file that
    is no article, stops the run with a one-line error naming it."""
    folder = root / FOLDER
    if not folder.is_dir():
        raise SystemExit(f"{VARIABLE}={root}: no {FOLDER}/ in it")
    articles: dict[str, Article] = {}
    for path in sorted(folder.glob("article_*.json")):
        try:
            row = json.loads(path.read_text(encoding="utf-8"))
            sentences = sorted(row["sentences"], key=lambda s: int(s["position_in_article"]))
            said = [" ".join(s["content"].split()) for s in sentences]
            text = "\n".join(filter(None, (said[0] if said else "", " ".join(said[1:]))))
            key = ID_PREFIX + str(row["id"])
        except (ValueError, KeyError, TypeError) as error:
            raise SystemExit(f"{path}: not an article of the news-bias dataset ({error!r})"
                             ) from None
        articles[key] = Article(key, text)
    return articles


def part(doc_id: str) -> str:
    """The half an article falls in (``tune`` or ``heldout``), fixed by its id."""
    return hashed_part(DATASET, doc_id)
