"""A floor under the shipped tagger's quality on the held-out labelled documents.

``python -m bench.tagging`` reports the figures (docs/benchmarks.md); this test fails
only when a change makes tagging clearly worse than measured when the floor was set:
held-out micro precision 0.719, recall 0.622, F1 0.667, 23.2 of 1,000 topic-free documents
given a topic (710 held-out documents, 2026-12-03); with the last labelled batch (751
held-out documents) P 0.719, R 0.590, F1 0.648, 21.9; with 158 feed entries added (831
held-out documents) P 0.691, R 0.595, F1 0.639, 23.6; after the lunar and press-embargo
guards and the scorer refitted on the grown tuning part, P 0.712, R 0.532, F1 0.609, 18.3;
with 498 trafilatura-eval pages added (1,079 held-out documents, 2026-12-04) P 0.689,
R 0.525, F1 0.596, 15.8; with the ``related`` feature and the scorer refitted on the
1,088-document tuning part, P 0.740, R 0.463, F1 0.569, 10.9 (chosen on the tuning part:
cross-validated there F1 0.611 -> 0.706 at P 0.855 -> 0.900); with the scorer's cutoff set
on the topics the rules let through (it had been set on every anchored topic, so the
precision target was overshot on the tags made: cross-validated on the tuning part P 0.889
at a 0.85 target, now 0.846), P 0.700, R 0.525, F1 0.600, 11.9. Terms were written on the
tuning part only. Since 2026-12-04 afternoon the shipped scorer is fitted on every labelled
document and the held-out figures are cross-fitted (each held-out fold decided by a scorer
fitted without it): P 0.755, R 0.463, F1 0.574, 8.9; with the cutoff chosen on folds by
document, averaged over three splits (chosen on the tuning part), P 0.787, R 0.463,
F1 0.583, 6.9.
"""

from __future__ import annotations

from pathlib import Path

from evaluation.labelled import split_docs
from evaluation.tagging import FOLDS, cross_fitted, figures

MICRO_F1_FLOOR = 0.54
MICRO_PRECISION_FLOOR = 0.74
FALSE_PER_1000_CEILING = 11


def test_held_out_quality_floor(shared: Path) -> None:
    tune, held = split_docs(shared)
    assert len(held) >= 1000 and not {d.id for d in tune} & {d.id for d in held}
    cross = cross_fitted(tune, held)
    assert len(cross.by_fold) == FOLDS and cross.tagger_for(held[0].id) is not cross.shipped
    result = figures(cross, held)
    micro = result.result.micro
    # counts only: listing the held-out misses would invite tuning on them
    assert micro.f1 >= MICRO_F1_FLOOR, (
        f"micro-F1 {micro.f1:.3f}: {micro.tp} right, {micro.fp} wrong, {micro.fn} missed")
    assert micro.precision >= MICRO_PRECISION_FLOOR, f"precision {micro.precision:.3f}"
    assert result.false_per_1000 <= FALSE_PER_1000_CEILING, (
        f"{result.false_tagged} of {result.topic_free} topic-free documents tagged")
