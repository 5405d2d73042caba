"""Topic labels for pages outside ``../shared``, never tuned on.

The held-out half of :mod:`evaluation.labelled` is out of sample for the terms and the
weights, but its documents come from the corpora the terms were written against (the same
desks, publishers and years). This set is further out: pages of checkouts that
``../shared`` does not hold, read against ``../shared/spec/topics.md`` by helpers after the
terms and the scorer were fixed, and never used for a term or a weight:

* ``htmldate-FOLDER/FILE``: htmldate's evaluation pages (``HTMLDATE_TESTS``, as in
  :mod:`evaluation.metadata_pages`) whose URL is not a trafilatura-eval page (those are labelled
  already, as ``teval-`` documents): news and blogs of 2017-2020 in some 20 languages;
* ``fundus-unshared-COUNTRY/NAME``: the fundus test pages ``../shared`` does not hold
  (``FUNDUS_TEST_DATA``): news of 2023-2026 from 60 publishers in 14 languages;
* ``l3s-gn1/UUID``: L3S-GN1's 621 Google News articles of 2008 (``L3S_GN1``,
  :mod:`evaluation.l3s`), every one labelled, its text the headline and full text people
  marked on the page. Labelled 2026-12-05 by six helpers, after every term and weight
  of that day was fixed; later one diplomacy guard was written from a false tag of its
  tuning half (:func:`tuned_on`), whose pages are then scored apart;
* ``isot-reuters/HASH``: Reuters articles of 2017 (``ISOT_TRUE``, :mod:`evaluation.isot`),
  their title, then their text, as the dataset gives them; labelled 2026-12-05 by eight
  helpers and measured whole before any rule. Since, one rule came from the errors of its
  tuning half (:func:`evaluation.isot.part`; :func:`tuned_on`), whose articles are then
  scored apart; the held-out half's errors are not to be read;
* ``fundus-history/BLOB``: pages fundus's tests held once and have since replaced
  (``FUNDUS_GIT``, a git directory of fundus with its history; the id is the page's blob),
  news of 2023-2026 in some 20 languages, leaving out those whose text is a page
  ``FUNDUS_TEST_DATA`` still holds. Labelled 2026-12-05 by three helpers.
* ``ag-news/HASH``: AG News's world-desk briefs of 2004 (``AG_NEWS``,
  :mod:`evaluation.agnews`), a headline and a sentence or two each; labelled 2026-12-05
  by eight helpers after every term and weight of that day was fixed and measured whole
  before any rule. Since, rules came from the errors of its tuning half
  (:func:`evaluation.agnews.part`; :func:`tuned_on`), whose briefs are then scored apart.
* ``ukraine-news-bias/article_N``: English news of 2014-2015 on the Ukraine crisis from
  outlets in 33 countries (``UKRAINE_NEWS_BIAS``, :mod:`evaluation.ukraine_bias`), their
  headline, then their other sentences on one line; labelled 2026-12-05 by three helpers after every
  term and weight was fixed and measured whole before any rule. Since, terms for the war
  of 2014 came from the errors of its tuning half (:func:`evaluation.ukraine_bias.part`;
  :func:`tuned_on`), whose articles are then scored apart.

A document's text is otherwise its page as bare ``trafilatura.extract`` reads it (the
bytes, so trafilatura finds the encoding); those pages under 60 words were not labelled.
Without the checkouts the set is empty and its benchmark rows are left out (CI has none).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from evaluation import LABELS, agnews, fundus_history, gunzipped, isot, l3s, ukraine_bias
from evaluation.labelled import cached_text
from evaluation.metadata_pages import (
    FUNDUS_TEST_DATA_VARIABLE,
    HTMLDATE_TESTS_VARIABLE,
    checkout,
    hashed_part,
    site,
)
from newsmon.tagging.evaluate import LabelledDoc

OUTSIDE = LABELS / "topics-outside.jsonl"
_HTMLDATE = "htmldate-"
_FUNDUS = "fundus-unshared-"


def page_path(doc_id: str, htmldate_tests: Path | None, fundus_test_data: Path | None
              ) -> Path | None:
    """The page file of a labelled id, or None when its checkout is not given."""
    if doc_id.startswith(_HTMLDATE):
        return htmldate_tests / doc_id.removeprefix(_HTMLDATE) if htmldate_tests else None
    if doc_id.startswith(_FUNDUS):
        name = doc_id.removeprefix(_FUNDUS) + ".html.gz"
        return fundus_test_data / name if fundus_test_data else None
    raise ValueError(f"{OUTSIDE.name}: {doc_id}: no checkout holds documents with this id")


def page_text(path: Path) -> str:
    """The page as bare ``trafilatura.extract`` reads it from its bytes (so trafilatura
    finds the encoding), cached as trafilatura-eval's texts are."""
    return _bytes_text(path.read_bytes())


def _bytes_text(packed: bytes) -> str:
    import trafilatura

    return cached_text("b-" + hashlib.sha256(packed).hexdigest()[:32],
                       lambda: str(trafilatura.extract(gunzipped(packed)) or ""))


#: The environment variables naming the checkouts the set's pages come from.
CHECKOUT_VARIABLES = (HTMLDATE_TESTS_VARIABLE, FUNDUS_TEST_DATA_VARIABLE, l3s.VARIABLE,
                      isot.VARIABLE, fundus_history.VARIABLE, agnews.VARIABLE,
                      ukraine_bias.VARIABLE)


def checkouts_given() -> bool:
    """Whether a checkout the set's pages come from is named (cheap: reads no page)."""
    return any(checkout(name) for name in CHECKOUT_VARIABLES)


