"""The learned part of topic tagging: a logistic scorer over evidence features.

The taxonomy's terms say *what* counts as evidence; the scorer says *how much evidence,
where,* makes a subject. It is one logistic model shared by all topics (a weight per
feature of :mod:`newsmon.tagging.features`) plus a bias per topic, so a topic with a
dozen labelled examples borrows what the others teach about leads, paragraphs and
density, and a topic the user adds later works at once with the shared weights.

Weights are plain data (a small TOML file, ``newsmon/defaults/scorer.toml``) refitted by
``newsmon topics fit LABELLED.jsonl``; the file is part of the taxonomy version, so a
refit re-tags stored articles on ``newsmon retag``. Fitting is L2-regularised Newton
steps in numpy: a few hundred rows, milliseconds, no model download.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator

from newsmon.tagging.features import FEATURES

#: The L2 penalty on standardised weights and on the per-topic biases (stronger: a
#: topic's bias rests on its own few examples). The weights' penalty was chosen by
#: five-fold cross-validation over the tuning documents (micro-F1 at the precision cutoff:
#: 0.03 -> 0.744, 0.1 -> 0.753, 0.25 -> 0.737, 1.0 -> 0.726).
_L2_WEIGHTS = 0.1
_L2_TOPIC_BIAS = 4.0
#: Cross-validation rounds (each a different split into five folds) whose out-of-fold
#: probabilities are averaged to choose the cutoff: one split of a few hundred examples
#: moves the cutoff by 0.1 or more depending on which documents share a fold.
_CV_ROUNDS = 3


class Scorer(BaseModel):
    """``scorer.toml``: ``cutoff``, ``[weights]`` (``bias`` and one per feature) and
    ``[topic_bias]`` (topic id -> added to ``bias``; absent topics add nothing)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    cutoff: float = Field(0.5, gt=0, lt=1, description="probability an article needs")
    weights: dict[str, float]
    topic_bias: dict[str, float] = Field(default_factory=dict)
    note: str = ""

    @model_validator(mode="after")
    def _known_features(self) -> Scorer:
        unknown = set(self.weights) - {"bias", *FEATURES}
        if unknown:
            raise ValueError(f"weights: unknown feature {sorted(unknown)[0]!r} "
                             f"(known: bias, {', '.join(FEATURES)})")
        for name, value in [*self.weights.items(), *self.topic_bias.items()]:
            if not math.isfinite(value) or abs(value) > 1e3:
                raise ValueError(f"weight {name!r} = {value} is out of bounds (|w| <= 1000)")
        return self

    def probability(self, topic: str, features: dict[str, float]) -> float:
        z = self.weights.get("bias", 0.0) + self.topic_bias.get(topic, 0.0)
        z += sum(self.weights.get(name, 0.0) * value for name, value in features.items())
        return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, z))))

    def to_toml(self) -> str:
        lines = []
        if self.note:
            lines += [f"# {line}" for line in self.note.splitlines()]
            lines.append(f"note = {_quote(self.note)}")
        lines += [f"cutoff = {self.cutoff:.4f}", "", "[weights]"]
        lines += [f"{name} = {self.weights.get(name, 0.0):.6f}" for name in ("bias", *FEATURES)]
        lines += ["", "[topic_bias]"]
        lines += [f"{topic} = {value:.6f}" for topic, value in sorted(self.topic_bias.items())]
        return "\n".join(lines) + "\n"


def _quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


@dataclass(frozen=True, slots=True)
class Example:
    """One (article, topic) the scorer learns from: its features and the true label."""

    topic: str
    features: dict[str, float]
    label: bool
    weight: float = 1.0
    #: the document it comes from: cross-validation keeps a document's examples in one
    #: fold, so that its other topics (``related``) do not vouch for it from another
    group: str = ""


@dataclass(frozen=True, slots=True)
class CutoffQuality:
    """What the cutoff gives on the examples, cross-validated: what to expect of it."""

    precision: float  # of the tags made among the examples
    recall: float  # of the examples labelled with their topic
    reached: bool  # False: no cutoff keeps precision at the target (it stays at 0.5)


def fit(examples: Sequence[Example], *, min_precision: float = 0.85, note: str = ""
        ) -> Scorer:
    """Fit the shared weights and topic biases, then choose the cutoff (see :func:`fit_cut`)."""
    return fit_cut(examples, min_precision=min_precision, note=note)[0]


def fit_cut(examples: Sequence[Example], *, min_precision: float = 0.85, note: str = ""
            ) -> tuple[Scorer, CutoffQuality]:
    """The fitted scorer and how its cutoff does on these examples out of fold.

    The cutoff is the lowest probability whose cross-validated precision on these
    examples stays at or above ``min_precision`` (recall is given up before precision:
    a false tag on a spike chart costs the analyst more than a missed one).
    """
    if not examples:
        raise ValueError("no examples to fit on (no labelled document has evidence "
                         "for any topic)")
    if not any(e.label for e in examples) or all(e.label for e in examples):
        raise ValueError("the examples need both tagged and untagged cases to fit")
    topics = sorted({e.topic for e in examples})
    weights, topic_bias = _fit_weights(examples, topics)
    probabilities = _cross_validated(examples, topics)
    labels, sample_weights = [e.label for e in examples], [e.weight for e in examples]
    cutoff, reached = _choose_cutoff(probabilities, labels, sample_weights, min_precision)
    quality = _quality(probabilities, labels, sample_weights, cutoff,
                       reached, min_precision)
    return Scorer(cutoff=cutoff, weights=weights, topic_bias=topic_bias, note=note), quality


