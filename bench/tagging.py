"""Topic tagging quality and speed on the hand-labelled dev set.

Scores the default taxonomy on ``../shared/eval/topics-dev.jsonl`` (195 German and
English documents): precision, recall and F1 per topic and micro-averaged, whether the
five seed articles get exactly their labelled topics, and the list of misses with the
score the tagger gave. Throughput is MB of text per second of ``Tagger.tag`` and, as a
ratio measured in the same run, against a bare baseline: one ``re`` alternation of all
term words scanned over the same texts (what a hand-rolled matcher would start from).

A second, out-of-sample probe: the 1,028 German articles of 10kGNAD's test split carry
no topic labels, but they carry a desk (Sport, Kultur, Web, International ...). Topic
tags on the sports, culture and web desks are almost always false positives, so the
share of those articles tagged is a floor-free estimate of how the rules misfire on
news they were not tuned on (a few dozen 10kGNAD articles are also in the dev set).

Run: ``python -m bench.tagging`` (``--misses`` lists every miss with its labels).
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

from bench import Row
from newsmon.tagging import load_tagger
from newsmon.tagging.evaluate import Evaluation, LabelledDoc, evaluate, read_labelled

ROOT = Path(__file__).resolve().parents[1]
DEV_SET = ROOT.parent / "shared" / "eval" / "topics-dev.jsonl"
GNAD = ROOT.parent / "shared" / "corpora" / "10kGNAD" / "test.csv"
OFF_TOPIC_DESKS = ("Sport", "Kultur", "Web")
GOAL_MICRO_F1 = 0.85
GOAL_PRECISION = 0.8
REPEAT = 3


def _throughput(docs: list[LabelledDoc]) -> tuple[float, float, float]:
    """MB/s of the tagger, of a bare regex scan of the same terms, and of a bare
    pyahocorasick scan (no word checks, no scoring: the floor), best of REPEAT."""
    tagger = load_tagger()
    megabytes = sum(len(d.text.encode("utf-8")) for d in docs) / 1e6
    cores = sorted({p.core for p in tagger.matcher.patterns}, key=len, reverse=True)
    bare = re.compile("|".join(re.escape(c) for c in cores))
    automaton = tagger.matcher._automaton
    best_ours = best_bare = best_ac = float("inf")
    for _ in range(REPEAT):
        started = time.perf_counter()
        for doc in docs:
            tagger.tag(doc.text, doc.lang)
        best_ours = min(best_ours, time.perf_counter() - started)
        started = time.perf_counter()
        for doc in docs:
            sum(1 for _ in bare.finditer(doc.text.lower()))
        best_bare = min(best_bare, time.perf_counter() - started)
        started = time.perf_counter()
        for doc in docs:
            sum(1 for _ in automaton.iter(doc.text.lower()))
        best_ac = min(best_ac, time.perf_counter() - started)
    return megabytes / best_ours, megabytes / best_bare, megabytes / best_ac


def desk_probe(path: Path = GNAD) -> tuple[dict[str, Counter[str]], Counter[str]]:
    """(topics tagged per desk, articles per desk) on 10kGNAD's test split."""
    tagger = load_tagger()
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";", quotechar="'"))
    per_desk: dict[str, Counter[str]] = {}
    sizes: Counter[str] = Counter()
    for desk, text in rows:
        sizes[desk] += 1
        found = per_desk.setdefault(desk, Counter())
        topics = [t.topic for t in tagger.tag(text, "de").topics]
        found.update(topics)
        found["(any topic)"] += bool(topics)
    return per_desk, sizes


def measure(path: Path = DEV_SET
            ) -> tuple[Evaluation, list[LabelledDoc], tuple[float, float, float]]:
    docs = read_labelled(path)
    result = evaluate(load_tagger(), docs)
    return result, docs, _throughput(docs)


def seeds_exact(result: Evaluation, docs: list[LabelledDoc]) -> tuple[int, int]:
    seeds = [d for d in docs if d.dataset == "seeds"]
    return sum(result.predicted[d.id] == d.topics for d in seeds), len(seeds)