def tuned_on(docs: list[LabelledDoc], l3s_root: Path | None = None) -> frozenset[str]:
    """The ids of ``docs`` a rule was written from, so whose figures are not out of sample:
    L3S-GN1's tuning half, its sites dealt as for its headlines (a word-sense guard came
    from one of its false tags), the tuning half of ISOT's articles (the cap on diplomacy's
    domestic-politics guard came from its false tags) and the tuning half of AG News's
    briefs (the guards against a brief's single weak word came from its errors) and the
    tuning half of the Ukraine-crisis articles (the terms for the war of 2014)."""
    tuned = {d.id for d in docs for dealt in (isot, agnews, ukraine_bias)
             if d.id.startswith(dealt.ID_PREFIX) and dealt.part(d.id) == "tune"}
    root = l3s_root or checkout(l3s.VARIABLE)
    if root is not None:
        urls = {l3s.ID_PREFIX + page.uuid: page.url for page in l3s.read_pages(root)}
        tuned |= {d.id for d in docs
                  if d.id in urls and hashed_part("l3s-gn1", site(urls[d.id])) == "tune"}
    return frozenset(tuned)


def borderline_ids(path: Path = OUTSIDE) -> frozenset[str]:
    """The pages whose labeller marked the call as one a reasonable reader could make
    differently (most of the pages with a topic in this set)."""
    with path.open(encoding="utf-8") as handle:
        return frozenset(row["id"] for row in map(json.loads, filter(str.strip, handle))
                         if row.get("borderline"))


@dataclass
class _Sources:
    """Where the labelled documents' texts come from; a source is None when its checkout
    is not given (its documents are then left out)."""

    htmldate_tests: Path | None
    fundus_test_data: Path | None
    l3s_root: Path | None
    isot_root: Path | None
    fundus_git: Path | None
    agnews_root: Path | None
    ukraine_root: Path | None

    def __post_init__(self) -> None:
        articles = isot.read_articles(self.isot_root) if self.isot_root else {}
        briefs = agnews.read_briefs(self.agnews_root) if self.agnews_root else {}
        crisis = ukraine_bias.read_articles(self.ukraine_root) if self.ukraine_root else {}
        pages = l3s.read_pages(self.l3s_root) if self.l3s_root else ()
        # the sets read whole into memory: id prefix, checkout, the file or folder in it,
        # what one document of it is, and each document's text by id
        self._read_sets: list[tuple[str, Path | None, str, str, dict[str, str]]] = [
            (isot.ID_PREFIX, self.isot_root, isot.FILE, "article",  # title first, as read
             {key: f"{a.title}\n{a.text}" for key, a in articles.items()}),
            (agnews.ID_PREFIX, self.agnews_root, agnews.FILE, "world-class brief",
             {key: brief.text for key, brief in briefs.items()}),
            (ukraine_bias.ID_PREFIX, self.ukraine_root, ukraine_bias.FOLDER, "article",
             {key: a.text for key, a in crisis.items()}),
            (l3s.ID_PREFIX, self.l3s_root, "", "page",
             {l3s.ID_PREFIX + page.uuid: page.text for page in pages}),
        ]

    def text(self, doc_id: str) -> str | None:
        """A document's text (a headline first, where the set has one), None when its
        checkout is not given; raises LookupError naming what is missing or unknown."""
        for prefix, root, inside, what, texts in self._read_sets:
            if doc_id.startswith(prefix):
                if root is None:
                    return None
                if doc_id not in texts:
                    raise LookupError(f"no {what} in {root / inside}")
                return texts[doc_id]
        if doc_id.startswith(fundus_history.ID_PREFIX):
            if not self.fundus_git:
                return None
            blob = doc_id.removeprefix(fundus_history.ID_PREFIX)
            saved = fundus_history.page_bytes(self.fundus_git, blob)
            if saved is None:
                raise LookupError(f"no such page in the history at {self.fundus_git}")
            return _bytes_text(saved)
        try:
            page = page_path(doc_id, self.htmldate_tests, self.fundus_test_data)
        except ValueError:
            raise LookupError("no checkout holds documents with this id") from None
        if page is None:
            return None
        if not page.is_file():
            raise LookupError(f"no page at {page}")
        return page_text(page)


def read_outside(path: Path = OUTSIDE, htmldate_tests: Path | None = None,
                 fundus_test_data: Path | None = None, l3s_root: Path | None = None,
                 isot_root: Path | None = None, fundus_git: Path | None = None,
                 agnews_root: Path | None = None, ukraine_root: Path | None = None
                 ) -> list[LabelledDoc]:
    """The labelled documents whose checkout is given (by argument, else by the
    variables); a labelled page missing from a given checkout is an error."""
    sources = _Sources(htmldate_tests or checkout(HTMLDATE_TESTS_VARIABLE),
                       fundus_test_data or checkout(FUNDUS_TEST_DATA_VARIABLE),
                       l3s_root or checkout(l3s.VARIABLE),
                       isot_root or checkout(isot.VARIABLE),
                       fundus_git or checkout(fundus_history.VARIABLE),
                       agnews_root or checkout(agnews.VARIABLE),
                       ukraine_root or checkout(ukraine_bias.VARIABLE))
    docs = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            row = json.loads(line)
            try:
                text = sources.text(row["id"])
            except LookupError as error:
                raise ValueError(f"{path}:{number}: {row['id']}: {error}") from None
            if text is not None:
                docs.append(LabelledDoc(row["id"], row.get("lang"), text,
                                        frozenset(row.get("topics") or ()), row["dataset"]))
    return docs
