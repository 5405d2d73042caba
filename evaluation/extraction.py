"""Extraction quality: newsmon's extractor beside bare trafilatura, same pages, same run.

Two corpora from ``../shared/corpora``, each scored the way its authors score it so our
figures sit next to their published tables:

* ``extraction-benchmark`` (Zyte/Scrapinghub article-extraction benchmark, 181 pages):
  body text against ``articleBody`` with the benchmark's own ``evaluate.py`` method:
  ``\\w+`` tokens, 4-token shingles counted as a multiset, tp/fp/fn normalised per page
  so long pages do not weigh more, precision and recall averaged over pages, F1 from
  the two averages; accuracy is the share of pages whose token lists match exactly.
  Published: trafilatura 2.0.0 F1 0.958 (precision 0.938, recall 0.978).
* ``trafilatura-eval`` (990 pages, many German): segments that must / must not appear,
  whitespace-normalised substring match, micro-averaged (trafilatura's ``eval_gate.py``).
  Published: trafilatura 2.2.0 standard F1 0.924; the corpus' pinned floor 0.9253.

"bare trafilatura" is what each benchmark itself runs (``trafilatura.extract`` with the
benchmark's options); "newsmon" is :func:`extractors.html.extract_page`, the function
every HTML page goes through in a cycle.

With ``L3S_GN1`` naming that dataset's folder (:mod:`evaluation.l3s`; not in ``../shared``),
a third set: 621 Google News articles of 2008 from 408 sites, the full text marked by
people, scored with the benchmark's method; "bare trafilatura" is ``trafilatura.extract``
on the page's bytes with its defaults. Measured whole before any rule was written from it
(F1 0.854, bare 0.848); since then reported by half, its sites split as its headlines are
(:mod:`evaluation.metadata_pages`), and only the tuning half's pages are read.

And on ``fundus`` (175 news pages of 121 publishers in 20 languages): how many pages
become articles, and how many of those carry the language their publisher writes in
(``bench/labels/fundus-languages.tsv``, read from the pages: a German weekly on Mallorca
writes German, Greenland's paper Danish). No bare row: trafilatura neither rejects a page
nor names its language.

Metadata (headline, date, authors) is :mod:`evaluation.metadata`.
Run: ``python -m bench.extraction``.
"""

from __future__ import annotations

import csv
import gzip
import json
import random
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from evaluation import LABELS, gunzipped, l3s, notices, pointers
from evaluation.metadata_pages import (
    BENCHMARK,
    TRAF_EVAL,
    checkout,
    fundus_pages,
    hashed_part,
    site,
)
from evaluation.rows import Row

FUNDUS_LANGUAGES = LABELS / "fundus-languages.tsv"

GOAL_F1 = 0.965
PUBLISHED_BENCHMARK = "trafilatura 2.0.0: F1 0.958, P 0.938, R 0.978, acc 0.293 (benchmark README)"
PUBLISHED_TRAF_EVAL = "trafilatura 2.2.0 standard: F1 0.924, P 0.906, R 0.943 (evaluation.rst)"

Extractor = Callable[[bytes], str]


# -- the article-extraction-benchmark method ---------------------------------------------------

_TOKEN = re.compile(r"\w+", re.UNICODE | re.MULTILINE | re.IGNORECASE | re.DOTALL)


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text or "")


def _shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    toks = tokens(text)
    return Counter(
        tuple(toks[i : i + n]) for i in range(max(1, len(toks) - n + 1)) if toks[i : i + n]
    )