def _quality(probabilities: list[float], labels: list[bool], weights: list[float],
             cutoff: float, chosen: bool, min_precision: float) -> CutoffQuality:
    """``chosen``: the scan found a cutoff keeping the precision; the fallback 0.5 may
    keep it too (examples so well apart that every probability is near 0 or 1)."""
    tp = fp = positives = 0.0
    for probability, label, weight in zip(probabilities, labels, weights, strict=True):
        positives += weight if label else 0.0
        if probability >= cutoff:
            tp += weight if label else 0.0
            fp += 0.0 if label else weight
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / positives
    return CutoffQuality(precision, recall,
                         chosen or (recall > 0 and precision >= min_precision))


def _design(examples: Sequence[Example], topics: list[str]
            ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    x = np.array([[e.features[f] for f in FEATURES] for e in examples], dtype=float)
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    onehot = np.array([[e.topic == t for t in topics] for e in examples], dtype=float)
    design = np.hstack([np.ones((len(examples), 1)), (x - mean) / scale, onehot])
    y = np.array([e.label for e in examples], dtype=float)
    return design, y, mean, scale, np.array([e.weight for e in examples], dtype=float)


def _newton(design: np.ndarray, y: np.ndarray, sample_weight: np.ndarray,
            penalty: np.ndarray) -> np.ndarray:
    beta = np.zeros(design.shape[1])
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-np.clip(design @ beta, -60, 60)))
        gradient = design.T @ (sample_weight * (p - y)) + penalty * beta
        hessian = (design.T * (sample_weight * p * (1 - p))) @ design + np.diag(penalty)
        step = np.linalg.solve(hessian, gradient)
        beta -= step
        if np.max(np.abs(step)) < 1e-8:
            break
    return beta


def _penalty(n_features: int, n_topics: int) -> np.ndarray:
    return np.array([0.0] + [_L2_WEIGHTS] * n_features + [_L2_TOPIC_BIAS] * n_topics)


def _fit_weights(examples: Sequence[Example], topics: list[str]
                 ) -> tuple[dict[str, float], dict[str, float]]:
    design, y, mean, scale, sample_weight = _design(examples, topics)
    beta = _newton(design, y, sample_weight, _penalty(len(FEATURES), len(topics)))
    # back from standardised features to the raw ones the tagger computes
    raw = beta[1 : 1 + len(FEATURES)] / scale
    weights = {"bias": float(beta[0] - np.sum(raw * mean))}
    weights.update({f: float(w) for f, w in zip(FEATURES, raw, strict=True)})
    topic_bias = {t: float(b) for t, b in zip(topics, beta[1 + len(FEATURES):], strict=True)}
    return weights, topic_bias


def _cross_validated(examples: Sequence[Example], topics: list[str], folds: int = 5,
                     rounds: int = _CV_ROUNDS) -> list[float]:
    """Out-of-fold probabilities, averaged over ``rounds`` splits. Folds go by document
    (an example without one is its own), hashed, so the examples' order changes nothing."""
    totals, counts = [0.0] * len(examples), [0] * len(examples)
    for round_ in range(rounds):
        fold_of = [_fold(f"{round_}:{e.group or f'#{i}'}", folds)
                   for i, e in enumerate(examples)]
        for fold in range(folds):
            train = [e for e, k in zip(examples, fold_of, strict=True) if k != fold]
            if not any(e.label for e in train) or all(e.label for e in train):
                continue
            weights, topic_bias = _fit_weights(train, topics)
            scorer = Scorer(weights=weights, topic_bias=topic_bias)
            for i, e in enumerate(examples):
                if fold_of[i] == fold:
                    totals[i] += scorer.probability(e.topic, e.features)
                    counts[i] += 1
    return [total / count if count else 0.0
            for total, count in zip(totals, counts, strict=True)]


def _fold(key: str, folds: int) -> int:
    return int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big") % folds


def _choose_cutoff(probabilities: list[float], labels: list[bool], weights: list[float],
                   min_precision: float) -> tuple[float, bool]:
    """(cutoff, whether any cutoff in 0.05-0.95 keeps the precision; if none does, 0.5)."""
    ranked = sorted(zip(probabilities, labels, weights, strict=True), reverse=True)
    best, reached, tp, fp = 0.5, False, 0.0, 0.0
    for probability, label, weight in ranked:
        tp += weight if label else 0.0
        fp += 0.0 if label else weight
        if tp / (tp + fp) >= min_precision and 0.05 <= probability <= 0.95:
            best, reached = probability, True
    return round(best, 4), reached