def run() -> list[Row]:
    result, docs, (ours, bare, ac) = measure()
    rows = []
    for topic, s in result.per_topic.items():
        rows.append(Row(f"tagging / {topic}", "P / R / F1",
                        f"{s.precision:.2f} / {s.recall:.2f} / {s.f1:.2f}",
                        goal=f"P >= {GOAL_PRECISION}", met=s.precision >= GOAL_PRECISION,
                        note=f"tp {s.tp}, fp {s.fp}, fn {s.fn}"))
    micro = result.micro
    rows.append(Row("tagging / micro-average", "F1", f"{micro.f1:.3f}",
                    goal=f">= {GOAL_MICRO_F1}", met=micro.f1 >= GOAL_MICRO_F1,
                    note=f"P {micro.precision:.3f}, R {micro.recall:.3f}"))
    exact, total = seeds_exact(result, docs)
    rows.append(Row("tagging / seeds", "tagged exactly as labelled", f"{exact}/{total}",
                    goal=f"{total}/{total}", met=exact == total))
    rows.append(Row("tagging / throughput", "MB/s (ratio to bare re scan of the terms)",
                    f"{ours:.2f} MB/s", baseline=f"{bare:.2f} MB/s",
                    note=f"ours/bare = {ours / bare:.2f}; a bare pyahocorasick scan (no word "
                         f"checks, no scoring) runs {ac:.1f} MB/s, ours/that = {ours / ac:.2f}"))
    per_desk, sizes = desk_probe()
    off = sum(per_desk[d]["(any topic)"] for d in OFF_TOPIC_DESKS)
    total = sum(sizes[d] for d in OFF_TOPIC_DESKS)
    rows.append(Row("tagging / 10kGNAD sports, culture, web desks (out of sample)",
                    "articles given any topic", f"{off}/{total}",
                    note="almost all of these would be false positives"))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="print every miss with its why")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    result, docs, (ours, bare, ac) = measure()
    micro = result.micro
    exact, total = seeds_exact(result, docs)
    if args.json:
        print(json.dumps({
            "per_topic": {t: {"precision": s.precision, "recall": s.recall, "f1": s.f1,
                              "tp": s.tp, "fp": s.fp, "fn": s.fn}
                          for t, s in result.per_topic.items()},
            "micro": {"precision": micro.precision, "recall": micro.recall, "f1": micro.f1},
            "seeds_exact": [exact, total], "mb_per_s": ours, "bare_re_mb_per_s": bare,
            "bare_ahocorasick_mb_per_s": ac,
        }, indent=2))
        return 0
    print(f"dev set: {DEV_SET} ({len(docs)} documents)")
    print(f"{'topic':<22} {'P':>5} {'R':>5} {'F1':>5}   tp  fp  fn")
    for topic, s in result.per_topic.items():
        flag = "" if s.precision >= GOAL_PRECISION else "   <- precision below goal"
        print(f"{topic:<22} {s.precision:5.2f} {s.recall:5.2f} {s.f1:5.2f}  {s.tp:3d} {s.fp:3d}"
              f" {s.fn:3d}{flag}")
    print(f"{'micro-average':<22} {micro.precision:5.2f} {micro.recall:5.2f} {micro.f1:5.3f}"
          f"  {micro.tp:3d} {micro.fp:3d} {micro.fn:3d}   (goal F1 >= {GOAL_MICRO_F1})")
    print(f"seeds tagged exactly as labelled: {exact}/{total}")
    print(f"throughput: {ours:.2f} MB/s; bare re scan of the same terms {bare:.2f} MB/s "
          f"(ours/re = {ours / bare:.1f}); bare pyahocorasick scan, no word checks or scoring, "
          f"{ac:.1f} MB/s (ours/that = {ours / ac:.2f})")
    per_desk, sizes = desk_probe()
    print(f"out of sample, 10kGNAD test split ({sum(sizes.values())} German articles): "
          "articles tagged per desk")
    for desk, n in sizes.most_common():
        found = per_desk[desk]
        topics = ", ".join(f"{t} {c}" for t, c in found.most_common() if t != "(any topic)")
        print(f"  {desk:<14} {found['(any topic)']:4d}/{n:<4d} {topics}")
    why = {d.id: d for d in docs}
    print(f"misses ({len(result.misses)}):")
    for m in result.misses:
        print(f"  {m.kind:<6} {m.topic:<22} score {m.score:6.2f}  {m.doc_id}")
        if args.misses:
            print(f"         labels {sorted(why[m.doc_id].topics)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