def shingle_match(true: str, pred: str) -> tuple[float, float, float]:
    """(tp, fp, fn) over 4-token shingles, normalised to sum to 1 (as the benchmark does)."""
    t, p = _shingles(true), _shingles(pred)
    tp = fp = fn = 0.0
    for key in t.keys() | p.keys():
        tc, pc = t.get(key, 0), p.get(key, 0)
        tp += min(tc, pc)
        fp += max(0, pc - tc)
        fn += max(0, tc - pc)
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def _precision(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    if tp == fp == 0:
        return 0.0
    return tp / (tp + fp)


def _recall(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    if tp == fn == 0:
        return 0.0
    return tp / (tp + fn)


@dataclass(frozen=True)
class BodyScore:
    precision: float
    recall: float
    f1: float
    accuracy: float
    f1_std: float  # bootstrap standard deviation, as the benchmark reports it
    pages: int

    def describe(self) -> str:
        return (
            f"F1 {self.f1:.3f} ± {self.f1_std:.3f}, P {self.precision:.3f}, "
            f"R {self.recall:.3f}, acc {self.accuracy:.3f}"
        )


def _prf(matches: Sequence[tuple[float, float, float]]) -> tuple[float, float, float]:
    precision = statistics.mean([_precision(*m) for m in matches if m[0] + m[1] > 0] or [0.0])
    recall = statistics.mean([_recall(*m) for m in matches if m[0] + m[2] > 0] or [0.0])
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def body_score(pairs: Sequence[tuple[str, str]], n_bootstrap: int = 200) -> BodyScore:
    """Score (truth, prediction) pairs; the bootstrap uses a fixed seed so reruns agree."""
    matches = [shingle_match(t, p) for t, p in pairs]
    precision, recall, f1 = _prf(matches)
    accuracy = statistics.mean(float(tokens(t) == tokens(p)) for t, p in pairs)
    rng = random.Random(0)
    resampled = [
        _prf([matches[rng.randrange(len(matches))] for _ in matches])[2]
        for _ in range(n_bootstrap)
    ]
    std = statistics.stdev(resampled) if n_bootstrap > 1 else 0.0
    return BodyScore(precision, recall, f1, accuracy, std, len(pairs))


def benchmark_pages(limit: int | None = None) -> list[tuple[str, bytes, str]]:
    """(id, html bytes, articleBody) of the benchmark, sorted by id; the first ``limit``."""
    truth = json.loads((BENCHMARK / "ground-truth.json").read_text(encoding="utf-8"))
    keys = sorted(truth)[:limit]
    return [
        (
            key,
            gzip.decompress((BENCHMARK / "html" / f"{key}.html.gz").read_bytes()),
            truth[key].get("articleBody", ""),
        )
        for key in keys
    ]


def score_benchmark(pages: Iterable[tuple[str, bytes, str]], extractor: Extractor) -> BodyScore:
    return body_score([(body, extractor(html)) for _key, html, body in pages])


# -- extractors ----------------------------------------------------------------------------


def bare_benchmark(html: bytes) -> str:
    """What the benchmark's ``run_trafilatura.py`` runs (it reads the page as UTF-8 text)."""
    import trafilatura  # bench code, not the pipeline: the one-importer rule is for newsmon

    return trafilatura.extract(html.decode("utf-8"), include_comments=False) or ""


def bare_traf_eval(html: bytes) -> str:
    """What trafilatura's ``eval_gate.py`` runs ("fallback" = the standard setting)."""
    import trafilatura

    return (
        trafilatura.extract(
            html, fast=False, include_comments=False, include_tables=True, include_formatting=False
        )
        or ""
    )


def bare_default(html: bytes) -> str:
    """``trafilatura.extract`` with its defaults, on the page's bytes (it finds the encoding)."""
    import trafilatura

    return trafilatura.extract(html) or ""


def newsmon_text(html: bytes) -> str:
    """The body text newsmon stores for a page ('' when it rejects the page)."""
    from extractors.html import extract_page
    from newsmon.core.errors import RejectedInput

    try:
        return extract_page(html).text
    except RejectedInput:
        return ""


# -- trafilatura's evaluation set ------------------------------------------------------------


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@dataclass(frozen=True)
class SegmentScore:
    tp: int
    fp: int
    fn: int
    tn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        denom = 2 * self.tp + self.fp + self.fn
        return 2 * self.tp / denom if denom else 0.0

    def describe(self) -> str:
        return f"F1 {self.f1:.4f}, P {self.precision:.3f}, R {self.recall:.3f}"


def traf_eval_pages(limit: int | None = None) -> list[tuple[dict[str, list[str]], bytes]]:
    """(annotation, html bytes) of trafilatura's evaluation set, in evaldata order."""
    evaldata = json.loads((TRAF_EVAL / "evaldata.json").read_text(encoding="utf-8"))
    with (TRAF_EVAL / "manifest.tsv").open(encoding="utf-8", newline="") as handle:
        paths = {r["url"]: r["html_path"] for r in csv.DictReader(handle, delimiter="\t")}
    pages = []
    for url, item in list(evaldata.items())[:limit]:
        pages.append((item, gunzipped((TRAF_EVAL / paths[url]).read_bytes())))
    return pages


def score_segments(
    pages: Iterable[tuple[dict[str, list[str]], bytes]], extractor: Extractor
) -> SegmentScore:
    tp = fp = fn = tn = 0
    for item, html in pages:
        try:
            out = _norm(extractor(html))
        except Exception:  # a crash counts as a full miss, as in trafilatura's scorer
            out = ""
        hits = sum(1 for w in item["with"] if out and _norm(w) in out)
        leaks = sum(1 for w in item["without"] if out and _norm(w) in out)
        tp, fn = tp + hits, fn + len(item["with"]) - hits
        fp, tn = fp + leaks, tn + len(item["without"]) - leaks
    return SegmentScore(tp, fp, fn, tn)


# -- the benchmark ---------------------------------------------------------------------------


def run() -> list[Row]:
    rows: list[Row] = []
    pages = benchmark_pages()
    started = time.perf_counter()
    bare = score_benchmark(pages, bare_benchmark)
    ours = score_benchmark(pages, newsmon_text)
    name = f"extraction / article-extraction-benchmark ({len(pages)} pages)"
    for metric, o, b in [
        ("F1", ours.f1, bare.f1),
        ("precision", ours.precision, bare.precision),
        ("recall", ours.recall, bare.recall),
        ("accuracy (exact body)", ours.accuracy, bare.accuracy),
    ]:
        is_f1 = metric == "F1"
        rows.append(
            Row(
                name,
                metric,
                f"{o:.3f}" + (f" ± {ours.f1_std:.3f}" if is_f1 else ""),
                f"{b:.3f}" + (f" ± {bare.f1_std:.3f}" if is_f1 else ""),
                PUBLISHED_BENCHMARK if is_f1 else "",
                f">= {GOAL_F1} and >= bare" if is_f1 else "",
                (o >= GOAL_F1 and o >= b) if is_f1 else None,
            )
        )
    evalset = traf_eval_pages()
    bare_s = score_segments(evalset, bare_traf_eval)
    ours_s = score_segments(evalset, newsmon_text)
    name = f"extraction / trafilatura-eval ({len(evalset)} pages)"
    rows.append(
        Row(
            name,
            "F1 (segments)",
            f"{ours_s.f1:.4f}",
            f"{bare_s.f1:.4f}",
            PUBLISHED_TRAF_EVAL + "; pinned floor 0.9253",
            ">= bare",
            ours_s.f1 >= bare_s.f1,
        )
    )
    rows.append(
        Row(name, "precision / recall", f"{ours_s.precision:.3f} / {ours_s.recall:.3f}",
            f"{bare_s.precision:.3f} / {bare_s.recall:.3f}")
    )
    rows += l3s_rows()
    rows += fundus_rows()
    rows += notices.run()
    rows += pointers.run()
    print(f"extraction benchmarks took {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return rows


def l3s_rows() -> list[Row]:
    """Body F1 on L3S-GN1's pages beside bare trafilatura, on the held-out and the tuning
    half of its sites (split as its headlines are); none without its checkout."""
    root = checkout(l3s.VARIABLE)
    if root is None:
        return []
    rows = []
    pages = [page for page in l3s.read_pages(root) if page.body]
    for part, kind in (("heldout", "held-out"), ("tune", "tuning")):
        chosen = [p for p in pages if hashed_part("l3s-gn1", site(p.url)) == part]
        if not chosen:
            continue
        ours = body_score([(page.body, newsmon_text(page.html)) for page in chosen])
        bare = body_score([(page.body, bare_default(page.html)) for page in chosen])
        sites = len({site(page.url) for page in chosen})
        name = (f"extraction / L3S-GN1, Google News 2008, full text marked by people, {kind} "
                f"half ({len(chosen)} pages, {sites} sites)")
        rows += [
            Row(name, "F1", f"{ours.f1:.3f} ± {ours.f1_std:.3f}",
                f"{bare.f1:.3f} ± {bare.f1_std:.3f}", goal=">= bare", met=ours.f1 >= bare.f1),
            Row(name, "precision / recall", f"{ours.precision:.3f} / {ours.recall:.3f}",
                f"{bare.precision:.3f} / {bare.recall:.3f}"),
        ]
    return rows


def fundus_languages() -> dict[str, str]:
    """Publisher -> the language its fundus pages are written in."""
    with FUNDUS_LANGUAGES.open(encoding="utf-8", newline="") as handle:
        return {r["publisher"]: r["language"] for r in csv.DictReader(handle, delimiter="\t")}


@dataclass(frozen=True)
class FundusOutcome:
    """What newsmon made of one fundus page: its language, or why it is no article."""

    url: str
    publisher: str
    language: str | None
    rejected: str | None


def fundus_outcomes() -> list[FundusOutcome]:
    """Each fundus page through the extraction every input goes through in a cycle."""
    from extractors.article import extract
    from newsmon.core.errors import RejectedInput
    from newsmon.core.records import RawInput

    outcomes = []
    for page in fundus_pages():
        raw = RawInput(page.url, page.url, page.html, "html")
        try:
            language, rejected = extract(raw, min_words=40).language, None
        except RejectedInput as error:
            language, rejected = None, f"{error.reason.value}: {error}"
        outcomes.append(FundusOutcome(page.url, page.publisher, language, rejected))
    return outcomes


def fundus_rows() -> list[Row]:
    outcomes = fundus_outcomes()
    expected = fundus_languages()
    stored = [o for o in outcomes if o.rejected is None]
    wrong = [o for o in stored if o.language != expected.get(o.publisher)]
    languages = len({expected.get(o.publisher) for o in outcomes})
    name = (f"extraction / fundus ({len(outcomes)} news pages, "
            f"{len({o.publisher for o in outcomes})} publishers, {languages} languages)")
    rejected = "; ".join(f"{o.url}: {o.rejected}" for o in outcomes if o.rejected)
    mislabelled = "; ".join(f"{o.url}: {o.language} for {expected.get(o.publisher)}"
                            for o in wrong)
    return [
        Row(name, "pages stored as articles", f"{len(stored)} of {len(outcomes)}",
            goal=f"{len(outcomes)} of {len(outcomes)}", met=len(stored) == len(outcomes),
            note=rejected),
        Row(name, "of those, the publisher's language",
            f"{len(stored) - len(wrong)} of {len(stored)}", goal="all",
            met=not wrong, note=mislabelled),
    ]


def main() -> None:
    for row in run():
        flag = "" if row.met is None else (" ok" if row.met else " SHORT")
        print(f"{row.benchmark:<55} {row.metric:<22} newsmon {row.ours:<16} bare {row.baseline}"
              f"{flag}")


if __name__ == "__main__":
    main()
